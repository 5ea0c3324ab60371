import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudStackSim } from 'cloudstack-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandsSent, rows, startServer, structured, text, withSim } from './harness.js';

let sim: CloudStackSim;

beforeAll(async () => {
  sim = await withSim();
});
afterAll(async () => {
  await sim?.close();
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('authentication', () => {
  it('signed requests with a wrong secret key get CloudStack 401 and say what to check', async () => {
    const server = await startServer(sim, { env: { CLOUDSTACK_SECRET_KEY: 'not-the-secret' } });
    const result = await server.client.callTool({ name: 'zone_list', arguments: {} });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain(
      'Upstream: 401 unable to verify user credentials and/or request signature',
    );
    expect(text(result)).toContain('CLOUDSTACK_SECRET_KEY');
    await server.close();
  });

  it('username/password logs in once, and a second process reuses the cached session', async () => {
    const { user } = sim.credentials;
    const cacheDir = mkdtempSync(join(tmpdir(), 'cs-session-'));
    const env = {
      CLOUDSTACK_API_KEY: '',
      CLOUDSTACK_SECRET_KEY: '',
      CLOUDSTACK_USERNAME: user.username,
      CLOUDSTACK_PASSWORD: user.password,
    };
    const logins = commandsSent(sim, 'login');
    const first = await startServer(sim, { env, cacheDir });
    for (let i = 0; i < 3; i++) {
      const result = await first.client.callTool({ name: 'zone_list', arguments: {} });
      expect(result.isError, text(result)).toBeFalsy();
    }
    await first.close();
    const second = await startServer(sim, { env, cacheDir });
    const result = await second.client.callTool({ name: 'vm_list', arguments: {} });
    expect(result.isError, text(result)).toBeFalsy();
    await second.close();
    expect(commandsSent(sim, 'login')).toBe(logins + 1);

    // The session file is private and holds no password.
    const files = filesUnder(cacheDir);
    expect(files.length).toBe(1);
    expect(statSync(files[0]!).mode & 0o777).toBe(0o600);
    expect(readFileSync(files[0]!, 'utf8')).not.toContain(user.password);
  });

  it('logs in again when the session is gone (one 401, one new login, the call succeeds)', async () => {
    const { user } = sim.credentials;
    const env = {
      CLOUDSTACK_API_KEY: '',
      CLOUDSTACK_SECRET_KEY: '',
      CLOUDSTACK_USERNAME: user.username,
      CLOUDSTACK_PASSWORD: user.password,
    };
    // api_call is destructive: the user agrees to the logout that ends the session.
    const server = await startServer(sim, { env, elicit: 'accept' });
    await server.client.callTool({ name: 'zone_list', arguments: {} });
    const logins = commandsSent(sim, 'login');
    const logouts = commandsSent(sim, 'logout');
    const logout = await server.client.callTool({
      name: 'api_call',
      arguments: { command: 'logout', params: {} },
    });
    expect(logout.isError, text(logout)).toBeFalsy();
    expect(commandsSent(sim, 'logout')).toBe(logouts + 1);
    const result = await server.client.callTool({ name: 'zone_list', arguments: {} });
    expect(result.isError, text(result)).toBeFalsy();
    expect(commandsSent(sim, 'login')).toBe(logins + 1);
    await server.close();
  });

  it('bootstraps keys only when the user has none, and never regenerates them', async () => {
    const { keyless } = sim.credentials;
    const env = {
      CLOUDSTACK_API_KEY: '',
      CLOUDSTACK_SECRET_KEY: '',
      CLOUDSTACK_USERNAME: keyless.username,
      CLOUDSTACK_PASSWORD: keyless.password,
      CLOUDSTACK_BOOTSTRAP_KEYS: 'true',
    };
    const registered = commandsSent(sim, 'registerUserKeys');
    for (let run = 0; run < 2; run++) {
      const server = await startServer(sim, { env });
      const result = await server.client.callTool({ name: 'zone_list', arguments: {} });
      expect(result.isError, text(result)).toBeFalsy();
      await server.close();
    }
    expect(commandsSent(sim, 'registerUserKeys')).toBe(registered + 1);
    const signed = sim.log.filter((e) => e.command === 'listZones' && e.auth === 'signature');
    expect(signed.length).toBeGreaterThanOrEqual(2);
  });

  it('reads the endpoint and keys from a CloudMonkey profile', async () => {
    const { user } = sim.credentials;
    const dir = mkdtempSync(join(tmpdir(), 'cs-cmk-'));
    const config = join(dir, 'config');
    writeFileSync(
      config,
      `[core]\nprofile = other\n\n[other]\nurl = http://127.0.0.1:1/client/api\n\n[sim]\nurl = ${sim.url}\n` +
        `apikey = ${user.apiKey}\nsecretkey = ${user.secretKey}\ntimeout = 1800\n`,
    );
    const env = { CLOUDSTACK_API_URL: '', CLOUDSTACK_API_KEY: '', CLOUDSTACK_SECRET_KEY: '' };
    const server = await startServer(sim, { env, args: ['--cmk-profile', 'sim', '--cmk-config', config] });
    const result = await server.client.callTool({ name: 'vm_list', arguments: {} });
    await server.close();
    const names = rows(result).map((vm) => vm.name);
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((name) => name?.startsWith('alice-'))).toBe(true);
  });

  it('no credential reaches any output or log', async () => {
    const { admin } = sim.credentials;
    const server = await startServer(sim, { args: ['--log-level', 'debug'] });
    const outputs: string[] = [];
    for (const [name, args] of [
      ['zone_list', {}],
      ['vm_list', { limit: 3 }],
      ['api_query', { command: 'listUsers', params: {} }],
      ['api_query', { command: 'getUserKeys', params: { id: 'whatever' } }],
    ] as const) {
      outputs.push(JSON.stringify(await server.client.callTool({ name, arguments: args })));
    }
    await server.close();
    const everything = outputs.join('\n') + server.stderr();
    expect(everything).not.toContain(admin.secretKey);
    expect(everything).not.toContain(admin.apiKey);
    expect(outputs.join('\n')).toContain('[REDACTED]');
  });
});

describe('lists at scale', () => {
  let big: CloudStackSim;
  beforeAll(async () => {
    big = await withSim({ vms: 1000 });
  });
  afterAll(() => big?.close());

  it('pages through 1 000+ VMs with cursors, each VM once', async () => {
    const server = await startServer(big);
    const seen = new Set<string>();
    let cursor: string | undefined;
    let total = 0;
    let pages = 0;
    do {
      const result = await server.client.callTool({
        name: 'vm_list',
        arguments: { limit: 250, ...(cursor ? { cursor } : {}) },
      });
      const page = structured<{ total: number; next_cursor?: string }>(result);
      for (const vm of rows(result)) seen.add(vm.id!);
      total = page.total;
      cursor = page.next_cursor;
      pages++;
    } while (cursor && pages < 20);
    expect(total).toBeGreaterThanOrEqual(1000);
    expect(seen.size).toBe(total);
    await server.close();
  });

  it('keeps a 500-VM page within the token budget and resumes after the last row shown', async () => {
    const server = await startServer(big, { args: ['--max-output-tokens', '3000'] });
    const result = await server.client.callTool({ name: 'vm_list', arguments: { limit: 500 } });
    const page = structured<{ next_cursor: string }>(result);
    expect(rows(result).length).toBeLessThan(500);
    expect(text(result).length / 3.6).toBeLessThanOrEqual(3000);
    expect(text(result)).toMatch(/filter by zone, state or keyword/);
    const shown = rows(result).length;
    const next = await server.client.callTool({
      name: 'vm_list',
      arguments: { limit: 5, cursor: page.next_cursor },
    });
    await server.close();
    // What comes right after the rows shown, read by a server without the small budget.
    const unbudgeted = await startServer(big);
    const full = await unbudgeted.client.callTool({ name: 'vm_list', arguments: { limit: shown + 5 } });
    await unbudgeted.close();
    const expected = rows(full)
      .slice(shown)
      .map((v) => v.id);
    expect(expected).toHaveLength(5);
    expect(rows(next).map((v) => v.id)).toEqual(expected);
  });
});
