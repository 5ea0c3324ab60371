import type { AuthInfo, ServerContext } from '@modelcontextprotocol/server';

/**
 * Who is calling over HTTP, as the transport's `authenticate` step established it. It reaches the tools
 * (`ToolContext.caller`) and every log line of the request, so nothing in it may be a secret.
 */
export interface Caller {
  /**
   * How the caller proved who it is: the static bearer token (`--http-token`), an OAuth access token of
   * the configured issuer (`--oauth-issuer`), or nothing (no credential configured).
   */
  method: 'bearer-token' | 'oauth' | 'none';
  /**
   * A stable, non-secret id for logs: an HMAC of the credential (for OAuth, of the issuer and subject) and
   * the caller headers under a key the process draws at start, so one caller's lines can be followed and no
   * one can test a guess against it.
   */
  id: string;
  /** The scopes the credential grants; empty for the static token (the server's policy decides). */
  scopes: readonly string[];
  /** The authenticated subject where the credential names one (a JWT's `sub`); none for the static token. */
  subject?: string;
  /** The issuer that vouches for `subject` (OAuth). */
  issuer?: string;
  /** The OAuth client the token was issued to (`client_id`, or `azp`), where it says. */
  clientId?: string;
  /** The groups the token names (a `groups` claim), where it does: for impersonation by servers that offer it. */
  groups?: readonly string[];
  /**
   * Set when the credential lets the caller read only (an OAuth token with the read scope and not the write
   * one): the scope writing needs. This caller's tools/list shows the tools the server shows under
   * `--read-only`, and a call of any other tool the operator's policy allows is answered 403
   * `insufficient_scope` naming this scope, so the client can ask its user for it (step-up).
   */
  missingWriteScope?: string;
}

/** The caller the HTTP transport put into a request's `authInfo`; undefined without one (stdio). */
export function callerFromAuth(authInfo: AuthInfo | undefined): Caller | undefined {
  return authInfo?.extra?.['identity'] as Caller | undefined;
}

/** The caller of the request a handler serves; undefined on stdio. */
export function callerIdentity(ctx: ServerContext): Caller | undefined {
  return callerFromAuth(ctx.http?.authInfo);
}
