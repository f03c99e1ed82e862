/// <reference types="node" />
// A local, stateful simulator of the whole VOD API (generated/openapi.json) on 127.0.0.1, for tests of code built on
// VOD: `import { startVodSimulator } from 'huaweicloud-vod-openapi/simulator'`. Node only (node:http); the client
// bundle never imports it.
//
// Each request goes through what the gateway and VOD do, in this order: route (the spec's paths, from
// generated/operations), faults set on demand, authentication (the one token, or an AK/SK signature verified for
// real), the project in the path, the rate limit of the operation's x-rate-limit group, validation with the spec's
// generated validator (400 VOD.10053 naming the field and the rule), then the operation: a stateful handler
// (handlers.ts: STATEFUL) or, for every other operation, the spec's example of its success response.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorCodes, type KnownErrorCode } from '../../generated/error-codes.js';
import { issuesOf } from '../internal/validate.js';
import { authenticate } from './auth.js';
import { handlers, newState, snapshot, STATEFUL, type Answer, type Context, type SimAsset, type VodState } from './handlers.js';
import { DEFAULT_MAX_PART_BYTES, DEFAULT_MIN_PART_BYTES, Obs, OBS_PREFIX, type ObsObject } from './obs.js';
import { buildRoutes, loadSpec, matchRoute, parseQuery, type Route } from './spec.js';

export { STATEFUL } from './handlers.js';
export { SDK_DATE_WINDOW_MS } from './auth.js';

/** Where the simulator's HTTP control API lives: no VOD operation uses this path. */
export const CONTROL_PREFIX = '/_simulator/';

export interface VodSimulatorOptions {
  /** Port on 127.0.0.1 (default 0: a free port). */
  port?: number;
  /** The project ID in the paths (default a fixed 32-hex ID). */
  projectId?: string;
  /** The account ID of the deprecated /v1.0/{domain_id}/vod/statistics paths. */
  domainId?: string;
  /** The one X-Auth-Token accepted (default: a random one, on the handle). */
  token?: string;
  /** The one AK/SK pair whose signatures are accepted (default: a random pair, on the handle). */
  ak?: string;
  sk?: string;
  /**
   * Simulated time runs this many times faster than real time: asset processing, presigned-URL expiry and rate-limit
   * windows (default 1). 0 freezes it: it then moves only with clock.advance(), for tests that want exact steps.
   */
  timeScale?: number;
  /** Simulated ms an OBS transfer, a URL pull or a transcoding takes (default 3000). */
  processingMs?: number;
  /** Apply the spec's x-rate-limit per tenant and group (default true). */
  rateLimits?: boolean;
  /**
   * Every OBS object named in a bucket exists (default true), so that a transfer from an authorised bucket succeeds
   * without adding the object first; objects removed or broken through the handle still fail.
   */
  anyObjectExists?: boolean;
  /** Lifetime of presigned OBS URLs in simulated seconds (default 3600). */
  presignTtlSeconds?: number;
  /** OBS: every multipart part but the last needs this many bytes (default 100 KB, as OBS). */
  minPartBytes?: number;
  /** OBS: the largest part or single PUT (default 5 GB). */
  maxPartBytes?: number;
  /** Buckets already authorised for VOD when it starts, as UpdateBucketAuthorized would (default none). */
  authorisedBuckets?: string[];
  /** generated/openapi.json elsewhere (default: found beside this module). */
  specPath?: string;
}

/** A fault on demand, for resilience tests. */
export interface Fault {
  /** An operationId, 'OBS' (presigned OBS requests) or '*' (default: every request). */
  operation?: string;
  /** Fire only on the n-th matching request counted from now (1-based); otherwise on every one, `times` times. */
  nth?: number;
  /** How many times it fires (default: once with `nth`, else without end). */
  times?: number;
  kind: 'latency' | 'drop' | 'error' | 'throttle' | 'expire-presigned';
  /** latency: extra delay in real ms before the request is handled normally. */
  latencyMs?: number;
  /** error: the status (default 500) and error code (default by status). */
  status?: number;
  code?: string;
  /** throttle: Retry-After seconds (default 1). */
  retryAfter?: number;
}

interface ActiveFault extends Fault {
  id: string;
  seen: number;
  fired: number;
}

export interface VodSimulator {
  /** http://127.0.0.1:<port>: the endpoint to give a client. */
  readonly url: string;
  readonly port: number;
  readonly projectId: string;
  readonly domainId: string;
  readonly token: string;
  readonly ak: string;
  readonly sk: string;
  /** The bucket and region of uploaded files. */
  readonly uploadBucket: string;
  readonly location: string;
  /** A snapshot of the state: authorised buckets, assets (status brought up to date), categories, OBS. */
  readonly state: ReturnType<typeof fullSnapshot>;
  readonly clock: {
    /** Simulated time, epoch ms. */
    now(): number;
    advance(ms: number): void;
    timeScale: number;
  };
  readonly obs: {
    put(bucket: string, key: string, object?: Partial<ObsObject>): void;
    remove(bucket: string, key: string): void;
    /** The object exists but cannot be read: a transfer from it ends OBS_CREATE_FAILED. */
    break(bucket: string, key: string): void;
    list(bucket: string, prefix?: string): { key: string; object: ObsObject }[];
  };
  /** Makes an asset's current (or next) processing end in a failure status. */
  failAsset(assetId: string, status?: string, description?: string): void;
  /** Adds a fault; returns its id. */
  setFault(fault: Fault): string;
  clearFaults(id?: string): void;
  readonly faults: readonly Fault[];
  /** Requests received (VOD, OBS and control). */
  readonly requests: number;
  /** Forgets all state, faults and rate-limit windows (the credentials and options stay). */
  reset(): void;
  close(): Promise<void>;
}

function fullSnapshot(state: VodState, obs: Obs, now: number) {
  return { ...snapshot(state, now), obs: obs.snapshot() };
}

const hex = (n: number) => randomBytes(n).toString('hex');
const MINUTE = 60_000;

// The status and error code of a fault of kind 'error', by status (the gateway's codes for what it answers itself).
const FAULT_CODES: Record<number, string> = { 500: 'VOD.10051', 502: 'APIG.0610', 503: 'APIG.0613', 504: 'APIG.0201' };

/** Refuses options that could not work, naming the option and the rule. */
function checkOptions(o: VodSimulatorOptions) {
  const problems: string[] = [];
  const id = /^[A-Za-z0-9_-]+$/;
  for (const key of ['projectId', 'domainId'] as const) {
    if (o[key] !== undefined && !(typeof o[key] === 'string' && id.test(o[key]))) problems.push(`${key} must be letters, digits, - and _ (one path segment)`);
  }
  for (const key of ['token', 'ak', 'sk'] as const) {
    if (o[key] !== undefined && !(typeof o[key] === 'string' && o[key].length > 0 && !/[\r\n]/.test(o[key]))) problems.push(`${key} must be a non-empty string on one line`);
  }
  if ((o.ak === undefined) !== (o.sk === undefined)) problems.push('ak and sk go together');
  if (o.port !== undefined && !(Number.isInteger(o.port) && o.port >= 0 && o.port <= 65535)) problems.push('port must be an integer in 0..65535');
  for (const key of ['processingMs', 'presignTtlSeconds', 'minPartBytes', 'maxPartBytes'] as const) {
    if (o[key] !== undefined && !(typeof o[key] === 'number' && Number.isFinite(o[key]) && o[key] >= 0)) problems.push(`${key} must be a number >= 0`);
  }
  if (o.authorisedBuckets !== undefined && !(Array.isArray(o.authorisedBuckets) && o.authorisedBuckets.every((b) => typeof b === 'string' && b))) {
    problems.push('authorisedBuckets must be an array of bucket names');
  }
  if (problems.length) throw new TypeError(`VOD simulator: ${problems.join('; ')}`);
}

export async function startVodSimulator(options: VodSimulatorOptions = {}): Promise<VodSimulator> {
  checkOptions(options);
  const spec = loadSpec(options.specPath);
  const routes = buildRoutes(spec);
  const projectId = options.projectId ?? '0123456789abcdef0123456789abcdef';
  const domainId = options.domainId ?? 'fedcba9876543210fedcba9876543210';
  const creds = {
    token: options.token ?? `simulator-token-${hex(12)}`,
    ak: options.ak ?? `SIMULATORAK${hex(5).toUpperCase()}`,
    sk: options.sk ?? `simulator-sk-${hex(16)}`,
  };
  const location = 'cn-north-4';
  const uploadBucket = `vod-bucket-simulator-${location}`;

  // ---- the clock: simulated time = real time × timeScale since the last anchor, plus what advance() added ----
  let scale = options.timeScale ?? 1;
  if (!(scale >= 0)) throw new Error(`VOD simulator: timeScale must be a number >= 0, got ${options.timeScale}`);
  let anchorReal = Date.now();
  let anchorSim = anchorReal;
  const now = () => anchorSim + (Date.now() - anchorReal) * scale;
  const clock = {
    now,
    advance(ms: number) {
      if (!(ms >= 0)) throw new Error(`VOD simulator: clock.advance takes a non-negative number of ms, got ${ms}`);
      anchorSim += ms;
    },
    get timeScale() {
      return scale;
    },
    set timeScale(value: number) {
      if (!(value >= 0)) throw new Error(`VOD simulator: timeScale must be a number >= 0, got ${value}`);
      anchorSim = now();
      anchorReal = Date.now();
      scale = value;
    },
  };

  let url = '';
  const fresh = () => {
    const s = newState();
    for (const bucket of options.authorisedBuckets ?? []) s.buckets.add(bucket);
    return s;
  };
  let state = fresh();
  const obs = new Obs({
    now,
    baseUrl: () => url,
    anyObjectExists: options.anyObjectExists ?? true,
    presignTtlSeconds: options.presignTtlSeconds ?? 3600,
    minPartBytes: options.minPartBytes ?? DEFAULT_MIN_PART_BYTES,
    maxPartBytes: options.maxPartBytes ?? DEFAULT_MAX_PART_BYTES,
  });
  const processingMs = options.processingMs ?? 3000;

  // ---- rate limits: a sliding window of one simulated minute per tenant and group, and per group overall ----
  const windows = new Map<string, number[]>();
  /** Seconds to wait (real time) when the request is over a limit, else undefined (and the request is counted). */
  function throttled(route: Route, tenant: string): number | undefined {
    const limit = route.def.rateLimit;
    if (!limit || options.rateLimits === false) return undefined;
    const t = now();
    const keys: [string, number][] = [[`${tenant}|${limit.group}`, limit.perTenantPerMinute], [`*|${limit.group}`, limit.overallPerMinute]];
    for (const [key, max] of keys) {
      const list = windows.get(key) ?? [];
      while (list.length && list[0]! <= t - MINUTE) list.shift();
      windows.set(key, list);
      // Retry-After in real seconds; with the clock frozen (scale 0), in simulated seconds (what advance() needs).
      if (list.length >= max) return Math.max(1, Math.ceil((list[0]! + MINUTE - t) / (scale || 1) / 1000));
    }
    for (const [key] of keys) windows.get(key)!.push(t);
    return undefined;
  }

  // ---- faults ----
  let faults: ActiveFault[] = [];
  function faultFor(operation: string): ActiveFault | undefined {
    let hit: ActiveFault | undefined;
    for (const f of faults) {
      if (f.operation && f.operation !== '*' && f.operation !== operation) continue;
      f.seen++;
      const limit = f.times ?? (f.nth ? 1 : Infinity);
      if (hit || f.fired >= limit || (f.nth && f.seen < f.nth)) continue;
      f.fired++;
      hit = f;
    }
    faults = faults.filter((f) => f.fired < (f.times ?? (f.nth ? 1 : Infinity)));
    return hit;
  }

  let requests = 0;

  // ---- answers ----
  const send = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
    const requestId = hex(16);
    if (body === undefined) {
      res.writeHead(status, { 'x-request-id': requestId, 'content-length': '0', ...headers });
      res.end();
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), 'x-request-id': requestId, ...headers });
    res.end(text);
  };
  const errorBody = (code: string, message: string) => ({ error_code: code, error_msg: message, ...(code.startsWith('APIG') ? { request_id: hex(16) } : {}) });
  /**
   * A VOD error with the status the operation's page shows it under (its response examples), else the first status
   * the error-code catalogue gives for it among those the operation declares.
   */
  function vodError(route: Route | undefined, code: string, detail?: string): Answer {
    const info = errorCodes[code as KnownErrorCode];
    const declared = info?.status.find((s) => !route || route.statuses.includes(String(s)));
    const status = route?.errorStatus[code] ?? declared ?? info?.status[0] ?? 400;
    const message = `${info?.message ?? 'Error.'}${detail ? ` (${detail})` : ''}`;
    return { status, body: errorBody(code, message) };
  }

  async function handleVod(req: IncomingMessage, res: ServerResponse, body: Buffer) {
    const rawUrl = req.url ?? '/';
    const parsed = new URL(rawUrl, 'http://simulator.invalid');
    const found = matchRoute(routes, req.method ?? 'GET', parsed.pathname);
    const answer = (a: Answer) => send(res, a.status, a.body, a.headers);
    if (!found) return answer({ status: 404, body: errorBody('APIG.0101', 'The API does not exist or has not been published in the environment.') });
    const { route, params } = found;

    const fault = faultFor(route.id);
    if (fault && (await applyFault(fault, res))) return;

    const auth = authenticate(creds, req.method ?? 'GET', rawUrl, req.headers, body, Date.now());
    if (!auth.ok) return answer({ status: 401, body: errorBody(auth.code, auth.message) });
    // An operation whose security names one kind of credentials only (the deprecated statistics: an IAM token).
    if (!route.security[auth.kind]) {
      const accepted = route.security.token ? 'an IAM token (X-Auth-Token)' : 'an AK/SK signature';
      return answer({ status: 401, body: errorBody('APIG.0301', `Incorrect IAM authentication information: ${route.id} accepts only ${accepted}`) });
    }
    const tenant = params.project_id ?? params.domain_id ?? projectId;
    if ((params.project_id !== undefined && params.project_id !== projectId) || (params.domain_id !== undefined && params.domain_id !== domainId)) {
      return answer({ status: 403, body: errorBody('APIG.0310', `The project is unavailable: ${tenant} is not this simulator's ${params.project_id !== undefined ? 'project' : 'account'}.`) });
    }
    const wait = throttled(route, tenant);
    if (wait !== undefined) {
      return answer({ status: 429, body: errorBody('APIG.0308', 'The throttling threshold has been reached.'), headers: { 'retry-after': String(wait) } });
    }

    let input: unknown;
    let query: Record<string, unknown> = {};
    if (route.def.body) {
      const text = body.toString('utf8');
      if (text.trim() === '') input = undefined;
      else {
        try {
          input = JSON.parse(text);
        } catch {
          return answer(vodError(route, 'VOD.10053', 'illegal field: body; the body is not JSON'));
        }
      }
    } else {
      query = parseQuery(route, parsed.searchParams);
      input = query;
    }
    if (route.def.validate) {
      const issues = issuesOf(route.def.validate, route.def.body ? input : (input ?? {}), route.def.body ? '(body)' : '(query)');
      if (issues.length) {
        const first = issues[0]!;
        const more = issues.length > 1 ? `; ${issues.length - 1} more: ${issues.slice(1, 4).map((i) => `${i.path} ${i.rule}`).join('; ')}` : '';
        return answer(vodError(route, 'VOD.10053', `illegal field: ${first.path}; it ${first.rule}${more}`));
      }
    }

    const handler = handlers[route.id];
    if (handler) {
      const ctx: Context = {
        route,
        query,
        body: input,
        projectId,
        state,
        obs,
        now,
        processingMs,
        uploadBucket,
        location,
        baseUrl: url,
        error: (code, detail) => vodError(route, code, detail),
      };
      return answer(handler(ctx));
    }
    // No stateful handler: the spec's example of the success response (a valid answer, the same every time).
    return answer({ status: route.successStatus, ...(route.hasContent ? { body: route.example ?? {} } : {}) });
  }

  /** Applies a fault; true when it answered (or dropped) the request itself. */
  async function applyFault(fault: ActiveFault, res: ServerResponse): Promise<boolean> {
    switch (fault.kind) {
      case 'latency':
        await new Promise((r) => setTimeout(r, fault.latencyMs ?? 1000));
        return false;
      case 'drop':
        res.socket?.destroy();
        return true;
      case 'throttle':
        send(res, 429, errorBody('APIG.0308', 'The throttling threshold has been reached.'), { 'retry-after': String(fault.retryAfter ?? 1) });
        return true;
      case 'error': {
        const status = fault.status ?? 500;
        const code = fault.code ?? FAULT_CODES[status] ?? 'VOD.10051';
        send(res, status, errorBody(code, errorCodes[code as KnownErrorCode]?.message ?? 'Simulated fault.'));
        return true;
      }
      case 'expire-presigned':
        obs.expireNext++;
        return false;
    }
  }

  async function handleObs(req: IncomingMessage, res: ServerResponse, body: Buffer) {
    const fault = faultFor('OBS');
    if (fault && (await applyFault(fault, res))) return;
    const a = obs.handle(req.method ?? 'GET', req.url ?? '/', req.headers, body);
    res.writeHead(a.status, { 'x-obs-request-id': hex(8).toUpperCase(), ...(a.body !== undefined ? { 'content-length': String(Buffer.byteLength(a.body)) } : {}), ...a.headers });
    res.end(a.body);
  }

  function reset() {
    state = fresh();
    obs.objects.clear();
    obs.removed.clear();
    obs.uploads.clear();
    obs.expireNext = 0;
    windows.clear();
    faults = [];
  }

  function failAsset(assetId: string, status = 'OBS_CREATE_FAILED', description = 'Failure requested through the simulator.') {
    const asset: SimAsset | undefined = state.assets.get(assetId);
    if (!asset) throw new Error(`VOD simulator: no asset ${assetId}`);
    if (asset.readyAt !== undefined) asset.outcome = { status, description };
    else {
      asset.status = asset.unpublishedStatus = status;
      asset.description = description;
      asset.modified = now();
    }
  }

  let nextFault = 1;
  function setFault(fault: Fault): string {
    const kinds = ['latency', 'drop', 'error', 'throttle', 'expire-presigned'];
    if (!fault || !kinds.includes(fault.kind)) throw new Error(`VOD simulator: fault.kind must be one of ${kinds.join(', ')}, got ${JSON.stringify(fault?.kind)}`);
    if (fault.operation && fault.operation !== '*' && fault.operation !== 'OBS' && !routes.some((r) => r.id === fault.operation)) {
      throw new Error(`VOD simulator: fault.operation must be an operationId of the spec, 'OBS' or '*', got "${fault.operation}"`);
    }
    if (fault.nth !== undefined && !(Number.isInteger(fault.nth) && fault.nth >= 1)) throw new Error(`VOD simulator: fault.nth must be an integer >= 1, got ${fault.nth}`);
    const id = `fault-${nextFault++}`;
    faults.push({ ...fault, id, seen: 0, fired: 0 });
    return id;
  }

  // ---- the HTTP control API, for tools that are not Node ----
  async function handleControl(req: IncomingMessage, res: ServerResponse, body: Buffer) {
    const parsed = new URL(req.url ?? '/', 'http://simulator.invalid');
    const path = parsed.pathname.slice(CONTROL_PREFIX.length).replace(/\/+$/, '');
    const method = req.method ?? 'GET';
    let input: Record<string, unknown> = {};
    try {
      if (body.length) input = JSON.parse(body.toString('utf8'));
    } catch {
      return send(res, 400, { error: 'the body is not JSON' });
    }
    try {
      if (path === 'state' && method === 'GET') return send(res, 200, fullSnapshot(state, obs, now()));
      if (path === 'reset' && method === 'POST') return (reset(), send(res, 200, { reset: true }));
      if (path === 'info' && method === 'GET') {
        return send(res, 200, { url, projectId, domainId, token: creds.token, ak: creds.ak, uploadBucket, location, timeScale: scale, stateful: STATEFUL });
      }
      if (path === 'clock') {
        if (method === 'POST') {
          if (input.timeScale !== undefined) clock.timeScale = Number(input.timeScale);
          if (input.advanceMs !== undefined) clock.advance(Number(input.advanceMs));
        } else if (method !== 'GET') return send(res, 405, { error: 'GET or POST' });
        return send(res, 200, { now: now(), iso: new Date(now()).toISOString(), timeScale: scale });
      }
      if (path === 'faults') {
        if (method === 'GET') return send(res, 200, faults);
        if (method === 'POST') return send(res, 201, { id: setFault(input as unknown as Fault) });
        if (method === 'DELETE') return (clearFaults(), send(res, 200, { cleared: true }));
      }
      if (path.startsWith('faults/') && method === 'DELETE') return (clearFaults(path.slice(7)), send(res, 200, { cleared: true }));
      if (path === 'obs/objects') {
        const bucket = String(input.bucket ?? parsed.searchParams.get('bucket') ?? '');
        const key = String(input.key ?? parsed.searchParams.get('key') ?? '');
        if (!bucket) return send(res, 400, { error: 'bucket is required' });
        if (method === 'GET') return send(res, 200, obs.list(bucket, parsed.searchParams.get('prefix') ?? ''));
        if (!key) return send(res, 400, { error: 'key is required' });
        if (method === 'PUT' || method === 'POST') {
          if (input.broken) obs.break(bucket, key);
          else obs.put(bucket, key, { ...(typeof input.size === 'number' ? { size: input.size } : {}) });
          return send(res, 200, { bucket, key });
        }
        if (method === 'DELETE') return (obs.remove(bucket, key), send(res, 200, { bucket, key }));
      }
      const fail = /^assets\/([^/]+)\/fail$/.exec(path);
      if (fail && method === 'POST') {
        failAsset(fail[1]!, input.status as string | undefined, input.description as string | undefined);
        return send(res, 200, { asset_id: fail[1] });
      }
      return send(res, 404, { error: `no control endpoint ${method} ${CONTROL_PREFIX}${path}`, endpoints: ['GET state', 'POST reset', 'GET info', 'GET|POST clock', 'GET|POST|DELETE faults', 'GET|PUT|DELETE obs/objects', 'POST assets/{id}/fail'] });
    } catch (error) {
      return send(res, 400, { error: error instanceof Error ? error.message : String(error) });
    }
  }

  function clearFaults(id?: string) {
    faults = id ? faults.filter((f) => f.id !== id) : [];
  }

  const server: Server = createServer((req, res) => {
    requests++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = req.url ?? '/';
      const work = path.startsWith(CONTROL_PREFIX)
        ? handleControl(req, res, body)
        : path.startsWith(OBS_PREFIX)
          ? handleObs(req, res, body)
          : handleVod(req, res, body);
      work.catch((error: unknown) => {
        // A defect of the simulator, not of the caller: say so rather than hang.
        if (!res.headersSent) send(res, 500, errorBody('VOD.10051', `Internal system error (simulator defect: ${error instanceof Error ? error.message : String(error)})`));
        else res.destroy();
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  url = `http://127.0.0.1:${port}`;

  return {
    url,
    port,
    projectId,
    domainId,
    token: creds.token,
    ak: creds.ak,
    sk: creds.sk,
    uploadBucket,
    location,
    get state() {
      return fullSnapshot(state, obs, now());
    },
    clock,
    obs: {
      put: (bucket, key, object) => obs.put(bucket, key, object),
      remove: (bucket, key) => obs.remove(bucket, key),
      break: (bucket, key) => obs.break(bucket, key),
      list: (bucket, prefix) => obs.list(bucket, prefix),
    },
    failAsset,
    setFault,
    clearFaults,
    get faults() {
      return faults.map(({ seen: _seen, fired: _fired, ...f }) => f);
    },
    get requests() {
      return requests;
    },
    reset,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
