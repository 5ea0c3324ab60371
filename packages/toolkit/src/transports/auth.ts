import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Caller } from '../caller.js';

/** Why a request was not let in; the label of `cloudmcp_auth_failures_total`. */
export type AuthFailureReason = 'missing_token' | 'wrong_token';

export type AuthResult =
  | { ok: true; caller: Caller }
  /** `challenge` is the `WWW-Authenticate` value of the 401 (default `Bearer`). */
  | { ok: false; reason: AuthFailureReason; challenge?: string };

/**
 * The HTTP pipeline's authentication step, run before anything else a request asks for (except the
 * preflight and the probes). Today it checks the static bearer token; an OAuth resource server validating
 * JWTs plugs in here and returns the caller it found.
 */
export type Authenticator = (req: IncomingMessage) => Promise<AuthResult>;

const sha256 = (value: string) => createHash('sha256').update(value).digest();

/** The request's credential and per-user headers, each named, in a fixed order. */
function callerMaterial(req: IncomingMessage, callerHeaders: readonly string[]): string {
  return ['authorization', ...callerHeaders]
    .map((name) => {
      const value = req.headers[name.toLowerCase()];
      return `${name}\0${Array.isArray(value) ? value.join('\0') : (value ?? '')}\0`;
    })
    .join('');
}

/**
 * What confirmation state and cancellation are bound to: a digest of the bearer token and the caller
 * headers, never the values. The same in every process (a retry may reach another replica), and only
 * ever used under the state seal's HMAC, never shown.
 */
export function callerDigest(req: IncomingMessage, callerHeaders: readonly string[]): string {
  return sha256(callerMaterial(req, callerHeaders)).toString('base64url');
}

/**
 * The static bearer token (constant-time compare: both sides hashed first, so lengths match), or nobody
 * checked when there is none. The caller's id is an HMAC of the same material as the digest under a key
 * drawn once per process: stable for a caller within the process, and useless for testing a guessed
 * token, so it may go into every log line.
 */
export function bearerTokenAuthenticator(
  token: string | undefined,
  callerHeaders: readonly string[] = [],
): Authenticator {
  const idKey = randomBytes(32);
  const expected = token === undefined ? undefined : sha256(token);
  const callerId = (req: IncomingMessage) =>
    createHmac('sha256', idKey).update(callerMaterial(req, callerHeaders)).digest('base64url').slice(0, 16);
  return async (req) => {
    if (expected === undefined)
      return { ok: true, caller: { method: 'none', id: callerId(req), scopes: [] } };
    const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (!match) return { ok: false, reason: 'missing_token' };
    if (!timingSafeEqual(sha256(match[1]!.trim()), expected)) return { ok: false, reason: 'wrong_token' };
    return { ok: true, caller: { method: 'bearer-token', id: callerId(req), scopes: [] } };
  };
}
