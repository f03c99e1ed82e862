// The contract suite as data: every check it makes against a target, each named after the rule it exercises, with
// the reason when it is skipped. contract.test.ts turns them into vitest tests (and the report); the power test runs
// them in-process against its servers. A check throws ContractFailure, whose message names the rule the target
// broke, with the request and the response.
import { enumerateOperation, type RequestCase } from './cases/enumerate.js';
import { operations, type OperationModel } from './cases/operations.js';
import { DEFAULT_SEED, randomCases } from './cases/random.js';
import { chainChecks } from './chains.js';
import { errorCode, refusalStatuses, responseViolations, successStatuses } from './conformance.js';
import { describeExchange, send, type Auth, type Exchange, type Outgoing } from './exchange.js';
import { UNAUTHENTICATED_WRITES_REASON, WRITES_REASON, type Target } from './target.js';

export class ContractFailure extends Error {
  override name = 'ContractFailure';
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

// Operations that change nothing the suite cares to protect (the retired smart cover) are not gated as writes.
const NOT_A_WRITE = new Set(['CreateSmartCover']);
export const writes = (op: OperationModel) => op.method !== 'GET' && !NOT_A_WRITE.has(op.id);

/** Whether a request names an asset (asset_id in the body or the query). */
export function namesAsset(out: Outgoing): boolean {
  const has = (v: unknown): boolean =>
    Boolean(v) && typeof v === 'object' && (Array.isArray(v) ? v.some(has) : Object.entries(v as object).some(([k, x]) => k === 'asset_id' || has(x)));
  return has(out.body) || has(out.query);
}

export class Judge {
  constructor(readonly target: Target) {}

  private readonly offers = new Map<string, Promise<string | undefined>>();

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
        if (x.status !== 404) return undefined;
        const code = errorCode(x);
        if (code && !NO_SUCH_API.has(code)) return undefined;
        return `the target does not offer ${op.id}: an invalid request to ${op.method} ${op.path} was answered 404${code ? ` ${code}` : ''} (no such API)`;
      });
      this.offers.set(op.id, found);
    }
    return found;
  }

  fail(rule: string, x: Exchange, detail?: string): never {
    throw new ContractFailure(`rule: ${rule}${detail ? ` (${detail})` : ''}; ${describeExchange(this.target, x)}`);
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
      throw new ContractFailure(`${rules}${about ? ` [while checking: ${about}]` : ''}; ${describeExchange(this.target, x)}`);
    }
  }

  /** A valid request: a declared 2xx, or (for an asset the target does not know) a declared 4xx VOD.10062. */
  accepted(op: OperationModel, x: Exchange, rule: string, name: string, { unknownAssetOk = false } = {}) {
    this.conforming(op, x, `${rule} [${name}]`);
    const success = successStatuses(op.id);
    if (success.includes(x.status)) return;
    const ok = unknownAssetOk && refusalStatuses(op.id).includes(x.status) && errorCode(x) === 'VOD.10062';
    if (ok) return;
    const alt = unknownAssetOk ? ', or a declared 4xx VOD.10062 for an asset it does not know' : '';
    this.fail(`${rule} — a valid request is accepted with ${success.join(' or ')}${alt} [${name}]`, x, `got ${x.status}${errorCode(x) ? ` ${errorCode(x)}` : ''}`);
  }

  /** An invalid request: a declared 4xx other than 401/429, with its declared body. */
  rejected(op: OperationModel, x: Exchange, rule: string, name: string) {
    this.conforming(op, x, `${rule} [${name}]`);
    const refusals = refusalStatuses(op.id);
    if (!refusals.includes(x.status)) {
      this.fail(`${rule} — an invalid request is rejected with a declared 4xx (${refusals.join(' or ')}) and an ErrorResponse [${name}]`, x, `got ${x.status}`);
    }
  }

  unauthorized(op: OperationModel, x: Exchange, rule: string) {
    this.conforming(op, x, rule);
    if (x.status !== 401) this.fail(rule, x, `got ${x.status}`);
  }
}

function caseCheck(judge: Judge, op: OperationModel, c: RequestCase): Check {
  const { target } = judge;
  let skip: string | undefined;
  if (target.prism && c.prismBlind) skip = c.prismBlind;
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
      if (c.valid) judge.accepted(op, x, c.rule, c.name, { unknownAssetOk: namesAsset(out) });
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

function authChecks(judge: Judge, op: OperationModel, minimal: RequestCase): Check[] {
  const { target } = judge;
  const out: Outgoing = { query: minimal.query, ...(minimal.body !== undefined ? { body: minimal.body } : {}) };
  const writeSkip = writes(op) && !target.writes ? UNAUTHENTICATED_WRITES_REASON : undefined;
  const group = [op.id, 'authentication'];
  const aksk = target.aksk;
  const checks: Check[] = [];
  const negative = (name: string, rule: string, auth: Auth, skip?: string) =>
    checks.push({
      group,
      name,
      rule: `${op.id}: ${rule}`,
      operationId: op.id,
      ...((writeSkip ?? skip) ? { skip: writeSkip ?? skip } : {}),
      run: async () => judge.unauthorized(op, await judge.send(op, out, auth), rule),
    });
  const positive = (name: string, rule: string, auth: Auth, reason?: string) => {
    const skip = reason ?? (writes(op) && !target.writes ? WRITES_REASON : undefined);
    checks.push({
      group,
      name,
      rule: `${op.id}: ${rule}`,
      operationId: op.id,
      ...(skip ? { skip } : {}),
      run: async () => judge.accepted(op, await judge.send(op, out, auth), rule, name, { unknownAssetOk: namesAsset(out) }),
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
const enumerated = new Map<string, { cases: RequestCase[]; random: RequestCase[] }>();
function casesOf(op: OperationModel, seed: number, count: number) {
  const key = `${op.id}:${seed}:${count}`;
  let found = enumerated.get(key);
  if (!found) {
    const cases = enumerateOperation(op);
    found = { cases, random: randomCases(op, cases, seed, count) };
    enumerated.set(key, found);
  }
  return found;
}

export interface SuiteOptions {
  /** Seed of the random phase (VOD_CONTRACT_SEED). */
  seed?: number;
  /** Random requests per operation (valid ones; as many spoilt ones again). */
  randomCount?: number;
}

/** Every check of the suite against `target`, in order. */
export function buildChecks(target: Target, options: SuiteOptions = {}): Check[] {
  const judge = new Judge(target);
  const seed = options.seed ?? DEFAULT_SEED;
  const checks: Check[] = [];
  const ops = operations();
  for (const op of ops) {
    const { cases, random } = casesOf(op, seed, options.randomCount ?? 12);
    for (const c of cases) checks.push(caseCheck(judge, op, c));
    for (const c of random) checks.push(caseCheck(judge, op, c));
    const minimal = cases.find((c) => c.kind === 'minimal');
    if (minimal) checks.push(...authChecks(judge, op, minimal));
  }
  checks.push(...chainChecks(judge, ops));
  const burst = burstCheck(judge, ops);
  if (burst) checks.push(burst);
  return checks.map((check) => (check.skip ? check : onlyWhereOffered(judge, ops, check, seed, options.randomCount ?? 12)));
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
        const probe = casesOf(op, seed, count).cases.find((c) => !c.valid && c.raw === undefined);
        const out: Outgoing | undefined = probe && { query: probe.query, ...(probe.body !== undefined ? { body: probe.body } : {}) };
        const reason = await judge.offered(op, out);
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
 * harmless: a target that throttles must answer the excess with a conforming 429 (Retry-After included); one that
 * does not throttle answers each with its refusal. Prism never throttles.
 */
function burstCheck(judge: Judge, ops: OperationModel[]): Check | undefined {
  const candidates = ops
    .filter((o) => o.body && o.rateLimit?.perTenantPerMinute)
    .sort((a, b) => a.rateLimit!.perTenantPerMinute! - b.rateLimit!.perTenantPerMinute!);
  const op = candidates[0];
  if (!op) return undefined;
  const { target } = judge;
  const count = op.rateLimit!.perTenantPerMinute! + 1;
  const skip = target.prism ? 'Prism never throttles' : !target.loopback ? BURST_REASON : undefined;
  return {
    group: ['rate limits'],
    name: `${count} invalid ${op.id} requests at once (x-rate-limit ${op.rateLimit!.perTenantPerMinute}/min per tenant): each a refusal or a conforming 429`,
    rule: BURST_RULE,
    operationId: op.id,
    ...(skip ? { skip } : {}),
    run: async () => {
      let next = 0;
      const worker = async () => {
        while (next++ < count) {
          const x = await send(target, op, { raw: '{}' }, { kind: 'target' }, { retryThrottled: false });
          judge.conforming(op, x, BURST_RULE);
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
        const outcome = error instanceof SkipCheck ? 'skipped' : 'failed';
        results[i] = { check, outcome, message: error instanceof Error ? error.message : String(error), ms: Date.now() - started };
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

export { DEFAULT_SEED };
