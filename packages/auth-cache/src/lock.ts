import { constants, type Stats } from 'node:fs';
import { lstat, open, unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** A held lock file. `release` is idempotent and never throws. */
export interface FileLock {
  release(): Promise<void>;
}

export interface LockOptions {
  /** A lock older than this is stale; waiting for a lock never takes much longer than this either. */
  timeoutMs: number;
}

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const CREATE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW;
const READ = constants.O_RDONLY | NOFOLLOW | (constants.O_NONBLOCK ?? 0);
const FIRST_WAIT_MS = 10;
const MAX_WAIT_MS = 250;

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/** Whether a process with this pid exists (EPERM: it exists, it just is not ours). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errno(err) === 'EPERM';
  }
}

/**
 * Takes the lock file at `path` (created with O_EXCL, holding `{"pid","at"}`), waiting with short increasing
 * sleeps while another live process holds it. A lock is stale, and removed, when its holder's pid is gone or it
 * is older than `timeoutMs`. Resolves `undefined` when the lock could not be had within about `timeoutMs`
 * (the caller then goes on without it). Rejects on file-system errors other than "already exists".
 */
export async function acquireLock(path: string, opts: LockOptions): Promise<FileLock | undefined> {
  const deadline = Date.now() + opts.timeoutMs;
  let wait = FIRST_WAIT_MS;
  for (;;) {
    const lock = await tryCreate(path);
    if (lock) return lock;
    if (await removeIfStale(path, opts.timeoutMs)) continue;
    const left = deadline - Date.now();
    if (left <= 0) return undefined;
    await sleep(Math.min(wait, left));
    wait = Math.min(wait * 1.5 + Math.random() * 5, MAX_WAIT_MS);
  }
}

async function tryCreate(path: string): Promise<FileLock | undefined> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, CREATE, 0o600);
  } catch (err) {
    if (errno(err) === 'EEXIST') return undefined;
    throw err;
  }
  let mine: Stats;
  try {
    await handle.writeFile(JSON.stringify({ pid: process.pid, at: Date.now() }));
    mine = await handle.stat();
  } catch (err) {
    await handle.close().catch(() => {});
    await unlink(path).catch(() => {});
    throw err;
  }
  await handle.close();
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      try {
        // Only remove the file we created: if ours was judged stale and replaced, the new one is not ours.
        const now = await lstat(path);
        if (now.ino === mine.ino && now.dev === mine.dev) await unlink(path);
      } catch {
        // Already gone, or cannot be removed: others will find it stale.
      }
    },
  };
}

async function readLockInfo(path: string): Promise<{ pid?: number; at?: number }> {
  try {
    const handle = await open(path, READ);
    try {
      const st = await handle.stat();
      if (!st.isFile() || st.size > 4096) return {};
      const value: unknown = JSON.parse(await handle.readFile('utf8'));
      if (typeof value !== 'object' || value === null) return {};
      const { pid, at } = value as Record<string, unknown>;
      return {
        ...(typeof pid === 'number' && Number.isSafeInteger(pid) && pid > 0 ? { pid } : {}),
        ...(typeof at === 'number' && Number.isFinite(at) ? { at } : {}),
      };
    } finally {
      await handle.close();
    }
  } catch {
    // Missing, half-written (created but not yet filled), not a file: judge by its mtime alone.
    return {};
  }
}

/** Removes the lock at `path` when stale. True when there is no lock there any more (try again at once). */
async function removeIfStale(path: string, timeoutMs: number): Promise<boolean> {
  let before: Stats;
  try {
    before = await lstat(path);
  } catch (err) {
    if (errno(err) === 'ENOENT') return true;
    throw err;
  }
  const info = await readLockInfo(path);
  // The older of `at` and the mtime: neither a bogus future `at` nor a touched file keeps a lock alive.
  const age = Date.now() - Math.min(info.at ?? Number.POSITIVE_INFINITY, before.mtimeMs);
  const dead = info.pid !== undefined && !pidAlive(info.pid);
  if (!dead && age <= timeoutMs) return false;
  try {
    const again = await lstat(path);
    // Replaced since we looked: judge the new one on the next round.
    if (again.ino !== before.ino || again.dev !== before.dev) return true;
    await unlink(path);
  } catch (err) {
    if (errno(err) !== 'ENOENT') throw err;
  }
  return true;
}
