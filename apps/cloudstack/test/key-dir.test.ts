import { chmod, mkdir, mkdtemp, readdir, readFile, stat, symlink } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultKeyDir, KEY_FILE_NAME, keyDirFrom, reserveKeyFile } from '../src/key-dir.js';

// The key directory's own rules, below the tool: which directory, which names, which directories refuse.

const temp = () => mkdtemp(join(tmpdir(), 'cs-keydir-'));

describe('keyDirFrom', () => {
  it('takes --ssh-key-dir, else the default over stdio, else nothing over HTTP', () => {
    const http = { host: '127.0.0.1', port: 8080 };
    expect(keyDirFrom({ sshKeyDir: '/srv/keys' })).toEqual({ path: '/srv/keys', create: false });
    expect(keyDirFrom({ sshKeyDir: '/srv/keys', http })).toEqual({ path: '/srv/keys', create: false });
    expect(keyDirFrom({})).toEqual({ path: join(homedir(), '.ssh', 'cloudmcp'), create: true });
    expect(keyDirFrom({ http })).toEqual({ create: false });
  });
});

describe('KEY_FILE_NAME', () => {
  it.each(['id', 'cloudstack-web', 'k1.pem', '_x', 'A'.repeat(100)])('accepts %s', (name) => {
    expect(KEY_FILE_NAME.test(name)).toBe(true);
  });
  it.each(['', '.', '..', '.ssh', '-rf', 'a/b', 'a\\b', '~', 'a b', 'a\0b', 'a%2Fb', 'é', 'A'.repeat(101)])(
    'refuses %j',
    (name) => {
      expect(KEY_FILE_NAME.test(name)).toBe(false);
    },
  );
});

describe('reserveKeyFile', () => {
  it('creates the default directory 0700 on first use, and only that directory', async () => {
    const home = await temp();
    await mkdir(join(home, '.ssh'), { mode: 0o700 });
    const file = await reserveKeyFile({ path: defaultKeyDir(home), create: true }, 'k');
    await file.write('PEM');
    expect(file.path).toBe(join(home, '.ssh', 'cloudmcp', 'k'));
    expect((await stat(join(home, '.ssh', 'cloudmcp'))).mode & 0o777).toBe(0o700);
    expect((await stat(file.path)).mode & 0o777).toBe(0o600);
    expect(await readFile(file.path, 'utf8')).toBe('PEM\n');
  });

  it('does not create missing parents of the default directory', async () => {
    const home = await temp();
    await expect(reserveKeyFile({ path: defaultKeyDir(home), create: true }, 'k')).rejects.toThrow(
      `The SSH key directory ${join(home, '.ssh', 'cloudmcp')} cannot be used: cannot create it (ENOENT)`,
    );
    expect(await readdir(home)).toEqual([]);
  });

  it.each([
    ['a missing --ssh-key-dir', async (d: string) => join(d, 'missing'), 'it does not exist'],
    [
      'a symbolic link',
      async (d: string) => {
        await mkdir(join(d, 'real'), { mode: 0o700 });
        await symlink(join(d, 'real'), join(d, 'link'));
        return join(d, 'link');
      },
      'it is a symbolic link',
    ],
    [
      'a group-writable directory',
      async (d: string) => {
        await mkdir(join(d, 'open'));
        await chmod(join(d, 'open'), 0o770);
        return join(d, 'open');
      },
      'it is writable by group or others',
    ],
  ])('refuses %s and creates nothing', async (_, make, why) => {
    const base = await temp();
    const dir = await make(base);
    const before = await readdir(base, { recursive: true });
    await expect(reserveKeyFile({ path: dir, create: false }, 'k')).rejects.toThrow(
      `The SSH key directory ${dir} cannot be used: ${why}. Nothing was created.`,
    );
    expect(await readdir(base, { recursive: true })).toEqual(before);
  });

  it('discard removes the reserved file', async () => {
    const dir = await temp();
    const file = await reserveKeyFile({ path: dir, create: false }, 'k');
    expect(await readdir(dir)).toEqual(['k']);
    await file.discard();
    expect(await readdir(dir)).toEqual([]);
  });
});
