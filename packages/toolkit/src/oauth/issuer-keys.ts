import {
  createLocalJWKSet,
  errors,
  type FlattenedJWSInput,
  type JSONWebKeySet,
  type JWSHeaderParameters,
} from 'jose';
import type { Logger } from '../logger.js';
import { checkSecureUrl, type OAuthSettings } from './settings.js';

// The issuer's signing keys, found the way its clients find them: the authorization server's metadata
// (RFC 8414 /.well-known/oauth-authorization-server, then OpenID Connect discovery) names `jwks_uri`, and
// its `issuer` must be the configured one. Nothing is fetched before the first token. jose selects the key
// of a token (kid, alg, kty, use) from the set held here; this file decides when to fetch:
// - the first token loads the metadata and the keys; if that fails, tokens are refused (503) for a
//   cooldown, then the next one tries again — a flood of requests during an outage costs one fetch each
//   cooldown, not one each;
// - a token whose `kid` is unknown fetches the keys again (the issuer rotated), at most once per cooldown
//   (a flood of made-up kids costs one fetch each cooldown);
// - keys older than MAX_AGE_MS are fetched again on the next token; if that fails, the keys in hand keep
//   serving (an issuer outage does not lock every user out) and the next try waits a cooldown.

const MAX_AGE_MS = 10 * 60_000;
const FETCH_TIMEOUT_MS = 5_000;
const MAX_DOCUMENT_BYTES = 512 * 1024;

/** The issuer's metadata or keys could not be fetched (the caller answers 503). */
export class IssuerUnreachable extends Error {
  override name = 'IssuerUnreachable';
}

type KeySelector = ReturnType<typeof createLocalJWKSet>;

/** A JSON document, no redirects, bounded in time and size; `undefined` for 404. */
async function fetchJson(url: string): Promise<unknown> {
  const response = await fetch(url, {
    redirect: 'manual',
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
  });
  if (response.status === 404) {
    await response.body?.cancel();
    return undefined;
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new IssuerUnreachable(`${url} answered ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length'));
  if (declared > MAX_DOCUMENT_BYTES) throw new IssuerUnreachable(`${url}: document too large`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += chunk.length;
    if (size > MAX_DOCUMENT_BYTES) throw new IssuerUnreachable(`${url}: document too large`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new IssuerUnreachable(`${url}: not JSON`);
  }
}

/**
 * Where the metadata may be, in order: RFC 8414's path-inserted form, OpenID Connect's appended form, and
 * the path-inserted OpenID form RFC 8414 §5 allows (the MCP authorization spec's order).
 */
export function metadataUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/$/, '');
  return [
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    `${url.origin}${path}/.well-known/openid-configuration`,
    ...(path ? [`${url.origin}/.well-known/openid-configuration${path}`] : []),
  ];
}

async function discoverJwksUrl(issuer: string): Promise<string> {
  for (const url of metadataUrls(issuer)) {
    const document = (await fetchJson(url)) as { issuer?: unknown; jwks_uri?: unknown } | undefined;
    if (document === undefined) continue;
    // RFC 8414 §3.3: a document naming another issuer must not be used
    if (document.issuer !== issuer)
      throw new IssuerUnreachable(
        `${url} names issuer ${JSON.stringify(String(document.issuer).slice(0, 200))}, not ${issuer}`,
      );
    if (typeof document.jwks_uri !== 'string') throw new IssuerUnreachable(`${url} names no jwks_uri`);
    try {
      checkSecureUrl(document.jwks_uri, 'jwks_uri');
    } catch (error) {
      throw new IssuerUnreachable(`${url}: ${(error as Error).message}`);
    }
    return document.jwks_uri;
  }
  throw new IssuerUnreachable(`${issuer} publishes no authorization server metadata; set --oauth-jwks-url`);
}

export class IssuerKeys {
  private jwksUrl: string | undefined;
  private select: KeySelector | undefined;
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private failedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly settings: Pick<OAuthSettings, 'issuer' | 'jwksUrl' | 'cooldownMs'>,
    private readonly logger: Logger,
  ) {
    this.jwksUrl = settings.jwksUrl;
  }

  /** jose's key lookup for `jwtVerify`: the key of this token's header, fetching as described above. */
  readonly getKey = async (header: JWSHeaderParameters, token: FlattenedJWSInput) => {
    const now = Date.now();
    if (!this.select || now - this.fetchedAt >= MAX_AGE_MS) {
      if (this.select && this.coolingDown(now)) return this.select(header, token);
      await this.reload(now).catch((error: unknown) => {
        if (!this.select) throw error;
      });
    }
    try {
      return await this.select!(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || this.coolingDown(Date.now())) throw error;
      await this.reload(Date.now()).catch(() => {});
      return this.select!(header, token);
    }
  };

  private coolingDown(now: number): boolean {
    return now - Math.max(this.fetchedAt, this.failedAt) < this.settings.cooldownMs;
  }

  /** One fetch at a time; concurrent tokens wait for it. Throws IssuerUnreachable (also while cooling down). */
  private reload(now: number): Promise<void> {
    if (!this.loading) {
      if (now - this.failedAt < this.settings.cooldownMs)
        return Promise.reject(new IssuerUnreachable('the last fetch failed; waiting before the next'));
      this.loading = this.fetchKeys()
        .then((select) => {
          this.select = select;
          this.fetchedAt = Date.now();
        })
        .catch((error: unknown) => {
          this.failedAt = Date.now();
          const reason = error instanceof Error ? error.message : String(error);
          this.logger.warn('cannot fetch the OAuth issuer keys', { issuer: this.settings.issuer, reason });
          throw error instanceof IssuerUnreachable ? error : new IssuerUnreachable(reason);
        })
        .finally(() => {
          this.loading = undefined;
        });
    }
    return this.loading;
  }

  private async fetchKeys(): Promise<KeySelector> {
    this.jwksUrl ??= await discoverJwksUrl(this.settings.issuer);
    const set = (await fetchJson(this.jwksUrl)) as JSONWebKeySet | undefined;
    if (!set || !Array.isArray(set.keys)) throw new IssuerUnreachable(`${this.jwksUrl} is not a JWKS`);
    return createLocalJWKSet(set);
  }
}
