/**
 * The one upstream HTTP client every server uses.
 *
 * - Built on the global `fetch` (undici), which keeps connections alive per origin: create one
 *   `HttpClient` per server and reuse it; sockets are pooled by the global dispatcher.
 * - Every HTTP status is returned as an `HttpResponse` (the caller parses the upstream's own error body);
 *   only transport failures throw `UpstreamError`.
 * - Retries only idempotent requests, on 429/500/502/503/504 and on connection resets/refusals, with
 *   full-jitter backoff, honouring `Retry-After` up to a cap. Never retries a mutation, not even on a reset.
 * - Error messages name method, origin and path only: never query strings, headers or bodies.
 */
import { metrics } from './request-context.js';
import { sleep as defaultSleep, fullJitterDelay } from './retry.js';

export interface HttpClientOptions {
  /** Per attempt (headers and body), default 30 000. `0` or `Infinity` disables it. */
  timeoutMs?: number;
  /** Extra attempts for idempotent requests, default 3. */
  retries?: number;
  /** Backoff base, default 200. */
  baseDelayMs?: number;
  /** Backoff ceiling, default 5 000. */
  maxDelayMs?: number;
  /** A longer `Retry-After` is not waited for: the response is returned. Default 30 000. */
  maxRetryAfterMs?: number;
  /** Sent as `User-Agent` unless the request sets one. */
  userAgent?: string;
  /** Names this upstream in the metrics (`upstream` label of errors and retries), default `http`. */
  name?: string;
  /** Injectable `fetch`; defaults to the global one (looked up at call time). */
  fetch?: typeof fetch;
  /** Injectable backoff sleep (tests record delays instead of waiting). Should reject when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Injectable randomness for the jitter, `[0, 1)`. */
  random?: () => number;
}

export interface HttpRequest {
  method: string;
  url: string | URL;
  headers?: Record<string, string>;
  body?: string | URLSearchParams | Uint8Array;
  /** Default: true for GET/HEAD/OPTIONS, false otherwise. Only idempotent requests are ever retried. */
  idempotent?: boolean;
  /** The caller's signal (e.g. the MCP request's): aborting it stops at once, with no retry. */
  signal?: AbortSignal;
  /** Overrides the client's per-attempt timeout. */
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  ok: boolean;
  headers: Headers;
  /** The final URL (after redirects). */
  url: string;
  /** The whole body, read as text. */
  text: string;
  /** How many attempts were made, this one included. */
  attempts: number;
  /** Parses `text`; throws `UpstreamError` kind `'malformed'` with a short excerpt on bad JSON. */
  json<T = unknown>(): T;
}

export type UpstreamErrorKind = 'timeout' | 'network' | 'aborted' | 'malformed';

export interface UpstreamErrorOptions {
  attempts: number;
  causeCode?: string;
  cause?: unknown;
}

/** A transport failure talking to an upstream API (never an HTTP status: those are responses). */
export class UpstreamError extends Error {
  readonly kind: UpstreamErrorKind;
  readonly attempts: number;
  /** The system or undici error code when there is one: ECONNRESET, ECONNREFUSED, UND_ERR_SOCKET … */
  readonly causeCode?: string;
  /**
   * Whether the failed request was a read that is safe to repeat. A non-idempotent request that failed
   * in transit may or may not have been applied upstream; it is never re-sent automatically.
   */
  idempotent = true;

  constructor(kind: UpstreamErrorKind, message: string, options: UpstreamErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UpstreamError';
    this.kind = kind;
    this.attempts = options.attempts;
    if (options.causeCode !== undefined) this.causeCode = options.causeCode;
  }
}

const DEFAULTS = {
  timeoutMs: 30_000,
  retries: 3,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 30_000,
} as const;

/** setTimeout fires at once for delays above this (a 32-bit signed int). */
const MAX_TIMER_MS = 2_147_483_647;

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
const RETRY_AFTER_STATUSES = new Set([429, 503]);

/** Connection-level failures worth another try (for idempotent requests only). */
const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/** Lower-level timeouts (TCP, undici's own connect/headers/body timers): kind 'timeout', not retried. */
const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * Parses a `Retry-After` value (delay-seconds or an HTTP-date) into milliseconds from `now`.
 * Returns `undefined` when absent or unparseable; a date in the past gives 0.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // Only something that looks like an HTTP-date (contains a letter: a day or month name), not "-1" or "1e3".
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

type AttemptResult = { response: HttpResponse } | { error: UpstreamError; retryable: boolean };

export class HttpClient {
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly userAgent: string | undefined;
  private readonly name: string;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;

  constructor(opts: HttpClientOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? DEFAULTS.timeoutMs;
    this.retries = Math.max(0, Math.floor(opts.retries ?? DEFAULTS.retries));
    this.baseDelayMs = opts.baseDelayMs ?? DEFAULTS.baseDelayMs;
    this.maxDelayMs = opts.maxDelayMs ?? DEFAULTS.maxDelayMs;
    this.maxRetryAfterMs = opts.maxRetryAfterMs ?? DEFAULTS.maxRetryAfterMs;
    this.userAgent = opts.userAgent;
    this.name = opts.name ?? 'http';
    this.fetchImpl = opts.fetch ?? ((input, init) => fetch(input, init));
    this.sleep = opts.sleep ?? defaultSleep;
    this.random = opts.random ?? Math.random;
  }

  /**
   * Sends `req`, retrying idempotent requests as described above. Retries, failures and 429/5xx answers
   * are counted in the serving request's metrics (see `metrics()`), labelled with `name`.
   */
  async request(req: HttpRequest): Promise<HttpResponse> {
    try {
      const response = await this.send(req);
      if (response.status === 429 || response.status >= 500) {
        metrics().upstreamError(this.name, response.status === 429 ? 'http_429' : 'http_5xx');
      }
      return response;
    } catch (error) {
      if (error instanceof UpstreamError && error.kind !== 'aborted')
        metrics().upstreamError(this.name, error.kind);
      throw error;
    }
  }

  private async send(req: HttpRequest): Promise<HttpResponse> {
    const method = req.method.toUpperCase();
    const url = toUrl(req.url);
    const target = `${method} ${url.origin}${url.pathname}`;
    const idempotent = req.idempotent ?? IDEMPOTENT_METHODS.has(method);
    const maxAttempts = idempotent ? this.retries + 1 : 1;
    const timeoutMs = req.timeoutMs ?? this.timeoutMs;
    const signal = req.signal;

    const headers = new Headers(req.headers);
    if (this.userAgent !== undefined && !headers.has('user-agent')) headers.set('user-agent', this.userAgent);
    const init: RequestInit = { method, headers };
    if (req.body !== undefined) init.body = req.body;

    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw abortedError(target, attempt - 1);
      const result = await this.attempt(url, init, timeoutMs, signal, target, attempt);
      const retry = attempt - 1;
      let delay: number;
      if ('error' in result) {
        if (!result.retryable || !idempotent || attempt >= maxAttempts) {
          result.error.idempotent = idempotent;
          throw result.error;
        }
        delay = fullJitterDelay(retry, this.baseDelayMs, this.maxDelayMs, this.random);
        metrics().upstreamRetry(this.name, result.error.causeCode ?? result.error.kind);
      } else {
        const { response } = result;
        if (!idempotent || attempt >= maxAttempts || !RETRY_STATUSES.has(response.status)) return response;
        delay = fullJitterDelay(retry, this.baseDelayMs, this.maxDelayMs, this.random);
        if (RETRY_AFTER_STATUSES.has(response.status)) {
          const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
          if (retryAfter !== undefined) {
            // Waiting longer than the cap would stall the tool call: hand the response back instead.
            if (retryAfter > this.maxRetryAfterMs) return response;
            delay = retryAfter;
          }
        }
        // The body was read to the end in attempt(), so the socket goes back to the pool.
        metrics().upstreamRetry(this.name, String(response.status));
      }
      try {
        await this.sleep(delay, signal);
      } catch (error) {
        if (signal?.aborted) throw abortedError(target, attempt);
        throw error;
      }
    }
  }

  private async attempt(
    url: URL,
    init: RequestInit,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    target: string,
    attempt: number,
  ): Promise<AttemptResult> {
    // One controller per attempt, fed by the caller's signal and by this attempt's timer. Both are
    // released in `finally`, so a long-lived caller signal does not accumulate listeners.
    const controller = new AbortController();
    let timedOut = false;
    const timer =
      timeoutMs > 0 && timeoutMs <= MAX_TIMER_MS
        ? setTimeout(() => {
            timedOut = true;
            controller.abort(new DOMException(`${target} timed out`, 'TimeoutError'));
          }, timeoutMs)
        : undefined;
    const onAbort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const res = await this.fetchImpl(url, { ...init, signal: controller.signal });
      // Read the whole body under the same timeout/abort: a hang mid-body is a timeout, and a fully
      // read body lets undici reuse the connection.
      const text = await res.text();
      return { response: makeResponse(res, text, attempt, target, this.name) };
    } catch (error) {
      if (signal?.aborted) return { error: abortedError(target, attempt), retryable: false };
      if (timedOut) {
        const message = `${target} timed out after ${timeoutMs}ms (attempt ${attempt})`;
        return { error: new UpstreamError('timeout', message, { attempts: attempt }), retryable: false };
      }
      return classify(error, target, attempt);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

function toUrl(url: string | URL): URL {
  if (url instanceof URL) return url;
  try {
    return new URL(url);
  } catch {
    // Node's own error carries the input (with its query string): do not pass it on.
    throw new TypeError('HttpClient: invalid URL');
  }
}

function abortedError(target: string, attempts: number): UpstreamError {
  return new UpstreamError('aborted', `${target} was cancelled by the caller`, { attempts });
}

function makeResponse(
  res: Response,
  text: string,
  attempts: number,
  target: string,
  name: string,
): HttpResponse {
  const status = res.status;
  return {
    status,
    ok: res.ok,
    headers: res.headers,
    url: res.url,
    text,
    attempts,
    json<T = unknown>(): T {
      try {
        return JSON.parse(text) as T;
      } catch {
        metrics().upstreamError(name, 'malformed');
        throw new UpstreamError(
          'malformed',
          `${target} answered HTTP ${status} with a body that is not valid JSON: ${excerpt(text)}`,
          { attempts },
        );
      }
    },
  };
}

function excerpt(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '') return '(empty body)';
  return JSON.stringify(flat.length > max ? `${flat.slice(0, max)}…` : flat);
}

interface CodedError {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** Finds the innermost error with a string `code` (fetch wraps it: TypeError → cause → AggregateError …). */
function findCause(error: unknown): { code?: string; cause?: unknown } {
  let current: unknown = error;
  let fallback: { code?: string; cause?: unknown } = {};
  for (let depth = 0; depth < 6 && current !== null && typeof current === 'object'; depth++) {
    const e = current as CodedError;
    if (typeof e.code === 'string') return { code: e.code, cause: current };
    if (typeof e.message === 'string' && /socket hang up/i.test(e.message)) {
      fallback = { code: 'ECONNRESET', cause: current };
    }
    if (e.cause !== undefined) current = e.cause;
    else if (Array.isArray(e.errors) && e.errors.length > 0) current = e.errors[0];
    else break;
  }
  return fallback;
}

const DESCRIPTIONS: Record<string, string> = {
  ECONNRESET: 'connection reset',
  ECONNREFUSED: 'connection refused',
  ECONNABORTED: 'connection aborted',
  EPIPE: 'connection closed while sending',
  EAI_AGAIN: 'temporary DNS failure',
  ENOTFOUND: 'host not found',
  UND_ERR_SOCKET: 'connection closed by the other side',
  UND_ERR_CLOSED: 'connection closed',
};

function classify(
  error: unknown,
  target: string,
  attempt: number,
): Exclude<AttemptResult, { response: unknown }> {
  const { code, cause } = findCause(error);
  const tries = `after ${attempt} attempt${attempt === 1 ? '' : 's'}`;
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    return {
      error: new UpstreamError('timeout', `${target} timed out (${code}) ${tries}`, {
        attempts: attempt,
        causeCode: code,
        cause,
      }),
      retryable: false,
    };
  }
  const what = code === undefined ? 'network error' : `${DESCRIPTIONS[code] ?? 'network error'} (${code})`;
  return {
    error: new UpstreamError('network', `${target} failed: ${what} ${tries}`, {
      attempts: attempt,
      ...(code === undefined ? {} : { causeCode: code }),
      cause,
    }),
    retryable: code !== undefined && RETRYABLE_CODES.has(code),
  };
}
