// Sends the contract suite's requests and records what the target really answered. Requests go through the
// generated client (validation off, so that invalid bodies reach the target); a middleware registered after the
// client's own ones sees the raw response first (openapi-fetch runs onResponse in reverse order), before the
// client normalises error bodies, and keeps a copy of its bytes. Requests the client cannot express (no
// credentials, half an AK/SK pair) go out with plain fetch.
import { createVodClient } from '../../src/index.js';
import type { Operation } from './conformance.js';
import type { Target } from './target.js';

export interface Exchange {
  operation: Operation;
  method: string;
  url: string;
  /** The request body as sent (undefined: none). */
  requestBody: string | undefined;
  /** Which credentials went with the request (never their values). */
  auth: string;
  /** 0 when no HTTP response arrived. */
  status: number;
  contentType: string | null;
  headers: Headers;
  /** The raw response body, as the target sent it. */
  text: string;
  /** Why no response arrived. */
  networkError?: string;
}

export const operationPath = {
  PublishAssetFromObs: '/v1.0/{project_id}/asset/reproduction',
  CreateSmartCover: '/v1.0/{project_id}/asset/smart_cover',
} as const;

const MAX_SHOWN = 400;
const shorten = (text: string) => (text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}… (${text.length} chars)` : text);

/** `request: METHOD url body [auth]; response: status content-type body`, with every credential redacted. */
export function describeExchange(target: Target, x: Exchange): string {
  const request = `request: ${x.method} ${x.url} ${x.requestBody === undefined ? '(no body)' : shorten(x.requestBody) || '(empty body)'} [${x.auth}]`;
  const response = x.status
    ? `response: ${x.status} ${x.contentType ?? '(no content-type)'} ${shorten(x.text) || '(empty body)'}`
    : `response: none (${x.networkError ?? 'no response'})`;
  return target.redact(`${request}; ${response}`);
}

const timeoutMs = 20_000;

/** Sends `body` with the generated client and the target's credentials; `serialized` sends those exact bytes instead. */
export async function send(
  target: Target,
  operation: Operation,
  body: unknown,
  options: { serialized?: string } = {},
): Promise<Exchange> {
  const client = createVodClient({
    projectId: target.projectId,
    endpoint: target.baseUrl(),
    credentials: target.credentials,
    validate: false,
    timeoutMs,
  });
  const x: Exchange = {
    operation,
    method: 'POST',
    url: `${target.baseUrl()}${operationPath[operation].replace('{project_id}', encodeURIComponent(target.projectId))}`,
    requestBody: options.serialized ?? JSON.stringify(body),
    auth: target.authLabel,
    status: 0,
    contentType: null,
    headers: new Headers(),
    text: '',
  };
  client.raw.use({
    async onRequest({ request }) {
      x.method = request.method;
      x.url = request.url;
      const sent = (request as { body?: unknown }).body;
      x.requestBody = typeof sent === 'string' ? sent : sent == null ? undefined : await request.clone().text();
      return undefined;
    },
    async onResponse({ response }) {
      x.status = response.status;
      x.contentType = response.headers.get('content-type');
      x.headers = new Headers(response.headers);
      x.text = await response.clone().text();
      return undefined;
    },
  });
  try {
    if (options.serialized !== undefined) {
      const serialized = options.serialized;
      await client.raw.POST(operationPath[operation], {
        params: { path: { project_id: target.projectId } },
        body: serialized as never,
        bodySerializer: () => serialized,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } else if (operation === 'PublishAssetFromObs') {
      await client.publishAssetFromObs(body as never);
    } else {
      await client.createSmartCover(body as never);
    }
  } catch (error) {
    // The raw response was recorded before the client could trip over it (e.g. a 200 whose body is not JSON).
    if (!x.status) x.networkError = target.redact(error instanceof Error ? error.message : String(error));
  }
  return x;
}

/** Sends `body` as JSON with plain fetch and exactly `headers` (no credentials unless given). */
export async function sendPlain(
  target: Target,
  operation: Operation,
  body: unknown,
  headers: Record<string, string>,
  auth: string,
): Promise<Exchange> {
  const url = `${target.baseUrl()}${operationPath[operation].replace('{project_id}', encodeURIComponent(target.projectId))}`;
  const requestBody = JSON.stringify(body);
  const x: Exchange = {
    operation, method: 'POST', url, requestBody, auth, status: 0, contentType: null, headers: new Headers(), text: '',
  };
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: requestBody,
      signal: AbortSignal.timeout(timeoutMs),
    });
    x.status = response.status;
    x.contentType = response.headers.get('content-type');
    x.headers = response.headers;
    x.text = await response.text();
  } catch (error) {
    x.networkError = target.redact(error instanceof Error ? `${error.message}${error.cause ? `: ${(error.cause as Error).message}` : ''}` : String(error));
  }
  return x;
}
