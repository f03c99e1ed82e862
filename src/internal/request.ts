// A lightweight Request for openapi-fetch. openapi-fetch builds a WHATWG Request for every call and fetch then
// builds another one; on loopback that double construction, and reading the body back out of a stream to sign
// it, cost more than the network. This class keeps the serialised body as the string it is, lets the auth
// middleware edit headers in place, and is sent with fetch(url, init).
import { defaultTransport, type FetchFunction } from './transport-node.js';

export class VodRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  /** The serialised body (openapi-fetch's JSON), exactly the bytes that are sent and signed. */
  readonly body: string | undefined;
  readonly signal: AbortSignal | undefined;
  readonly redirect: RequestRedirect | undefined;

  constructor(input: string | URL, init: RequestInit = {}) {
    this.url = String(input);
    this.method = (init.method ?? 'GET').toUpperCase();
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
    if (init.body !== undefined && init.body !== null && typeof init.body !== 'string') {
      throw new TypeError('VodRequest: only string bodies are supported');
    }
    this.body = init.body ?? undefined;
    this.signal = init.signal ?? undefined;
    this.redirect = init.redirect;
  }

  /** A standard Request with the same contents, for middleware that needs one. */
  clone(): Request {
    return new Request(this.url, this.init());
  }

  text(): Promise<string> {
    return Promise.resolve(this.body ?? '');
  }

  json(): Promise<unknown> {
    return this.text().then((text) => JSON.parse(text));
  }

  init(): RequestInit {
    const init: RequestInit = { method: this.method, headers: this.headers };
    if (this.body !== undefined) init.body = this.body;
    if (this.signal) init.signal = this.signal;
    if (this.redirect) init.redirect = this.redirect;
    return init;
  }
}

/**
 * The fetch that openapi-fetch calls: sends a VodRequest (or a standard Request) with the given fetch, or, given
 * none, with the default transport (node:http on Node, fetch elsewhere: see transport-node.ts).
 */
export function sendWith(fetchImpl: FetchFunction | typeof fetch = defaultTransport()) {
  return (request: VodRequest | Request): Promise<Response> =>
    request instanceof VodRequest ? fetchImpl(request.url, request.init()) : fetchImpl(request);
}
