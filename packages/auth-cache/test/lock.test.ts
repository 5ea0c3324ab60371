import { spawnSync } from 'node:child_process';
import { access, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { AuthCache, type CachedToken, cacheKey } from '../src/index.js';
import { pidAlive } from '../src/lock.js';
import { counter, deferred, HOUR, posix, tempDir, walk } from './helpers.js';

const key = cacheKey('oke', 'https://containerengine.example.test', 'ocid1.user.oc1..aaaa');

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function plantLock(dir: string, content: Record<string, unknown>): Promise<string> {
  await mkdir(join(dir, 'oke'), { recursive: true, mode: 0o700 });
  const path = join(dir, 'oke', `${key}.lock`);
  await writeFile(path, JSON.stringify(content), { mode: 0o600 });
  return path;
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  const pid = Number(child.stdout.toString());
  expect(pidAlive(pid)).toBe(false);
  return pid;
}

describe('lock file', () => {
  it('knows live and dead pids', () => {
    expect(pidAlive(process.pid)).toBe(true);
    expect(pidAlive(deadPid())).toBe(false);
  });

  it('holds {pid, at} while fetching, 0600, and is released afterwards', async () => {
    const dir = await tempDir();
    const cache = new AuthCache({ provider: 'oke', dir });
    const lockPath = join(dir, 'oke', `${key}.lock`);
    const gate = deferred<void>();
    const seen = deferred<{ pid: number; at: number; mode: number }>();
    const pending = cache.get(key, async () => {
      const content = JSON.parse(await readFile(lockPath, 'utf8'));
      seen.resolve({ ...content, mode: (await stat(lockPath)).mode & 0o777 });
      await gate.promise;
      return { token: 'tok', expiresAt: Date.now() + HOUR };
    });
    const lock = await seen.promise;
    expect(lock.pid).toBe(process.pid);
    expect(Math.abs(lock.at - Date.now())).toBeLessThan(10_000);
    if (posix) expect(lock.mode).toBe(0o600);
    gate.resolve();
    await pending;
    expect(await exists(lockPath)).toBe(false);
  });

  it('is released when the fetch throws', async () => {
    const dir = await tempDir();
    const cache = new AuthCache({ provider: 'oke', dir, lockTimeoutMs: 60_000 });
    await expect(
      cache.get(key, async () => {
        expect(await exists(join(dir, 'oke', `${key}.lock`))).toBe(true);
        throw new Error('nope');
      }),
    ).rejects.toThrow('nope');
    expect(await walk(join(dir, 'oke'))).toEqual([]);
    // a second instance is not kept waiting by a leftover lock
    const fetch = counter();
    expect((await new AuthCache({ provider: 'oke', dir, lockTimeoutMs: 60_000 }).get(key, fetch)).token).toBe(
      'tok-1',
    );
  });

  it('breaks a lock whose pid is dead at once', async () => {
    const dir = await tempDir();
    const lockPath = await plantLock(dir, { pid: deadPid(), at: Date.now() });
    const cache = new AuthCache({ provider: 'oke', dir, lockTimeoutMs: 60_000 });
    const fetch = counter();
    const started = Date.now();
    expect((await cache.get(key, fetch)).token).toBe('tok-1');
    expect(Date.now() - started).toBeLessThan(30_000); // far below the 60 s a live lock could hold us
    expect(fetch.calls).toBe(1);
    expect(await exists(lockPath)).toBe(false);
  });

  it('breaks a lock older than lockTimeoutMs even when its pid lives', async () => {
    const dir = await tempDir();
    const lockPath = await plantLock(dir, { pid: process.pid, at: Date.now() - 120_000 });
    const fetch = counter();
    expect((await new AuthCache({ provider: 'oke', dir, lockTimeoutMs: 60_000 }).get(key, fetch)).token).toBe(
      'tok-1',
    );
    expect(fetch.calls).toBe(1);
    expect(await exists(lockPath)).toBe(false);
  });

  it('waits for a live lock, then uses the token its holder wrote instead of fetching', async () => {
    const dir = await tempDir();
    const lockPath = await plantLock(dir, { pid: process.pid, at: Date.now() });
    const cache = new AuthCache({ provider: 'oke', dir, lockTimeoutMs: 60_000 });
    const fetch = counter();
    const pending = cache.get(key, fetch);
    await sleep(100);
    expect(fetch.calls).toBe(0); // never fetches while another holds the lock
    // the "other process" finishes: writes its token, then releases the lock
    await writeFile(
      join(dir, 'oke', `${key}.json`),
      JSON.stringify({
        v: 1,
        provider: 'oke',
        key,
        token: 'from-the-holder',
        expiresAt: Date.now() + HOUR,
        data: null,
        writtenAt: Date.now(),
      }),
      { mode: 0o600 },
    );
    await import('node:fs/promises').then((fs) => fs.unlink(lockPath));
    expect((await pending).token).toBe('from-the-holder');
    expect(fetch.calls).toBe(0);
  });

  it('treats a lock held past lockTimeoutMs as stale and fetches itself', async () => {
    const dir = await tempDir();
    const lockPath = await plantLock(dir, { pid: process.pid, at: Date.now() });
    const fetch = counter();
    const cache = new AuthCache({ provider: 'oke', dir, lockTimeoutMs: 300 });
    expect((await cache.get(key, fetch)).token).toBe('tok-1');
    expect(fetch.calls).toBe(1);
    expect(await exists(lockPath)).toBe(false);
  });

  it('serialises two instances in one process (same pid) through the lock', async () => {
    const dir = await tempDir();
    const a = new AuthCache({ provider: 'oke', dir });
    const b = new AuthCache({ provider: 'oke', dir });
    const gate = deferred<void>();
    const started = deferred<void>();
    let calls = 0;
    const fetch = async (): Promise<CachedToken> => {
      calls += 1;
      started.resolve();
      await gate.promise;
      return { token: `tok-${calls}`, expiresAt: Date.now() + HOUR };
    };
    const first = a.get(key, fetch);
    await started.promise; // a holds the lock and is fetching
    const second = b.get(key, fetch);
    await sleep(50);
    gate.resolve();
    expect((await first).token).toBe('tok-1');
    expect((await second).token).toBe('tok-1');
    expect(calls).toBe(1);
  });

  it('invalidate waits for a refresh in progress and then keeps its new token', async () => {
    const dir = await tempDir();
    const a = new AuthCache({ provider: 'oke', dir });
    const b = new AuthCache({ provider: 'oke', dir });
    const fetch = counter();
    const old = await a.get(key, fetch); // tok-1 everywhere
    await b.invalidate(key); // b refreshes …
    const gate = deferred<void>();
    const refreshing = b.get(key, async () => {
      await gate.promise;
      return fetch();
    });
    await sleep(20);
    // … while a, which still holds tok-1 in memory, reports a 401 for it
    const invalidating = a.invalidate(key, old.token);
    gate.resolve();
    await Promise.all([refreshing, invalidating]);
    expect((await a.get(key, fetch)).token).toBe('tok-2');
    expect(fetch.calls).toBe(2);
  });
});
