// Authentication as openapi-fetch middleware: an IAM token, or AK/SK signing over the exact bytes sent.
import type { Middleware } from 'openapi-fetch';
import { VodConfigError } from '../errors.js';
import { VodRequest } from './request.js';
import { signHeaders, type AkSkCredentials } from '../signer.js';

export interface TokenCredentials {
  /** A project-scoped IAM token (X-Subject-Token of IAM's token API), valid for 24 hours. */
  readonly token: string;
}
/**
 * `{ token }` or `{ ak, sk, securityToken? }`, never both: a mix is a type error here and a VodConfigError at run
 * time, since which one the caller meant cannot be told.
 */
export type Credentials =
  | (TokenCredentials & { readonly ak?: never; readonly sk?: never; readonly securityToken?: never })
  | (AkSkCredentials & { readonly token?: never });

const akSkKeys = ['ak', 'sk', 'securityToken'] as const;

/** What is wrong with a credential value, in words that never include the value itself. */
function problem(value: unknown): string | undefined {
  if (value === undefined) return 'missing';
  if (typeof value !== 'string') return `got ${value === null ? 'null' : typeof value}`;
  return value.length === 0 ? 'empty' : undefined;
}

/**
 * Checks the shape of `credentials` without ever echoing a value, naming each missing or empty key. Returns a
 * private copy. A key set to `undefined` counts as absent (as from an unset environment variable).
 */
export function checkCredentials(credentials: unknown): Credentials {
  if (typeof credentials !== 'object' || credentials === null) {
    throw new VodConfigError('credentials: pass { token } or { ak, sk, securityToken? }');
  }
  const c = credentials as Record<string, unknown>;
  const akSkGiven = akSkKeys.filter((key) => c[key] !== undefined);
  if (c.token !== undefined && akSkGiven.length > 0) {
    throw new VodConfigError(
      `credentials: ambiguous, both token and ${akSkGiven.join(', ')} are set; pass either { token } or { ak, sk, securityToken? }`,
    );
  }
  if (c.token !== undefined) {
    const tokenProblem = problem(c.token);
    if (tokenProblem) throw new VodConfigError(`credentials.token: must be a non-empty string (${tokenProblem})`);
    return { token: c.token as string };
  }
  if (akSkGiven.length === 0) {
    throw new VodConfigError('credentials: pass { token } or { ak, sk, securityToken? } (token, ak and sk are all missing)');
  }
  const problems = (['ak', 'sk'] as const).flatMap((key) => {
    const found = problem(c[key]);
    return found ? [`credentials.${key}: must be a non-empty string (${found})`] : [];
  });
  const securityTokenProblem = c.securityToken === undefined ? undefined : problem(c.securityToken);
  if (securityTokenProblem) problems.push(`credentials.securityToken: must be a non-empty string when given (${securityTokenProblem})`);
  if (problems.length) throw new VodConfigError(problems.join('; '));
  return { ak: c.ak as string, sk: c.sk as string, ...(c.securityToken ? { securityToken: c.securityToken as string } : {}) };
}

export function authMiddleware(credentials: Credentials, projectId: string): Middleware {
  if (credentials.token !== undefined) {
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
