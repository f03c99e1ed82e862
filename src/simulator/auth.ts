/// <reference types="node" />
// Authentication as Huawei's API gateway does it: an IAM token in X-Auth-Token, or an AK/SK signature
// (SDK-HMAC-SHA256) verified for real: the canonical request is rebuilt from what arrived (method, path, query, the
// headers the client says it signed, the exact body bytes) with src/signer.ts's canonical forms, signed with the SK
// of the claimed AK and compared in constant time. X-Sdk-Date must be within 15 minutes of the simulator's clock.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ALGORITHM, canonicalQuery, canonicalUri, EMPTY_BODY_SHA256 } from '../signer.js';

export const SDK_DATE_WINDOW_MS = 15 * 60_000;

export interface Credentials {
  token: string;
  ak: string;
  sk: string;
}

export type AuthResult = { ok: true; tenant: string; kind: 'token' | 'aksk' } | { ok: false; code: string; message: string };

const AUTHORIZATION = /^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-fA-F]+)$/;

/** `YYYYMMDDTHHMMSSZ` → epoch ms, or undefined when malformed. */
export function parseSdkDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : undefined;
}

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
};

const refuse = (message: string): AuthResult => ({ ok: false, code: 'APIG.0301', message: `Incorrect IAM authentication information: ${message}` });

/**
 * Checks the credentials of one request. `rawUrl` is the request target as sent (path and query, not decoded), `now`
 * the simulator's clock in epoch ms (a signature is judged against simulated time).
 */
export function authenticate(
  creds: Credentials,
  method: string,
  rawUrl: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
  now: number,
): AuthResult {
  const token = header(headers, 'x-auth-token');
  const authorization = header(headers, 'authorization');
  const date = header(headers, 'x-sdk-date');
  if (token !== undefined) {
    // One token: any other is refused as the gateway refuses a token IAM did not issue.
    if (safeEqual(token, creds.token)) return { ok: true, tenant: 'token', kind: 'token' };
    return refuse('the X-Auth-Token is not valid (decrypt token fail)');
  }
  if (authorization === undefined && date === undefined) return refuse('no credentials (X-Auth-Token, or Authorization with X-Sdk-Date)');
  if (authorization === undefined) return refuse('X-Sdk-Date without Authorization');
  if (date === undefined) return refuse('Authorization without X-Sdk-Date (AK/SK signing needs both)');
  const m = AUTHORIZATION.exec(authorization.trim());
  if (!m) return refuse(`the Authorization header is not "${ALGORITHM} Access=…, SignedHeaders=…, Signature=…"`);
  const [, ak, signedList, signature] = m as unknown as [string, string, string, string];
  const at = parseSdkDate(date);
  if (at === undefined) return refuse('X-Sdk-Date is not YYYYMMDDTHHMMSSZ');
  if (Math.abs(now - at) > SDK_DATE_WINDOW_MS) return refuse('X-Sdk-Date is more than 15 minutes off (verify aksk signature fail)');
  if (ak !== creds.ak) return refuse('the access key does not exist (AK not found)');
  const signed = signedList.toLowerCase().split(';');
  if (!signed.includes('host')) return refuse('SignedHeaders must include host');
  const url = new URL(rawUrl, 'http://simulator.invalid');
  let canonicalHeaders = '';
  for (const name of signed) {
    const value = header(headers, name);
    if (value === undefined) return refuse(`the signed header ${name} is missing`);
    canonicalHeaders += `${name}:${value.trim()}\n`;
  }
  const payload = header(headers, 'x-sdk-content-sha256');
  const bodyHash =
    payload !== undefined && signed.includes('x-sdk-content-sha256')
      ? payload
      : body.length
        ? createHash('sha256').update(body).digest('hex')
        : EMPTY_BODY_SHA256;
  const query = url.search ? canonicalQuery(url.searchParams) : '';
  const canonical = `${method.toUpperCase()}\n${canonicalUri(url.pathname)}\n${query}\n${canonicalHeaders}\n${signed.join(';')}\n${bodyHash}`;
  const stringToSign = `${ALGORITHM}\n${date}\n${createHash('sha256').update(canonical).digest('hex')}`;
  const expected = createHmac('sha256', creds.sk).update(stringToSign).digest('hex');
  if (!safeEqual(expected, signature.toLowerCase())) return refuse('verify aksk signature fail');
  return { ok: true, tenant: ak, kind: 'aksk' };
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
