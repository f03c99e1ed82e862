// Authentication as openapi-fetch middleware: an IAM token, or AK/SK signing over the exact bytes sent.
import type { Middleware } from 'openapi-fetch';
import { VodConfigError } from './errors.js';
import { VodRequest } from './request.js';
import { signHeaders, type AkSkCredentials } from './signer.js';

export interface TokenCredentials {
  /** A project-scoped IAM token (X-Subject-Token of IAM's token API), valid for 24 hours. */
  readonly token: string;
}
export type Credentials = TokenCredentials | AkSkCredentials;

const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/** Checks the shape of `credentials` without ever echoing a value. Returns a private copy. */
export function checkCredentials(credentials: unknown): Credentials {
  const c = (credentials ?? {}) as Record<string, unknown>;
  if ('token' in c) {
    if (!nonEmpty(c.token)) throw new VodConfigError('credentials.token: must be a non-empty string');
    return { token: c.token };
  }
  if (!nonEmpty(c.ak) || !nonEmpty(c.sk)) {
    throw new VodConfigError('credentials: pass { token } or { ak, sk, securityToken? } with non-empty strings');
  }
  if (c.securityToken !== undefined && !nonEmpty(c.securityToken)) {
    throw new VodConfigError('credentials.securityToken: must be a non-empty string when given');
  }
  return { ak: c.ak, sk: c.sk, ...(c.securityToken ? { securityToken: c.securityToken as string } : {}) };
}

export function authMiddleware(credentials: Credentials, projectId: string): Middleware {
  if ('token' in credentials) {
    const { token } = credentials;
    return {
      onRequest({ request }) {
        request.headers.set('x-auth-token', token);
        return undefined;
      },
    };
  }
  return {
    async onRequest({ request }) {
      request.headers.set('x-project-id', projectId);
      // A VodRequest holds the body as the string that is sent; a standard Request (swapped in by a user's
      // middleware) has to be read back from a copy.
      const body = request instanceof VodRequest ? request.body : await request.clone().text();
      await signHeaders({ method: request.method, url: request.url, headers: request.headers, body }, credentials);
      return undefined;
    },
  };
}
