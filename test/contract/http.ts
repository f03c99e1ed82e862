// A minimal HTTP/1.1 client on node:net / node:tls that keeps every byte the target sent. fetch (and node:http)
// follow HTTP's framing rules: they drop whatever follows a 204's header block, so a 204 that carries a body
// looks empty to them. Here each request goes on its own connection; the response is read by its framing
// (Content-Length, chunked, or to the close), and after a 204's (or 304's) header block the client keeps reading
// until the target closes or a short pause, keeping those bytes as its body. The client closes each connection
// itself: when the server closes first on loopback, its TIME_WAIT entries collide with new connections' ports and
// stall them for a second (a SYN into TIME_WAIT).
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

export interface RawResponse {
  status: number;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Map<string, string>;
  /** The body as sent (de-chunked); for 204/304, whatever followed the header block. */
  body: Buffer;
}

export interface RawRequest {
  method: string;
  url: URL;
  /** Sent in this order after Host; Content-Length and Connection are added here. */
  headers: [string, string][];
  body?: Buffer;
  timeoutMs?: number;
}

const CRLF2 = Buffer.from('\r\n\r\n');
/** How long to wait for bytes after a bodiless status's header block when the target keeps the connection open. */
const NO_BODY_GRACE_MS = 150;

function parseHead(head: string): { status: number; headers: Map<string, string> } {
  const [statusLine = '', ...lines] = head.split('\r\n');
  const match = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(statusLine);
  if (!match) throw new Error(`not an HTTP response: ${JSON.stringify(statusLine.slice(0, 80))}`);
  const headers = new Map<string, string>();
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    const value = line.slice(i + 1).trim();
    headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
  }
  return { status: Number(match[1]), headers };
}

/** The de-chunked body, or undefined while the terminating chunk has not arrived. */
function dechunk(data: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = data.indexOf('\r\n', at);
    if (eol < 0) return undefined;
    const size = parseInt(data.subarray(at, eol).toString('latin1').split(';')[0]!.trim(), 16);
    if (Number.isNaN(size)) throw new Error('malformed chunked encoding');
    if (size === 0) return Buffer.concat(parts);
    if (data.length < eol + 2 + size + 2) return undefined;
    parts.push(data.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

/** The header lines a request is sent with, in order: Host, the request's own, and Content-Length where it goes. */
export function sentHeaders(request: Pick<RawRequest, 'method' | 'url' | 'headers' | 'body'>): [string, string][] {
  const { method, url, body } = request;
  const out: [string, string][] = [['Host', url.host], ...request.headers];
  if (body !== undefined || !['GET', 'HEAD', 'DELETE'].includes(method)) out.push(['Content-Length', String(body?.length ?? 0)]);
  return out;
}

export function rawRequest(request: RawRequest): Promise<RawResponse> {
  const { method, url, body } = request;
  const secure = url.protocol === 'https:';
  const port = Number(url.port) || (secure ? 443 : 80);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const lines = [`${method} ${url.pathname}${url.search} HTTP/1.1`, ...sentHeaders(request).map(([name, value]) => `${name}: ${value}`)];
  lines.push('', '');
  const head = Buffer.from(lines.join('\r\n'), 'latin1');

  return new Promise((resolve, reject) => {
    const socket: Socket = secure
      ? tlsConnect({ host, port, servername: host === url.hostname ? host : undefined })
      : netConnect({ host, port });
    socket.setNoDelay(true);
    const chunks: Buffer[] = [];
    let settled = false;
    let grace: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => finish(new Error(`no complete response within ${request.timeoutMs ?? 20_000} ms`)), request.timeoutMs ?? 20_000);

    function finish(error?: Error) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(grace);
      socket.destroy();
      if (error) return reject(error);
      try {
        resolve(complete(true)!);
      } catch (e) {
        reject(e as Error);
      }
    }

    /** The response, once it is complete (or `atEnd`: the connection closed). */
    function complete(atEnd: boolean): RawResponse | undefined {
      const data = Buffer.concat(chunks);
      let end = data.indexOf(CRLF2);
      if (end < 0) {
        if (atEnd) throw new Error(data.length ? `the connection closed inside the header block: ${JSON.stringify(data.subarray(0, 80).toString('latin1'))}` : 'the connection closed without a response');
        return undefined;
      }
      let parsed = parseHead(data.subarray(0, end).toString('latin1'));
      // Interim 1xx responses (100 Continue) precede the real one.
      while (parsed.status >= 100 && parsed.status < 200) {
        const next = data.indexOf(CRLF2, end + 4);
        if (next < 0) {
          if (atEnd) throw new Error('the connection closed after an interim response');
          return undefined;
        }
        const start = end + 4;
        end = next;
        parsed = parseHead(data.subarray(start, end).toString('latin1'));
      }
      const rest = data.subarray(end + 4);
      const { status, headers } = parsed;
      if (status === 204 || status === 304 || method === 'HEAD') {
        return atEnd ? { status, headers, body: rest } : undefined;
      }
      if (/\bchunked\b/i.test(headers.get('transfer-encoding') ?? '')) {
        const bodyBytes = dechunk(rest);
        if (bodyBytes) return { status, headers, body: bodyBytes };
        if (atEnd) throw new Error('the connection closed inside a chunked body');
        return undefined;
      }
      const length = headers.get('content-length');
      if (length !== undefined) {
        const n = Number(length);
        if (rest.length >= n) return { status, headers, body: rest.subarray(0, n) };
        if (atEnd) throw new Error(`the connection closed after ${rest.length} of ${n} body bytes`);
        return undefined;
      }
      return atEnd ? { status, headers, body: rest } : undefined;
    }

    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      try {
        const data = Buffer.concat(chunks);
        const end = data.indexOf(CRLF2);
        if (end >= 0 && /^HTTP\/\S+ (204|304)/.test(data.subarray(0, 16).toString('latin1'))) {
          // A bodiless status: keep reading until the target closes, or briefly if it keeps the connection open.
          clearTimeout(grace);
          grace = setTimeout(() => finish(), NO_BODY_GRACE_MS);
          return;
        }
        if (complete(false)) finish();
      } catch (error) {
        finish(error as Error);
      }
    });
    socket.once('end', () => finish());
    socket.once('close', () => finish());
    socket.once('error', (error) => {
      if (chunks.length) finish();
      else finish(error);
    });
    socket.write(head);
    if (body?.length) socket.write(body);
  });
}
