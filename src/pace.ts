// Spacing of calls within a rate limit: the service allows N calls a minute per tenant for each group of operations
// (the spec's x-rate-limit), so calls that share a pacer start at least 60 000 / N ms apart, however many callers
// (concurrent waits of one client) share it. Reservations are made in order, so nobody starves.

export interface Pacer {
  /** The minimum spacing between two calls, in milliseconds. */
  readonly intervalMs: number;
  /** Resolves when the next call may start; rejects with the signal's reason if it aborts first. */
  next(signal?: AbortSignal): Promise<void>;
}

export function createPacer(perMinute: number, now: () => number = Date.now): Pacer {
  const intervalMs = perMinute > 0 ? 60_000 / perMinute : 0;
  let nextSlot = -Infinity;
  return {
    intervalMs,
    next(signal) {
      const at = Math.max(now(), nextSlot);
      nextSlot = at + intervalMs;
      return sleep(at - now(), signal);
    },
  };
}

/** setTimeout as a promise that an AbortSignal can cut short (rejecting with the signal's reason). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
