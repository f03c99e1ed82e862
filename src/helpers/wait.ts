// waitForAsset: VOD sends no notification when an OBS transfer (or a transcode) ends, so callers poll ShowAssetMeta
// until the asset's status leaves the transient set that the spec declares (AssetStatus x-transient-values).
// A GET is safe to repeat, so this is the one place where the client repeats a call: after a network error or a
// 5xx (a bounded number of times, with backoff) and after a 429/503 (as long as its Retry-After asks).
import { transientAssetStatuses } from '../../generated/asset-status.js';
import type { components } from '../../generated/types.js';
import { coreOf, operationOf, type VodCore } from '../core.js';
import {
  VodApiError,
  VodAssetNotFoundError,
  VodNetworkError,
  VodValidationError,
  VodWaitTimeoutError,
  type ValidationIssue,
} from '../errors.js';
import type { OperationResult } from '../operation-types.js';
import { MAX_TIMER_MS, sleep } from '../internal/pace.js';

export type AssetInfo = components['schemas']['AssetInfo'];

export interface WaitForAssetOptions {
  /** Cancels the wait: it rejects with the signal's reason, and no further poll is sent. */
  signal?: AbortSignal;
  /** Give up after this many milliseconds with VodWaitTimeoutError (default 1 800 000, 30 minutes; 0 = never). */
  timeoutMs?: number;
  /** Pause after the first poll that finds the asset still in progress (default 2000 ms); later pauses grow. */
  intervalMs?: number;
  /** The longest pause between two polls (default 30 000 ms). */
  maxIntervalMs?: number;
  /** Each pause is the previous one times this factor, up to maxIntervalMs (default 1.5; 1 = fixed interval). */
  backoff?: number;
  /**
   * Polls in a row that may fail (on the network, with a 5xx, or with a 429 that gives no Retry-After) before the
   * wait gives up with that error, and that may not list the asset before the wait rejects with
   * VodAssetNotFoundError (default 5).
   */
  maxRetries?: number;
  /** The statuses to keep polling through (default: the spec's AssetStatus x-transient-values). */
  transientStatuses?: readonly string[];
  /**
   * Called after every poll, for progress reports; what it throws is ignored. A poll whose answer does not list the
   * asset reports `not-listed` (no `asset`); a poll that finds it NO_ASSET reports `not-found` with that asset, and
   * the wait then rejects with VodAssetNotFoundError, as it does after `maxRetries` polls in a row without it.
   */
  onPoll?: (progress: WaitProgress) => void;
}

export interface WaitProgress {
  readonly assetId: string;
  /** 1 for the first poll. */
  readonly attempt: number;
  readonly elapsedMs: number;
  /** The asset as this poll saw it (absent when the poll failed). */
  readonly asset?: AssetInfo;
  /**
   * What the poll found: the status is final (`done`) or still transient (`in-progress`), the service asked to slow
   * down, the poll failed, the answer did not list the asset (yet), or the asset does not exist (`not-found`: NO_ASSET,
   * or not listed by the last poll allowed).
   */
  readonly outcome: 'in-progress' | 'done' | 'rate-limited' | 'failed' | 'not-listed' | 'not-found';
  /** The HTTP status of the poll, or the error of a poll that got none. */
  readonly httpStatus?: number;
  readonly error?: Error;
  /** When the next poll is due (absent once done). */
  readonly nextPollInMs?: number;
}

const DEFAULTS = { timeoutMs: 1_800_000, intervalMs: 2_000, maxIntervalMs: 30_000, backoff: 1.5, maxRetries: 5 };


function checkOptions(assetId: unknown, options: WaitForAssetOptions): void {
  const issues: ValidationIssue[] = [];
  if (typeof assetId !== 'string' || !assetId) issues.push({ path: 'assetId', rule: 'must be a non-empty string' });
  for (const key of ['timeoutMs', 'intervalMs', 'maxIntervalMs', 'maxRetries'] as const) {
    const value = options[key];
    // setTimeout takes at most 2^31 - 1 ms (24.8 days) and fires at once for more.
    if (value !== undefined && !(typeof value === 'number' && value >= 0 && value <= MAX_TIMER_MS)) {
      issues.push({ path: key, rule: `must be a number from 0 to ${MAX_TIMER_MS}` });
    }
  }
  if (options.backoff !== undefined && !(typeof options.backoff === 'number' && options.backoff >= 1 && Number.isFinite(options.backoff))) {
    issues.push({ path: 'backoff', rule: 'must be a finite number >= 1' });
  }
  const statuses = options.transientStatuses;
  if (statuses !== undefined && !(Array.isArray(statuses) && statuses.every((s) => typeof s === 'string'))) {
    issues.push({ path: 'transientStatuses', rule: 'must be an array of status strings' });
  }
  if (issues.length) throw new VodValidationError('waitForAsset', issues, 'options');
}

/**
 * Polls ShowAssetMeta until the asset's status is no longer transient (the spec's AssetStatus `x-transient-values`:
 * OBS_CREATING, TRANSCODING, …) and resolves with its AssetInfo; a failed status such as OBS_CREATE_FAILED is a
 * result, not an exception. Backs off between polls, waits out a 429/503's Retry-After, retries a poll that failed on
 * the network a bounded number of times, and never polls faster than the query group's per-tenant rate limit (one
 * pacer per client, shared by all its waits). Rejects with VodAssetNotFoundError when the asset does not exist,
 * VodWaitTimeoutError after `timeoutMs`, or the signal's reason when `signal` aborts.
 *
 * `client` is any client made by createVodClient, or by createVodCore with the ShowAssetMeta operation.
 */
export async function waitForAsset(client: VodCore, assetId: string, options: WaitForAssetOptions = {}): Promise<AssetInfo> {
  const def = operationOf(client, 'showAssetMeta', 'waitForAsset');
  const { call } = coreOf(client, 'waitForAsset');
  // Paced within the query group's limit; a throttled poll is waited out here (and counted), never retried below.
  const showAssetMeta = (query: unknown, init: { signal: AbortSignal }) =>
    call(def, query, { ...init, paced: true, retryThrottled: 0 }) as Promise<OperationResult<'ShowAssetMeta'>>;
  checkOptions(assetId, options);
  const { timeoutMs, intervalMs, maxIntervalMs, backoff, maxRetries } = { ...DEFAULTS, ...definedOnly(options) };
  const transient = new Set<string>(options.transientStatuses ?? transientAssetStatuses);
  const started = Date.now();
  let attempt = 0;
  let answered = 0; // polls that got an answer or failed (a poll cut short by the timeout is not counted)
  let last: AssetInfo | undefined;

  // One signal for the whole wait: the caller's abort, or the overall timeout.
  const controller = new AbortController();
  const follow = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) throw options.signal.reason;
  options.signal?.addEventListener('abort', follow, { once: true });
  const timer = timeoutMs
    ? setTimeout(() => {
        controller.abort(new VodWaitTimeoutError(timeoutMs, assetId, answered, last));
      }, timeoutMs)
    : undefined;
  const { signal } = controller;

  const report = (progress: Omit<WaitProgress, 'assetId' | 'attempt' | 'elapsedMs'>) => {
    try {
      options.onPoll?.({ assetId, attempt, elapsedMs: Date.now() - started, ...progress });
    } catch {
      // A progress callback must not break the wait.
    }
  };

  try {
    let pause = intervalMs;
    let failures = 0;
    const backOff = () => {
      const current = pause;
      pause = Math.min(maxIntervalMs, pause * backoff);
      return current;
    };
    for (;;) {
      if (signal.aborted) throw signal.reason;
      attempt++;
      let result: OperationResult<'ShowAssetMeta'>;
      try {
        result = await showAssetMeta({ asset_id: [assetId] }, { signal });
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        answered++;
        // A poll that got no answer (refused, reset, its own timeout) is retried a bounded number of times.
        if (!(error instanceof VodNetworkError) || ++failures > maxRetries) throw error;
        const next = backOff();
        report({ outcome: 'failed', error, nextPollInMs: next });
        await sleep(next, signal);
        continue;
      }

      answered++;
      const { status } = result.response;
      if (result.error !== undefined) {
        const error = new VodApiError('ShowAssetMeta', status, result.error, result.response.headers);
        if ((status === 429 || status === 503) && result.retryAfterSeconds !== undefined) {
          // The service said how long to wait: wait that long, then carry on (not a failure of the poll).
          const next = result.retryAfterSeconds * 1000;
          report({ outcome: 'rate-limited', httpStatus: status, nextPollInMs: next });
          await sleep(next, signal);
          continue;
        }
        // Without a Retry-After, a 429 or a 5xx is retried with backoff a bounded number of times; a 4xx ends the wait.
        if ((status !== 429 && status < 500) || ++failures > maxRetries) throw error;
        const next = backOff();
        report({ outcome: status === 429 ? 'rate-limited' : 'failed', httpStatus: status, error, nextPollInMs: next });
        await sleep(next, signal);
        continue;
      }

      const found = result.data?.asset_info_array?.find((info) => info.asset_id === assetId);
      if (!found) {
        if (++failures <= maxRetries) {
          // Not listed (yet): a listing that lags behind the creation gets a few more polls.
          const next = backOff();
          report({ outcome: 'not-listed', httpStatus: status, nextPollInMs: next });
          await sleep(next, signal);
          continue;
        }
        // Still not listed after those polls: the asset does not exist for this project.
        report({ outcome: 'not-found', httpStatus: status });
        throw new VodAssetNotFoundError(assetId, failures, 'not-listed');
      }
      failures = 0;
      last = found;
      if (found.status === 'NO_ASSET') {
        report({ outcome: 'not-found', asset: found, httpStatus: status });
        throw new VodAssetNotFoundError(assetId, answered, 'NO_ASSET');
      }
      if (!last.status || !transient.has(last.status)) {
        report({ outcome: 'done', asset: last, httpStatus: status });
        return last;
      }
      const next = backOff();
      report({ outcome: 'in-progress', asset: last, httpStatus: status, nextPollInMs: next });
      await sleep(next, signal);
    }
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', follow);
  }
}

const definedOnly = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
