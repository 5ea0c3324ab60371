import type { IncomingMessage } from 'node:http';
import type { Logger } from '../logger.js';
import { resourceMetadataUrl } from '../oauth/metadata.js';
import type { OAuthSettings } from '../oauth/settings.js';
import type { TokenVerifier, Verification } from '../oauth/verifier.js';
import {
  type Authenticator,
  type AuthResult,
  bearerToken,
  bearerTokenAuthenticator,
  callerIdKey,
  headerMaterial,
  sha256,
} from './auth.js';

// The MCP authorization spec's resource-server side: a request's bearer token is an OAuth access token of
// the configured issuer, validated locally (see oauth/verifier.ts), and its scopes become the caller's
// access: the write scope gives the operator's policy, the read scope alone the read-only tools (see
// Caller.missingWriteScope), neither is a 403 `insufficient_scope`. Refusals follow RFC 6750 §3 and RFC
// 9728 §5.1: every 401 names the protected resource metadata (`resource_metadata`), so a client can find
// the authorization server; a request with no token gets no error code; an invalid token gets
// `invalid_token` and a description that says no more than "expired" or "not valid for this server" —
// the exact reason goes to the request's log line and the auth failure metric. The static token
// (`--http-token`) is still accepted beside OAuth: the operator's own credential, with the full policy.

export interface OAuthAuthenticatorOptions {
  settings: OAuthSettings;
  /** `--http-token`: accepted beside OAuth tokens as the operator's credential. */
  staticToken?: string;
  /** The server's per-user headers (part of the caller's identity, as for the static token). */
  callerHeaders?: readonly string[];
  logger: Logger;
}

/** An RFC 7230 quoted-string: `"` and `\` escaped, anything unprintable dropped. */
const quoted = (value: string) => `"${value.replace(/[^\x20-\x7E]/g, '').replace(/["\\]/g, '\\$&')}"`;

/** `Bearer resource_metadata="…", error="…", …` in that order. */
function challenge(metadataUrl: string, params: Record<string, string> = {}): string {
  const all = { resource_metadata: metadataUrl, ...params };
  return `Bearer ${Object.entries(all)
    .map(([name, value]) => `${name}=${quoted(value)}`)
    .join(', ')}`;
}

export function oauthAuthenticator(options: OAuthAuthenticatorOptions): Authenticator {
  const { settings, logger } = options;
  const callerHeaders = options.callerHeaders ?? [];
  const metadataUrl = resourceMetadataUrl(settings);
  const staticToken = options.staticToken
    ? bearerTokenAuthenticator(options.staticToken, callerHeaders)
    : undefined;
  const idOf = callerIdKey();
  // jose and the verifier load with the first token, not at start-up
  let verifier: Promise<TokenVerifier> | undefined;
  const verify = (token: string) => {
    verifier ??= import('../oauth/verifier.js').then((m) => m.createTokenVerifier(settings, logger));
    return verifier.then((v) => v.verify(token));
  };

  const refused = (verification: Exclude<Verification, { ok: true }>): AuthResult => {
    const { reason } = verification;
    if (reason === 'issuer_unreachable')
      return { ok: false, reason, status: 503, retryAfter: Math.ceil(settings.cooldownMs / 1000) };
    // beside the static token, something that is not even a JWT was most likely meant as that token
    const label = reason === 'malformed' && staticToken ? 'wrong_token' : reason;
    const description =
      reason === 'expired' ? 'The access token expired' : 'The access token is not valid for this server';
    return {
      ok: false,
      reason: label,
      challenge: challenge(metadataUrl, { error: 'invalid_token', error_description: description }),
    };
  };

  return async (req: IncomingMessage) => {
    const token = bearerToken(req);
    if (token === undefined) return { ok: false, reason: 'missing_token', challenge: challenge(metadataUrl) };
    if (staticToken) {
      const asStatic = await staticToken(req);
      if (asStatic.ok) return asStatic;
    }
    const verification = await verify(token);
    if (!verification.ok) return refused(verification);
    const { identity } = verification;
    const canWrite = identity.scopes.includes(settings.writeScope);
    if (!canWrite && !identity.scopes.includes(settings.readScope)) {
      return {
        ok: false,
        reason: 'insufficient_scope',
        status: 403,
        challenge: challenge(metadataUrl, {
          error: 'insufficient_scope',
          scope: settings.readScope,
          error_description: 'The access token grants no scope of this server',
        }),
      };
    }
    // the issuer and subject, not the token: a refreshed token is the same caller (confirmations,
    // cancellation and SSE sessions carry over)
    const material = `oauth\0${settings.issuer}\0${identity.subject}\0${headerMaterial(req, callerHeaders)}`;
    return {
      ok: true,
      caller: {
        method: 'oauth',
        id: idOf(material),
        scopes: identity.scopes,
        subject: identity.subject,
        issuer: settings.issuer,
        ...(identity.clientId ? { clientId: identity.clientId } : {}),
        ...(identity.groups ? { groups: identity.groups } : {}),
        ...(canWrite ? {} : { missingWriteScope: settings.writeScope }),
      },
      binding: sha256(material).toString('base64url'),
      resourceMetadataUrl: metadataUrl,
    };
  };
}
