// Typed errors of the client, and the normalisation of error bodies into the spec's ErrorResponse shape.
import { errorCodes, type ErrorCodeInfo, type KnownErrorCode } from '../generated/error-codes.js';
import type { components } from '../generated/types.js';

export type ErrorResponse = components['schemas']['ErrorResponse'];

/** One broken rule of a request body: `path` is the field (`thumbnail.time`), `rule` what it breaks. */
export interface ValidationIssue {
  readonly path: string;
  readonly rule: string;
}

/** The request body or query breaks the spec's rules (or a wait's options are wrong); nothing was sent. */
export class VodValidationError extends Error {
  override readonly name = 'VodValidationError';
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
 * The service answered an error where a helper needs a result (waitForAsset): the HTTP status and the body in the
 * spec's ErrorResponse shape. The operation methods themselves return errors as `{ error }` instead of throwing.
 */
export class VodApiError extends Error {
  override readonly name = 'VodApiError';
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly error: ErrorResponse,
  ) {
    super(`${operation} answered ${status} ${error.error_code}: ${error.error_msg}`);
  }
}

/** The client was configured wrongly (endpoint, region, credentials). */
export class VodConfigError extends Error {
  override readonly name = 'VodConfigError';
}

/** The request did not get an HTTP response (connection refused, reset, DNS …). */
export class VodNetworkError extends Error {
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
 * No response within the client's timeoutMs, or (from waitForAsset) no final status within the wait's timeoutMs:
 * then `asset` is the last AssetInfo seen and `polls` the number of polls answered, so that nothing is lost.
 */
export class VodTimeoutError extends VodNetworkError {
  override readonly name = 'VodTimeoutError';
  declare readonly asset?: unknown;
  declare readonly polls?: number;
  constructor(
    readonly timeoutMs: number,
    method: string,
    url: string,
    options?: { cause?: unknown; message?: string; asset?: unknown; polls?: number },
  ) {
    super(options?.message ?? `${method} ${url} timed out after ${timeoutMs} ms`, method, url, options);
    if (options?.asset !== undefined) Object.defineProperty(this, 'asset', { value: options.asset, enumerable: true });
    if (options?.polls !== undefined) Object.defineProperty(this, 'polls', { value: options.polls, enumerable: true });
  }
}

/** A known code's documented statuses and messages; `APIGW.xxxx` is looked up as `APIG.xxxx`. */
export function lookupErrorCode(code: string): (ErrorCodeInfo & { code: KnownErrorCode }) | undefined {
  const canonical = code.replace(/^APIGW\./, 'APIG.');
  return canonical in errorCodes
    ? { code: canonical as KnownErrorCode, ...errorCodes[canonical as KnownErrorCode] }
    : undefined;
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
  const known = lookupErrorCode(code);
  const snippet = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 120);
  const message =
    (typeof record.error_msg === 'string' && record.error_msg) ||
    (typeof record.message === 'string' && record.message) ||
    known?.message ||
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
  return new Response(JSON.stringify(body), { status: response.status, statusText: response.statusText, headers });
}
