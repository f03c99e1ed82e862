// Spacing of calls within a rate limit: the service allows N calls a minute per tenant for each group of operations
// (the spec's x-rate-limit), so calls that share a pacer start at least 60 000 / N ms apart, plus a 10 % margin so
// that jitter cannot make two calls arrive closer together than the limit, however many callers (concurrent waits of
// one client) share it. Callers are served in order, so nobody starves.

export interface Pacer {
  /** The minimum spacing between two calls, in milliseconds. */
  readonly intervalMs: number;
  /**
   * Waits for the next slot, then calls `send` in the same synchronous step as it takes the time of the slot (so that
   * no other work can run between the two); rejects with the signal's reason if it aborts first.
   */
  run<T>(send: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

export function createPacer(perMinute: number, now: () => number = () => performance.now()): Pacer {
  const intervalMs = perMinute > 0 ? (60_000 / perMinute) * 1.1 : 0;
  // Callers queue in order; each is released intervalMs after the moment the previous one was really released (not
  // after its planned slot), so that a late release cannot bring the next call closer to it.
  let previous: Promise<number> = Promise.resolve(-Infinity);
  return {
    intervalMs,
    run(send, signal) {
      const before = previous;
      let release!: (at: number) => void;
      previous = new Promise((resolve) => (release = resolve));
      let last = -Infinity;
      return (async () => {
        try {
          last = await abortable(before, signal);
          // setTimeout counts from the event loop's cached clock, which lags behind when the loop is busy, so a timer
          // can fire a few milliseconds early: sleep again until the monotonic clock has really reached the slot.
          for (let left = last + intervalMs - now(); left > 0; left = last + intervalMs - now()) {
            await sleep(Math.ceil(left), signal);
          }
          if (signal?.aborted) throw signal.reason;
        } catch (error) {
          // An aborted caller gives its turn to the next one at the previous holder's time.
          before.then(release, () => release(last));
          throw error;
        }
        release(now());
        return send();
      })();
    },
  };
}

/** `promise`, or the signal's reason as soon as it aborts. */
function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** The longest delay setTimeout takes (2^31 - 1 ms, 24.8 days); it fires at once for a longer one. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** setTimeout as a promise that an AbortSignal can cut short (rejecting with the signal's reason). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (!(ms > 0)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    // A delay over setTimeout's limit (a Retry-After of months) is slept in pieces rather than not at all.
    const step = Math.min(ms, MAX_TIMER_MS);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(step < ms ? sleep(ms - step, signal) : undefined);
    }, step);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
