// A rate-limited VOD for the command line's tests: the simulator (src/simulator, rate limits off) behind a proxy that
// enforces each rate-limit group's limit as a sliding window (scaled down: WINDOW_MS instead of a minute, with
// LIMITS calls per window), records when each request of each group arrived, counts 429s, and can SIGKILL the CLI
// process when it sees the k-th request of an operation (before or after passing it on).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { allOperations } from '../../generated/operations/index.js';
import { startVodSimulator, type VodSimulator } from '../../src/simulator/index.js';

export const WINDOW_MS = 1000;
/** Calls per window by group; the CLI is told the same with --rate-limit and --time-scale (60 000 / WINDOW_MS). */
export const LIMITS: Record<string, number> = { upload: 100, query: 100, 'asset-management': 100 };
export const TIME_SCALE = 60_000 / WINDOW_MS;

const routes = allOperations.map((def) => ({
  id: def.id,
  method: def.method,
  group: def.rateLimit?.group,
  pattern: new RegExp(`^${def.path.replace(/\{[a-z_]+\}/g, '[^/]+')}$`),
}));
const routeOf = (method: string, path: string) => routes.find((r) => r.method === method && r.pattern.test(path));

export interface KillPoint {
  /** The operation whose k-th request (counted from the start of the run) kills the CLI ('*': any VOD request). */
  operation: string;
  nth: number;
  /** Pass the request on to the simulator before killing (its effect happens, the answer is lost). */
  forward: boolean;
}

export interface RateLimitedVod {
  sim: VodSimulator;
  url: string;
  arrivals: Map<string, number[]>;
  throttled: () => number;
  /** Which requests were throttled (operation@time). */
  throttledBy: string[];
  counts: Map<string, number>;
  /** Resolves once no group has a call in its window (a new job then starts with the whole limit). */
  quiet(): Promise<void>;
  /** Fills `n` slots of a group's current window, as another application of the tenant would. */
  occupy(group: string, n: number): void;
  /** The CLI process to SIGKILL at `kill`. */
  arm(child: ChildProcess, kill: KillPoint | undefined): void;
  close(): Promise<void>;
}

export async function startRateLimitedVod(): Promise<RateLimitedVod> {
  const sim = await startVodSimulator({ rateLimits: false, processingMs: 40, authorisedBuckets: ['media'] });
  const target = new URL(sim.url);
  const arrivals = new Map<string, number[]>();
  const counts = new Map<string, number>();
  let throttled = 0;
  const throttledBy: string[] = [];
  let armed: { child: ChildProcess; kill: KillPoint | undefined } | undefined;

  const forward = (req: IncomingMessage, body: Buffer, res: import('node:http').ServerResponse) => {
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    upstream.end(body);
  };

  const server: Server = createServer((req, res) => {
    const arrived = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const route = routeOf(req.method ?? 'GET', path);
      if (route?.group && LIMITS[route.group]) {
        const now = arrived;
        const list = arrivals.get(route.group) ?? [];
        arrivals.set(route.group, list);
        const inWindow = list.filter((t) => t > now - WINDOW_MS).length;
        if (inWindow >= LIMITS[route.group]!) {
          throttled++;
          throttledBy.push(`${route.id}@${Math.round(now)}`);
          res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
          res.end(JSON.stringify({ error_code: 'APIG.0308', error_msg: 'The throttling threshold has been reached.' }));
          return;
        }
        list.push(now);
      }
      if (route) {
        const n = (counts.get(route.id) ?? 0) + 1;
        counts.set(route.id, n);
        const any = (counts.get('*') ?? 0) + 1;
        counts.set('*', any);
        const kill = armed?.kill;
        if (kill && (kill.operation === '*' ? kill.nth === any : kill.operation === route.id && kill.nth === n)) {
          const { child } = armed!;
          armed = undefined;
          if (kill.forward) forward(req, body, res);
          child.kill('SIGKILL');
          if (!kill.forward) res.destroy();
          return;
        }
      }
      forward(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    sim,
    url: `http://127.0.0.1:${port}`,
    arrivals,
    counts,
    throttled: () => throttled,
    throttledBy,
    quiet() {
      let last = -Infinity;
      for (const list of arrivals.values()) if (list.length) last = Math.max(last, list[list.length - 1]!);
      const wait = last + WINDOW_MS + 20 - performance.now();
      return new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
    },
    occupy(group, n) {
      const list = arrivals.get(group) ?? [];
      arrivals.set(group, list);
      for (let i = 0; i < n; i++) list.push(performance.now());
    },
    arm(child, kill) {
      counts.clear();
      armed = { child, kill };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sim.close();
    },
  };
}

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the bundled CLI against `vod` (its settings from the environment), optionally killed at `kill`. */
export function runCli(cli: string, vod: RateLimitedVod | undefined, args: string[], options: { kill?: KillPoint; stdin?: string; env?: Record<string, string> } = {}): Promise<Run> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    ...(vod
      ? {
          HUAWEICLOUD_SDK_AK: vod.sim.ak,
          HUAWEICLOUD_SDK_SK: vod.sim.sk,
          HUAWEICLOUD_SDK_PROJECT_ID: vod.sim.projectId,
          HUAWEICLOUD_VOD_TIME_SCALE: String(TIME_SCALE),
        }
      : {}),
    ...options.env,
  };
  const limits = vod ? Object.entries(LIMITS).flatMap(([g, n]) => ['--rate-limit', `${g}=${n}`]) : [];
  const withVod = vod && args[0] !== '--help' && !args.includes('--help') ? [...args, '--endpoint', vod.url, ...limits] : args;
  const child = spawn(process.execPath, [cli, ...withVod], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  vod?.arm(child, options.kill);
  child.stdin.end(options.stdin ?? '');
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

/** Live (not deleted) assets of the simulator by a key of each. */
export function assetsBy(vod: RateLimitedVod, key: (asset: Record<string, any>) => string): Map<string, string[]> {
  const by = new Map<string, string[]>();
  for (const a of vod.sim.state.assets as Record<string, any>[]) {
    if (a.deleted) continue;
    const k = key(a);
    by.set(k, [...(by.get(k) ?? []), a.asset_id]);
  }
  return by;
}

/** The largest number of arrivals of a group within any window: must never exceed the limit. */
export function busiestWindow(times: number[]): number {
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= WINDOW_MS) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

/**
 * A minimal S3 ListObjectsV2 for --prefix (OBS's S3-compatible API): `pageSize` keys a page with a continuation
 * token; records each request's Authorization header and query.
 */
export async function startFakeS3(objects: readonly string[], pageSize = 4) {
  const seen: { auth: string; query: string }[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://obs');
    seen.push({ auth: String(req.headers.authorization ?? ''), query: url.search });
    const prefix = url.searchParams.get('prefix') ?? '';
    const from = Number(url.searchParams.get('continuation-token') ?? 0);
    const matching = objects.filter((k) => k.startsWith(prefix));
    const page = matching.slice(from, from + pageSize);
    const more = from + pageSize < matching.length;
    res.writeHead(200, { 'content-type': 'application/xml' });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>media</Name><Prefix>${prefix}</Prefix>` +
        `<KeyCount>${page.length}</KeyCount><MaxKeys>${pageSize}</MaxKeys><IsTruncated>${more}</IsTruncated>` +
        `${more ? `<NextContinuationToken>${from + pageSize}</NextContinuationToken>` : ''}` +
        `${page.map((k) => `<Contents><Key>${k}</Key><Size>1</Size></Contents>`).join('')}</ListBucketResult>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
