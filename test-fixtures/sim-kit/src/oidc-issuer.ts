import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readBody } from './http.js';
import { generateSigningKey, publicJwk, type SigningAlg, type SigningKey, signJwt } from './jwt-sign.js';
import { closeServer, listen } from './lifecycle.js';

// A small OAuth 2.0 authorization server for tests of resource servers: it publishes its metadata
// (RFC 8414 /.well-known/oauth-authorization-server and/or OpenID Connect discovery), a JWKS, and issues
// JWT access tokens (RFC 9068: typ at+jwt, iss, sub, aud, client_id, scope, iat, exp, jti) to registered
// clients by the client_credentials grant (client_secret_basic or client_secret_post), with the audience
// taken from RFC 8707's `resource`. It rotates its signing key on demand, counts the requests it serves
// (so a test can see when a resource server fetched what), and can go down. Only client_credentials: its
// authorization endpoint (which RFC 8414 metadata must name) refuses every request.

export interface IssuerClient {
  secret: string;
  /** Scopes this client may be granted; all of them when a token request names none. */
  scopes: string[];
  /** The token's `sub` (default: the client id, as RFC 9068 says for client_credentials). */
  subject?: string;
  /** A `groups` claim, as Keycloak, Okta and Entra put in tokens. */
  groups?: string[];
}

export interface OidcIssuerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** The issuer identifier's path: '' (default) for the origin, or e.g. '/realms/test' as Keycloak has. */
  path?: string;
  /** Default RS256. */
  alg?: SigningAlg;
  /** Which discovery documents are published (default both). */
  discovery?: 'oauth' | 'oidc' | 'both';
  clients?: Record<string, IssuerClient>;
  /** Default 300 s. */
  tokenLifetimeSeconds?: number;
  /**
   * A token request asking for scopes the client may not have: `refuse` it with `invalid_scope` (default,
   * as Okta does), or `drop` them and grant the rest, saying so in the response's `scope` (RFC 6749 §3.3;
   * Keycloak ignores scopes a client is not assigned).
   */
  unallowedScopes?: 'refuse' | 'drop';
}

export interface MintOptions {
  /** Header fields over `{ alg, kid, typ: 'at+jwt' }` of the current key. */
  header?: Record<string, unknown>;
  /** Seconds from now to `exp`; negative for an expired token (default: the token lifetime). */
  expiresIn?: number;
}

/** Requests received, by endpoint (also those answered 503 while down). */
export interface IssuerCounts {
  metadata: number;
  jwks: number;
  token: number;
}

export interface OidcIssuer {
  /** The issuer identifier (`iss`), `http://127.0.0.1:PORT` + path. */
  url: string;
  jwksUrl: string;
  tokenUrl: string;
  counts: IssuerCounts;
  /** The key that signs now. */
  readonly current: SigningKey;
  /**
   * A signed access token: `iss`, `iat`, `exp`, `jti` and `typ` from the issuer, the rest from `claims`
   * (`sub`, `aud`, `scope`, `client_id` … — anything, including wrong values, for tests).
   */
  mint(claims: Record<string, unknown>, options?: MintOptions): string;
  /** Signs with a new key (new `kid`); the previous one stays in the JWKS unless `retirePrevious`. */
  rotate(options?: { retirePrevious?: boolean }): SigningKey;
  /** While down, every endpoint answers 503. */
  down: boolean;
  close(): Promise<void>;
}

const PARAM_MAX = 64 * 1024;

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res
    .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers })
    .end(JSON.stringify(body));
}

function oauthError(res: ServerResponse, status: number, error: string, description: string, headers = {}) {
  json(res, status, { error, error_description: description }, headers);
}

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** RFC 6749 §2.3.1: Basic credentials are form-urlencoded before base64. */
function clientCredentials(req: IncomingMessage, form: URLSearchParams): [string, string] | undefined {
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(req.headers.authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    return [
      decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    ];
  }
  const id = form.get('client_id');
  const secret = form.get('client_secret');
  return id !== null && secret !== null ? [id, secret] : undefined;
}

/** RFC 8707: an absolute URI without a fragment. */
const validResource = (value: string) => URL.canParse(value) && !value.includes('#');

export async function startOidcIssuer(options: OidcIssuerOptions = {}): Promise<OidcIssuer> {
  const alg = options.alg ?? 'RS256';
  const path = (options.path ?? '').replace(/\/$/, '');
  const discovery = options.discovery ?? 'both';
  const clients = options.clients ?? {};
  const lifetime = options.tokenLifetimeSeconds ?? 300;
  const counts: IssuerCounts = { metadata: 0, jwks: 0, token: 0 };
  let keys = [generateSigningKey(alg)];
  let issuerUrl = '';

  const mint = (claims: Record<string, unknown>, mintOptions: MintOptions = {}) => {
    const key = keys[keys.length - 1]!;
    const now = Math.floor(Date.now() / 1000);
    return signJwt(
      { alg: key.alg, kid: key.kid, typ: 'at+jwt', ...mintOptions.header },
      {
        iss: issuerUrl,
        iat: now,
        exp: now + (mintOptions.expiresIn ?? lifetime),
        jti: randomUUID(),
        ...claims,
      },
      key.privateKey,
    );
  };

  const metadata = () => ({
    issuer: issuerUrl,
    authorization_endpoint: `${issuerUrl}/authorize`,
    token_endpoint: `${issuerUrl}/token`,
    jwks_uri: `${issuerUrl}/jwks`,
    response_types_supported: ['code'],
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    scopes_supported: [...new Set(Object.values(clients).flatMap((c) => c.scopes))],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [alg],
  });

  const token = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req, PARAM_MAX);
    if (body === undefined) return oauthError(res, 413, 'invalid_request', 'request too large');
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'))
      return oauthError(res, 400, 'invalid_request', 'expected application/x-www-form-urlencoded');
    const form = new URLSearchParams(body);
    const credentials = clientCredentials(req, form);
    const client =
      credentials && Object.hasOwn(clients, credentials[0]) ? clients[credentials[0]] : undefined;
    if (!credentials || !client || !same(client.secret, credentials[1]))
      return oauthError(res, 401, 'invalid_client', 'client authentication failed', {
        'www-authenticate': 'Basic realm="token"',
      });
    if (form.get('grant_type') !== 'client_credentials')
      return oauthError(res, 400, 'unsupported_grant_type', 'only client_credentials is supported');
    const asked = (form.get('scope') ?? '').split(' ').filter(Boolean);
    const allowed = asked.filter((scope) => client.scopes.includes(scope));
    if (allowed.length < asked.length && (options.unallowedScopes !== 'drop' || allowed.length === 0)) {
      const denied = asked.filter((scope) => !client.scopes.includes(scope));
      return oauthError(res, 400, 'invalid_scope', `not granted to this client: ${denied.join(' ')}`);
    }
    const resources = form.getAll('resource');
    if (resources.length !== 1 || !validResource(resources[0]!))
      return oauthError(res, 400, 'invalid_target', 'name exactly one resource (an absolute URI)');
    const scope = (allowed.length ? allowed : client.scopes).join(' ');
    const accessToken = mint({
      sub: client.subject ?? credentials[0],
      aud: resources[0],
      client_id: credentials[0],
      scope,
      ...(client.groups ? { groups: client.groups } : {}),
    });
    json(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: lifetime, scope });
  };

  const oauthPath = `/.well-known/oauth-authorization-server${path}`;
  const oidcPath = `${path}/.well-known/openid-configuration`;
  /** Which counted endpoint a request is for (a disabled discovery document is not one). */
  const endpointOf = (route: string): keyof IssuerCounts | undefined => {
    if (route === `GET ${oauthPath}` && discovery !== 'oidc') return 'metadata';
    if (route === `GET ${oidcPath}` && discovery !== 'oauth') return 'metadata';
    if (route === `GET ${path}/jwks`) return 'jwks';
    if (route === `POST ${path}/token`) return 'token';
    return undefined;
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://issuer');
    const endpoint = endpointOf(`${req.method} ${url.pathname}`);
    if (endpoint) counts[endpoint]++;
    if (issuer.down) return oauthError(res, 503, 'temporarily_unavailable', 'the issuer is down');
    if (endpoint === 'metadata') return json(res, 200, metadata(), { 'cache-control': 'max-age=300' });
    if (endpoint === 'jwks')
      return json(res, 200, { keys: keys.map(publicJwk) }, { 'content-type': 'application/jwk-set+json' });
    if (endpoint === 'token')
      return void token(req, res).catch(() => oauthError(res, 500, 'server_error', 'token request failed'));
    if (url.pathname === `${path}/authorize`)
      return oauthError(res, 400, 'unsupported_response_type', 'this issuer grants client_credentials only');
    json(res, 404, { error: 'not_found' });
  });
  const { port, urlHost } = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  issuerUrl = `http://${urlHost}:${port}${path}`;

  const issuer: OidcIssuer = {
    url: issuerUrl,
    jwksUrl: `${issuerUrl}/jwks`,
    tokenUrl: `${issuerUrl}/token`,
    counts,
    get current() {
      return keys[keys.length - 1]!;
    },
    mint,
    rotate({ retirePrevious = false } = {}) {
      const next = generateSigningKey(alg);
      keys = retirePrevious ? [next] : [...keys, next];
      return next;
    },
    down: false,
    close: () => closeServer(server, { clear: () => {} }),
  };
  return issuer;
}
