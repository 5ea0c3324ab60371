import { createPublicKey } from 'node:crypto';
import {
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CloudStackSim } from 'cloudstack-sim';
import { type Connected, type HttpServer, startHttpServer } from 'mcp-test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLI,
  commandsSent,
  rows,
  type Started,
  startServer,
  structured,
  type ToolResult,
  text,
  withSim,
} from './harness.js';
import { md5Fingerprint } from './ssh-wire.js';

// Hostile input, issue 7 class 11 ("ssh-key-dir"): whatever a model passes as `private_key_file`, the
// real server over stdio writes at most one new file, in --ssh-key-dir, and its answers tell nothing about
// other paths. Everything lives in one sandbox: the key directory, a sibling "outside" directory with a file
// worth stealing or clobbering, and the server's HOME (so even a `~` expansion would land where we look).

let sim: CloudStackSim;
let server: Started;
let sandbox: string;
let keyDir: string;
let outside: string;
let home: string;

beforeAll(async () => {
  sandbox = mkdtempSync(join(tmpdir(), 'cs-hostile-'));
  keyDir = join(sandbox, 'keys');
  outside = join(sandbox, 'outside');
  home = join(sandbox, 'home');
  mkdirSync(keyDir, { mode: 0o700 });
  mkdirSync(outside);
  mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  writeFileSync(join(outside, 'secret'), 'outside secret\n');
  writeFileSync(join(keyDir, 'present'), 'present\n');
  writeFileSync(join(home, '.ssh', 'authorized_keys'), 'ssh-ed25519 AAAA keep@me\n');
  sim = await withSim();
  server = await startServer(sim, { args: ['--ssh-key-dir', keyDir], env: { HOME: home } });
});
afterAll(async () => {
  await server?.close();
  await sim?.close();
});

/** Every path under the sandbox with its kind, mode and content (or link target). */
function snapshot(root: string = sandbox): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of readdirSync(root, { recursive: true }) as string[]) {
    const path = join(root, rel);
    const st = lstatSync(path);
    out[rel] = st.isSymbolicLink()
      ? `link ${readlinkSync(path)}`
      : st.isDirectory()
        ? `dir ${(st.mode & 0o777).toString(8)}`
        : `file ${(st.mode & 0o777).toString(8)} ${readFileSync(path, 'utf8')}`;
  }
  return out;
}

const keyPairNames = async (): Promise<string[]> => {
  const listed = await server.client.callTool({ name: 'ssh_key_list', arguments: { limit: 500 } });
  return rows(listed)
    .map((k) => k.name!)
    .sort();
};

let seq = 0;
/**
 * Calls ssh_key_create with a hostile file name and checks it was refused without effect: nothing in the
 * sandbox changed (no file written, no directory made), nothing appeared where the name would point from
 * the server's working directory, CloudStack was never asked to make a pair and none is left behind.
 */
async function refused(fileName: string): Promise<string> {
  const before = snapshot();
  const elsewhere = [resolve(process.cwd(), fileName.replaceAll('\0', '')), resolve('/', fileName)];
  const existedElsewhere = elsewhere.map((p) => existsSync(p));
  const pairs = await keyPairNames();
  const created = commandsSent(sim, 'createSSHKeyPair');
  const name = `hostile-${++seq}`;
  const result: ToolResult = await server.client.callTool({
    name: 'ssh_key_create',
    arguments: { name, private_key_file: fileName },
  });
  expect(result.isError, text(result)).toBe(true);
  expect(snapshot()).toEqual(before);
  expect(elsewhere.map((p) => existsSync(p))).toEqual(existedElsewhere);
  expect(commandsSent(sim, 'createSSHKeyPair')).toBe(created);
  expect(await keyPairNames()).toEqual(pairs);
  const said = text(result);
  // No path the server could have looked at is named: not the sandbox, not the working directory.
  expect(said).not.toContain(sandbox);
  expect(said).not.toContain(process.cwd());
  return said;
}

describe('hostile input class 11 (ssh-key-dir): ssh_key_create writes only a new file in --ssh-key-dir', () => {
  // Each pair names a path that exists and one that does not: the same answer for both (which does not
  // even echo the name) is what makes it no oracle for the server's filesystem.
  const pairs: Array<[string, () => [string, string]]> = [
    ['an absolute path outside', () => [join(outside, 'secret'), join(outside, 'missing')]],
    ['an absolute system path', () => ['/etc/passwd', '/etc/no-such-file-cloudmcp']],
    ['an absolute path into the key dir', () => [join(keyDir, 'present'), join(keyDir, 'absent')]],
    ['a ../ climb', () => ['../outside/secret', '../outside/missing']],
    ['a deep ../ climb', () => ['../../../../../../etc/passwd', '../../../../../../etc/nothing-here']],
    ['~', () => ['~/.ssh/authorized_keys', '~/.ssh/missing']],
    ['a Windows separator climb', () => ['..\\outside\\secret', '..\\outside\\missing']],
    ['a Windows drive path', () => ['C:\\Windows\\win.ini', 'C:\\Windows\\missing.ini']],
    ['URL-encoded separators', () => ['..%2Foutside%2Fsecret', '..%2Foutside%2Fmissing']],
    ['fully encoded dots and slashes', () => ['%2e%2e%2foutside%2fsecret', '%2e%2e%2foutside%2fmissing']],
    ['Unicode lookalike slashes', () => ['..\u2215outside\u2215secret', '..\uff0foutside\uff0fmissing']],
    ['a NUL byte cutting a path', () => [`ok\0/../../outside/secret`, `ok\0/../../outside/missing`]],
    ['a file: URL', () => [`file://${join(outside, 'secret')}`, `file://${join(outside, 'missing')}`]],
  ];
  it.each(pairs)('refuses %s, alike for an existing and a missing target', async (_, make) => {
    const [existing, missing] = make();
    const a = await refused(existing);
    const b = await refused(missing);
    expect(a).toMatch(/Invalid input `private_key_file`: must be a file name, not a path: /);
    expect(b).toBe(a);
    expect(readFileSync(join(outside, 'secret'), 'utf8')).toBe('outside secret\n');
  });

  it.each([
    ['.', '.'],
    ['..', '..'],
    ['a leading dot', '.bashrc'],
    ['a leading dash', '-rf'],
    ['a trailing slash', 'k/'],
    ['an empty name', ''],
    ['a newline', 'a\nb'],
    ['a name of 101 characters', 'k'.repeat(101)],
    ['a name of 5000 characters', 'k'.repeat(5000)],
  ])('refuses %s as a file name', async (_, fileName) => {
    expect(await refused(fileName)).toMatch(
      /Invalid input `private_key_file`: must be a file name, not a path: /,
    );
  });

  it.each([
    ['a symbolic link to a file outside', 'ln-file', (p: string) => symlinkSync(join(outside, 'secret'), p)],
    [
      'a dangling symbolic link to outside',
      'ln-dangling',
      (p: string) => symlinkSync(join(outside, 'planted'), p),
    ],
    ['a symbolic link to a directory outside', 'ln-dir', (p: string) => symlinkSync(outside, p)],
    ['a hard link to a file outside', 'hard', (p: string) => linkSync(join(outside, 'secret'), p)],
    ['an existing file', 'existing', (p: string) => writeFileSync(p, 'keep me\n')],
    ['a directory', 'a-dir', (p: string) => mkdirSync(p)],
  ])('refuses a name that is %s in the key dir, saying only that it exists', async (_, name, plant) => {
    plant(join(keyDir, name));
    const said = await refused(name);
    expect(said.split('\n')[0]).toBe(
      'Error: Invalid input `private_key_file`: a file of that name exists in the SSH key directory; nothing was created',
    );
    expect(readFileSync(join(outside, 'secret'), 'utf8')).toBe('outside secret\n');
    expect(readdirSync(outside)).toEqual(['secret']);
  });

  it('saves a new key 0600 in the key dir, the private half of the pair CloudStack registered', async () => {
    const result = await server.client.callTool({
      name: 'ssh_key_create',
      arguments: { name: 'hostile-good', private_key_file: 'good.pem' },
    });
    expect(result.isError, text(result)).toBeFalsy();
    const file = join(keyDir, 'good.pem');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const pem = readFileSync(file, 'utf8');
    expect(pem).toMatch(
      /^-----BEGIN RSA PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END RSA PRIVATE KEY-----\n$/,
    );
    const fingerprint = md5Fingerprint(createPublicKey(pem));
    expect(structured(result)).toEqual({ name: 'hostile-good', fingerprint, private_key_file: file });
    expect(JSON.stringify(result)).not.toContain('PRIVATE KEY');
    expect(await keyPairNames()).toContain('hostile-good');
    expect(readdirSync(outside)).toEqual(['secret']);
  });
});

describe('without --ssh-key-dir', () => {
  it('over stdio saves in ~/.ssh/cloudmcp, created 0700 on first use', async () => {
    const own = mkdtempSync(join(tmpdir(), 'cs-home-'));
    mkdirSync(join(own, '.ssh'), { mode: 0o700 });
    const stdio = await startServer(sim, { env: { HOME: own } });
    try {
      const result = await stdio.client.callTool({
        name: 'ssh_key_create',
        arguments: { name: 'hostile-default', private_key_file: 'default' },
      });
      expect(result.isError, text(result)).toBeFalsy();
      const file = join(own, '.ssh', 'cloudmcp', 'default');
      expect(structured(result)['private_key_file']).toBe(file);
      expect(statSync(join(own, '.ssh', 'cloudmcp')).mode & 0o777).toBe(0o700);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(snapshot(own)).toEqual({
        '.ssh': 'dir 700',
        '.ssh/cloudmcp': 'dir 700',
        '.ssh/cloudmcp/default': `file 600 ${readFileSync(file, 'utf8')}`,
      });
    } finally {
      await stdio.close();
    }
  });

  it('over HTTP refuses before CloudStack makes a pair, and writes nothing', async () => {
    const own = mkdtempSync(join(tmpdir(), 'cs-home-'));
    const token = 'hostile-http-token-0123456789';
    const { admin } = sim.credentials;
    const http: HttpServer = await startHttpServer(CLI, {
      HOME: own,
      XDG_CACHE_HOME: join(own, 'cache'),
      CLOUDSTACK_API_URL: sim.url,
      CLOUDSTACK_API_KEY: admin.apiKey,
      CLOUDSTACK_SECRET_KEY: admin.secretKey,
      CLOUDMCP_HTTP_TOKEN: token,
      CLOUDMCP_ALLOW_SECRETS: 'true',
    });
    let connected: Connected | undefined;
    try {
      connected = await http.connect({
        clientName: 'hostile-http',
        headers: { authorization: `Bearer ${token}` },
      });
      const pairs = await keyPairNames();
      const created = commandsSent(sim, 'createSSHKeyPair');
      const result = await connected.client.callTool({
        name: 'ssh_key_create',
        arguments: { name: 'hostile-http', private_key_file: 'http' },
      });
      expect(result.isError).toBe(true);
      expect(text(result)).toBe(
        'Error: Saving private keys is off: this server serves HTTP and was started without --ssh-key-dir. Nothing was created.\n' +
          'Next: Make a key pair yourself (ssh-keygen) and register its public key with `ssh_key_register`, ' +
          'or ask the operator to start the server with --ssh-key-dir DIR.',
      );
      expect(commandsSent(sim, 'createSSHKeyPair')).toBe(created);
      expect(await keyPairNames()).toEqual(pairs);
      expect(existsSync(join(own, '.ssh'))).toBe(false);
    } finally {
      await connected?.close();
      await http.close();
    }
  });
});
