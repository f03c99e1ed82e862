// A fetch(url, init) on node:http/node:https with a keep-alive agent, for Node only. On Node, undici's fetch costs
// about twice the CPU per request of node:http on the same socket (bench/, Node 20/24/26), which decided our throughput
// against the official SDK (axios on node:http). Elsewhere (Deno, Bun, browsers), and on Node with NODE_USE_ENV_PROXY,
// nodeTransport() is undefined and fetch is used. node: modules are looked up at run time (process.getBuiltinModule),
// never imported, so bundles for browsers never see them.
//
// As fetch: a WHATWG Response (status, statusText, headers in received order, `url`, gzip/deflate/br decoded);
// rejects with the signal's reason on abort (AbortError by default, the client's TimeoutError) and frees the socket;
// TypeError('fetch failed', { cause }) on network errors; content-length always sent (0 for a body-less POST/PUT/PATCH),
// text/plain;charset=UTF-8 for an untyped string body.
// Not as fetch: the body is read before the promise resolves (VOD answers are small JSON; the caller's timeout then
// covers it), and redirects are not followed: a signed request is bound to its host and path, and a POST that creates
// an asset must not be re-sent. 'follow' (the default) and 'error' reject saying so; 'manual' resolves with the 3xx.
// Input it does not handle (a Request object, a stream/Blob/FormData body, a non-http(s) URL) goes to globalThis.fetch.

type FetchInput = string | URL | Request;
export type FetchFunction = (input: FetchInput, init?: RequestInit) => Promise<Response>;

// The parts of node:http, node:https and node:zlib used here (no @types/node in the browser build).
interface NodeAgent {
  destroy(): void;
}
interface IncomingMessage {
  statusCode?: number;
  statusMessage?: string;
  rawHeaders: string[];
  headers: Record<string, string | string[] | undefined>;
  on(event: 'data', listener: (chunk: Uint8Array) => void): this;
  on(event: 'end', listener: () => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  pipe<T>(destination: T): T;
  destroy(error?: Error): void;
}
interface ClientRequest {
  on(event: 'response', listener: (response: IncomingMessage) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  end(body?: string | Uint8Array): void;
  destroy(error?: Error): void;
}
interface HttpModule {
  Agent: new (options: Record<string, unknown>) => NodeAgent;
  request(url: URL | string, options: Record<string, unknown>, callback?: (response: IncomingMessage) => void): ClientRequest;
}
interface ZlibModule {
  createGunzip(options?: Record<string, unknown>): unknown;
  createInflate(options?: Record<string, unknown>): unknown;
  createBrotliDecompress(options?: Record<string, unknown>): unknown;
  constants: Record<string, number>;
}
interface NodeProcess {
  getBuiltinModule?: (id: string) => unknown;
  versions?: Record<string, string | undefined>;
  env?: Record<string, string | undefined>;
  execArgv?: string[];
}

// Statuses whose Response must have a null body (the Response constructor throws otherwise).
const NULL_BODY = new Set([101, 103, 204, 205, 304]);
const REDIRECT = new Set([301, 302, 303, 307, 308]);
const SIMPLE_BODY_LESS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE']);

function builtin<T>(id: string): T | undefined {
  const proc = (globalThis as { process?: NodeProcess }).process;
  try {
    return proc?.getBuiltinModule?.(id) as T | undefined;
  } catch {
    return undefined;
  }
}

/**
 * Node itself, not Deno or Bun (which also answer process.getBuiltinModule, but whose native path is fetch); and not
 * told to use the environment's proxy (NODE_USE_ENV_PROXY, --use-env-proxy), which fetch honours and a private agent
 * would not.
 */
function isNode(): boolean {
  const g = globalThis as { process?: NodeProcess; Deno?: unknown; Bun?: unknown };
  const proc = g.process;
  if (typeof proc?.versions?.node !== 'string' || g.Deno || g.Bun || typeof proc.getBuiltinModule !== 'function') return false;
  const proxied = !!proc.env?.NODE_USE_ENV_PROXY || !!proc.execArgv?.includes('--use-env-proxy');
  return !proxied;
}

const abortReason = (signal: AbortSignal): unknown =>
  signal.reason ?? new DOMException('This operation was aborted', 'AbortError');

function networkError(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

/** Request headers as the plain object node:http takes (names lower-cased by Headers; duplicates already joined). */
function headerObject(init: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!init) return out;
  if (init instanceof Headers) {
    init.forEach((value, name) => {
      out[name] = value;
    });
    return out;
  }
  const entries = Array.isArray(init) ? init : Object.entries(init);
  for (const [name, value] of entries) {
    const key = String(name).toLowerCase();
    out[key] = key in out ? `${out[key]}, ${value}` : String(value);
  }
  return out;
}

type Body = string | Uint8Array | undefined;
/** The body as node:http can send it, or `false` when it is of a kind that fetch must handle. */
function plainBody(body: BodyInit | null | undefined): Body | false {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  return false;
}

interface Modules {
  BufferedResponse: ReturnType<typeof bufferedResponse>;
  http: HttpModule;
  https: HttpModule;
  agents: { 'http:': NodeAgent; 'https:': NodeAgent };
  zlib: ZlibModule | undefined;
  byteLength: (text: string) => number;
  concat: (chunks: Uint8Array[], length: number) => Uint8Array;
}

/**
 * A Response whose body is already in memory. undici's Response wraps any body in a ReadableStream and reads it back
 * through it, which costs more CPU than the rest of our client's work per request (bench/ --diagnose); this one
 * answers text(), json(), arrayBuffer(), bytes() and blob() from the bytes, with the same used-once rule and errors.
 * Anything else that needs a stream (`body`, formData()) gets a real Response made on first use, kept in step.
 * It is a Response (a subclass), so instanceof and every header/status accessor work as usual.
 */
function bufferedResponse() {
  const decoder = new TextDecoder();
  const unusable = () => Promise.reject(new TypeError('Body is unusable: Body has already been read'));
  return class BufferedResponse extends Response {
    readonly #bytes: Uint8Array | null;
    readonly #url: string;
    #used = false;
    #stream: Response | undefined;
    constructor(bytes: Uint8Array | null, init: ResponseInit, url: string) {
      super(null, init);
      this.#bytes = bytes;
      this.#url = url;
    }
    override get url(): string {
      return this.#url;
    }
    /** The stream form of the body, made once; already consumed if the bytes were read first. */
    #real(): Response {
      if (!this.#stream) {
        this.#stream = new Response(this.#bytes as BodyInit | null);
        if (this.#used) this.#stream.arrayBuffer().catch(() => {});
      }
      return this.#stream;
    }
    override get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
      return this.#bytes ? this.#real().body : null;
    }
    override get bodyUsed(): boolean {
      return this.#stream ? this.#stream.bodyUsed : this.#used;
    }
    /** The bytes, once: marks the body used, or rejects as undici does when it already is. */
    #take(): Uint8Array | undefined {
      if (this.#stream || this.#used) return undefined;
      this.#used = true;
      return this.#bytes ?? new Uint8Array(0);
    }
    override text(): Promise<string> {
      if (this.#stream) return this.#stream.text();
      const bytes = this.#take();
      return bytes ? Promise.resolve(decoder.decode(bytes)) : unusable();
    }
    override json(): Promise<any> {
      if (this.#stream) return this.#stream.json();
      const bytes = this.#take();
      if (!bytes) return unusable();
      try {
        return Promise.resolve(JSON.parse(decoder.decode(bytes)));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    override arrayBuffer(): Promise<ArrayBuffer> {
      if (this.#stream) return this.#stream.arrayBuffer();
      const bytes = this.#take();
      return bytes ? Promise.resolve(bytes.slice().buffer as ArrayBuffer) : unusable();
    }
    override bytes(): Promise<Uint8Array<ArrayBuffer>> {
      if (this.#stream) return this.#stream.bytes();
      const bytes = this.#take();
      return bytes ? Promise.resolve(bytes.slice() as Uint8Array<ArrayBuffer>) : unusable();
    }
    override blob(): Promise<Blob> {
      if (this.#stream) return this.#stream.blob();
      const bytes = this.#take();
      return bytes ? Promise.resolve(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: this.headers.get('content-type') ?? '' })) : unusable();
    }
    override formData(): Promise<FormData> {
      return this.#real().formData();
    }
    override clone(): Response {
      if (this.bodyUsed) throw new TypeError('Response.clone: Body has already been consumed.');
      if (this.#stream) return this.#stream.clone();
      const init = { status: this.status, statusText: this.statusText, headers: new Headers(this.headers) };
      return new BufferedResponse(this.#bytes, init, this.#url);
    }
  };
}

let modules: Modules | undefined;
function load(): Modules | undefined {
  if (modules) return modules;
  const http = builtin<HttpModule>('node:http');
  const https = builtin<HttpModule>('node:https');
  const buffer = builtin<{ Buffer: { byteLength(text: string): number; concat(list: Uint8Array[], length: number): Uint8Array } }>(
    'node:buffer',
  );
  if (!http || !https || !buffer) return undefined;
  // As Node's own global agents (keep-alive, last-used socket first) but private: nothing the application does to the
  // global agents changes ours. Idle sockets are closed after 4 s, before a server with Node's default 5 s
  // keepAliveTimeout closes them under a request (a POST on such a socket fails and must not be sent again).
  const options = { keepAlive: true, scheduling: 'lifo', timeout: 4_000 };
  modules = {
    BufferedResponse: bufferedResponse(),
    http,
    https,
    agents: { 'http:': new http.Agent(options), 'https:': new https.Agent(options) },
    zlib: builtin<ZlibModule>('node:zlib'),
    byteLength: (text) => buffer.Buffer.byteLength(text),
    concat: (chunks, length) => buffer.Buffer.concat(chunks, length),
  };
  return modules;
}

/** A decoder stream for a content-encoding fetch decodes, or undefined for identity (or an unknown coding). */
function decoder(zlib: ZlibModule | undefined, encoding: string | string[] | undefined): unknown {
  if (!zlib || typeof encoding !== 'string') return undefined;
  // Lenient flushing, as undici does, so that a body cut short at a block boundary still decodes.
  const flush = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  switch (encoding.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip(flush);
    case 'deflate':
      return zlib.createInflate(flush);
    case 'br':
      return zlib.createBrotliDecompress({
        flush: zlib.constants.BROTLI_OPERATION_FLUSH,
        finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
      });
    default:
      return undefined;
  }
}

interface Exchange {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: Body;
  signal: AbortSignal | null | undefined;
  redirect: RequestRedirect | undefined;
}

function exchange(m: Modules, x: Exchange): Promise<Response> {
  const { url, method, headers, body, signal } = x;
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  if (body !== undefined) {
    headers['content-length'] = String(typeof body === 'string' ? m.byteLength(body) : body.byteLength);
    if (typeof body === 'string' && !('content-type' in headers)) headers['content-type'] = 'text/plain;charset=UTF-8';
  } else if (!SIMPLE_BODY_LESS.has(method)) {
    headers['content-length'] = '0';
  }
  const protocol = url.protocol as 'http:' | 'https:';
  return new Promise<Response>((resolve, reject) => {
    let settled = false;
    let onAbort: (() => void) | undefined;
    const finish = (error: unknown, response?: Response) => {
      if (settled) return;
      settled = true;
      if (onAbort) signal!.removeEventListener('abort', onAbort);
      if (response) resolve(response);
      else reject(error);
    };
    const request = (protocol === 'https:' ? m.https : m.http).request(url, { method, headers, agent: m.agents[protocol] });
    if (signal) {
      onAbort = () => {
        const reason = abortReason(signal);
        finish(reason);
        request.destroy(reason instanceof Error ? reason : undefined);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    }
    request.on('error', (error) => finish(settled ? undefined : networkError(error)));
    request.on('response', (res) => {
      const status = res.statusCode ?? 0;
      if (REDIRECT.has(status) && x.redirect !== 'manual') {
        const location = res.headers.location;
        res.destroy();
        finish(
          networkError(
            new Error(
              `the server answered ${status} with a redirect to ${String(location)}; redirects are not followed ` +
                '(a signed request is bound to its address, and a non-idempotent request must not be re-sent)',
            ),
          ),
        );
        return;
      }
      const chunks: Uint8Array[] = [];
      let length = 0;
      const decoded = method === 'HEAD' || NULL_BODY.has(status) ? undefined : decoder(m.zlib, res.headers['content-encoding']);
      const stream = (decoded ? res.pipe(decoded) : res) as IncomingMessage;
      if (decoded) res.on('error', (error) => stream.destroy(error));
      stream.on('data', (chunk) => {
        chunks.push(chunk);
        length += chunk.byteLength;
      });
      stream.on('error', (error) => finish(networkError(error)));
      stream.on('end', () => {
        if (settled) return;
        const headersList = new Headers();
        const raw = res.rawHeaders;
        for (let i = 0; i < raw.length; i += 2) headersList.append(raw[i]!, raw[i + 1]!);
        const nullBody = NULL_BODY.has(status) || method === 'HEAD';
        const content = nullBody ? null : chunks.length === 1 ? chunks[0]! : m.concat(chunks, length);
        let response: Response;
        try {
          response = new m.BufferedResponse(content, { status, statusText: res.statusMessage ?? '', headers: headersList }, url.href);
        } catch (error) {
          // A status the Response constructor refuses (outside 200–599): fetch fails the same way.
          finish(networkError(error));
          return;
        }
        finish(undefined, response);
      });
    });
    request.end(body);
  });
}

const transports = new WeakSet<FetchFunction>();

/**
 * A fetch(url, init) on node:http/node:https with keep-alive, or undefined outside Node (use fetch there). See the
 * top of this file for what it does as fetch does and what not.
 */
export function nodeTransport(): FetchFunction | undefined {
  if (!isNode()) return undefined;
  const m = load();
  if (!m) return undefined;
  const send: FetchFunction = (input, init = {}) => {
    if (typeof input !== 'string' && !(input instanceof URL)) return fetch(input, init);
    const body = plainBody(init.body);
    let url: URL;
    try {
      url = new URL(input);
    } catch (error) {
      return Promise.reject(new TypeError(`Failed to parse URL from ${String(input)}`, { cause: error }));
    }
    if (body === false || (url.protocol !== 'http:' && url.protocol !== 'https:')) return fetch(input, init);
    return exchange(m, {
      url,
      method: (init.method ?? 'GET').toUpperCase(),
      headers: headerObject(init.headers),
      body,
      signal: init.signal,
      redirect: init.redirect,
    });
  };
  transports.add(send);
  return send;
}

/** The transport the client sends with when given no `fetch`: nodeTransport() on Node, globalThis.fetch elsewhere. */
export function defaultTransport(): FetchFunction {
  return nodeTransport() ?? ((input, init) => fetch(input, init));
}

/** Whether `fn` is a transport made by nodeTransport() (for tests and diagnostics: which transport a client got). */
export const isNodeTransport = (fn: unknown): fn is FetchFunction => typeof fn === 'function' && transports.has(fn as FetchFunction);
