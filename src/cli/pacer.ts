// Pacing of every VOD request of a job by the rate-limit group of its operation (the spec's x-rate-limit, e.g.
// upload 1500/min per tenant). The gateway counts calls in a sliding window of one minute, so the pacer does the same:
// a call goes out when fewer than `limit` calls of its group are in the window, counting the calls of an earlier run of
// the same job too (their times are in the journal), so a restarted job neither bursts over the limit nor waits
// longer than it must.
// When does a call count? The gateway counts it when it arrives, somewhere between the moment the pacer releases it
// and the moment its answer is back; how long after release varies (a new connection, a busy event loop: tens of ms).
// So a call holds a slot from its release, and once answered it is dated by its answer: the window slot it frees opens
// one window after that, when the gateway has surely forgotten it too, however late it arrived. The window counted is
// also a little longer than the gateway's (1 % + 5 ms) for clock granularity. The cost is the latency of one call per
// window: the job runs at ~99 % of the limit with a one-minute window.
//
// Every request goes through `pacedFetch` (the client's `fetch` option), so calls the CLI makes directly and those
// uploadAsset makes inside the client are paced by the same windows.
import { allOperations } from '../../generated/operations/index.js';
import type { OperationDef } from '../internal/operation-def.js';
import { sleep } from '../internal/pace.js';
import { defaultTransport } from '../internal/transport-node.js';

export interface GroupLimit {
  readonly group: string;
  readonly limit: number;
}

export class WindowPacer {
  /** When each call of the window was answered (or released, for a call of an earlier run still unanswered), sorted. */
  private readonly times: number[];
  private inFlight = 0;
  private tail: Promise<unknown> = Promise.resolve();
  private wake: (() => void) | undefined;
  /** No call before this time: the gateway answered 429 with a Retry-After (another client of the tenant, say). */
  private blockedUntil = 0;
  readonly windowMs: number;

  constructor(
    readonly group: string,
    readonly limit: number,
    /** The gateway's window in ms (60 000, or less with a time scale). */
    gatewayWindowMs: number,
    history: readonly number[],
    private readonly onSend: (group: string, at: number) => number,
    private readonly onAnswer: (id: number, at: number) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.windowMs = gatewayWindowMs * 1.01 + 5;
    this.times = [...history].sort((a, b) => a - b);
  }

  /**
   * Waits (in order of arrival) until the window has room and takes a slot; resolves with the function to call once
   * the call is answered (or failed), which dates the slot.
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    const turn = this.tail.then(() => this.waitForRoom(signal));
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  /** Holds every call of the group until `until` (a 429's Retry-After applies to the tenant, not to one call). */
  block(until: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, until);
  }

  private async waitForRoom(signal?: AbortSignal): Promise<() => void> {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const now = this.now();
      if (now < this.blockedUntil) {
        await sleep(this.blockedUntil - now, signal);
        continue;
      }
      while (this.times.length && this.times[0]! <= now - this.windowMs) this.times.shift();
      if (this.times.length + this.inFlight < this.limit) {
        this.inFlight++;
        const id = this.onSend(this.group, now);
        let done = false;
        return () => {
          if (done) return;
          done = true;
          const at = this.now();
          this.inFlight--;
          let i = this.times.length;
          while (i > 0 && this.times[i - 1]! > at) i--;
          this.times.splice(i, 0, at);
          this.onAnswer(id, at);
          this.wake?.();
        };
      }
      // Room comes when enough answered calls leave the window, or when a call in flight is answered.
      const index = this.times.length + this.inFlight - this.limit;
      const until = index < this.times.length ? this.times[index]! + this.windowMs : Infinity;
      await new Promise<void>((resolve, reject) => {
        const timer = until === Infinity ? undefined : setTimeout(finish, Math.max(1, Math.ceil(until - now)));
        const onAbort = () => {
          clearTimeout(timer);
          reject(signal!.reason);
        };
        function finish() {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }
        this.wake = finish;
        signal?.addEventListener('abort', onAbort, { once: true });
      });
      this.wake = undefined;
    }
  }
}

/** The rate-limit group of each route, to find the group of a request from its method and path. */
const routes = allOperations
  .filter((def: OperationDef) => def.rateLimit)
  .map((def: OperationDef) => ({
    method: def.method.toUpperCase(),
    pattern: new RegExp(`${def.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[a-z_]+\\?\}/g, '[^/]+')}$`),
    limit: def.rateLimit!,
  }));

export function groupOf(method: string, url: string): { group: string; perTenantPerMinute: number } | undefined {
  const path = new URL(url).pathname;
  const found = routes.find((r) => r.method === method.toUpperCase() && r.pattern.test(path));
  return found ? found.limit : undefined;
}

export interface PacingOptions {
  /** Time runs this many times faster at the server (a simulator's timeScale): its window is 60 000 / timeScale ms. */
  timeScale: number;
  /** Limits below the spec's, per group (e.g. to leave a share of the tenant's limit to other applications). */
  overrides: Readonly<Record<string, number>>;
  /** Times of the calls of earlier runs by group (from the journal). */
  history: ReadonlyMap<string, readonly number[]>;
  /** Called with every send (the journal records it); returns an ID for onAnswer. */
  onSend: (group: string, at: number) => number;
  /** Called when that call was answered. */
  onAnswer: (id: number, at: number) => void;
}

/** A fetch that waits for a slot of the request's rate-limit group before sending it with the default transport. */
export function pacedFetch(options: PacingOptions): { fetch: typeof fetch; pacers: Map<string, WindowPacer> } {
  const send = defaultTransport();
  const pacers = new Map<string, WindowPacer>();
  const windowMs = 60_000 / options.timeScale;
  const pacerFor = (group: string, perMinute: number) => {
    let pacer = pacers.get(group);
    if (!pacer) {
      const limit = Math.min(perMinute, options.overrides[group] ?? Infinity);
      pacer = new WindowPacer(group, limit, windowMs, options.history.get(group) ?? [], options.onSend, options.onAnswer);
      pacers.set(group, pacer);
    }
    return pacer;
  };
  const paced = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = init?.method ?? (typeof input === 'object' && 'method' in input ? input.method : 'GET');
    const limit = groupOf(method, url);
    if (!limit) return send(input as never, init);
    const pacer = pacerFor(limit.group, limit.perTenantPerMinute);
    const answered = await pacer.acquire(init?.signal ?? undefined);
    try {
      const response = await send(input as never, init);
      if (response.status === 429) {
        const seconds = Number(response.headers.get('retry-after'));
        pacer.block(Date.now() + (Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000));
      }
      return response;
    } finally {
      answered();
    }
  };
  return { fetch: paced as typeof fetch, pacers };
}
