// createVodClient: openapi-fetch on the generated types, with auth, validation before sending, typed errors and
// timeouts. Nothing is retried: PublishAssetFromObs is not idempotent, so a retry could create a second asset.
import createClient, { type Client, type FetchResponse, type Middleware } from 'openapi-fetch';
import type { components, paths } from '../generated/types.js';
import { authMiddleware, checkCredentials, type Credentials } from './auth.js';
import { resolveEndpoint, type Region } from './endpoint.js';
import {
  normaliseErrorResponse,
  retryAfterSeconds,
  VodConfigError,
  VodNetworkError,
  VodTimeoutError,
} from './errors.js';
import { sendWith, VodRequest } from './request.js';
import { assertValidRequestBody, type ValidatedOperation } from './validate.js';

export type PublishAssetFromObsBody = components['schemas']['PublishAssetFromObsRequest'];
export type SmartCoverBody = components['schemas']['SmartCoverRequest'];

export interface VodClientOptions {
  /** Project ID (项目ID) of the region you call. */
  projectId: string;
  /** One of the spec's regions (default cn-north-4); or give `endpoint`. */
  region?: Region;
  /** Base URL instead of a region, e.g. a gateway or a local mock. https://, or http:// on loopback only. */
  endpoint?: string;
  /** `{ token }` for an IAM token, `{ ak, sk, securityToken? }` for AK/SK signing. */
  credentials: Credentials;
  /** The fetch to send with (default globalThis.fetch), called as fetch(url, init). */
  fetch?: typeof fetch;
  /** Validate request bodies against the spec before sending (default true). */
  validate?: boolean;
  /** Abort a request with VodTimeoutError after this many milliseconds (default 30000; 0 = never). */
  timeoutMs?: number;
}

export interface CallOptions {
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /** Overrides the client's timeoutMs for this call. */
  timeoutMs?: number;
}

/** openapi-fetch's result, plus the seconds to wait that a 429/503 response asked for in Retry-After. */
export type VodResult<T extends FetchResponse<any, any, any>> = T & { retryAfterSeconds?: number };

type PublishResult = FetchResponse<paths['/v1.0/{project_id}/asset/reproduction']['post'], {}, 'application/json'>;
type SmartCoverResult = FetchResponse<paths['/v1.0/{project_id}/asset/smart_cover']['post'], {}, 'application/json'>;
type OperationPath = '/v1.0/{project_id}/asset/reproduction' | '/v1.0/{project_id}/asset/smart_cover';

export interface VodClient {
  readonly projectId: string;
  readonly endpoint: string;
  /** POST /v1.0/{project_id}/asset/reproduction: create an asset from an object in OBS. Never retried. */
  publishAssetFromObs(body: PublishAssetFromObsBody, init?: CallOptions): Promise<VodResult<PublishResult>>;
  /**
   * POST /v1.0/{project_id}/asset/smart_cover: 204 on success.
   * @deprecated VOD no longer supports smart covers; cn-north-4 and cn-east-2 never did.
   */
  createSmartCover(body: SmartCoverBody, init?: CallOptions): Promise<VodResult<SmartCoverResult>>;
  /** The underlying openapi-fetch client (auth and error normalisation included; bodies are not validated). */
  readonly raw: Client<paths>;
}

const isTimeout = (error: unknown): boolean => error instanceof DOMException && error.name === 'TimeoutError';

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

// The timeout behind each request's signal, so that onError can tell a timeout from the caller's abort.
const timeouts = new WeakMap<AbortSignal, number>();
const noop = () => {};

/**
 * The signal of one call (the caller's, the timeout's, or both) and `done`, which ends the timeout once the call has
 * settled. A timer that is cleared rather than AbortSignal.timeout/any: those leave a timer, a weak reference and a
 * finalizer alive for the whole timeout after every call, which costs more CPU than the rest of the client.
 */
function requestSignal(timeoutMs: number, signal: AbortSignal | undefined): { signal?: AbortSignal; done: () => void } {
  if (!timeoutMs) return signal ? { signal, done: noop } : { done: noop };
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
    timeoutMs,
  );
  const follow = () => controller.abort(signal?.reason);
  if (signal?.aborted) follow();
  else signal?.addEventListener('abort', follow, { once: true });
  timeouts.set(controller.signal, timeoutMs);
  return {
    signal: controller.signal,
    done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', follow);
    },
  };
}

export function createVodClient(options: VodClientOptions): VodClient {
  if (typeof options?.projectId !== 'string' || !options.projectId) {
    throw new VodConfigError('projectId: must be a non-empty string');
  }
  if (options.region !== undefined && options.endpoint !== undefined) {
    throw new VodConfigError('pass either region or endpoint, not both');
  }
  const { projectId, validate = true, timeoutMs = 30_000 } = options;
  const { baseUrl } = resolveEndpoint(options);
  const credentials = checkCredentials(options.credentials);

  const raw = createClient<paths>({
    baseUrl,
    Request: VodRequest as unknown as typeof Request,
    fetch: sendWith(options.fetch ?? globalThis.fetch) as unknown as typeof fetch,
  });
  raw.use(errorMiddleware(), authMiddleware(credentials, projectId));

  const params = { path: { project_id: projectId } };

  // One POST for both operations: validate, send with the call's timeout, expose Retry-After.
  async function post(operation: ValidatedOperation, path: OperationPath, body: unknown, init: CallOptions = {}) {
    if (validate) assertValidRequestBody(operation, body);
    const { signal, done } = requestSignal(init.timeoutMs ?? timeoutMs, init.signal);
    let result: VodResult<FetchResponse<any, any, any>>;
    try {
      result = await raw.POST(path, {
        params,
        body: body as never,
        ...(signal ? { signal } : {}),
        ...(init.headers ? { headers: init.headers } : {}),
      });
    } finally {
      done();
    }
    const { status } = result.response;
    const wait = status === 429 || status === 503 ? retryAfterSeconds(result.response) : undefined;
    if (wait !== undefined) result.retryAfterSeconds = wait;
    return result;
  }

  // Credentials live only in the middleware's closure: the client object holds nothing secret, so logging,
  // JSON.stringify or util.inspect of it cannot leak them.
  const client: VodClient = {
    projectId,
    endpoint: baseUrl,
    raw,
    publishAssetFromObs: (body, init) =>
      post('PublishAssetFromObs', '/v1.0/{project_id}/asset/reproduction', body, init) as Promise<VodResult<PublishResult>>,
    createSmartCover: (body, init) =>
      post('CreateSmartCover', '/v1.0/{project_id}/asset/smart_cover', body, init) as Promise<VodResult<SmartCoverResult>>,
  };
  return Object.freeze(client);
}
