// Requests to the simulator as a client sends them (token or AK/SK signed with src/signer.ts), and the spec's
// response schemas, so that every answer a test reads is also checked against the spec.
import { signHeaders } from '../../src/signer.js';
import type { VodSimulator } from '../../src/simulator/index.js';
import { deref, operation, specAjv, type Json, type Validator } from '../helpers/spec.js';

export type Auth = 'token' | 'aksk' | 'none' | { token: string } | { ak: string; sk: string; date?: Date };

export interface Sent {
  status: number;
  headers: Headers;
  text: string;
  json: Json;
}

/** Sends one request to the simulator; `path` is relative to /v1.0/{project_id} unless it starts with /v. */
export async function call(
  sim: VodSimulator,
  method: string,
  path: string,
  { query, body, auth = 'token', raw }: { query?: Record<string, string | string[]>; body?: unknown; auth?: Auth; raw?: string } = {},
): Promise<Sent> {
  const url = new URL(path.startsWith('/v') ? `${sim.url}${path}` : `${sim.url}/v1.0/${sim.projectId}${path}`);
  for (const [k, v] of Object.entries(query ?? {})) for (const item of [v].flat()) url.searchParams.append(k, item);
  const headers = new Headers();
  const text = raw ?? (body === undefined ? undefined : JSON.stringify(body));
  if (text !== undefined) headers.set('content-type', 'application/json');
  if (auth === 'token') headers.set('x-auth-token', sim.token);
  else if (typeof auth === 'object' && 'token' in auth) headers.set('x-auth-token', auth.token);
  else if (auth !== 'none') {
    const pair = auth === 'aksk' ? { ak: sim.ak, sk: sim.sk } : auth;
    headers.set('x-project-id', sim.projectId);
    await signHeaders({ method, url, headers, body: text ?? null }, pair, 'date' in pair && pair.date ? { date: pair.date } : {});
  }
  const res = await fetch(url, { method, headers, ...(text !== undefined ? { body: text } : {}) });
  const out = await res.text();
  let json: Json;
  try {
    json = out ? JSON.parse(out) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text: out, json };
}

const ajv = specAjv();
const compiled = new Map<string, Validator>();

/** The spec's schema violations of a JSON answer of `operationId` with `status` (empty when it conforms). */
export function violations(operationId: string, status: number, body: unknown): string[] {
  const { op } = operation(operationId);
  const declared = op.responses[String(status)];
  if (!declared) return [`status ${status} is not declared for ${operationId}`];
  const content = deref(declared).content?.['application/json'];
  if (!content) return body === undefined ? [] : [`${operationId} ${status} is declared without a body`];
  const key = JSON.stringify(content.schema).replaceAll('"#/components/schemas/', '"vod.json#/$defs/');
  let validate = compiled.get(key);
  if (!validate) compiled.set(key, (validate = ajv.compile(JSON.parse(key)) as Validator));
  return validate(body) ? [] : (validate.errors ?? []).map((e: { instancePath: string; message?: string }) => `${e.instancePath} ${e.message}`);
}
