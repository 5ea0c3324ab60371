import { type AuthCache, type CachedToken, cacheKey, jwtExpiry } from '@cloudmcp/auth-cache';
import { badInput, type HttpClient, type HttpResponse, type Logger, UpstreamError } from '@cloudmcp/toolkit';
import { CloudekaError, DB_TOKENS_MISSING } from './errors.js';

export type Environment = 'production' | 'staging';
export type EnvironmentMode = Environment | 'auto';
/**
 * Who chose a client's environment: the operator (`--environment`), the request's `X-Cloudeka-Environment`
 * header, the stdio user (`switch_environment`, `auth`), or one call's own `environment` argument.
 */
export const ENVIRONMENT_SOURCES = ['operator', 'header', 'switch', 'argument'] as const;
export type EnvironmentSource = (typeof ENVIRONMENT_SOURCES)[number];
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type PathParams = Record<string, string | number>;
export type Query = Record<string, string | number | boolean | undefined>;

export const AUTH_ROUTE = '/core/cldkctl/auth';

export interface ApiRequest {
  method: Method;
  /** The route as endpoints.json writes it: `/core/user/project/detail/:project_id`. */
  route: string;
  /** Values of the route's `:params`; each is URL-encoded into its own path segment. */
  path?: PathParams;
  /** Query string (GET and DELETE); `undefined` values are left out. */
  query?: Query;
  /** JSON body (POST, PUT, PATCH). */
  body?: unknown;
  /** A POST that only reads (VM detail): retried on 5xx and resets like a GET. */
  idempotent?: boolean;
  /** Sent without a JWT (the portal login): a 401 then means the request itself was refused. */
  anonymous?: boolean;
  signal?: AbortSignal;
}

/** The `data` of Cloudeka's `{code, status, message, data}` envelope, and its message. */
export interface ApiAnswer {
  data: unknown;
  message?: string;
  /** Other top-level keys of the envelope (e.g. `pagination`). */
  extra?: Record<string, unknown>;
}

/** Who the cldkctl token belongs to, as the exchange reported it. Never holds the token or the JWT. */
export interface Identity {
  user?: string;
  user_id?: string;
  email?: string;
  role?: string;
  organization_id?: string;
}

export interface Session extends Identity {
  environment: Environment;
  base_url: string;
  /** When the JWT expires (epoch ms). */
  expiresAt: number;
}

export interface Fallback {
  from: 'production';
  to: 'staging';
  reason: string;
  at: string;
}

export interface CloudekaClientOptions {
  /**
   * The long-lived cldkctl token: kept in memory only, sent only to the auth route. Replaced only when
   * token_regenerate gave this very token a new value (`followRegenerated`).
   */
  token: string;
  urls: Record<Environment, string>;
  mode: EnvironmentMode;
  http: HttpClient;
  /** Caches JWTs (memory, then a 0600 file) across calls and processes; the cldkctl token is never stored. */
  cache: AuthCache;
  logger: Logger;
  now?: () => number;
}

/** Used when a JWT carries no `exp`: clients assume about a day. */
const DEFAULT_JWT_LIFETIME_MS = 23 * 3_600_000;

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Fills `:params` of a route, each URL-encoded; a missing one is a bug in the calling tool. */
export function fillPath(route: string, params: PathParams = {}): string {
  return route.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined || String(value) === '') {
      throw new Error(`path parameter ${name} of ${route} is missing`);
    }
    // encodeURIComponent keeps dots, and URL parsing resolves `.`/`..` segments: `..` as an id would send
    // the call to another route of the same method
    if (String(value) === '.' || String(value) === '..') {
      throw badInput(name, `\`${String(value)}\` is not an id (it would change the route called)`);
    }
    return encodeURIComponent(String(value));
  });
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}

/** The upstream's own words from an error body: `message`, `error`, `errors`, or the text itself. */
export function messageOf(body: unknown, text: string): string {
  if (isObject(body)) {
    const data = isObject(body['data']) ? body['data'] : {};
    for (const candidate of [
      body['message'],
      body['error'],
      body['errors'],
      data['message'],
      data['error'],
    ]) {
      const s = str(candidate);
      if (s) return s;
      if (Array.isArray(candidate) && candidate.length) {
        return candidate
          .map((c) => (isObject(c) ? (str(c['message']) ?? JSON.stringify(c)) : String(c)))
          .join('; ');
      }
      if (isObject(candidate)) return JSON.stringify(candidate);
    }
    const status = str(body['status']);
    if (status) return status;
  }
  // A proxy's HTML error page (nginx in front of the API): its title says it all.
  const title = /<title>([^<]+)<\/title>/i.exec(text)?.[1]?.trim();
  if (title && /<html/i.test(text)) return `${title} (an HTML error page, not the API)`;
  return text.trim() ? excerpt(text) : '(empty body)';
}

function parseJson(text: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Claims of a compact JWT, without verifying it (for who it belongs to when the exchange says little). */
function jwtClaims(jwt: string): Obj {
  const part = jwt.split('.')[1];
  if (!part) return {};
  try {
    const claims: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return isObject(claims) ? claims : {};
  } catch {
    return {};
  }
}

/** Reads who the token belongs to from the exchange's `data` (and the JWT's claims as a fallback). */
export function identityOf(data: Obj, jwt: string): Identity {
  const claims = jwtClaims(jwt);
  const pick = (...values: unknown[]) => values.map(str).find(Boolean);
  const org = isObject(data['organization']) ? data['organization'] : {};
  const role = isObject(data['role']) ? data['role'] : {};
  const identity: Identity = {};
  const fields: Array<[keyof Identity, string | undefined]> = [
    ['user', pick(data['name'], data['fullname'], data['username'], claims['name'], claims['username'])],
    ['user_id', pick(data['user_id'], data['id'], claims['user_id'], claims['sub'])],
    ['email', pick(data['email'], claims['email'])],
    ['role', pick(data['role'], role['name'], data['role_name'], claims['role'])],
    [
      'organization_id',
      pick(data['organization_id'], org['id'], claims['organization_id'], claims['org_id']),
    ],
  ];
  for (const [key, value] of fields) if (value) identity[key] = value;
  return identity;
}

/** Turns a response into its `data`, or throws CloudekaError with the status and the body's message. */
export function parseAnswer(label: string, response: HttpResponse): ApiAnswer {
  const body = parseJson(response.text);
  const code = isObject(body) && typeof body['code'] === 'number' ? body['code'] : undefined;
  if (response.status >= 400 || (code !== undefined && code >= 400)) {
    const status = response.status >= 400 ? response.status : code!;
    throw new CloudekaError(label, status, messageOf(body, response.text));
  }
  if (!response.text.trim()) return { data: undefined };
  if (body === undefined) {
    throw new UpstreamError(
      'malformed',
      `${label} answered HTTP ${response.status} with a body that is not valid JSON: ${excerpt(response.text)}`,
      { attempts: response.attempts },
    );
  }
  if (Array.isArray(body)) return { data: body };
  if (!isObject(body)) return { data: body };
  const message = str(body['message']);
  const { code: _c, status: _s, message: _m, data, ...rest } = body;
  if ('data' in body) {
    return { data, ...(message ? { message } : {}), ...(Object.keys(rest).length ? { extra: rest } : {}) };
  }
  return { data: Object.keys(rest).length ? rest : undefined, ...(message ? { message } : {}) };
}

function isUnauthorized(error: unknown): boolean {
  return error instanceof CloudekaError && error.status === 401 && !error.duringAuth;
}

/** What every view of one client shares: facts about the upstream, the same for all of its users. */
interface SharedState {
  /** The cldkctl token calls are made with (the operator's, or the new value it was regenerated to). */
  token: string;
  /** Set when `auto` fell back from production to staging in this process. */
  fallback: Fallback | undefined;
  /** Errors thrown by the exchange itself: only these may trigger the fallback. */
  readonly exchangeErrors: WeakSet<object>;
}

/**
 * The cldkctl API: exchanges the cldkctl token for a JWT (cached by `@cloudmcp/auth-cache`, refreshed
 * ahead of expiry and once on a 401), sends every call with it, and in `auto` mode falls back from
 * production to staging on the seed's two triggers only.
 *
 * A client never changes its own environment: `withEnvironment` makes a view bound to another one that
 * shares the connections, the JWT cache and the fallback, so one user's choice never reaches another's calls.
 */
export class CloudekaClient {
  /** `auto`: production until this process fell back to staging; otherwise that environment only. */
  readonly environmentMode: EnvironmentMode;
  readonly environmentSource: EnvironmentSource;
  private readonly opts: CloudekaClientOptions;
  private readonly shared: SharedState;

  constructor(opts: CloudekaClientOptions) {
    this.opts = opts;
    this.shared = { token: opts.token, fallback: undefined, exchangeErrors: new WeakSet() };
    this.environmentMode = opts.mode;
    this.environmentSource = 'operator';
  }

  /**
   * A view of this client bound to `environment` (no automatic fallback): same token, connections, JWT
   * cache and fallback state; this client is left as it was.
   */
  withEnvironment(environment: Environment, source: Exclude<EnvironmentSource, 'operator'>): CloudekaClient {
    // the constructor builds only an operator's client; a view copies this one's fields (sharing `shared`)
    const view: CloudekaClient = Object.create(CloudekaClient.prototype);
    return Object.assign(view, { ...this, environmentMode: environment, environmentSource: source });
  }

  /** The environment calls go to now. */
  get environment(): Environment {
    if (this.environmentMode === 'auto') return this.shared.fallback ? 'staging' : 'production';
    return this.environmentMode;
  }

  get baseUrl(): string {
    return this.opts.urls[this.environment];
  }

  urlOf(env: Environment): string {
    return this.opts.urls[env];
  }

  /** Set when this client is `auto` and the process fell back from production to staging. */
  get fellBack(): Fallback | undefined {
    return this.environmentMode === 'auto' ? this.shared.fallback : undefined;
  }

  /** Sends one call with a JWT; on a 401 the JWT is exchanged again once and the call sent once more. */
  async request(req: ApiRequest): Promise<ApiAnswer> {
    if (req.anonymous) return this.send(this.environment, undefined, req);
    return this.withFallback((env) =>
      this.opts.cache.withToken(
        this.keyFor(env),
        () => this.exchange(env),
        (jwt) => this.send(env, jwt, req),
        isUnauthorized,
      ),
    );
  }

  /** The current session (memory, then the cache file, then an exchange); `fresh` forces an exchange. */
  async session(options: { fresh?: boolean } = {}): Promise<Session> {
    return this.withFallback(async (env) => {
      const key = this.keyFor(env);
      if (options.fresh) await this.opts.cache.invalidate(key);
      const token = await this.opts.cache.get(key, () => this.exchange(env));
      return this.toSession(env, token);
    });
  }

  /** What this process already knows, without any network or file access. */
  knownSession(): Session | undefined {
    const env = this.environment;
    const token = this.opts.cache.peek(this.keyFor(env));
    return token ? this.toSession(env, token) : undefined;
  }

  private keyFor(env: Environment, token = this.shared.token): string {
    return cacheKey('cloudeka', this.opts.urls[env], token);
  }

  /**
   * After token_regenerate gave a cldkctl token `next` as its new value: when that token was this server's
   * own (its value is now refused by the exchange), calls go on with `next` and the JWTs of the old value are
   * dropped. Answers whether it switched. The old value is tried once more to tell, never logged or shown;
   * `next` must be accepted before it replaces anything.
   */
  async followRegenerated(next: string): Promise<boolean> {
    const env = this.environment;
    const current = this.shared.token;
    if (current === next || (await this.accepted(env, current))) return false;
    if (!(await this.accepted(env, next))) {
      throw new Error('the new token value was refused by the exchange as well');
    }
    this.shared.token = next;
    for (const other of Object.keys(this.opts.urls) as Environment[]) {
      await this.opts.cache.invalidate(this.keyFor(other, current));
    }
    this.opts.logger.info('this server now uses the regenerated cldkctl token', { environment: env });
    return true;
  }

  /** Whether the exchange takes `token` now (401: it does not); other failures are thrown. */
  private async accepted(env: Environment, token: string): Promise<boolean> {
    try {
      await this.exchange(env, token);
      return true;
    } catch (error) {
      if (error instanceof CloudekaError && error.duringAuth && error.status === 401) return false;
      throw error;
    }
  }

  private toSession(env: Environment, token: CachedToken): Session {
    const identity: Identity = {};
    for (const key of ['user', 'user_id', 'email', 'role', 'organization_id'] as const) {
      const value = token.data?.[key];
      if (typeof value === 'string') identity[key] = value;
    }
    return { ...identity, environment: env, base_url: this.opts.urls[env], expiresAt: token.expiresAt };
  }

  private async withFallback<T>(run: (env: Environment) => Promise<T>): Promise<T> {
    const env = this.environment;
    try {
      return await run(env);
    } catch (error) {
      const reason = this.fallbackReason(env, error);
      if (!reason) throw error;
      if (!this.shared.fallback) {
        this.shared.fallback = { from: 'production', to: 'staging', reason, at: new Date().toISOString() };
        this.opts.logger.warn(`production auth failed (${reason}); falling back to staging`, {
          staging: this.opts.urls.staging,
        });
      }
      return run('staging');
    }
  }

  /** Why `auto` falls back on this error, or undefined: only the exchange's DB error or a network failure. */
  private fallbackReason(env: Environment, error: unknown): string | undefined {
    if (this.environmentMode !== 'auto' || env !== 'production') return undefined;
    if (!(error instanceof Error) || !this.shared.exchangeErrors.has(error)) return undefined;
    if (error instanceof CloudekaError && error.isTokenTableMissing) {
      return `the auth call answered HTTP ${error.status} "${DB_TOKENS_MISSING}"`;
    }
    if (error instanceof UpstreamError && (error.kind === 'network' || error.kind === 'timeout')) {
      return `production could not be reached (${error.causeCode ?? error.kind})`;
    }
    return undefined;
  }

  /** `POST /core/cldkctl/auth` with the cldkctl token: the JWT, its expiry and who it belongs to. */
  private async exchange(env: Environment, token = this.shared.token): Promise<CachedToken> {
    const label = `POST ${AUTH_ROUTE}`;
    let response: HttpResponse;
    try {
      // Not tied to one call's signal: concurrent calls share this exchange.
      response = await this.opts.http.request({
        method: 'POST',
        url: `${this.opts.urls[env]}${AUTH_ROUTE}`,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ token }),
        // Asking twice for a JWT is harmless: retried on 5xx and resets like a read.
        idempotent: true,
      });
    } catch (error) {
      if (error instanceof Error) this.shared.exchangeErrors.add(error);
      throw error;
    }
    const body = parseJson(response.text);
    const fail = (message: string) => {
      const error = new CloudekaError(
        label,
        response.status,
        message,
        true,
        response.text.includes(DB_TOKENS_MISSING),
      );
      this.shared.exchangeErrors.add(error);
      return error;
    };
    if (!response.ok) throw fail(messageOf(body, response.text));
    const data = isObject(body) && isObject(body['data']) ? body['data'] : {};
    const jwt = str(data['token']) ?? (isObject(body) ? str(body['token']) : undefined);
    if (!jwt) {
      throw fail(
        body === undefined ? `not a JSON answer: ${excerpt(response.text)}` : 'no token in the answer',
      );
    }
    const now = (this.opts.now ?? Date.now)();
    const expiresAt = jwtExpiry(jwt) ?? now + DEFAULT_JWT_LIFETIME_MS;
    const identity = identityOf(data, jwt);
    this.opts.logger.info(`exchanged the cldkctl token for a JWT (${env})`, {
      ...(identity.user ? { user: identity.user } : {}),
      expires: new Date(expiresAt).toISOString(),
    });
    return { token: jwt, expiresAt, data: { environment: env, ...identity } };
  }

  private async send(env: Environment, jwt: CachedToken | undefined, req: ApiRequest): Promise<ApiAnswer> {
    const url = new URL(`${this.opts.urls[env]}${fillPath(req.route, req.path)}`);
    for (const [name, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined && value !== '') url.searchParams.append(name, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (jwt) headers['authorization'] = `Bearer ${jwt.token}`;
    const hasBody = req.body !== undefined;
    if (hasBody) headers['content-type'] = 'application/json';
    this.opts.logger.debug(`${req.method} ${req.route}`, { environment: env });
    const response = await this.opts.http.request({
      method: req.method,
      url,
      headers,
      ...(hasBody ? { body: JSON.stringify(req.body) } : {}),
      ...(req.idempotent ? { idempotent: true } : {}),
      ...(req.signal ? { signal: req.signal } : {}),
    });
    return parseAnswer(`${req.method} ${req.route}`, response);
  }
}
