// waitForAsset: VOD sends no notification when an OBS transfer (or a transcode) ends, so callers poll ShowAssetMeta
// until the asset's status leaves the transient set that the spec declares (AssetStatus x-transient-values).
// A GET is safe to repeat, so this is the one place where the client repeats a call: after a network error or a
// 5xx (a bounded number of times, with backoff) and after a 429/503 (as long as its Retry-After asks).
import { transientAssetStatuses } from '../generated/operations.js';
import type { components } from '../generated/types.js';
import { VodApiError, VodNetworkError, VodTimeoutError, VodValidationError, type ValidationIssue } from './errors.js';
import type { OperationMethod } from './operation-types.js';
import { MAX_TIMER_MS, sleep } from './pace.js';

export type AssetInfo = components['schemas']['AssetInfo'];

export interface WaitForAssetOptions {
  /** Cancels the wait: it rejects with the signal's reason, and no further poll is sent. */
  signal?: AbortSignal;
  /** Give up after this many milliseconds with VodTimeoutError (default 1 800 000, 30 minutes; 0 = never). */
  timeoutMs?: number;
  /** Pause after the first poll that finds the asset still in progress (default 2000 ms); later pauses grow. */
  intervalMs?: number;
  /** The longest pause between two polls (default 30 000 ms). */
  maxIntervalMs?: number;
  /** Each pause is the previous one times this factor, up to maxIntervalMs (default 1.5; 1 = fixed interval). */
  backoff?: number;
  /**
   * Polls in a row that may fail (on the network, with a 5xx, or with a 429 that gives no Retry-After) before the
   * wait gives up with that error, and that may not list the asset before it counts as NO_ASSET (default 5).
   */
  maxRetries?: number;
  /** The statuses to keep polling through (default: the spec's AssetStatus x-transient-values). */
  transientStatuses?: readonly string[];
  /** Called after every poll, for progress reports; what it throws is ignored. */
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
   * down, the poll failed, or the answer did not list the asset (yet).
   */
  readonly outcome: 'in-progress' | 'done' | 'rate-limited' | 'failed' | 'not-listed';
  /** The HTTP status of the poll, or the error of a poll that got none. */
  readonly httpStatus?: number;
  readonly error?: Error;
  /** When the next poll is due (absent once done). */
  readonly nextPollInMs?: number;
}

const DEFAULTS = { timeoutMs: 1_800_000, intervalMs: 2_000, maxIntervalMs: 30_000, backoff: 1.5, maxRetries: 5 };

type ShowAssetMeta = OperationMethod<'ShowAssetMeta'>;

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
 * Polls `showAssetMeta` until the asset's status is final and resolves with its AssetInfo (see VodClient.waitForAsset).
 * The client passes a showAssetMeta that is paced within the query group's rate limit, one pacer for all its waits.
 */
export async function waitForAsset(
  showAssetMeta: ShowAssetMeta,
  assetId: string,
  options: WaitForAssetOptions = {},
): Promise<AssetInfo> {
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
        const status = last ? `; last status ${last.status}` : '';
        controller.abort(
          new VodTimeoutError(timeoutMs, 'waitForAsset', assetId, {
            message: `waitForAsset(${assetId}) timed out after ${timeoutMs} ms and ${answered} polls${status}`,
            ...(last ? { asset: last } : {}),
            polls: answered,
          }),
        );
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
      let result: Awaited<ReturnType<ShowAssetMeta>>;
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
        const error = new VodApiError('ShowAssetMeta', status, result.error);
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
      if (!found && ++failures <= maxRetries) {
        // Not listed (yet): a listing that lags behind the creation gets a few more polls.
        const next = backOff();
        report({ outcome: 'not-listed', httpStatus: status, nextPollInMs: next });
        await sleep(next, signal);
        continue;
      }
      failures = 0;
      // Still not listed after those polls: the asset does not exist for this project, NO_ASSET, a final status.
      last = found ?? ({ asset_id: assetId, status: 'NO_ASSET', description: 'not listed by ShowAssetMeta' } as AssetInfo);
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
