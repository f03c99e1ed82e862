// The contract suite as data: every check it makes against a target, each named after the rule it exercises, with
// the reason when it is skipped. contract.test.ts turns them into vitest tests (and the report); the power test runs
// them in-process against its servers. A check throws ContractFailure, whose message names the rule the target
// broke, with the request and the response.
import { enumerateOperation, MISJUDGED, requestIsValid, type RequestCase } from './cases/enumerate.js';
import { operations, type OperationModel } from './cases/operations.js';
import { DEFAULT_SEED, randomCases } from './cases/random.js';
import { DEFAULT_MAX_CASES, sampleCases } from './cases/sample.js';
import { chainChecks } from './chains.js';
import { errorCode, notFoundCodes, refusalStatuses, responseViolations, successStatuses, type Violation } from './conformance.js';
import { describeExchange, send, type Auth, type Exchange, type Outgoing } from './exchange.js';
import { UNAUTHENTICATED_WRITES_REASON, WRITES_REASON, type Target } from './target.js';

/**
 * A check's failure. The message (what vitest prints) names the rule with the request and the response, shortened;
 * `broken` and `exchange` carry the same in full for the report: the rules the target broke, each with what exactly,
 * and the request and response of the exchange that broke them.
 */
export class ContractFailure extends Error {
  override name = 'ContractFailure';
  constructor(
    message: string,
    readonly broken: Violation[] = [],
    readonly exchange?: Exchange,
  ) {
    super(message);
  }
}

/** Thrown by a check that finds, when it runs, that it cannot apply to this target; the message says why. */
export class SkipCheck extends Error {
  override name = 'SkipCheck';
}

// The gateway's code for "the API does not exist or has not been published" (APIGW.0101 on some pages).
const NO_SUCH_API = new Set(['APIG.0101', 'APIGW.0101']);

export interface Check {
  /** The describe block: the operation, then the part of the suite. */
  group: string[];
  /** The test's title. */
  name: string;
  /** The rule the check exercises, for the report (one row per rule). */
  rule: string;
  operationId?: string;
  /** The operations a chain uses (a check of one operation has operationId). */
  operations?: string[];
  /** Why the check does not run against this target. */
  skip?: string;
  /** How long the check may take (default: contract.test.ts's). */
  timeoutMs?: number;
  run: () => Promise<void>;
}

export const PRISM_AUTH_REASON = 'Prism checks that the security headers are present, not their values';
export const NEEDS_AKSK_REASON = 'needs AK/SK credentials (VOD_AK and VOD_SK)';

// Safe methods (RFC 9110, 9.2.1) only read. Every other method changes state on the target, whatever the
// operation: derived from the spec's methods, so that a new operation is gated as a write without a list to keep.
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Whether an operation writes: its valid requests go to a non-Prism target only with VOD_CONTRACT_WRITES=1. */
export const writes = (op: OperationModel) => !SAFE_METHODS.has(op.method);

/**
 * Whether a request names something that must already exist in the account: an ID (a property or parameter named
 * `…id` or `…ids`: asset_id, category_id, group_id…), a domain, an OBS bucket or object (`source_bucket`…). The
 * suite makes these up, so a real target may answer "does not exist" to a valid request that names one.
 */
export function namesResource(out: Outgoing): boolean {
  const named = (k: string) => /(^|_)(ids?|domain|bucket|object)$/i.test(k);
  const has = (v: unknown): boolean =>
    Boolean(v) && typeof v === 'object' && (Array.isArray(v) ? v.some(has) : Object.entries(v as object).some(([k, x]) => named(k) || has(x)));
  return has(out.body) || has(out.query);
}

/**
 * Why none of an operation's checks can run against this target, if so: a path parameter it was not given
 * (VOD_DOMAIN_ID for `{domain_id}`), or credentials the operation's security does not accept.
 */
export function operationSkip(target: Target, op: OperationModel): string | undefined {
  if (!target.prism) {
    const missing = op.parameters.filter((p) => p.in === 'path' && p.name !== 'project_id' && !(p.name in target.pathValues));
    if (missing.length) {
      return `${op.method} ${op.path} needs ${missing.map((p) => `VOD_${p.name.toUpperCase()} (the value of {${p.name}})`).join(' and ')}`;
    }
  }
  if (!op.security.aksk && !target.token) return `${op.id} accepts only an IAM token (its security: X-Auth-Token): needs VOD_AUTH_TOKEN`;
  if (!op.security.token && !target.aksk) return `${op.id} accepts only AK/SK signing (its security): needs VOD_AK and VOD_SK`;
  return undefined;
}

export class Judge {
  constructor(readonly target: Target) {}

  private readonly offers = new Map<string, Promise<string | undefined>>();
  /** The probes' exchanges (see offered), to tell a target that answers nothing at all. */
  readonly probes: Exchange[] = [];

  /**
   * Why the target does not offer `op` at all, or undefined when it does. A target need not implement every
   * operation of the spec (a region without smart cover, an implementation of the upload operations only): an
   * invalid request (always safe to send) that is answered 404 with the gateway's "no such API" code, or with a body
   * that is not a VOD error at all, means the operation is not there, and its checks are reported as skipped with
   * that reason instead of failing one by one. A 404 with a VOD code (an asset it does not know) is an answer of the
   * operation and is judged like any other.
   */
  offered(op: OperationModel, probe: Outgoing | undefined): Promise<string | undefined> {
    if (this.target.prism || !probe) return Promise.resolve(undefined);
    let found = this.offers.get(op.id);
    if (!found) {
      found = send(this.target, op, probe).then((x) => {
        this.probes.push(x);
        if (x.status !== 404) return undefined;
        const code = errorCode(x);
        if (code && !NO_SUCH_API.has(code)) return undefined;
        return `the target does not offer ${op.id}: ${probe.body === undefined && probe.raw === undefined && !Object.keys(probe.query ?? {}).length ? 'a' : 'an invalid'} request to ${op.method} ${op.path} was answered 404${code ? ` ${code}` : ''} (no such API)`;
      });
      this.offers.set(op.id, found);
    }
    return found;
  }

  /**
   * Fails the check: `rule` (with `detail`) is the message vitest shows; the report shows `expectation` (the rule
   * without the case, which the report's heading already names) or else `rule`, then the exchange in full.
   */
  fail(rule: string, x: Exchange, detail?: string, expectation?: string): never {
    throw new ContractFailure(`rule: ${rule}${detail ? ` (${detail})` : ''}; ${describeExchange(this.target, x)}`, [{ rule: expectation ?? rule, detail: detail ?? '' }], x);
  }

  /** Sends, checking every 429 waited out on the way as well. */
  async send(op: OperationModel, out: Outgoing, auth?: Auth): Promise<Exchange> {
    const throttled: Exchange[] = [];
    const x = await send(this.target, op, out, auth, { onThrottled: (t) => throttled.push(t) });
    for (const t of throttled) this.conforming(op, t);
    return x;
  }

  /** The target answered, with a declared status and the body, media type and headers that status declares. */
  conforming(op: OperationModel, x: Exchange, about?: string) {
    if (!x.status) this.fail('the target answers every request with an HTTP response', x);
    const violations = responseViolations(op.id, x);
    if (violations.length) {
      const rules = violations.map((v) => `rule: ${v.rule} (${v.detail})`).join('; ');
      throw new ContractFailure(`${rules}${about ? ` [while checking: ${about}]` : ''}; ${describeExchange(this.target, x)}`, violations, x);
    }
  }

  /**
   * A valid request: a declared 2xx, or, when it names something the suite made up (an asset ID, a category ID…),
   * a declared 4xx with one of the spec's "does not exist" codes (VOD.10062, VOD.10064…, see notFoundCodes).
   */
  accepted(op: OperationModel, x: Exchange, rule: string, name: string, { unknownResourceOk = false } = {}) {
    this.conforming(op, x, `${rule} [${name}]`);
    const success = successStatuses(op.id);
    if (success.includes(x.status)) return;
    const ok = unknownResourceOk && refusalStatuses(op.id).includes(x.status) && notFoundCodes().has(errorCode(x) ?? '');
    if (ok) return;
    const alt = unknownResourceOk ? ', or a declared 4xx "does not exist" code (VOD.10062…) for something it does not know' : '';
    const expectation = `a valid request is accepted with ${success.join(' or ')}${alt}`;
    this.fail(`${rule} — ${expectation} [${name}]`, x, `got ${x.status}${errorCode(x) ? ` ${errorCode(x)}` : ''}`, expectation);
  }

  /** An invalid request: a declared 4xx other than 401/429, with its declared body. */
  rejected(op: OperationModel, x: Exchange, rule: string, name: string) {
    this.conforming(op, x, `${rule} [${name}]`);
    const refusals = refusalStatuses(op.id);
    if (!refusals.includes(x.status)) {
      const expectation = `an invalid request is rejected with a declared 4xx (${refusals.join(' or ')}) and an ErrorResponse`;
      this.fail(`${rule} — ${expectation} [${name}]`, x, `got ${x.status}`, expectation);
    }
  }

  unauthorized(op: OperationModel, x: Exchange, rule: string) {
    this.conforming(op, x, rule);
    if (x.status !== 401) this.fail(rule, x, `got ${x.status}`);
  }
}

function caseCheck(judge: Judge, op: OperationModel, c: RequestCase, opSkip: string | undefined): Check {
  const { target } = judge;
  let skip: string | undefined = opSkip;
  if (skip) {
    // set above: the whole operation cannot run here
  } else if (target.prism && c.prismBlind) skip = c.prismBlind;
  else if (c.valid && writes(op) && !target.writes) skip = WRITES_REASON;
  const out: Outgoing = { query: c.query, ...(c.raw !== undefined ? { raw: c.raw } : c.body !== undefined ? { body: c.body } : {}) };
  return {
    group: [op.id, c.kind === 'random' ? 'random phase' : c.valid ? 'valid requests are accepted' : 'each rule: a request that breaks it is rejected'],
    name: `${c.valid ? 'accepts' : 'rejects'} ${c.name} (${c.rule.replace(`${op.id} `, '')})`,
    rule: c.rule,
    operationId: op.id,
    ...(skip ? { skip } : {}),
    run: async () => {
      const x = await judge.send(op, out);
      if (c.valid) judge.accepted(op, x, c.rule, c.name, { unknownResourceOk: namesResource(out) });
      else judge.rejected(op, x, c.rule, c.name);
    },
  };
}

/** A fresh date string in the X-Sdk-Date format. */
const sdkDateOf = (date: Date) => date.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');

export const AUTH_RULES = {
  none: 'a request without credentials is rejected with 401 and an ErrorResponse',
  wrongToken: 'a wrong X-Auth-Token is rejected with 401 and an ErrorResponse',
  badSignature: 'an AK/SK request with a bad signature is rejected with 401 and an ErrorResponse',
  otherBody: 'an AK/SK signature covers the body: a request whose body changed after signing is rejected with 401',
  oldDate: 'a correctly signed request whose X-Sdk-Date is 16 minutes old is rejected with 401 (the window is 15 minutes)',
  halfAksk: 'AK/SK needs both Authorization and X-Sdk-Date: a request with only one of them is rejected with 401',
  signed: 'a correctly AK/SK-signed request is accepted',
  recentDate: 'a correctly signed request whose X-Sdk-Date is 10 minutes old is accepted (the window is 15 minutes)',
} as const;

const MADE_UP_AKSK = { ak: 'CONTRACTSUITEUNKNOWNAK', sk: 'contract-suite-made-up-sk' };

function authChecks(judge: Judge, op: OperationModel, minimal: RequestCase, opSkip: string | undefined): Check[] {
  const { target } = judge;
  const out: Outgoing = { query: minimal.query, ...(minimal.body !== undefined ? { body: minimal.body } : {}) };
  const writeSkip = writes(op) && !target.writes ? UNAUTHENTICATED_WRITES_REASON : undefined;
  const group = [op.id, 'authentication'];
  const aksk = target.aksk;
  const checks: Check[] = [];
  const negative = (name: string, rule: string, auth: Auth, skip?: string) => {
    const reason = opSkip ?? writeSkip ?? skip;
    checks.push({
      group,
      name,
      rule: `${op.id}: ${rule}`,
      operationId: op.id,
      ...(reason ? { skip: reason } : {}),
      run: async () => judge.unauthorized(op, await judge.send(op, out, auth), rule),
    });
  };
  // An operation whose security lists only X-Auth-Token (some deprecated statistics pages) need not accept AK/SK.
  const tokenOnly = !op.security.aksk;
  const positive = (name: string, rule: string, auth: Auth, reason?: string) => {
    const skip = opSkip ?? reason ?? (writes(op) && !target.writes ? WRITES_REASON : undefined);
    checks.push({
      group,
      name,
      rule: `${op.id}: ${rule}`,
      operationId: op.id,
      ...(skip ? { skip } : {}),
      run: async () => {
        judge.accepted(op, await judge.send(op, out, auth), rule, name, { unknownResourceOk: namesResource(out) });
      },
    });
  };

  negative('rejects a request without credentials with 401', AUTH_RULES.none, { kind: 'none' });
  negative('rejects a wrong X-Auth-Token with 401', AUTH_RULES.wrongToken, { kind: 'token', token: 'contract-suite-wrong-token-0f3a9c', label: 'a wrong X-Auth-Token' }, target.prism ? PRISM_AUTH_REASON : undefined);
  const signer = aksk ?? MADE_UP_AKSK;
  const signerLabel = aksk ? 'AK/SK' : 'a made-up AK/SK';
  negative(
    'rejects an AK/SK request with a bad signature with 401',
    AUTH_RULES.badSignature,
    {
      kind: 'aksk',
      aksk: signer,
      label: `${signerLabel}, signature altered`,
      tamper: (headers, body) => {
        const auth = headers.get('authorization')!;
        const last = auth.slice(-1);
        headers.set('authorization', `${auth.slice(0, -1)}${last === '0' ? '1' : '0'}`);
        return body;
      },
    },
    target.prism ? PRISM_AUTH_REASON : undefined,
  );
  if (op.body) {
    negative(
      'rejects an AK/SK request whose body changed after signing with 401',
      AUTH_RULES.otherBody,
      {
        kind: 'aksk',
        aksk: signer,
        label: `${signerLabel}, signed over another body`,
        // The same JSON with one more space: the body hash no longer matches.
        tamper: (_headers, body) => (body === undefined ? body : `${body} `),
      },
      target.prism ? PRISM_AUTH_REASON : aksk ? undefined : NEEDS_AKSK_REASON,
    );
  }
  negative(
    'rejects a signed request whose X-Sdk-Date is 16 minutes old with 401',
    AUTH_RULES.oldDate,
    { kind: 'aksk', aksk: signer, label: `${signerLabel}, X-Sdk-Date 16 minutes old`, date: new Date(Date.now() - 16 * 60_000) },
    target.prism ? PRISM_AUTH_REASON : aksk ? undefined : NEEDS_AKSK_REASON,
  );
  negative('rejects Authorization without X-Sdk-Date with 401', AUTH_RULES.halfAksk, {
    kind: 'aksk',
    aksk: signer,
    label: `${signerLabel}: Authorization only`,
    tamper: (headers, body) => (headers.delete('x-sdk-date'), body),
  });
  negative('rejects X-Sdk-Date without Authorization with 401', AUTH_RULES.halfAksk, {
    kind: 'headers',
    headers: { 'x-sdk-date': sdkDateOf(new Date()), 'x-project-id': target.projectId },
    label: 'X-Sdk-Date only',
  });
  // A token-only operation has no AK/SK way in to accept: those two checks are not rules of it (not skipped ones).
  if (tokenOnly) return checks;
  positive('accepts a correctly AK/SK-signed request', AUTH_RULES.signed, aksk ? { kind: 'aksk', aksk, label: 'AK/SK signed' } : { kind: 'target' }, aksk ? undefined : NEEDS_AKSK_REASON);
  positive(
    'accepts a signed request whose X-Sdk-Date is 10 minutes old',
    AUTH_RULES.recentDate,
    aksk ? { kind: 'aksk', aksk, label: 'AK/SK signed, X-Sdk-Date 10 minutes old', date: new Date(Date.now() - 10 * 60_000) } : { kind: 'target' },
    aksk ? undefined : NEEDS_AKSK_REASON,
  );
  return checks;
}

// The cases depend on the spec and the seed only: enumerated once per process (the power test builds the suite
// for many targets).
const enumerated = new Map<string, { all: RequestCase[]; random: RequestCase[] }>();
function casesOf(op: OperationModel, seed: number, count: number) {
  const key = `${op.id}:${seed}:${count}`;
  let found = enumerated.get(key);
  if (!found) {
    const all = enumerateOperation(op);
    found = { all, random: randomCases(op, all, seed, count) };
    enumerated.set(key, found);
  }
  return found;
}

export interface SuiteOptions {
  /** Seed of the random phase and of the sample of enumerated cases (VOD_CONTRACT_SEED). */
  seed?: number;
  /** Random requests per operation (valid ones; as many spoilt ones again). */
  randomCount?: number;
  /** Enumerated cases sent per operation at most (VOD_CONTRACT_MAX_CASES; Infinity: all), see cases/sample.ts. */
  maxCases?: number;
}

/** Per operation: how many cases the enumerator derived and how many of them this run sends. */
export interface Sampling {
  maxCases: number;
  operations: { operationId: string; enumerated: number; sent: number; rules: number; rulesSent: number }[];
  /** Cases the enumerator built wrongly and left out (its bug; see enumerate.ts), by operation. */
  misjudged: Record<string, string[]>;
}

export interface Suite {
  checks: Check[];
  /** How the enumerated cases were bounded. */
  sampling: Sampling;
  /**
   * Probes every operation at once (see Judge.offered) and resolves, for each one the target does not offer, why.
   * The checks find the same by themselves (the answers are shared); contract.test.ts asks first, so that it can
   * report the checks of a missing operation as one skipped test instead of one each.
   */
  missing: () => Promise<Map<string, string>>;
}

/** Every check of the suite against `target`, in order, with how the cases were bounded and the probe. */
export function buildSuite(target: Target, options: SuiteOptions = {}): Suite {
  const judge = new Judge(target);
  const seed = options.seed ?? DEFAULT_SEED;
  const count = options.randomCount ?? 12;
  const maxCases = options.maxCases ?? DEFAULT_MAX_CASES;
  const checks: Check[] = [];
  const sampling: Sampling = { maxCases, operations: [], misjudged: {} };
  const ops = operations();
  for (const op of ops) {
    const { all, random } = casesOf(op, seed, count);
    const cases = sampleCases(all, maxCases, seed);
    sampling.operations.push({
      operationId: op.id,
      enumerated: all.length,
      sent: cases.length,
      rules: new Set(all.map((c) => c.rule)).size,
      rulesSent: new Set(cases.map((c) => c.rule)).size,
    });
    if (MISJUDGED.has(op.id)) sampling.misjudged[op.id] = MISJUDGED.get(op.id)!;
    const opSkip = operationSkip(target, op);
    for (const c of cases) checks.push(caseCheck(judge, op, c, opSkip));
    for (const c of random) checks.push(caseCheck(judge, op, c, opSkip));
    const minimal = all.find((c) => c.kind === 'minimal');
    if (minimal) checks.push(...authChecks(judge, op, minimal, opSkip));
  }
  checks.push(...chainChecks(judge, ops));
  checks.push(burstCheck(judge, ops, seed, count));
  const wrapped = checks.map((check) => (check.skip ? check : onlyWhereOffered(judge, ops, check, seed, count)));
  const missing = async () => {
    const found = new Map<string, string>();
    const queue = ops.filter((op) => !operationSkip(target, op));
    const worker = async () => {
      for (let op = queue.shift(); op; op = queue.shift()) {
        const reason = await judge.offered(op, probeOf(judge, op, casesOf(op, seed, count).all));
        if (reason) found.set(op.id, reason);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    // Not one answer: the target is not there (not started, a wrong VOD_BASE_URL). One error, not a failure per check.
    if (judge.probes.length && judge.probes.every((x) => !x.status)) {
      throw new Error(`contract suite: ${target.baseUrl()} answered none of ${judge.probes.length} requests (${judge.probes[0]!.networkError}): is it running, and is VOD_BASE_URL right?`);
    }
    return found;
  };
  return { checks: wrapped, sampling, missing };
}

/** Every check of the suite against `target`, in order. */
export function buildChecks(target: Target, options: SuiteOptions = {}): Check[] {
  return buildSuite(target, options).checks;
}

/**
 * The request that finds out whether a target offers an operation (see Judge.offered): one of its invalid requests
 * (always safe to send), else, for an operation that has none (no body, no query), its minimal request, which is
 * sent only where the operation's valid requests would be sent too (a read, or writes allowed).
 */
function probeOf(judge: Judge, op: OperationModel, all: RequestCase[]): Outgoing | undefined {
  const invalid = all.find((c) => !c.valid && c.raw === undefined);
  if (invalid) return { query: invalid.query, ...(invalid.body !== undefined ? { body: invalid.body } : {}) };
  const minimal = all.find((c) => c.kind === 'minimal');
  if (minimal && (!writes(op) || judge.target.writes)) return { query: minimal.query, ...(minimal.body !== undefined ? { body: minimal.body } : {}) };
  return undefined;
}

/** The check, run only when the target offers every operation it uses (see Judge.offered). */
function onlyWhereOffered(judge: Judge, ops: OperationModel[], check: Check, seed: number, count: number): Check {
  const ids = check.operations ?? (check.operationId ? [check.operationId] : []);
  const used = ops.filter((o) => ids.includes(o.id));
  if (!used.length) return check;
  return {
    ...check,
    run: async () => {
      for (const op of used) {
        const reason = await judge.offered(op, probeOf(judge, op, casesOf(op, seed, count).all));
        if (reason) throw new SkipCheck(reason);
      }
      await check.run();
    },
  };
}

export const BURST_RULE =
  "a target that throttles answers 429 with an ErrorResponse and a valid Retry-After (a burst at an operation's x-rate-limit)";
export const BURST_REASON = 'a burst at the rate limit is sent to loopback targets only (never to a shared service)';

/**
 * One more request than the tightest per-tenant limit allows in a minute, at once, of a request that is invalid and so
 * harmless (an empty JSON object where the body has required properties): a target that throttles must answer the
 * excess with a conforming 429 (Retry-After included); one that does not throttle answers each with its refusal.
 * The burst goes to the first such operation, tightest limit first, that the target offers. Prism never throttles.
 */
function burstCheck(judge: Judge, ops: OperationModel[], seed: number, count: number): Check {
  const candidates = ops
    .filter((o) => o.body && o.rateLimit?.perTenantPerMinute && !requestIsValid(o, { query: {}, raw: '{}' }) && !operationSkip(judge.target, o))
    .sort((a, b) => a.rateLimit!.perTenantPerMinute! - b.rateLimit!.perTenantPerMinute!);
  const { target } = judge;
  const skip = target.prism ? 'Prism never throttles' : !target.loopback ? BURST_REASON : !candidates.length ? 'no operation with a rate limit and an invalid empty body' : undefined;
  return {
    group: ['rate limits'],
    name: 'one request more than the tightest x-rate-limit allows per minute, at once, of an invalid request: each a refusal or a conforming 429',
    rule: BURST_RULE,
    ...(skip ? { skip } : {}),
    run: async () => {
      let op: OperationModel | undefined;
      for (const candidate of candidates) {
        if (!(await judge.offered(candidate, probeOf(judge, candidate, casesOf(candidate, seed, count).all)))) {
          op = candidate;
          break;
        }
      }
      if (!op) throw new SkipCheck(`the target offers none of the operations a burst could go to (${candidates.map((o) => o.id).join(', ')})`);
      const limit = op.rateLimit!.perTenantPerMinute!;
      const about = `${BURST_RULE}: ${limit + 1} invalid ${op.id} requests at once (x-rate-limit ${limit}/min per tenant)`;
      let next = 0;
      const worker = async () => {
        while (next++ <= limit) {
          const x = await send(target, op, { raw: '{}' }, { kind: 'target' }, { retryThrottled: false });
          judge.conforming(op, x, about);
          if (x.status !== 429) judge.rejected(op, x, `${op.id} body: required`, 'an empty object (in a burst)');
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
    },
  };
}

export interface Result {
  check: Check;
  outcome: 'passed' | 'failed' | 'skipped';
  message?: string;
  ms: number;
  /** A failure's broken rules and exchange, in full (ContractFailure); absent for an unexpected error. */
  broken?: Violation[];
  exchange?: Exchange;
}

/** The result of a check that threw `error`. */
export function resultOf(check: Check, error: unknown, ms: number): Result {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof SkipCheck) return { check, outcome: 'skipped', message, ms };
  const details = error instanceof ContractFailure ? { broken: error.broken, ...(error.exchange ? { exchange: error.exchange } : {}) } : {};
  return { check, outcome: 'failed', message, ms, ...details };
}

/** Runs checks with bounded concurrency (chains run whole, in their own check), in-process. */
export async function runChecks(checks: Check[], concurrency = 8): Promise<Result[]> {
  const results: Result[] = new Array(checks.length);
  let next = 0;
  const worker = async () => {
    while (next < checks.length) {
      const i = next++;
      const check = checks[i]!;
      const started = Date.now();
      if (check.skip) {
        results[i] = { check, outcome: 'skipped', message: check.skip, ms: 0 };
        continue;
      }
      try {
        await check.run();
        results[i] = { check, outcome: 'passed', ms: Date.now() - started };
      } catch (error) {
        results[i] = resultOf(check, error, Date.now() - started);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

export { DEFAULT_SEED };
