// createVodClient: openapi-fetch on the generated types, one method per operation of the spec (generated/operations.ts),
// with auth, validation of bodies and queries before sending, typed errors and timeouts. Nothing is retried:
// PublishAssetFromObs is not idempotent, so a retry could create a second asset; waitForAsset, which only reads, is
// the one place that repeats a call.
import createClient, { type Client, type FetchResponse, type Middleware } from 'openapi-fetch';
import { operationTable, type OperationId, type OperationMethods } from '../generated/operations.js';
import type { components, paths } from '../generated/types.js';
import { authMiddleware, checkCredentials, type Credentials } from './auth.js';
import { resolveEndpoint, type Region } from './endpoint.js';
import {
  normaliseErrorResponse,
  retryAfterSeconds,
  VodConfigError,
  VodNetworkError,
  VodTimeoutError,
  VodValidationError,
} from './errors.js';
import type { CallOptions, OperationBody, OperationQuery, VodResult } from './operation-types.js';
import { createPacer, sleep, type Pacer } from './pace.js';
import { serialiseQuery, type QueryParameterStyle } from './query.js';
import { sendWith, VodRequest } from './request.js';
import { assertValidQuery, assertValidRequestBody, type ValidatedOperation } from './validate.js';
import { waitForAsset, type AssetInfo, type WaitForAssetOptions } from './wait.js';

export type { CallOptions, VodResult } from './operation-types.js';
export type PublishAssetFromObsBody = OperationBody<'PublishAssetFromObs'>;
export type SmartCoverBody = components['schemas']['SmartCoverRequest'];
export type UpdateBucketAuthorizedBody = OperationBody<'UpdateBucketAuthorized'>;
export type PublishAssetsBody = OperationBody<'PublishAssets'>;
export type UnpublishAssetsBody = OperationBody<'UnpublishAssets'>;
export type ShowAssetMetaQuery = OperationQuery<'ShowAssetMeta'>;
export type ShowAssetDetailQuery = OperationQuery<'ShowAssetDetail'>;
export type DeleteAssetsQuery = OperationQuery<'DeleteAssets'>;

export interface VodClientOptions {
  /** Project ID (项目ID) of the region you call. */
  projectId: string;
  /** One of the spec's regions (default cn-north-4); or give `endpoint`. */
  region?: Region;
  /** Base URL instead of a region, e.g. a gateway or a local mock. https://, or http:// on loopback only. */
  endpoint?: string;
  /** `{ token }` for an IAM token, `{ ak, sk, securityToken? }` for AK/SK signing. */
  credentials: Credentials;
  /**
   * The fetch to send with, called as fetch(url, init). Default: on Node, node:http with a keep-alive agent
   * (src/transport-node.ts: half the CPU of undici's fetch per request); elsewhere globalThis.fetch. Pass
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
   * with `retryAfterSeconds`. waitForAsset handles throttling itself.
   */
  retryThrottled?: number;
}

/** The longest Retry-After that retryThrottled waits out; a longer one is returned to the caller. */
const MAX_THROTTLE_WAIT_MS = 60_000;

export interface VodClient extends OperationMethods {
  readonly projectId: string;
  readonly endpoint: string;
  /**
   * Polls ShowAssetMeta until the asset's status is no longer transient (the spec's AssetStatus
   * `x-transient-values`: OBS_CREATING, TRANSCODING, …) and resolves with its AssetInfo; a failed status such as
   * OBS_CREATE_FAILED is a result, not an exception. Backs off between polls, waits out a 429/503's Retry-After,
   * retries a poll that failed on the network a bounded number of times, never polls faster than the query group's
   * per-tenant rate limit (shared by every wait of this client), and rejects with VodTimeoutError after `timeoutMs`
   * or with the signal's reason when `signal` aborts.
   */
  waitForAsset(assetId: string, options?: WaitForAssetOptions): Promise<AssetInfo>;
  /** The underlying openapi-fetch client (auth and error normalisation included; nothing is validated). */
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

export function createVodClient(options: VodClientOptions): VodClient {
  if (typeof options?.projectId !== 'string' || !options.projectId) {
    throw new VodConfigError('projectId: must be a non-empty string');
  }
  if (options.region !== undefined && options.endpoint !== undefined) {
    throw new VodConfigError('pass either region or endpoint, not both');
  }
  const { projectId, validate = true, timeoutMs = 30_000, retryThrottled = 0 } = options;
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

  const params = { path: { project_id: projectId } };

  // One call for every operation: validate the body or the query, send with the call's timeout, expose Retry-After.
  // With a pacer, the request waits for its slot as the last step before fetch, so that the spacing holds between
  // the moments requests are actually sent (validation and signing before it take varying time).
  async function call(operationId: OperationId, input: unknown, init: CallOptions = {}, pacer?: Pacer) {
    const operation = operationTable[operationId];
    if (init.retryThrottled !== undefined && !(Number.isInteger(init.retryThrottled) && init.retryThrottled >= 0)) {
      throw new VodValidationError(operationId, [{ path: 'retryThrottled', rule: 'must be a whole number >= 0' }], 'options');
    }
    const query = 'query' in operation ? operation.query : undefined;
    const hasBody = 'body' in operation;
    if (validate) {
      if (hasBody) assertValidRequestBody(operationId as ValidatedOperation, input);
      else if (query) assertValidQuery(operationId, input);
    }
    const sendOnce = async () => {
      const { signal, start, done } = requestSignal(init.timeoutMs ?? timeoutMs, init.signal);
      if (!pacer) start();
      let result: VodResult<FetchResponse<any, any, any>>;
      try {
        result = await raw.request(operation.method.toLowerCase() as 'get', operation.path as never, {
          params: query ? { ...params, query: input as Record<string, unknown> } : params,
          ...(hasBody ? { body: input as never } : {}),
          ...(query
            ? { querySerializer: (q: Record<string, unknown>) => serialiseQuery(query as Record<string, QueryParameterStyle>, q) }
            : {}),
          ...(signal ? { signal } : {}),
          ...(init.headers ? { headers: init.headers } : {}),
          // Paced calls wait for their slot inside fetch, after signing: the slot's time is the moment of sending.
          // Only the caller's abort ends the wait for a slot; the timeout starts when the request leaves.
          ...(pacer ? { fetch: (request: VodRequest) => pacer.run(() => (start(), send(request)), init.signal) } : {}),
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

  const methods = Object.fromEntries(
    (Object.keys(operationTable) as OperationId[]).map((id) => [
      operationTable[id].methodName,
      (input: unknown, init?: CallOptions) => call(id, input, init),
    ]),
  ) as unknown as OperationMethods;

  // Every wait of this client shares one pacer: together they stay within the query group's per-tenant limit.
  const pollPacer = createPacer(operationTable.ShowAssetMeta.rateLimit.perTenantPerMinute);
  // waitForAsset waits out a throttled poll itself (and counts it), so its polls are never retried here.
  const pacedShowAssetMeta = ((query: unknown, init?: CallOptions) =>
    call('ShowAssetMeta', query, { ...init, retryThrottled: 0 }, pollPacer)) as OperationMethods['showAssetMeta'];

  // Credentials live only in the middleware's closure: the client object holds nothing secret, so logging,
  // JSON.stringify or util.inspect of it cannot leak them.
  const client: VodClient = {
    projectId,
    endpoint: baseUrl,
    raw,
    ...methods,
    waitForAsset: (assetId, waitOptions) =>
      waitForAsset(pacedShowAssetMeta, assetId, waitOptions),
  };
  return Object.freeze(client);
}
