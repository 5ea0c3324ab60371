import { type AuthCache, cacheKey } from '@cloudmcp/auth-cache';
import type { HttpClient, HttpResponse, Logger } from '@cloudmcp/toolkit';
import { CloudStackError } from './errors.js';
import { encodeForm, signedParams } from './sign.js';

export type CloudStackAuth =
  | { kind: 'keys'; apiKey: string; secretKey: string }
  /** Log in with username/password and use the session; log in again when it expires. */
  | { kind: 'session'; username: string; password: string; domain: string }
  /** Log in once to fetch the user's API keys (registering them only if there are none), then sign. */
  | { kind: 'bootstrap'; username: string; password: string; domain: string };

export type Params = Record<string, string | number | boolean | undefined>;
export type ApiObject = Record<string, unknown>;

export interface CallOptions {
  signal?: AbortSignal;
}

export interface CloudStackClientOptions {
  apiUrl: string;
  auth: CloudStackAuth;
  http: HttpClient;
  /** Caches login sessions (short-lived) across calls and processes; keys and passwords are never stored. */
  cache: AuthCache;
  logger: Logger;
  now?: () => number;
  /** How long a signature stays valid (signatureversion 3 `expires`). */
  signatureTtlMs?: number;
}

interface Session {
  sessionkey: string;
  jsessionid: string;
}

// `get*` commands that create something: upload parameters register a volume, template or ISO record.
const WRITING_GETS = /^getUploadParamsFor/i;

/**
 * Read-only commands (list*, get*, query*, less the few `get*` that create records) go as GET, retried on
 * transient failures; everything else as POST, sent once.
 */
export function isReadCommand(command: string): boolean {
  return /^(list|get|query)/i.test(command) && !WRITING_GETS.test(command);
}

/**
 * One CloudStack API endpoint: signs or authenticates every call, sends it, and returns the inner response
 * object (`{"listzonesresponse": {...}}` → `{...}`), or throws CloudStackError with CloudStack's own code.
 */
export class CloudStackClient {
  readonly apiUrl: string;
  private readonly opts: CloudStackClientOptions;
  private keys: { apiKey: string; secretKey: string } | undefined;
  private keysPending: Promise<{ apiKey: string; secretKey: string }> | undefined;

  constructor(opts: CloudStackClientOptions) {
    this.opts = opts;
    this.apiUrl = opts.apiUrl;
    if (opts.auth.kind === 'keys') this.keys = { apiKey: opts.auth.apiKey, secretKey: opts.auth.secretKey };
  }

  /** Calls one API command. */
  async call<T = ApiObject>(command: string, params: Params = {}, options: CallOptions = {}) {
    const clean = cleanParams(params);
    const auth = this.opts.auth;
    if (auth.kind === 'session') {
      const key = this.sessionKey(auth);
      return this.opts.cache.withToken(
        key,
        () => this.login(auth, options.signal),
        (token) => this.send<T>(command, clean, options, JSON.parse(token.token) as Session),
        isUnauthorized,
      );
    }
    const keys = this.keys ?? (await this.bootstrapKeys(options.signal));
    return this.send<T>(command, clean, options, undefined, keys);
  }

  private sessionKey(auth: { username: string; password: string; domain: string }): string {
    return cacheKey('cloudstack', this.apiUrl, `${auth.username}\n${auth.domain}\n${auth.password}`);
  }

  private async send<T>(
    command: string,
    params: Record<string, string>,
    options: CallOptions,
    session?: Session,
    keys?: { apiKey: string; secretKey: string },
  ): Promise<T> {
    const read = isReadCommand(command);
    let all: Record<string, string> = { ...params, command, response: 'json' };
    const headers: Record<string, string> = {};
    if (session) {
      all.sessionkey = session.sessionkey;
      headers.cookie = `JSESSIONID=${session.jsessionid}; sessionkey=${session.sessionkey}`;
    } else if (keys) {
      all = signedParams(all, keys, (this.opts.now ?? Date.now)(), this.opts.signatureTtlMs ?? 5 * 60_000);
    }
    const form = encodeForm(all);
    const response = await this.opts.http.request({
      method: read ? 'GET' : 'POST',
      url: read ? `${this.apiUrl}?${form}` : this.apiUrl,
      headers: read ? headers : { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      ...(read ? {} : { body: form }),
      idempotent: read,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return parseResponse<T>(command, response);
  }

  private async login(
    auth: { username: string; password: string; domain: string },
    signal?: AbortSignal,
  ): Promise<{ token: string; expiresAt: number }> {
    const form = encodeForm({
      command: 'login',
      username: auth.username,
      password: auth.password,
      domain: auth.domain,
      response: 'json',
    });
    const response = await this.opts.http.request({
      method: 'POST',
      url: this.apiUrl,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
      idempotent: false,
      ...(signal ? { signal } : {}),
    });
    const body = parseResponse<{ sessionkey?: string; timeout?: number | string }>('login', response);
    const jsessionid = cookieValue(response, 'JSESSIONID');
    if (!body.sessionkey || !jsessionid) {
      throw new CloudStackError(
        'login',
        response.status,
        'login answered without a session key or JSESSIONID',
      );
    }
    const timeoutSec = Number(body.timeout ?? 1800) || 1800;
    this.opts.logger.info('logged in to CloudStack', { user: auth.username, sessionTimeoutSec: timeoutSec });
    const now = (this.opts.now ?? Date.now)();
    return {
      token: JSON.stringify({ sessionkey: body.sessionkey, jsessionid }),
      expiresAt: now + timeoutSec * 1000,
    };
  }

  /**
   * Bootstrap: log in, read the user's existing keys, and register keys only when the user has none, so
   * keys other tools rely on are never regenerated. The keys stay in this process's memory.
   */
  private bootstrapKeys(signal?: AbortSignal): Promise<{ apiKey: string; secretKey: string }> {
    const auth = this.opts.auth;
    if (auth.kind !== 'bootstrap') throw new Error('no API keys configured');
    this.keysPending ??= (async () => {
      const session = new CloudStackClient({ ...this.opts, auth: { ...auth, kind: 'session' } });
      const opts = signal ? { signal } : {};
      const users = await session.call<{ user?: Array<{ id: string; username: string }> }>(
        'listUsers',
        { username: auth.username },
        opts,
      );
      const user = users.user?.find((u) => u.username === auth.username);
      if (!user) throw new CloudStackError('listUsers', 431, `user ${auth.username} not found`);
      const existing = await session.call<{ userkeys?: { apikey?: string; secretkey?: string } }>(
        'getUserKeys',
        { id: user.id },
        opts,
      );
      let apiKey = existing.userkeys?.apikey;
      let secretKey = existing.userkeys?.secretkey;
      if (!apiKey || !secretKey) {
        this.opts.logger.info('the user has no API keys; registering them once');
        const made = await session.call<{ userkeys?: { apikey?: string; secretkey?: string } }>(
          'registerUserKeys',
          { id: user.id },
          opts,
        );
        apiKey = made.userkeys?.apikey;
        secretKey = made.userkeys?.secretkey;
      }
      if (!apiKey || !secretKey) throw new CloudStackError('registerUserKeys', 530, 'no keys returned');
      this.keys = { apiKey, secretKey };
      return this.keys;
    })().finally(() => {
      this.keysPending = undefined;
    });
    return this.keysPending;
  }
}

function cleanParams(params: Params): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') out[name] = String(value);
  }
  return out;
}

function isUnauthorized(error: unknown): boolean {
  return error instanceof CloudStackError && error.errorcode === 401 && error.jobId === undefined;
}

function cookieValue(response: HttpResponse, name: string): string | undefined {
  for (const cookie of response.headers.getSetCookie()) {
    const [pair] = cookie.split(';');
    const eq = pair?.indexOf('=') ?? -1;
    if (pair && eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}

/** Finds `<command>response` (or the error envelope) and turns CloudStack errors into CloudStackError. */
export function parseResponse<T>(command: string, response: HttpResponse): T {
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    const excerpt = response.text.slice(0, 120).replace(/\s+/g, ' ');
    throw new CloudStackError(
      command,
      response.status,
      `HTTP ${response.status}, not a JSON answer: ${excerpt}`,
    );
  }
  const envelope = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const inner = (envelope[`${command.toLowerCase()}response`] ??
    envelope['errorresponse'] ??
    Object.entries(envelope).find(([k]) => k.endsWith('response'))?.[1] ??
    {}) as Record<string, unknown>;
  if (typeof inner['errorcode'] === 'number' || response.status >= 400) {
    throw new CloudStackError(
      command,
      Number(inner['errorcode'] ?? response.status),
      String(inner['errortext'] ?? response.headers.get('x-description') ?? `HTTP ${response.status}`),
      typeof inner['cserrorcode'] === 'number' ? inner['cserrorcode'] : undefined,
    );
  }
  return inner as T;
}
