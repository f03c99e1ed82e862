// createVodCore: the bare client. It sends the operations it is given (each a generated module of
// generated/operations/, imported by the application) and nothing else, so that a bundle carries only the operations
// an application calls: openapi-fetch, auth, validation of bodies and queries before sending, typed errors, timeouts
// and pacing. createVodClient (client.ts) is this core given every operation, plus the helpers as methods.
//
// Nothing is retried unless asked (retryThrottled): PublishAssetFromObs is not idempotent, so a retry could create a
// second asset; a 429 was refused before any processing, so that one is safe to send again.
import createClient, { type Client, type FetchResponse, type Middleware } from 'openapi-fetch';
import type { OperationMethods } from '../generated/operations.js';
import type { paths } from '../generated/types.js';
import {
  normaliseErrorResponse,
  retryAfterSeconds,
  VodConfigError,
  VodNetworkError,
  VodTimeoutError,
  VodValidationError,
} from './errors.js';
import { authMiddleware, checkCredentials, type Credentials } from './internal/auth.js';
import { resolveEndpoint, type Region } from './internal/endpoint.js';
import type { OperationDef } from './internal/operation-def.js';
import { createPacer, sleep, type Pacer } from './internal/pace.js';
import { serialiseQuery, type QueryParameterStyle } from './internal/query.js';
import { sendWith, VodRequest } from './internal/request.js';
import { redactSensitive } from './internal/sensitive.js';
import { assertValidInput } from './internal/validate.js';
import type { CallOptions, VodResult } from './operation-types.js';

export interface VodClientOptions {
  /** Project ID (项目ID) of the region you call: letters, digits, `-` and `_` (32 hex digits in practice). */
  projectId: string;
  /**
   * Account ID (账号ID, domain_id): only the deprecated statistics operations (`/v1.0/{domain_id}/vod/statistics/…`)
   * need it; calling one of them without it is refused before sending.
   */
  domainId?: string;
  /** One of the spec's regions (default cn-north-4); or give `endpoint`. */
  region?: Region;
  /**
   * Base URL instead of a region, e.g. a gateway, the simulator or a local mock: scheme, host and port only (the
   * client adds each operation's `/v1.0/{project_id}/…`). https://, or http:// on loopback only.
   */
  endpoint?: string;
  /** `{ token }` for an IAM token, `{ ak, sk, securityToken? }` for AK/SK signing. */
  credentials: Credentials;
  /**
   * The fetch to send with, called as fetch(url, init). Default: on Node, node:http with a keep-alive agent
   * (src/internal/transport-node.ts: half the CPU of undici's fetch per request); elsewhere globalThis.fetch. Pass
   * globalThis.fetch to go through undici (e.g. its global dispatcher).
   */
  fetch?: typeof fetch;
  /** Validate request bodies and query parameters against the spec before sending (default true). */
  validate?: boolean;
  /** Abort a request with VodTimeoutError after this many milliseconds (default 30000; 0 = never). */
  timeoutMs?: number;
  /**
   * How many times a call answered 429 (throttled: the gateway refused it before any processing, so this is safe for
   * every operation, PublishAssetFromObs included) is sent again after waiting out its Retry-After (1 s, 2 s, 4 s …
   * without one; never more than 60 s at a time, else the 429 is returned). Default 0: the 429 is returned at once,
   * with `retryAfterSeconds`. The helpers (waitForAsset, paginate) handle throttling themselves.
   */
  retryThrottled?: number;
}

/** The longest Retry-After that retryThrottled waits out; a longer one is returned to the caller. */
const MAX_THROTTLE_WAIT_MS = 60_000;

/** What the helpers (waitForAsset, paginate, …) need of a client beyond its methods; not part of the public API. */
export const CORE = Symbol.for('huaweicloud-vod-openapi.core');

export interface CoreInternals {
  /** The definition of each operation the client offers, by method name. */
  readonly operations: ReadonlyMap<string, OperationDef>;
  /** Sends `def` with `input`; with `paced`, the send waits for a slot of the operation's rate-limit group first. */
  call(def: OperationDef, input: unknown, init?: CallOptions & { paced?: boolean }): Promise<VodResult<FetchResponse<any, any, any>>>;
  /** The pacer of a rate-limit group, shared by everything of this client that paces (one per group). */
  pacer(def: OperationDef): Pacer | undefined;
}

export interface VodCore {
  readonly projectId: string;
  readonly endpoint: string;
  /** The underlying openapi-fetch client (auth and error normalisation included; nothing is validated). */
  readonly raw: Client<paths>;
  readonly [CORE]: CoreInternals;
}

/** The methods of the given operations, typed from the spec. */
export type MethodsOf<Ops extends readonly OperationDef[]> = Pick<OperationMethods, Ops[number]['methodName'] & keyof OperationMethods>;

const isTimeout = (error: unknown): boolean => error instanceof DOMException && error.name === 'TimeoutError';

// The timeout behind each request's signal, so that onError can tell a timeout from the caller's abort.
const timeouts = new WeakMap<AbortSignal, number>();
const noop = () => {};

// Turns fetch's rejections into typed errors; the caller's own abort stays an AbortError.
function errorMiddleware(): Middleware {
  return {
    onError({ request, error }) {
      if (error instanceof VodNetworkError || (error instanceof DOMException && error.name === 'AbortError')) return error;
      const timeoutMs = timeouts.get(request.signal ?? undefined);
      if (timeoutMs !== undefined && (isTimeout(error) || isTimeout(request.signal?.reason))) {
        return new VodTimeoutError(timeoutMs, request.method, request.url, { cause: error });
      }
      const reason = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
      return new VodNetworkError(`${request.method} ${request.url} failed: ${reason}`, request.method, request.url, {
        cause: error,
      });
    },
    async onResponse({ response }) {
      return response.ok ? undefined : normaliseErrorResponse(response);
    },
  };
}

/**
 * The signal of one call (the caller's, the timeout's, or both), `start`, which starts the timeout (at once for most
 * calls; when a paced call leaves its queue, so that waiting for a slot does not count as waiting for the server),
 * and `done`, which ends it once the call has settled. A timer that is cleared rather than AbortSignal.timeout/any:
 * those leave a timer, a weak reference and a finalizer alive for the whole timeout after every call, which costs
 * more CPU than the rest of the client.
 */
function requestSignal(
  timeoutMs: number,
  signal: AbortSignal | undefined,
): { signal?: AbortSignal; start: () => void; done: () => void } {
  if (!timeoutMs) return signal ? { signal, start: noop, done: noop } : { start: noop, done: noop };
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const follow = () => controller.abort(signal?.reason);
  if (signal?.aborted) follow();
  else signal?.addEventListener('abort', follow, { once: true });
  timeouts.set(controller.signal, timeoutMs);
  return {
    signal: controller.signal,
    start() {
      timer ??= setTimeout(
        () => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
        timeoutMs,
      );
    },
    done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', follow);
    },
  };
}

// A path segment the client fills in itself: refused when it would change the path (a slash, a dot segment) or be
// sent percent-encoded (spaces, non-ASCII), since the gateway would then answer for another project or not at all.
const PATH_ID = /^[A-Za-z0-9_-]+$/;

function checkPathId(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw new VodConfigError(`${name}: must be a non-empty string`);
  if (!PATH_ID.test(value)) {
    throw new VodConfigError(`${name}: "${value}" is not an ID (letters, digits, - and _ only); it goes into the request path`);
  }
  return value;
}

/**
 * A client that offers exactly the operations given (each imported from `huaweicloud-vod-openapi`, e.g.
 * `ShowAssetMeta`), as methods named after them (`showAssetMeta`). A bundler keeps only those operations' code.
 */
export function createVodCore<const Ops extends readonly OperationDef[]>(
  options: VodClientOptions & { operations: Ops },
): VodCore & MethodsOf<Ops> {
  if (typeof options !== 'object' || options === null) throw new VodConfigError('options: pass { projectId, credentials, … }');
  const projectId = checkPathId('projectId', options.projectId);
  const domainId = options.domainId === undefined ? undefined : checkPathId('domainId', options.domainId);
  if (options.region !== undefined && options.endpoint !== undefined) {
    throw new VodConfigError('pass either region or endpoint, not both');
  }
  const { validate = true, timeoutMs = 30_000, retryThrottled = 0 } = options;
  if (!Number.isInteger(retryThrottled) || retryThrottled < 0) {
    throw new VodConfigError('retryThrottled: must be a whole number >= 0');
  }
  const { baseUrl } = resolveEndpoint(options);
  const credentials = checkCredentials(options.credentials);

  const send = sendWith(options.fetch);
  const raw = createClient<paths>({
    baseUrl,
    Request: VodRequest as unknown as typeof Request,
    fetch: send as unknown as typeof fetch,
  });
  raw.use(errorMiddleware(), authMiddleware(credentials, projectId));

  const pacers = new Map<string, Pacer>();
  const pacer = (def: OperationDef): Pacer | undefined => {
    const limit = def.rateLimit;
    if (!limit) return undefined;
    let found = pacers.get(limit.group);
    if (!found) pacers.set(limit.group, (found = createPacer(limit.perTenantPerMinute)));
    return found;
  };

  // One call for every operation: validate the body or the query, send with the call's timeout, expose Retry-After.
  // A paced request waits for its slot as the last step before fetch, so that the spacing holds between the moments
  // requests are actually sent (validation and signing before it take varying time).
  async function call(def: OperationDef, input: unknown, init: CallOptions & { paced?: boolean } = {}) {
    if (init.retryThrottled !== undefined && !(Number.isInteger(init.retryThrottled) && init.retryThrottled >= 0)) {
      throw new VodValidationError(def.id, [{ path: 'retryThrottled', rule: 'must be a whole number >= 0' }], 'options');
    }
    const path: Record<string, string> = { project_id: projectId };
    for (const name of def.pathParameters ?? []) {
      if (name !== 'domain_id') throw new VodConfigError(`${def.id}: path parameter ${name} is not supported`);
      if (domainId === undefined) {
        throw new VodConfigError(`${def.id}: its path has {domain_id}; pass domainId (账号ID) to the client`);
      }
      path.domain_id = domainId;
    }
    if (validate) assertValidInput(def, input);
    const query = !def.body && def.query ? def.query : undefined;
    const paced = init.paced ? pacer(def) : undefined;
    const sendOnce = async () => {
      const { signal, start, done } = requestSignal(init.timeoutMs ?? timeoutMs, init.signal);
      if (!paced) start();
      let result: VodResult<FetchResponse<any, any, any>>;
      try {
        result = await raw.request(def.method.toLowerCase() as 'get', def.path as never, {
          params: query ? { path, query: input as Record<string, unknown> } : { path },
          ...(def.body ? { body: input as never } : {}),
          ...(query
            ? { querySerializer: (q: Record<string, unknown>) => serialiseQuery(query as Record<string, QueryParameterStyle>, q) }
            : {}),
          ...(signal ? { signal } : {}),
          ...(init.headers ? { headers: init.headers } : {}),
          // Paced calls wait for their slot inside fetch, after signing: the slot's time is the moment of sending.
          // Only the caller's abort ends the wait for a slot; the timeout starts when the request leaves.
          ...(paced ? { fetch: (request: VodRequest) => paced.run(() => (start(), send(request)), init.signal) } : {}),
        } as never);
      } catch (error) {
        // The caller's own abort rejects with the caller's reason, whatever it is (fetch and the middleware would
        // turn a reason that is not an AbortError into a network error).
        if (init.signal?.aborted) throw init.signal.reason;
        throw error;
      } finally {
        done();
      }
      const { status } = result.response;
      const wait = status === 429 || status === 503 ? retryAfterSeconds(result.response) : undefined;
      if (wait !== undefined) result.retryAfterSeconds = wait;
      if (def.sensitive && result.data !== undefined) redactSensitive(result);
      return result;
    };

    // A throttled call was refused before any processing: sent again (signed anew) when the caller asked for it.
    const retries = init.retryThrottled ?? retryThrottled;
    for (let attempt = 0; ; attempt++) {
      const result = await sendOnce();
      if (result.response.status !== 429 || attempt >= retries) return result;
      const waitMs = result.retryAfterSeconds !== undefined ? result.retryAfterSeconds * 1000 : 1000 * 2 ** attempt;
      if (waitMs > MAX_THROTTLE_WAIT_MS) return result;
      await sleep(waitMs, init.signal);
    }
  }

  const operations = new Map<string, OperationDef>();
  const methods: Record<string, unknown> = {};
  for (const def of options.operations ?? []) {
    if (typeof def?.methodName !== 'string' || typeof def.path !== 'string') {
      throw new VodConfigError('operations: pass operation definitions, e.g. ShowAssetMeta from huaweicloud-vod-openapi');
    }
    operations.set(def.methodName, def);
    methods[def.methodName] = (input: unknown, init?: CallOptions) => call(def, input, init);
  }

  // Credentials live only in the middleware's closure: the client object holds nothing secret, so logging,
  // JSON.stringify or util.inspect of it cannot leak them.
  const core = { projectId, endpoint: baseUrl, raw, ...methods };
  Object.defineProperty(core, CORE, { value: Object.freeze({ operations, call, pacer }) satisfies CoreInternals });
  return Object.freeze(core) as unknown as VodCore & MethodsOf<Ops>;
}

/** The internals of a client made by createVodCore or createVodClient (for the helpers). */
export function coreOf(client: unknown, helper: string): CoreInternals {
  const internals = (client as { [CORE]?: CoreInternals } | null)?.[CORE];
  if (!internals) throw new VodConfigError(`${helper}: pass a client made by createVodClient or createVodCore`);
  return internals;
}

/** The definition of the operation that `methodName` names on `client`, or a VodConfigError saying it is missing. */
export function operationOf(client: unknown, methodName: string, helper: string): OperationDef {
  const def = coreOf(client, helper).operations.get(methodName);
  if (!def) {
    throw new VodConfigError(
      `${helper}: the client does not offer ${methodName}; pass its operation to createVodCore({ operations: [...] })`,
    );
  }
  return def;
}
