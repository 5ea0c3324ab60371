import { decodeJwt, decodeProtectedHeader, errors, type JWTPayload, jwtVerify } from 'jose';
import type { Logger } from '../logger.js';
import type { AuthFailureReason } from '../transports/auth.js';
import { IssuerKeys, IssuerUnreachable } from './issuer-keys.js';
import type { OAuthSettings } from './settings.js';

// Validates OAuth 2.0 JWT access tokens (RFC 9068) for this resource server with jose: the signature by
// the issuer's published keys, with asymmetric algorithms only (never `none`, never HS*: an HMAC "signed"
// with the public key is the classic forgery), `iss` exactly the issuer, `aud` containing this server's
// URI (RFC 8707: a token for another resource is refused), `exp` required, `nbf` and `iat` not in the
// future, all with a clock skew, and `typ` an access token's when present. This module (and jose) loads on
// the first token a server sees.

/** Asymmetric signatures only; `Ed25519` is the fully-specified name of EdDSA with that curve (RFC 9864). */
export const ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA', 'Ed25519'];

/** Header `typ` values of an access token (RFC 9068 §2.1), compared case-insensitively; absent is fine too. */
const ACCESS_TOKEN_TYPES = new Set(['at+jwt', 'application/at+jwt', 'jwt', 'application/jwt']);

/** Far beyond any real access token; refused before anything is decoded. */
const MAX_TOKEN_CHARS = 16 * 1024;
const MAX_LIST = 256;
const MAX_STRING = 256;

/** What a valid token says about its holder (never the token itself). */
export interface TokenIdentity {
  subject: string;
  scopes: string[];
  clientId?: string;
  groups?: string[];
}

export type Verification =
  | { ok: true; identity: TokenIdentity }
  | { ok: false; reason: Exclude<AuthFailureReason, 'missing_token' | 'wrong_token' | 'insufficient_scope'> };

export interface TokenVerifier {
  verify(token: string): Promise<Verification>;
}

const shortString = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= MAX_STRING;

/** Up to MAX_LIST short strings of an array (or of one space-separated string); the rest is dropped. */
function stringList(value: unknown): string[] {
  const items = typeof value === 'string' ? value.split(' ') : Array.isArray(value) ? value : [];
  return items.filter(shortString).slice(0, MAX_LIST);
}

/**
 * Rebuilt from an allowlist of claims: `sub`; scopes from `scope` (RFC 9068, space-separated) and `scp`
 * (Entra ID, Okta: an array or a string); the client from `client_id`, else `azp`; `groups`.
 */
function identityOf(payload: JWTPayload): TokenIdentity | undefined {
  if (!shortString(payload.sub)) return undefined;
  const clientId = [payload['client_id'], payload['azp']].find(shortString);
  const groups = Array.isArray(payload['groups']) ? stringList(payload['groups']) : undefined;
  return {
    subject: payload.sub,
    scopes: [...new Set([...stringList(payload['scope']), ...stringList(payload['scp'])])],
    ...(clientId ? { clientId } : {}),
    ...(groups ? { groups } : {}),
  };
}

function reasonOf(error: unknown): Exclude<Verification, { ok: true }>['reason'] {
  if (error instanceof IssuerUnreachable) return 'issuer_unreachable';
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return 'missing_claim';
    if (error.claim === 'nbf' || error.claim === 'iat') return 'not_yet_valid';
    if (error.claim === 'iss') return 'wrong_issuer';
    if (error.claim === 'aud') return 'wrong_audience';
    return 'malformed';
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'bad_algorithm';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad_signature';
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys)
    return 'unknown_key';
  return 'malformed';
}

export function createTokenVerifier(settings: OAuthSettings, logger: Logger): TokenVerifier {
  const keys = new IssuerKeys(settings, logger);
  const options = {
    issuer: settings.issuer,
    audience: settings.audience,
    algorithms: ALGORITHMS,
    clockTolerance: settings.clockSkewSeconds,
    requiredClaims: ['exp', 'sub'],
  };
  return {
    async verify(token) {
      if (token.length > MAX_TOKEN_CHARS) return { ok: false, reason: 'malformed' };
      let header: ReturnType<typeof decodeProtectedHeader>;
      let claims: JWTPayload;
      try {
        header = decodeProtectedHeader(token);
        claims = decodeJwt(token);
      } catch {
        return { ok: false, reason: 'malformed' };
      }
      // Checks on what the token says before any key is looked up, so a token that could never pass
      // (another issuer's, another resource's, an algorithm we refuse) costs no key fetch. They only
      // ever refuse; jwtVerify checks everything again on the verified token.
      if (typeof header.alg !== 'string' || !ALGORITHMS.includes(header.alg))
        return { ok: false, reason: 'bad_algorithm' };
      if (header.typ !== undefined && !ACCESS_TOKEN_TYPES.has(String(header.typ).toLowerCase()))
        return { ok: false, reason: 'wrong_type' };
      if (claims.iss !== settings.issuer) return { ok: false, reason: 'wrong_issuer' };
      const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
      if (!audiences.includes(settings.audience)) return { ok: false, reason: 'wrong_audience' };
      try {
        const { payload } = await jwtVerify(token, keys.getKey, options);
        // jose checks `iat` only against a maximum age; a token issued in the future is not valid yet
        if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + settings.clockSkewSeconds)
          return { ok: false, reason: 'not_yet_valid' };
        const identity = identityOf(payload);
        return identity ? { ok: true, identity } : { ok: false, reason: 'missing_claim' };
      } catch (error) {
        return { ok: false, reason: reasonOf(error) };
      }
    },
  };
}
