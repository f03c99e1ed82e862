// Sends the contract suite's requests and records what the target really answered, byte for byte (http.ts). A
// request is built from the operation in the spec (path, query serialised per parameter, JSON body) with the
// credentials a check asks for: the target's own, none, a wrong token, or AK/SK signed by src/signer.ts, possibly
// with an old X-Sdk-Date or a spoilt signature. Throttling (429) is waited out, and on targets other than loopback
// requests are spaced by the operation's x-rate-limit.
import { signHeaders } from '../../src/signer.js';
import type { OperationModel } from './cases/operations.js';
import { serialiseQuery } from './cases/operations.js';
import { rawRequest, sentHeaders } from './http.js';
import type { AkSk, Target } from './target.js';

export interface Exchange {
  operation: string;
  method: string;
  url: string;
  /** The request headers as sent, in order (Host and Content-Length included); secrets included. */
  requestHeaders: [string, string][];
  /** The request body as sent (undefined: none). */
  requestBody: string | undefined;
  /** Which credentials went with the request (never their values). */
  auth: string;
  /** 0 when no HTTP response arrived. */
  status: number;
  contentType: string | null;
  headers: Map<string, string>;
  /** The raw response body, as the target sent it. */
  text: string;
  bodyBytes: number;
  /** Why no response arrived. */
  networkError?: string;
  /** 429s waited out before this response. */
  throttled?: number;
}

export type Auth =
  | { kind: 'target' }
  | { kind: 'none' }
  | { kind: 'token'; token: string; label: string }
  /** AK/SK signing; `date` for the X-Sdk-Date; `tamper` spoils the signed headers or the body afterwards. */
  | { kind: 'aksk'; aksk: AkSk; label: string; date?: Date; tamper?: (headers: Headers, body: string | undefined) => string | undefined }
  | { kind: 'headers'; headers: Record<string, string>; label: string };

export interface Outgoing {
  query?: Record<string, unknown>;
  body?: unknown;
  /** Exact body bytes instead of `body`. */
  raw?: string;
}

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

/**
 * The value of a path parameter: the target's project ID, a value the target was given (VOD_DOMAIN_ID for
 * `{domain_id}`), else the parameter's example in the spec (enough for a mock).
 */
export const pathValue = (target: Target, op: OperationModel, name: string): string =>
  name === 'project_id' ? target.projectId : (target.pathValues[name] ?? String(op.parameters.find((p) => p.name === name)?.examples[0] ?? name));

export function operationUrl(target: Target, op: OperationModel, query: Record<string, unknown> = {}): URL {
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(pathValue(target, op, name)));
  const search = serialiseQuery(op, query);
  return new URL(`${target.baseUrl()}${path}${search ? `?${search}` : ''}`);
}

// Spacing between requests of one rate-limit group on a remote target: its per-tenant limit, spread evenly.
const nextSlot = new Map<string, number>();
async function spaced(target: Target, op: OperationModel) {
  const perMinute = op.rateLimit?.perTenantPerMinute;
  if (target.loopback || !perMinute) return;
  const group = op.rateLimit?.group ?? op.id;
  const gap = 60_000 / perMinute;
  const now = Date.now();
  const slot = Math.max(now, nextSlot.get(group) ?? 0);
  nextSlot.set(group, slot + gap);
  if (slot > now) await new Promise((r) => setTimeout(r, slot - now));
}

async function sendOnce(target: Target, op: OperationModel, out: Outgoing, auth: Auth): Promise<Exchange> {
  const url = operationUrl(target, op, out.query);
  const requestBody = out.raw ?? (out.body === undefined ? undefined : JSON.stringify(out.body));
  const headers = new Headers();
  if (requestBody !== undefined) headers.set('content-type', op.body?.mediaType ?? 'application/json');
  let label = '';
  let bodyToSend = requestBody;
  const sign = async (aksk: AkSk, date?: Date) => {
    headers.set('x-project-id', target.projectId);
    await signHeaders({ method: op.method, url, headers, body: requestBody ?? '' }, aksk, date ? { date } : {});
  };
  switch (auth.kind) {
    case 'target':
      // The token where the operation accepts one (or nothing else was given), else an AK/SK signature.
      if (target.token && (op.security.token || !target.aksk)) {
        label = 'X-Auth-Token';
        headers.set('x-auth-token', target.token);
      } else {
        label = `AK/SK signed (Authorization, X-Sdk-Date${target.aksk?.securityToken ? ', X-Security-Token' : ''})`;
        await sign(target.aksk!);
      }
      break;
    case 'none':
      label = 'no credentials';
      break;
    case 'token':
      headers.set('x-auth-token', auth.token);
      label = auth.label;
      break;
    case 'aksk':
      await sign(auth.aksk, auth.date);
      if (auth.tamper) bodyToSend = auth.tamper(headers, requestBody);
      label = auth.label;
      break;
    case 'headers':
      for (const [k, v] of Object.entries(auth.headers)) headers.set(k, v);
      label = auth.label;
      break;
  }
  const x: Exchange = {
    operation: op.id,
    method: op.method,
    url: url.toString(),
    requestHeaders: sentHeaders({ method: op.method, url, headers: [...headers.entries()], ...(bodyToSend !== undefined ? { body: Buffer.from(bodyToSend, 'utf8') } : {}) }),
    requestBody: bodyToSend,
    auth: label,
    status: 0,
    contentType: null,
    headers: new Map(),
    text: '',
    bodyBytes: 0,
  };
  await spaced(target, op);
  try {
    const response = await rawRequest({
      method: op.method,
      url,
      headers: [...headers.entries()],
      ...(bodyToSend !== undefined ? { body: Buffer.from(bodyToSend, 'utf8') } : {}),
      timeoutMs,
    });
    x.status = response.status;
    x.headers = response.headers;
    x.contentType = response.headers.get('content-type') ?? null;
    x.text = response.body.toString('utf8');
    x.bodyBytes = response.body.length;
  } catch (error) {
    x.networkError = target.redact(error instanceof Error ? error.message : String(error));
  }
  return x;
}

/** How long a throttled request waits at most, in total, before the 429 is the answer. */
const THROTTLE_BUDGET_MS = 90_000;

/**
 * Sends one request. A 429 is a legitimate answer to any request: it is checked like any other response by the
 * caller through `throttledBy`, waited out (Retry-After, else 1 s, at most 60 s) and the request is sent again.
 */
export async function send(
  target: Target,
  op: OperationModel,
  out: Outgoing,
  auth: Auth = { kind: 'target' },
  options: { onThrottled?: (x: Exchange) => void; retryThrottled?: boolean } = {},
): Promise<Exchange> {
  let waited = 0;
  let throttled = 0;
  for (;;) {
    const x = await sendOnce(target, op, out, auth);
    if (x.status !== 429 || options.retryThrottled === false) return { ...x, throttled };
    options.onThrottled?.(x);
    const seconds = Number(x.headers.get('retry-after'));
    const wait = Math.min(60_000, Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 1000);
    if (waited + wait > THROTTLE_BUDGET_MS) return { ...x, throttled };
    waited += wait;
    throttled++;
    await new Promise((r) => setTimeout(r, wait));
  }
}
