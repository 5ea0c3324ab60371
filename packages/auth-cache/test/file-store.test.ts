import { chmod, chown, lstat, mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuthCache, cacheKey, defaultCacheDir } from '../src/index.js';
import { counter, filesContaining, HOUR, isRoot, posix, tempDir, walk } from './helpers.js';

const key = cacheKey('cloudstack', 'https://cloud.example.test/client/api', 'admin:password');
const otherKey = cacheKey('cloudstack', 'https://cloud.example.test/client/api', 'other:password');

function fileBody(over: Record<string, unknown> = {}): string {
  return JSON.stringify({
    v: 1,
    provider: 'cloudstack',
    key,
    token: 'planted-token',
    expiresAt: Date.now() + HOUR,
    data: null,
    writtenAt: Date.now(),
    ...over,
  });
}

/** Puts a file where the cache file for `key` goes, then checks the cache ignores it and replaces it. */
async function expectIgnoredAndReplaced(dir: string, plant: (path: string) => Promise<void>) {
  const providerDir = join(dir, 'cloudstack');
  await mkdir(providerDir, { recursive: true, mode: 0o700 });
  const path = join(providerDir, `${key}.json`);
  await plant(path);
  const cache = new AuthCache({ provider: 'cloudstack', dir });
  const fetch = counter();
  expect((await cache.get(key, fetch)).token).toBe('tok-1');
  expect(fetch.calls).toBe(1);
  const st = await lstat(path);
  expect(st.isFile()).toBe(true);
  if (posix) expect(st.mode & 0o777).toBe(0o600);
  expect(JSON.parse(await readFile(path, 'utf8')).token).toBe('tok-1');
  // and a fresh instance now reads the replacement
  const again = counter();
  expect((await new AuthCache({ provider: 'cloudstack', dir }).get(key, again)).token).toBe('tok-1');
  expect(again.calls).toBe(0);
}

describe('file store', () => {
  it('uses a planted file that is valid (the control for the tests below)', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'cloudstack'), { recursive: true, mode: 0o700 });
    await writeFile(join(dir, 'cloudstack', `${key}.json`), fileBody({ data: { user: 'admin' } }), {
      mode: 0o600,
    });
    const fetch = counter();
    const got = await new AuthCache({ provider: 'cloudstack', dir }).get(key, fetch);
    expect(got).toEqual({ token: 'planted-token', expiresAt: expect.any(Number), data: { user: 'admin' } });
    expect(fetch.calls).toBe(0);
  });

  it.runIf(posix)('creates the directories 0700 and the file 0600', async () => {
    const dir = join(await tempDir(), 'deep', 'cloudmcp');
    await new AuthCache({ provider: 'cloudstack', dir }).get(key, counter());
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, 'cloudstack'))).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, 'cloudstack', `${key}.json`))).mode & 0o777).toBe(0o600);
    expect(await walk(dir)).toEqual(['cloudstack', `cloudstack/${key}.json`]); // no temp or lock files left
  });

  it.runIf(posix)('tightens existing directories that are too open', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'cloudstack'), { mode: 0o755 });
    await chmod(dir, 0o755);
    await chmod(join(dir, 'cloudstack'), 0o777);
    await new AuthCache({ provider: 'cloudstack', dir }).get(key, counter());
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, 'cloudstack'))).mode & 0o777).toBe(0o700);
  });

  it.runIf(posix)('writes 0600 whatever the umask', async () => {
    const dir = await tempDir();
    const old = process.umask(0o000);
    try {
      await new AuthCache({ provider: 'cloudstack', dir }).get(key, counter());
    } finally {
      process.umask(old);
    }
    expect((await stat(join(dir, 'cloudstack', `${key}.json`))).mode & 0o777).toBe(0o600);
  });

  it('ignores and replaces a corrupt file', async () => {
    const dir = await tempDir();
    await expectIgnoredAndReplaced(dir, (p) => writeFile(p, '{"v":1,"provider":"cloud', { mode: 0o600 }));
  });

  it('ignores and replaces files of another version, provider or key, or malformed fields', async () => {
    const variants: Record<string, unknown>[] = [
      { v: 2 },
      { provider: 'cloudeka' },
      { key: otherKey },
      { token: '' },
      { token: 42 },
      { expiresAt: 'tomorrow' },
      { writtenAt: undefined },
      { data: { nested: { no: 1 } } },
      { data: [1, 2] },
    ];
    for (const over of variants) {
      const dir = await tempDir();
      await expectIgnoredAndReplaced(dir, (p) => writeFile(p, fileBody(over), { mode: 0o600 }));
    }
    const dir = await tempDir();
    await expectIgnoredAndReplaced(dir, (p) => writeFile(p, '[]', { mode: 0o600 }));
  });

  it('ignores and replaces an expired file', async () => {
    const dir = await tempDir();
    await expectIgnoredAndReplaced(dir, (p) =>
      writeFile(p, fileBody({ expiresAt: Date.now() - 1, writtenAt: Date.now() - HOUR }), { mode: 0o600 }),
    );
  });

  it.runIf(posix)('ignores and replaces a group- or world-accessible file', async () => {
    for (const mode of [0o640, 0o604, 0o660, 0o620, 0o601]) {
      const dir = await tempDir();
      await expectIgnoredAndReplaced(dir, async (p) => {
        await writeFile(p, fileBody(), { mode: 0o600 });
        await chmod(p, mode);
      });
    }
  });

  it.runIf(posix && isRoot)('ignores and replaces a file owned by another uid', async () => {
    const dir = await tempDir();
    await expectIgnoredAndReplaced(dir, async (p) => {
      await writeFile(p, fileBody(), { mode: 0o600 });
      await chown(p, 12345, 12345);
    });
  });

  it.runIf(posix)('ignores and replaces a symlink, even to a valid private file', async () => {
    const dir = await tempDir();
    const elsewhere = join(await tempDir(), 'planted.json');
    await writeFile(elsewhere, fileBody(), { mode: 0o600 });
    await expectIgnoredAndReplaced(dir, (p) => symlink(elsewhere, p));
    expect(JSON.parse(await readFile(elsewhere, 'utf8')).token).toBe('planted-token'); // target untouched
  });

  it('ignores and replaces something that is not a regular file', async () => {
    const dir = await tempDir();
    await expectIgnoredAndReplaced(dir, (p) => mkdir(p, { mode: 0o700 }));
  });

  it.runIf(posix)('refuses a cache directory that is a symlink, with one warning', async () => {
    const root = await tempDir();
    const target = await tempDir();
    const dir = join(root, 'cloudmcp');
    await symlink(target, dir);
    const warnings: string[] = [];
    const cache = new AuthCache({ provider: 'cloudstack', dir, onWarning: (m) => warnings.push(m) });
    const fetch = counter();
    expect((await cache.get(key, fetch)).token).toBe('tok-1');
    expect((await cache.get(key, fetch)).token).toBe('tok-1');
    await cache.invalidate(key);
    expect((await cache.get(key, fetch)).token).toBe('tok-2');
    expect(fetch.calls).toBe(2);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/symlink.*in-memory cache only/);
    expect(await walk(target)).toEqual([]);
  });

  it.runIf(posix)('refuses a provider directory that is a symlink', async () => {
    const dir = await tempDir();
    const target = await tempDir();
    await symlink(target, join(dir, 'cloudstack'));
    const warnings: string[] = [];
    const cache = new AuthCache({ provider: 'cloudstack', dir, onWarning: (m) => warnings.push(m) });
    expect((await cache.get(key, counter())).token).toBe('tok-1');
    expect(warnings).toHaveLength(1);
    expect(await walk(target)).toEqual([]);
  });

  it('degrades to memory when the directory cannot be created, warning once', async () => {
    const root = await tempDir();
    await writeFile(join(root, 'not-a-dir'), 'x');
    const warnings: string[] = [];
    const cache = new AuthCache({
      provider: 'cloudstack',
      dir: join(root, 'not-a-dir', 'cloudmcp'),
      onWarning: (m) => warnings.push(m),
    });
    const fetch = counter();
    const other = cacheKey('cloudstack', 'https://b', 'c');
    expect((await cache.get(key, fetch)).token).toBe('tok-1');
    expect((await cache.get(key, fetch)).token).toBe('tok-1');
    expect((await cache.get(other, fetch)).token).toBe('tok-2');
    expect(fetch.calls).toBe(2);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('ENOTDIR');
    expect(warnings[0]).not.toContain('tok-');
    expect(await walk(root)).toEqual(['not-a-dir']);
  });

  it.runIf(posix && !isRoot)('degrades to memory when the directory is read-only (EACCES)', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'cloudstack'), { mode: 0o700 });
    await chmod(join(dir, 'cloudstack'), 0o500);
    const warnings: string[] = [];
    const cache = new AuthCache({ provider: 'cloudstack', dir, onWarning: (m) => warnings.push(m) });
    const fetch = counter();
    expect((await cache.get(key, fetch)).token).toBe('tok-1');
    expect((await cache.get(key, fetch)).token).toBe('tok-1');
    expect(fetch.calls).toBe(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('EACCES');
    await chmod(join(dir, 'cloudstack'), 0o700);
  });

  it.runIf(posix && isRoot)('refuses a cache directory owned by someone else', async () => {
    const dir = join(await tempDir(), 'cloudmcp');
    await mkdir(dir, { mode: 0o700 });
    await chown(dir, 12345, 12345);
    const warnings: string[] = [];
    const cache = new AuthCache({ provider: 'cloudstack', dir, onWarning: (m) => warnings.push(m) });
    expect((await cache.get(key, counter())).token).toBe('tok-1');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('owned by uid 12345');
    expect(await walk(dir)).toEqual([]);
  });

  it('defaults to $XDG_CACHE_HOME/cloudmcp, else ~/.cache/cloudmcp', async () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/x/cache' })).toBe(join('/x/cache', 'cloudmcp'));
    expect(defaultCacheDir({ XDG_CACHE_HOME: 'relative/cache' })).toMatch(/[/\\]\.cache[/\\]cloudmcp$/);
    expect(defaultCacheDir({})).toMatch(/[/\\]\.cache[/\\]cloudmcp$/);

    const xdg = await tempDir();
    const saved = process.env['XDG_CACHE_HOME'];
    process.env['XDG_CACHE_HOME'] = xdg;
    try {
      await new AuthCache({ provider: 'cloudstack' }).get(key, counter());
    } finally {
      if (saved === undefined) delete process.env['XDG_CACHE_HOME'];
      else process.env['XDG_CACHE_HOME'] = saved;
    }
    expect(await walk(xdg)).toEqual(['cloudmcp', 'cloudmcp/cloudstack', `cloudmcp/cloudstack/${key}.json`]);
    expect(await filesContaining(xdg, 'admin:password')).toEqual([]);
  });
});
