import { resolve } from 'node:path';
import { defaultCacheDir, FileStore, type StoredToken } from './file-store.js';
import { type CachedToken, toCachedToken } from './token.js';

export interface AuthCacheOptions {
  /** 'cloudeka', 'cloudstack', 'oke' …: a directory name, letters, digits, `.`, `_`, `-` (max 64). */
  provider: string;
  /** The cache directory; default `$XDG_CACHE_HOME/cloudmcp`, else `~/.cache/cloudmcp`. */
  dir?: string;
  /** Default true. False keeps tokens in memory only (e.g. kubeconfigs built at run time). */
  persist?: boolean;
  /** Refresh this long before expiry (capped at half the token's lifetime). Default 60 000. */
  refreshAheadMs?: number;
  /** A lock file older than this, or whose pid is dead, is stale. Default 30 000. */
  lockTimeoutMs?: number;
  /** The clock used for expiry, epoch ms. For tests. */
  now?: () => number;
  /** Told once when the file store cannot be used (the cache then works in memory only). */
  onWarning?: (msg: string) => void;
}

const PROVIDER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function checkKey(key: string): void {
  if (typeof key !== 'string' || !KEY.test(key)) {
    throw new TypeError(
      'auth-cache: a key is 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit (use cacheKey())',
    );
  }
}

function checkDuration(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`auth-cache: ${name} must be a finite number >= 0`);
  }
  return value;
}

/**
 * One token cache for one provider: memory first, then a private file per key, then `fetch`. Concurrent
 * callers of one key share one fetch; other processes using the same directory wait on a lock file and then
 * reuse the token the first one wrote.
 */
export class AuthCache {
  readonly #provider: string;
  readonly #refreshAheadMs: number;
  readonly #now: () => number;
  readonly #store: FileStore | undefined;
  readonly #memory = new Map<string, StoredToken>();
  readonly #inflight = new Map<string, Promise<CachedToken>>();

  constructor(opts: AuthCacheOptions) {
    if (typeof opts?.provider !== 'string' || !PROVIDER.test(opts.provider)) {
      throw new TypeError(
        'auth-cache: provider must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit',
      );
    }
    this.#provider = opts.provider;
    this.#refreshAheadMs = checkDuration('refreshAheadMs', opts.refreshAheadMs, 60_000);
    const lockTimeoutMs = checkDuration('lockTimeoutMs', opts.lockTimeoutMs, 30_000);
    this.#now = opts.now ?? Date.now;
    if (opts.persist ?? true) {
      this.#store = new FileStore({
        dir: resolve(opts.dir ?? defaultCacheDir()),
        provider: opts.provider,
        lockTimeoutMs,
        onWarning: opts.onWarning,
      });
    }
  }

  /** The provider this cache was made for. */
  get provider(): string {
    return this.#provider;
  }

  /**
   * A fresh token for `key`: from memory, else from the file, else from `fetch` (whose result is cached).
   * Fresh means `now < expiresAt - refreshAheadMs` (the margin is at most half the token's lifetime).
   * A failed fetch is not cached; its error reaches every caller that was waiting for it.
   */
  async get(key: string, fetch: () => Promise<CachedToken>): Promise<CachedToken> {
    checkKey(key);
    const cached = this.#memory.get(key);
    if (cached && this.#fresh(cached)) return cached.token;
    let pending = this.#inflight.get(key);
    if (!pending) {
      const started = this.#load(key, fetch);
      const done = () => {
        if (this.#inflight.get(key) === started) this.#inflight.delete(key);
      };
      started.then(done, done);
      this.#inflight.set(key, started);
      pending = started;
    }
    return pending;
  }

  /** Drops the token for `key` from memory and file; when `token` is given, only where it is still that token. */
  async invalidate(key: string, token?: string): Promise<void> {
    checkKey(key);
    const cached = this.#memory.get(key);
    if (cached && (token === undefined || cached.token.token === token)) this.#memory.delete(key);
    const store = this.#store;
    if (!store || store.disabled) return;
    const lock = await store.lock(key);
    try {
      await store.remove(key, token);
    } finally {
      await lock?.release();
    }
  }

  /**
   * Runs `use` with a token. When `isUnauthorized` says yes — to the error `use` threw, or to the value it
   * returned (e.g. a 401 response) — that token is invalidated, a token is fetched once more and `use` runs
   * once more; whatever that second run throws or returns is final.
   */
  async withToken<T>(
    key: string,
    fetch: () => Promise<CachedToken>,
    use: (t: CachedToken) => Promise<T>,
    isUnauthorized: (err: unknown) => boolean,
  ): Promise<T> {
    const first = await this.get(key, fetch);
    try {
      const result = await use(first);
      if (!safeTest(isUnauthorized, result)) return result;
    } catch (err) {
      if (!isUnauthorized(err)) throw err;
    }
    await this.invalidate(key, first.token);
    const second = await this.get(key, fetch);
    return use(second);
  }

  /** The token held in memory for `key`, fresh or not (for status displays); never reads the file. */
  peek(key: string): CachedToken | undefined {
    checkKey(key);
    return this.#memory.get(key)?.token;
  }

  #fresh(entry: StoredToken): boolean {
    const { expiresAt } = entry.token;
    const margin = Math.min(this.#refreshAheadMs, Math.max(0, (expiresAt - entry.writtenAt) / 2));
    return this.#now() < expiresAt - margin;
  }

  async #fromFile(key: string): Promise<CachedToken | undefined> {
    const stored = await this.#store?.read(key, this.#now());
    if (!stored || !this.#fresh(stored)) return undefined;
    this.#memory.set(key, stored);
    return stored.token;
  }

  async #load(key: string, fetch: () => Promise<CachedToken>): Promise<CachedToken> {
    const store = this.#store;
    if (!store || store.disabled) return this.#fetch(key, fetch);
    const hit = await this.#fromFile(key);
    if (hit) return hit;
    const lock = await store.lock(key);
    try {
      // Whoever held the lock may just have written a token.
      return (await this.#fromFile(key)) ?? (await this.#fetch(key, fetch));
    } finally {
      await lock?.release();
    }
  }

  async #fetch(key: string, fetch: () => Promise<CachedToken>): Promise<CachedToken> {
    const token = toCachedToken(await fetch());
    if (typeof token === 'string')
      throw new TypeError(`auth-cache: fetch for ${this.#provider} returned ${token}`);
    const entry: StoredToken = { token, writtenAt: this.#now() };
    this.#memory.set(key, entry);
    if (this.#store && token.expiresAt > entry.writtenAt) await this.#store.write(key, entry);
    return token;
  }
}

/** A predicate meant for errors may not expect a result: if it throws on one, the result is not a 401. */
function safeTest(isUnauthorized: (value: unknown) => boolean, value: unknown): boolean {
  try {
    return isUnauthorized(value) === true;
  } catch {
    return false;
  }
}
