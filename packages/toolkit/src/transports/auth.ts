import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Caller } from '../caller.js';

/** Why a request was not let in; the label of `cloudmcp_auth_failures_total`. */
export type AuthFailureReason =
  /** No `Authorization: Bearer …`. */
  | 'missing_token'
  /** Not the static token (and, beside OAuth, not a JWT either). */
  | 'wrong_token'
  /** OAuth: not a JWT, or one that cannot be read. */
  | 'malformed'
  /** OAuth: an algorithm outside the allowlist (`none`, HS256 …). */
  | 'bad_algorithm'
  /** OAuth: the signature does not verify with the issuer's key. */
  | 'bad_signature'
  /** OAuth: no key of the issuer has the token's `kid`, even after fetching the keys again. */
  | 'unknown_key'
  | 'expired'
  /** OAuth: `nbf` or `iat` in the future (beyond the clock skew). */
  | 'not_yet_valid'
  | 'wrong_issuer'
  | 'wrong_audience'
  /** OAuth: a `typ` that is not an access token's (`at+jwt`, `JWT` or none). */
  | 'wrong_type'
  /** OAuth: no `sub` or no `exp`. */
  | 'missing_claim'
  /** OAuth: a valid token with neither the read nor the write scope (403). */
  | 'insufficient_scope'
  /** OAuth: the issuer's metadata or keys cannot be fetched now (503). */
  | 'issuer_unreachable';

export type AuthResult =
  | {
      ok: true;
      caller: Caller;
      /**
       * What confirmation state and cancellation are bound to (see callerDigest); default: a digest of
       * the Authorization header and the caller headers.
       */
      binding?: string;
      /** The RFC 9728 metadata URL a later challenge (a 403 `insufficient_scope`) points at. */
      resourceMetadataUrl?: string;
    }
  | {
      ok: false;
      reason: AuthFailureReason;
      /** 401 (default), 403 for a token lacking every scope, 503 when tokens cannot be checked now. */
      status?: 401 | 403 | 503;
      /** The `WWW-Authenticate` value (a 401 without one says `Bearer`). */
      challenge?: string;
      /** Seconds for `Retry-After` (with 503). */
      retryAfter?: number;
    };

/**
 * The HTTP pipeline's authentication step, run before anything else a request asks for (except the
 * preflight, the probes and the protected resource metadata). The static bearer token is checked by
 * `bearerTokenAuthenticator`, OAuth access tokens by `oauthAuthenticator`; each returns the caller it found.
 */
export type Authenticator = (req: IncomingMessage) => Promise<AuthResult>;

export const sha256 = (value: string) => createHash('sha256').update(value).digest();

/** The token of `Authorization: Bearer <token>`, or undefined. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  return match ? match[1]!.trim() : undefined;
}

/** The named request headers with their values, in a fixed order. */
export function headerMaterial(req: IncomingMessage, names: readonly string[]): string {
  return names
    .map((name) => {
      const value = req.headers[name.toLowerCase()];
      return `${name}\0${Array.isArray(value) ? value.join('\0') : (value ?? '')}\0`;
    })
    .join('');
}

/** The request's credential and per-user headers. */
const callerMaterial = (req: IncomingMessage, callerHeaders: readonly string[]) =>
  headerMaterial(req, ['authorization', ...callerHeaders]);

/**
 * What confirmation state and cancellation are bound to: a digest of the bearer token and the caller
 * headers, never the values. The same in every process (a retry may reach another replica), and only
 * ever used under the state seal's HMAC, never shown.
 */
export function callerDigest(req: IncomingMessage, callerHeaders: readonly string[]): string {
  return sha256(callerMaterial(req, callerHeaders)).toString('base64url');
}

/** An HMAC under a key drawn now: a caller's id for logs (see Caller.id). */
export function callerIdKey(): (material: string) => string {
  const key = randomBytes(32);
  return (material) => createHmac('sha256', key).update(material).digest('base64url').slice(0, 16);
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
  const idOf = callerIdKey();
  const expected = token === undefined ? undefined : sha256(token);
  const callerId = (req: IncomingMessage) => idOf(callerMaterial(req, callerHeaders));
  return async (req) => {
    if (expected === undefined)
      return { ok: true, caller: { method: 'none', id: callerId(req), scopes: [] } };
    const given = bearerToken(req);
    if (given === undefined) return { ok: false, reason: 'missing_token' };
    if (!timingSafeEqual(sha256(given), expected)) return { ok: false, reason: 'wrong_token' };
    return { ok: true, caller: { method: 'bearer-token', id: callerId(req), scopes: [] } };
  };
}
