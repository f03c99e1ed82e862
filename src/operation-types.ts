// The types of one client method, derived from the generated `operations` of the spec: its input is the request
// body for operations that have one, and the query object for the others (GET/DELETE).
import type { FetchResponse } from 'openapi-fetch';
import type { operations } from '../generated/types.js';

export interface CallOptions {
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /** Overrides the client's timeoutMs for this call (each attempt, when a throttled call is sent again). */
  timeoutMs?: number;
  /** Overrides the client's retryThrottled for this call. */
  retryThrottled?: number;
}

/** openapi-fetch's result, plus the seconds to wait that a 429/503 response asked for in Retry-After. */
export type VodResult<T extends FetchResponse<any, any, any>> = T & { retryAfterSeconds?: number };

type Operation<K extends keyof operations> = operations[K];

/** The request body of an operation that has one. */
export type OperationBody<K extends keyof operations> =
  Operation<K> extends { requestBody: { content: { 'application/json': infer B } } } ? B : never;

/** The query parameters of an operation, as one object. */
export type OperationQuery<K extends keyof operations> =
  Operation<K> extends { parameters: { query?: infer Q } } ? Exclude<Q, undefined> : never;

/** What a method takes: the body, else the query object (never when it has neither). */
export type OperationInput<K extends keyof operations> = [OperationBody<K>] extends [never]
  ? OperationQuery<K>
  : OperationBody<K>;

export type OperationResult<K extends keyof operations> = VodResult<FetchResponse<Operation<K>, {}, 'application/json'>>;

/**
 * A client method: the input may be left out when none of its fields is required, and is left out when the operation
 * takes none (neither a body nor query parameters, e.g. ShowStorageModeType).
 */
export type OperationMethod<K extends keyof operations> = [OperationInput<K>] extends [never]
  ? (input?: undefined, init?: CallOptions) => Promise<OperationResult<K>>
  : {} extends OperationInput<K>
  ? (input?: OperationInput<K>, init?: CallOptions) => Promise<OperationResult<K>>
  : (input: OperationInput<K>, init?: CallOptions) => Promise<OperationResult<K>>;
