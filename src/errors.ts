// Typed errors of the client, and the normalisation of error bodies into the spec's ErrorResponse shape. Every error
// the client creates is a VodError (isVodError tells, also across two copies of the package): VodValidationError
// (nothing was sent), VodConfigError, VodNetworkError (no HTTP answer) and its VodTimeoutError, VodApiError (the
// service answered an error where a helper needed a result), and the helpers' own: VodWaitTimeoutError (a wait's
// deadline passed) and VodAssetNotFoundError (the asset does not exist).
import type { components } from '../generated/types.js';

export type ErrorResponse = components['schemas']['ErrorResponse'];

/** One broken rule of a request body: `path` is the field (`thumbnail.time`), `rule` what it breaks. */
export interface ValidationIssue {
  readonly path: string;
  readonly rule: string;
}

const BRAND = Symbol.for('huaweicloud-vod-openapi.VodError');

/** The base class of every error this package creates. */
export class VodError extends Error {
  override readonly name: string = 'VodError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/**
 * Whether `error` is one of this package's errors: instanceof VodError, or branded by another copy of the package
 * (two versions in one application each have their own class).
 */
export function isVodError(error: unknown): error is VodError {
  return error instanceof VodError || (typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true);
}

/** The request body or query breaks the spec's rules (or a call's options are wrong); nothing was sent. */
export class VodValidationError extends VodError {
  override readonly name: string = 'VodValidationError';
  constructor(
    readonly operation: string,
    readonly issues: readonly ValidationIssue[],
    /** What was invalid: the request body, the query parameters, or the options of a call. */
    readonly part: 'body' | 'query' | 'options' = 'body',
  ) {
    const what = { body: 'request body', query: 'query parameters', options: 'options' }[part];
    super(`Invalid ${operation} ${what}: ${issues.map((i) => `${i.path}: ${i.rule}`).join('; ')}`);
  }
}

/**
 * The service answered an error where a helper needs a result (waitForAsset, paginate): the HTTP status, the error
 * code, the request ID, the response headers and the body in the spec's ErrorResponse shape. The operation methods
 * themselves return errors as `{ error }` instead of throwing.
 */
export class VodApiError extends VodError {
  override readonly name: string = 'VodApiError';
  /** The error code (`VOD.10062`, `APIG.0308`, …). */
  readonly code: string;
  /** The request ID that Huawei's support asks for: the body's request_id, else the X-Request-Id header. */
  readonly requestId: string | undefined;
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly error: ErrorResponse,
    readonly headers: Headers = new Headers(),
  ) {
    super(`${operation} answered ${status} ${error.error_code}: ${error.error_msg}`);
    this.code = error.error_code;
    this.requestId = (error as { request_id?: string }).request_id ?? headers.get('x-request-id') ?? undefined;
  }
}

/** The client was configured wrongly (endpoint, region, credentials, project ID). */
export class VodConfigError extends VodError {
  override readonly name: string = 'VodConfigError';
}

/** The request did not get an HTTP response (connection refused, reset, DNS …). */
export class VodNetworkError extends VodError {
  override readonly name: string = 'VodNetworkError';
  constructor(
    message: string,
    readonly method: string,
    readonly url: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * No response within the client's (or the call's) timeoutMs: a network error, so a helper may retry the request.
 */
export class VodTimeoutError extends VodNetworkError {
  override readonly name: string = 'VodTimeoutError';
  constructor(
    readonly timeoutMs: number,
    method: string,
    url: string,
    options?: { cause?: unknown; message?: string },
  ) {
    super(options?.message ?? `${method} ${url} timed out after ${timeoutMs} ms`, method, url, options);
  }
}

/**
 * A wait's deadline passed (waitForAsset's `timeoutMs`) before the asset reached a final status. Not a network
 * error: `asset` is the last AssetInfo seen (if any) and `polls` the number of polls answered, so nothing is lost.
 */
export class VodWaitTimeoutError extends VodError {
  override readonly name: string = 'VodWaitTimeoutError';
  constructor(
    readonly timeoutMs: number,
    readonly assetId: string,
    readonly polls: number,
    readonly asset?: unknown,
  ) {
    const status = (asset as { status?: string } | undefined)?.status;
    super(`waitForAsset(${assetId}) timed out after ${timeoutMs} ms and ${polls} polls${status ? `; last status ${status}` : ''}`);
  }
}

/**
 * The asset does not exist for this project: ShowAssetMeta reported it NO_ASSET (该媒资不存在), or never listed it
 * through all of a wait's polls. Never a result to act on (publishing or deleting it would fail).
 */
export class VodAssetNotFoundError extends VodError {
  override readonly name: string = 'VodAssetNotFoundError';
  constructor(
    readonly assetId: string,
    /** How many polls answered without the asset (or with NO_ASSET). */
    readonly polls: number,
    readonly reason: 'NO_ASSET' | 'not-listed',
  ) {
    super(
      reason === 'NO_ASSET'
        ? `asset ${assetId} does not exist (ShowAssetMeta reported NO_ASSET, 该媒资不存在)`
        : `asset ${assetId} does not exist: ShowAssetMeta did not list it in ${polls} polls`,
    );
  }
}

/**
 * uploadAsset failed (src/helpers/upload.ts): `code` says why, `assetId` is the asset it created or resumed (if it
 * got that far), `state` the upload's resumable state (what the checkpoint holds: IDs and MD5s, no URL, no secret),
 * `cause` the error that ended it. `cleanupError` is set when giving up failed too (aborting the OBS multipart upload
 * or confirming the asset FAILED/CANCELLED): the parts may still be in OBS, so it is reported, never swallowed.
 */
export class VodUploadError extends VodError {
  override readonly name: string = 'VodUploadError';
  constructor(
    message: string,
    readonly code: 'SOURCE_CHANGED' | 'INTEGRITY' | 'OBS_ERROR' | 'VOD_ERROR' | 'CHECKPOINT' | 'CLEANUP_FAILED' | 'NETWORK',
    readonly assetId: string | undefined,
    readonly state: unknown,
    options?: { cause?: unknown; cleanupError?: unknown },
  ) {
    super(message, options);
    if (options?.cleanupError !== undefined) this.cleanupError = options.cleanupError;
  }
  readonly cleanupError?: unknown;
}

/** Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), if there is one. */
export function retryAfterSeconds(response: Response, now = Date.now()): number | undefined {
  const value = response.headers.get('retry-after');
  if (value === null) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

const isErrorBody = (body: unknown): body is ErrorResponse =>
  typeof body === 'object' &&
  body !== null &&
  typeof (body as ErrorResponse).error_code === 'string' &&
  typeof (body as ErrorResponse).error_msg === 'string';

/**
 * An error body in the spec's shape, whatever the server sent: a VOD/gateway body is kept as it is; an empty,
 * non-JSON (a proxy's HTML 502) or otherwise malformed body becomes `{ error_code: "HTTP.<status>", error_msg }`.
 */
export function normaliseErrorBody(status: number, statusText: string, contentType: string | null, text: string): ErrorResponse {
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (isErrorBody(body)) return body;
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const code = typeof record.error_code === 'string' ? record.error_code : `HTTP.${status}`;
  const snippet = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 120);
  const message =
    (typeof record.error_msg === 'string' && record.error_msg) ||
    (typeof record.message === 'string' && record.message) ||
    (typeof record.error_code === 'string' && `${code} (the HTTP ${status} answer had no error_msg)`) ||
    `HTTP ${status}${statusText ? ` ${statusText}` : ''} with ${text ? `a non-VOD ${contentType ?? 'untyped'} body: ${snippet}` : 'an empty body'}`;
  return {
    error_code: code,
    error_msg: message,
    ...(typeof record.request_id === 'string' ? { request_id: record.request_id } : {}),
  };
}

/** The same response with its error body normalised (see normaliseErrorBody); other responses are returned as is. */
export async function normaliseErrorResponse(response: Response): Promise<Response> {
  if (response.ok || response.status < 400) return response;
  const text = await response.text();
  const body = normaliseErrorBody(response.status, response.statusText, response.headers.get('content-type'), text);
  const headers = new Headers(response.headers);
  headers.set('content-type', 'application/json');
  headers.delete('content-length');
  headers.delete('content-encoding');
  const normalised = new Response(JSON.stringify(body), { status: response.status, statusText: response.statusText, headers });
  // A constructed Response has url "": keep the one that was requested, so that an error says which URL failed.
  if (response.url) Object.defineProperty(normalised, 'url', { value: response.url });
  return normalised;
}
