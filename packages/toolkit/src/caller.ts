import type { ServerContext } from '@modelcontextprotocol/server';

/**
 * Who is calling over HTTP, as the transport's `authenticate` step established it. It reaches the tools
 * (`ToolContext.caller`) and every log line of the request, so nothing in it may be a secret.
 */
export interface Caller {
  /** How the caller proved who it is: the static bearer token, or nothing (no token configured). */
  method: 'bearer-token' | 'none';
  /**
   * A stable, non-secret id for logs: an HMAC of the credential and the caller headers under a key the
   * process draws at start, so one caller's lines can be followed and no one can test a guess against it.
   */
  id: string;
  /** The scopes the credential grants; empty for the static token (the server's policy decides). */
  scopes: readonly string[];
  /** The authenticated subject where the credential names one (a JWT's `sub`); none for the static token. */
  subject?: string;
}

/** The caller the HTTP transport put into the request's `authInfo`; undefined on stdio. */
export function callerIdentity(ctx: ServerContext): Caller | undefined {
  return ctx.http?.authInfo?.extra?.['identity'] as Caller | undefined;
}
