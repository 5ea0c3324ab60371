import { ConfigError } from '../config.js';
import { isLoopback } from '../transports/http-hosts.js';

/**
 * The operator's OAuth resource-server settings: which authorization server issues the tokens this server
 * accepts, the audience they must be issued for, and the scope names that map onto the policy.
 */
export interface OAuthSettings {
  /** The issuer identifier: tokens' `iss`, and the metadata's `issuer`, must equal it exactly. */
  issuer: string;
  /**
   * This server's canonical URI (RFC 8707 resource indicator, RFC 9728 `resource`): tokens' `aud` must
   * contain it. Its origin and path also give the metadata's address.
   */
  audience: string;
  /** The scope that lets a caller use the reading tools. */
  readScope: string;
  /** The scope that lets a caller use every tool the operator's policy allows. */
  writeScope: string;
  /** The JWKS address, when the issuer publishes no metadata (otherwise found through it). */
  jwksUrl?: string;
  /** Leeway for `exp`, `nbf` and `iat`, seconds. */
  clockSkewSeconds: number;
  /**
   * After fetching the JWKS, how long a token with an unknown `kid` waits before the keys are fetched
   * again; after a failed fetch, how long requests are refused before trying again. Milliseconds.
   */
  cooldownMs: number;
}

export const DEFAULT_READ_SCOPE = 'mcp:read';
export const DEFAULT_WRITE_SCOPE = 'mcp:write';

/** RFC 6749 §3.3 scope-token: printable ASCII less space, `"` and `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/;

/**
 * An https URL, or http on a loopback host (a local issuer for tests and development); no fragment, no
 * query (RFC 8414 §2 for issuers, RFC 9728 §1.2 for resources), no credentials.
 */
export function checkSecureUrl(value: string, flag: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${flag}: not a URL`);
  }
  const local = url.protocol === 'http:' && isLoopback(url.hostname);
  if (url.protocol !== 'https:' && !local)
    throw new ConfigError(`${flag}: use https (http only on loopback)`);
  if (value.includes('#') || url.search || value.includes('?'))
    throw new ConfigError(`${flag}: no query or fragment`);
  if (url.username || url.password) throw new ConfigError(`${flag}: no credentials in the URL`);
  return url;
}

export interface OAuthOptionValues {
  oauthIssuer?: string | undefined;
  oauthAudience?: string | undefined;
  oauthScopeRead?: string | undefined;
  oauthScopeWrite?: string | undefined;
  oauthJwksUrl?: string | undefined;
}

/** The OAuth settings of a configuration, checked; undefined when `--oauth-issuer` is not set. */
export function oauthSettingsFrom(config: OAuthOptionValues): OAuthSettings | undefined {
  const { oauthIssuer: issuer, oauthAudience: audience } = config;
  if (issuer === undefined) {
    if (audience !== undefined || config.oauthJwksUrl !== undefined)
      throw new ConfigError(
        '--oauth-audience and --oauth-jwks-url need --oauth-issuer (CLOUDMCP_OAUTH_ISSUER)',
      );
    return undefined;
  }
  checkSecureUrl(issuer, '--oauth-issuer (CLOUDMCP_OAUTH_ISSUER)');
  if (audience === undefined)
    throw new ConfigError(
      "--oauth-issuer needs --oauth-audience (CLOUDMCP_OAUTH_AUDIENCE): this server's URL, e.g. https://mcp.example.com/mcp",
    );
  checkSecureUrl(audience, '--oauth-audience (CLOUDMCP_OAUTH_AUDIENCE)');
  if (config.oauthJwksUrl !== undefined) checkSecureUrl(config.oauthJwksUrl, '--oauth-jwks-url');
  const readScope = config.oauthScopeRead ?? DEFAULT_READ_SCOPE;
  const writeScope = config.oauthScopeWrite ?? DEFAULT_WRITE_SCOPE;
  for (const [flag, scope] of [
    ['--oauth-scope-read', readScope],
    ['--oauth-scope-write', writeScope],
  ] as const) {
    if (!SCOPE_TOKEN.test(scope)) throw new ConfigError(`${flag}: not an OAuth scope name`);
  }
  if (readScope === writeScope)
    throw new ConfigError('--oauth-scope-read and --oauth-scope-write must differ');
  return {
    issuer,
    audience,
    readScope,
    writeScope,
    ...(config.oauthJwksUrl !== undefined ? { jwksUrl: config.oauthJwksUrl } : {}),
    clockSkewSeconds: 60,
    cooldownMs: 30_000,
  };
}
