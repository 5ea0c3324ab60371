import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuthCache, type CachedToken, cacheKey } from '../src/index.js';
import { counter, deferred, filesContaining, HOUR, tempDir, walk } from './helpers.js';

const credential = 'cldkctl-SECRET-credential-value';
const key = cacheKey('cloudeka', 'https://ai.cloudeka.id', credential);

describe('AuthCache.get', () => {
  it('fetches once, then serves from memory', async () => {
    const dir = await tempDir();
    const cache = new AuthCache({ provider: 'cloudeka', dir });
    const fetch = counter(undefined, { user: 'alice', admin: true, project: 7 });
    const first = await cache.get(key, fetch);
    expect(first).toEqual({
      token: 'tok-1',
      expiresAt: expect.any(Number),
      data: { user: 'alice', admin: true, project: 7 },
    });
    expect(await cache.get(key, fetch)).toBe(first);
    expect(fetch.calls).toBe(1);
    expect(cache.peek(key)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.data)).toBe(true);
  });

  it('serves a second instance from the file without fetching', async () => {
    const dir = await tempDir();
    const fetch = counter(undefined, { user: 'alice' });
    const first = await new AuthCache({ provider: 'cloudeka', dir }).get(key, fetch);

    const other = new AuthCache({ provider: 'cloudeka', dir });
    expect(other.peek(key)).toBeUndefined();
    const never = counter();
    const second = await other.get(key, never);
    expect(never.calls).toBe(0);
    expect(second).toEqual(first);
    expect(other.peek(key)).toEqual(first);

    const file = JSON.parse(await readFile(join(dir, 'cloudeka', `${key}.json`), 'utf8'));
    expect(file).toEqual({
      v: 1,
      provider: 'cloudeka',
      key,
      token: 'tok-1',
      expiresAt: first.expiresAt,
      data: { user: 'alice' },
      writtenAt: expect.any(Number),
    });
  });

  it('does not share files between providers', async () => {
    const dir = await tempDir();
    await new AuthCache({ provider: 'cloudeka', dir }).get(key, counter());
    const fetch = counter();
    await new AuthCache({ provider: 'cloudstack', dir }).get(key, fetch);
    expect(fetch.calls).toBe(1);
    expect(await walk(dir)).toEqual([
      'cloudeka',
      `cloudeka/${key}.json`,
      'cloudstack',
      `cloudstack/${key}.json`,
    ]);
  });

  it('refreshes refreshAheadMs before expiry, in memory and from the file', async () => {
    const dir = await tempDir();
    let now = 1_000_000;
    const clock = () => now;
    const cache = new AuthCache({ provider: 'cloudeka', dir, now: clock, refreshAheadMs: 60_000 });
    const fetch = counter(() => now + 10 * 60_000); // ten-minute tokens

    expect((await cache.get(key, fetch)).token).toBe('tok-1');
    now += 9 * 60_000 - 1; // 60 001 ms before expiry: still fresh
    expect((await cache.get(key, fetch)).token).toBe('tok-1');
    expect(fetch.calls).toBe(1);
    // a second instance sees the file the same way
    expect((await new AuthCache({ provider: 'cloudeka', dir, now: clock }).get(key, counter())).token).toBe(
      'tok-1',
    );

    now += 2; // 59 999 ms before expiry: refresh
    expect((await cache.get(key, fetch)).token).toBe('tok-2');
    expect(fetch.calls).toBe(2);

    // a file that is inside the refresh window is not used either
    const late = new AuthCache({ provider: 'cloudeka', dir, now: clock });
    now += 9 * 60_000 + 30_000;
    const lateFetch = counter(() => now + HOUR);
    expect((await late.get(key, lateFetch)).token).toBe('tok-1');
    expect(lateFetch.calls).toBe(1);
  });

  it('caps the refresh margin at half the lifetime of short-lived tokens', async () => {
    let now = 5_000_000;
    const cache = new AuthCache({ provider: 'oke', persist: false, now: () => now, refreshAheadMs: 60_000 });
    const fetch = counter(() => now + 30_000); // 30 s tokens, shorter than the refresh margin
    await cache.get(key, fetch);
    now += 14_000;
    await cache.get(key, fetch);
    expect(fetch.calls).toBe(1);
    now += 2_000;
    await cache.get(key, fetch);
    expect(fetch.calls).toBe(2);
  });

  it('shares one fetch among 20 concurrent callers', async () => {
    const dir = await tempDir();
    const cache = new AuthCache({ provider: 'cloudeka', dir });
    const gate = deferred<void>();
    let calls = 0;
    const fetch = async (): Promise<CachedToken> => {
      calls += 1;
      await gate.promise;
      return { token: `tok-${calls}`, expiresAt: Date.now() + HOUR };
    };
    const all = Array.from({ length: 20 }, () => cache.get(key, fetch));
    gate.resolve();
    const tokens = await Promise.all(all);
    expect(calls).toBe(1);
    expect(new Set(tokens.map((t) => t.token))).toEqual(new Set(['tok-1']));
  });

  it('does not cache a failed fetch and gives its error to every waiting caller', async () => {
    const dir = await tempDir();
    const cache = new AuthCache({ provider: 'cloudeka', dir });
    const gate = deferred<void>();
    let calls = 0;
    const boom = new Error('upstream said no');
    const failing = async (): Promise<CachedToken> => {
      calls += 1;
      await gate.promise;
      throw boom;
    };
    const all = Array.from({ length: 5 }, () => cache.get(key, failing));
    gate.resolve();
    const results = await Promise.allSettled(all);
    expect(calls).toBe(1);
    for (const r of results) expect(r).toEqual({ status: 'rejected', reason: boom });
    expect(cache.peek(key)).toBeUndefined();
    expect(await walk(join(dir, 'cloudeka'))).toEqual([]); // no token file, no lock left behind

    const fetch = counter();
    expect((await cache.get(key, fetch)).token).toBe('tok-1');
    expect(fetch.calls).toBe(1);
  });

  it('rejects a malformed fetch result without caching it, and without echoing the token', async () => {
    const cache = new AuthCache({ provider: 'cloudeka', persist: false });
    const bad = async () => ({ token: 'secret-value', expiresAt: Number.NaN }) as CachedToken;
    await expect(cache.get(key, bad)).rejects.toThrow(/expiresAt/);
    await expect(cache.get(key, bad)).rejects.not.toThrow(/secret-value/);
    await expect(cache.get(key, async () => ({ token: '', expiresAt: 1 }))).rejects.toThrow(/token/);
    await expect(
      cache.get(
        key,
        async () => ({ token: 't', expiresAt: Date.now() + HOUR, data: { nested: {} } }) as never,
      ),
    ).rejects.toThrow(/data/);
    expect(cache.peek(key)).toBeUndefined();
  });

  it('validates provider and key', async () => {
    for (const provider of ['', '..', '.', 'a/b', 'a\\b', '../x', 'x'.repeat(65), ' cloud'])
      expect(() => new AuthCache({ provider })).toThrow(TypeError);
    const cache = new AuthCache({ provider: 'cloudeka', persist: false });
    for (const bad of ['', '../x', 'a/b', '.hidden', 'x'.repeat(129)]) {
      await expect(cache.get(bad, counter())).rejects.toThrow(TypeError);
      await expect(cache.invalidate(bad)).rejects.toThrow(TypeError);
      expect(() => cache.peek(bad)).toThrow(TypeError);
    }
    expect(() => new AuthCache({ provider: 'oci.oke_2-x', refreshAheadMs: -1 })).toThrow(/refreshAheadMs/);
    expect(() => new AuthCache({ provider: 'oci.oke_2-x', lockTimeoutMs: Number.NaN })).toThrow(
      /lockTimeoutMs/,
    );
  });
});

describe('AuthCache.invalidate', () => {
  it('drops the token from memory and file', async () => {
    const dir = await tempDir();
    const cache = new AuthCache({ provider: 'cloudeka', dir });
    await cache.get(key, counter());
    await cache.invalidate(key);
    expect(cache.peek(key)).toBeUndefined();
    expect(await walk(join(dir, 'cloudeka'))).toEqual([]);
  });

  it('keeps a newer token when told which token went stale', async () => {
    const dir = await tempDir();
    const a = new AuthCache({ provider: 'cloudeka', dir });
    const b = new AuthCache({ provider: 'cloudeka', dir });
    const fetch = counter();
    const old = await a.get(key, fetch); // tok-1, in a's memory and on disk
    expect((await b.get(key, fetch)).token).toBe('tok-1');

    await b.invalidate(key, old.token); // b saw a 401 with tok-1
    const fresh = await b.get(key, fetch); // and refreshed: tok-2 on disk
    expect(fresh.token).toBe('tok-2');

    // a late 401 for tok-1 in a must not throw away tok-2
    await a.invalidate(key, old.token);
    expect(a.peek(key)).toBeUndefined();
    expect((await a.get(key, fetch)).token).toBe('tok-2');
    await b.invalidate(key, 'tok-1');
    expect(b.peek(key)?.token).toBe('tok-2');
    expect(JSON.parse(await readFile(join(dir, 'cloudeka', `${key}.json`), 'utf8')).token).toBe('tok-2');
    expect(fetch.calls).toBe(2);

    await b.invalidate(key, 'tok-2');
    expect(b.peek(key)).toBeUndefined();
    expect(await walk(join(dir, 'cloudeka'))).toEqual([]);
  });
});

describe('AuthCache.withToken', () => {
  class HttpError extends Error {
    constructor(readonly status: number) {
      super(`HTTP ${status}`);
    }
  }
  const is401 = (err: unknown) => err instanceof HttpError && err.status === 401;

  it('returns the result without refetching when all is well', async () => {
    const cache = new AuthCache({ provider: 'cloudeka', persist: false });
    const fetch = counter();
    const seen: string[] = [];
    const use = async (t: CachedToken) => {
      seen.push(t.token);
      return `ok with ${t.token}`;
    };
    expect(await cache.withToken(key, fetch, use, is401)).toBe('ok with tok-1');
    expect(await cache.withToken(key, fetch, use, is401)).toBe('ok with tok-1');
    expect(seen).toEqual(['tok-1', 'tok-1']);
    expect(fetch.calls).toBe(1);
  });

  it('on a 401 invalidates, fetches exactly once more and retries once', async () => {
    const dir = await tempDir();
    const cache = new AuthCache({ provider: 'cloudeka', dir });
    const fetch = counter();
    await cache.get(key, fetch); // tok-1 cached; the upstream has since revoked it
    const seen: string[] = [];
    const result = await cache.withToken(
      key,
      fetch,
      async (t) => {
        seen.push(t.token);
        if (t.token === 'tok-1') throw new HttpError(401);
        return 'done';
      },
      is401,
    );
    expect(result).toBe('done');
    expect(seen).toEqual(['tok-1', 'tok-2']);
    expect(fetch.calls).toBe(2);
    expect(cache.peek(key)?.token).toBe('tok-2');
    expect(JSON.parse(await readFile(join(dir, 'cloudeka', `${key}.json`), 'utf8')).token).toBe('tok-2');
  });

  it('does not loop on a second 401', async () => {
    const cache = new AuthCache({ provider: 'cloudeka', persist: false });
    const fetch = counter();
    let uses = 0;
    const always401 = async (): Promise<never> => {
      uses += 1;
      throw new HttpError(401);
    };
    await expect(cache.withToken(key, fetch, always401, is401)).rejects.toEqual(new HttpError(401));
    expect(uses).toBe(2);
    expect(fetch.calls).toBe(2);
  });

  it('passes other errors through without retrying', async () => {
    const cache = new AuthCache({ provider: 'cloudeka', persist: false });
    const fetch = counter();
    let uses = 0;
    const fails = async (): Promise<never> => {
      uses += 1;
      throw new HttpError(500);
    };
    await expect(cache.withToken(key, fetch, fails, is401)).rejects.toEqual(new HttpError(500));
    expect(uses).toBe(1);
    expect(fetch.calls).toBe(1);
    expect(cache.peek(key)?.token).toBe('tok-1');
  });

  it('also retries once when the returned result is a 401', async () => {
    const cache = new AuthCache({ provider: 'cloudeka', persist: false });
    const fetch = counter();
    const statuses: number[] = [];
    const respond = async () => {
      const status = statuses.length === 0 ? 401 : 200;
      statuses.push(status);
      return { status };
    };
    const isUnauthorized = (v: unknown) => (v as { status?: number }).status === 401; // throws on undefined
    expect(await cache.withToken(key, fetch, respond, isUnauthorized)).toEqual({ status: 200 });
    expect(statuses).toEqual([401, 200]);
    expect(fetch.calls).toBe(2);

    // a second 401 result is returned as is
    const always = async () => ({ status: 401 });
    expect(await cache.withToken(key, fetch, always, isUnauthorized)).toEqual({ status: 401 });
    expect(fetch.calls).toBe(3); // tok-2 (cached) got a 401, tok-3 was fetched and got one too

    // a predicate that throws on a result does not turn it into a retry
    expect(await cache.withToken(key, fetch, async () => undefined, isUnauthorized)).toBeUndefined();
    expect(fetch.calls).toBe(3);
  });
});

describe('persist: false', () => {
  it('writes nothing to disk', async () => {
    const dir = await tempDir();
    const cache = new AuthCache({ provider: 'kubernetes', dir, persist: false });
    const fetch = counter();
    await cache.get(key, fetch);
    await cache.get(key, fetch);
    await cache.invalidate(key, 'tok-1');
    await cache.get(key, fetch);
    expect(fetch.calls).toBe(2);
    expect(await walk(dir)).toEqual([]);
  });
});

describe('secrets on disk', () => {
  it('stores the token only in its cache file and the credential nowhere', async () => {
    const dir = await tempDir();
    const cache = new AuthCache({ provider: 'cloudeka', dir });
    const token = 'eyJ-session-token-UNIQUE-4711';
    await cache.get(key, async () => ({ token, expiresAt: Date.now() + HOUR, data: { user: 'alice' } }));
    expect(await filesContaining(dir, token)).toEqual([`cloudeka/${key}.json`]);
    expect(await filesContaining(dir, credential)).toEqual([]);
    expect(await walk(dir)).toEqual(['cloudeka', `cloudeka/${key}.json`]);
  });
});
