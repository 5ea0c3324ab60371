import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, lstat, mkdir, open, rename, rmdir, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { acquireLock, type FileLock } from './lock.js';
import { type CachedToken, toCachedToken } from './token.js';

/** A token with the time it was obtained (epoch ms, the cache's clock). */
export interface StoredToken {
  token: CachedToken;
  writtenAt: number;
}

export interface FileStoreOptions {
  /** The cache directory (holds one directory per provider). */
  dir: string;
  provider: string;
  lockTimeoutMs: number;
  onWarning?: ((msg: string) => void) | undefined;
}

const FORMAT_VERSION = 1;
const MAX_FILE_BYTES = 1024 * 1024;
const POSIX = process.platform !== 'win32';
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const READ = constants.O_RDONLY | NOFOLLOW | (constants.O_NONBLOCK ?? 0);
const CREATE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW;

/** `$XDG_CACHE_HOME/cloudmcp` when that is an absolute path, else `~/.cache/cloudmcp`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env['XDG_CACHE_HOME'];
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'cloudmcp');
}

function uid(): number | undefined {
  return POSIX ? (process.geteuid?.() ?? process.getuid?.()) : undefined;
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException | undefined;
  if (e && typeof e.message === 'string')
    return e.code && !e.message.includes(e.code) ? `${e.code}: ${e.message}` : e.message;
  return String(err);
}

/** Creates `path` (0700) when missing; refuses a symlink, a non-directory or someone else's directory. */
async function ensurePrivateDir(path: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true, mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const st = await lstat(path);
  if (st.isSymbolicLink()) throw new Error(`${path} is a symlink; refusing to use it`);
  if (!st.isDirectory()) throw new Error(`${path} is not a directory`);
  if (!POSIX) return;
  const me = uid();
  if (me !== undefined && st.uid !== me) throw new Error(`${path} is owned by uid ${st.uid}, not ${me}`);
  if ((st.mode & 0o077) !== 0) await chmod(path, 0o700);
}

/** Reads a file only if it is a regular file (not a symlink), ours and private to us; else undefined. */
async function readPrivateFile(path: string): Promise<string | undefined> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    if (!(await lstat(path)).isFile()) return undefined;
    handle = await open(path, READ);
  } catch {
    return undefined;
  }
  try {
    const st = await handle.stat();
    if (!st.isFile() || st.size > MAX_FILE_BYTES) return undefined;
    if (POSIX && (st.uid !== uid() || (st.mode & 0o077) !== 0)) return undefined;
    return await handle.readFile('utf8');
  } catch {
    return undefined;
  } finally {
    await handle.close().catch(() => {});
  }
}

/**
 * One provider's directory of token files, `<dir>/<provider>/<key>.json`, with their lock files. Errors while
 * writing never escape: the first one is reported through `onWarning` and the store turns itself off, so the
 * cache carries on in memory.
 */
export class FileStore {
  readonly #opts: FileStoreOptions;
  readonly #providerDir: string;
  #disabled = false;

  constructor(opts: FileStoreOptions) {
    this.#opts = opts;
    this.#providerDir = join(opts.dir, opts.provider);
  }

  /** True once a write failed: the store is no longer used. */
  get disabled(): boolean {
    return this.#disabled;
  }

  filePath(key: string): string {
    return join(this.#providerDir, `${key}.json`);
  }

  lockPath(key: string): string {
    return join(this.#providerDir, `${key}.lock`);
  }

  /** The stored token for `key`, or undefined when missing, unsafe, malformed, foreign or expired. */
  async read(key: string, now: number): Promise<StoredToken | undefined> {
    if (!(await this.#ready())) return undefined;
    const raw = await readPrivateFile(this.filePath(key));
    return raw === undefined ? undefined : this.#parse(raw, key, now);
  }

  /** Writes atomically (0600 temp file, fsync, rename). Never throws. */
  async write(key: string, entry: StoredToken): Promise<void> {
    if (!(await this.#ready())) return;
    const target = this.filePath(key);
    const body = JSON.stringify({
      v: FORMAT_VERSION,
      provider: this.#opts.provider,
      key,
      token: entry.token.token,
      expiresAt: entry.token.expiresAt,
      data: entry.token.data ?? null,
      writtenAt: entry.writtenAt,
    });
    const temp = join(this.#providerDir, `.${key}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const handle = await open(temp, CREATE, 0o600);
      try {
        if (POSIX) await handle.chmod(0o600); // exact mode whatever the umask
        await handle.writeFile(body, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      // rename() replaces files and symlinks, not directories: clear an (empty) directory squatting the name.
      const existing = await lstat(target).catch(() => undefined);
      if (existing?.isDirectory()) await rmdir(target);
      await rename(temp, target);
    } catch (err) {
      await unlink(temp).catch(() => {});
      this.#degrade(`cannot write ${target}`, err);
      return;
    }
    await this.#syncDir();
  }

  /** Deletes the file for `key`; when `token` is given, only if the file still holds that token. */
  async remove(key: string, token?: string): Promise<void> {
    if (!(await this.#ready())) return;
    const path = this.filePath(key);
    if (token !== undefined) {
      const stored = await this.read(key, Number.NEGATIVE_INFINITY);
      if (stored?.token.token !== token) return;
    }
    try {
      if ((await lstat(path)).isDirectory()) return;
      await unlink(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.#degrade(`cannot remove ${path}`, err);
    }
  }

  /** Takes `<key>.lock`; undefined when the store is off, the wait timed out, or locking failed (reported). */
  async lock(key: string): Promise<FileLock | undefined> {
    if (!(await this.#ready())) return undefined;
    try {
      return await acquireLock(this.lockPath(key), { timeoutMs: this.#opts.lockTimeoutMs });
    } catch (err) {
      this.#degrade(`cannot lock ${this.lockPath(key)}`, err);
      return undefined;
    }
  }

  async #ready(): Promise<boolean> {
    if (this.#disabled) return false;
    try {
      await ensurePrivateDir(this.#opts.dir);
      await ensurePrivateDir(this.#providerDir);
      return true;
    } catch (err) {
      this.#degrade(`cannot use cache directory ${this.#providerDir}`, err);
      return false;
    }
  }

  #parse(raw: string, key: string, now: number): StoredToken | undefined {
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      return undefined;
    }
    if (typeof value !== 'object' || value === null) return undefined;
    const {
      v,
      provider,
      key: storedKey,
      token,
      expiresAt,
      data,
      writtenAt,
    } = value as Record<string, unknown>;
    if (v !== FORMAT_VERSION || provider !== this.#opts.provider || storedKey !== key) return undefined;
    if (typeof writtenAt !== 'number' || !Number.isFinite(writtenAt)) return undefined;
    const checked = toCachedToken({ token, expiresAt, data });
    if (typeof checked === 'string' || checked.expiresAt <= now) return undefined;
    return { token: checked, writtenAt };
  }

  async #syncDir(): Promise<void> {
    if (!POSIX) return;
    try {
      const handle = await open(this.#providerDir, constants.O_RDONLY);
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch {
      // Best effort: the rename itself is already atomic.
    }
  }

  #degrade(what: string, err: unknown): void {
    if (this.#disabled) return;
    this.#disabled = true;
    this.#opts.onWarning?.(
      `auth-cache (${this.#opts.provider}): ${what} (${describe(err)}); continuing with the in-memory cache only`,
    );
  }
}
