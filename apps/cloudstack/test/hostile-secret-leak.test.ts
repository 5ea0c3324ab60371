import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudStackSim } from 'cloudstack-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, type Started, startServer, structured, type ToolResult, text, withSim } from './harness.js';

// Hostile input, issue 7 ("secret leak"): a prompt-injected model asks for everything that carries a
// credential — users' keys through the generic API tools, a session key through `login`, a VM password after
// deploy — and provokes upstream failures whose messages could quote the signed request. No API key, secret
// key, signature, session key or password reaches a result (text, structuredContent, _meta) or stderr,
// with API keys and with a username/password session alike.

let sim: CloudStackSim;
let keyed: Started;
let session: Started;
let cacheDir: string;

beforeAll(async () => {
  sim = await withSim();
  const { user } = sim.credentials;
  cacheDir = mkdtempSync(join(tmpdir(), 'cs-hostile-secrets-'));
  const args = ['--confirm', 'never', '--log-level', 'debug'];
  keyed = await startServer(sim, { args, env: { CLOUDSTACK_TIMEOUT: '1' } });
  session = await startServer(sim, {
    args,
    cacheDir,
    env: {
      CLOUDSTACK_API_KEY: '',
      CLOUDSTACK_SECRET_KEY: '',
      CLOUDSTACK_USERNAME: user.username,
      CLOUDSTACK_PASSWORD: user.password,
      CLOUDSTACK_TIMEOUT: '1',
    },
  });
});
afterAll(async () => {
  await keyed?.close();
  await session?.close();
  await sim?.close();
});

/**
 * Every credential the simulator knows, as it stands now (registerUserKeys would change them); admin's
 * password is the word "password", which every redacted result names as a key, so it is left out.
 */
function credentials(): string[] {
  const { admin, user, keyless } = sim.credentials;
  return [admin.apiKey, admin.secretKey, user.apiKey, user.secretKey, user.password, keyless.password];
}

/** The whole result as the client saw it: text, structuredContent and _meta. */
const everything = (result: ToolResult) => JSON.stringify(result);

function expectNoSecret(said: string, extra: string[] = []) {
  for (const secret of [...credentials(), ...extra]) expect(said).not.toContain(secret);
  // Nor any signed query string or session parameter spelled out.
  expect(said).not.toMatch(/signature=[A-Za-z0-9%+/]{8,}/i);
  expect(said).not.toMatch(/sessionkey=(?!\[REDACTED\])[^&\s"]{8,}/i);
}

const call = (server: Started, name: string, args: Record<string, unknown>) =>
  server.client.callTool({ name, arguments: args });

describe('hostile input (secret leak): credentials never reach the model or the logs', () => {
  it('listUsers and getUserKeys through api_query and api_call show the key names, never the keys', async () => {
    const users = await call(keyed, 'api_query', { command: 'listUsers', params: { listall: true } });
    const listed = structured<{ user: Array<{ id: string; username: string; apikey?: string }> }>(users).user;
    expect(listed.map((u) => u.username).sort()).toEqual(['admin', 'alice', 'bob']);
    expect(listed.find((u) => u.username === 'admin')?.apikey).toBe('[REDACTED]');
    expectNoSecret(everything(users));
    for (const tool of ['api_query', 'api_call']) {
      for (const u of listed) {
        const keys = await call(keyed, tool, { command: 'getUserKeys', params: { id: u.id } });
        expect(keys.isError, text(keys)).toBeFalsy();
        const got = structured<{ userkeys: Record<string, unknown> }>(keys).userkeys;
        if (u.username !== 'bob')
          expect(got).toMatchObject({ apikey: '[REDACTED]', secretkey: '[REDACTED]' });
        expectNoSecret(everything(keys));
      }
    }
  });

  it('a login through api_call shows who logged in, not the session key; its password is not echoed', async () => {
    const { user } = sim.credentials;
    const login = await call(keyed, 'api_call', {
      command: 'login',
      params: { username: user.username, password: user.password },
    });
    expect(login.isError, text(login)).toBeFalsy();
    expect(structured(login)).toMatchObject({ username: user.username, sessionkey: '[REDACTED]' });
    expectNoSecret(everything(login));
  });

  it('the password CloudStack returns for a password-enabled template stays redacted', async () => {
    const windows = await call(keyed, 'template_list', { keyword: 'Windows' });
    const template = rows(windows)[0]!;
    const deployed = await call(keyed, 'vm_deploy', {
      zone: template.zone,
      template: template.id,
      service_offering: 'Tiny',
      name: 'hostile-win',
    });
    expect(deployed.isError, text(deployed)).toBeFalsy();
    const vm = structured<{ vm: Record<string, unknown> }>(deployed).vm;
    expect(vm['password']).toBe('[REDACTED]');
    expectNoSecret(everything(deployed));
  });

  // Each upstream failure is provoked on the first server of each kind; reads are retried, so the fault
  // answers every attempt of one call.
  const failures = [
    ['a reset connection', { kind: 'reset' }],
    ['a malformed body', { kind: 'malformed' }],
    ['an HTML 500 page', { kind: 'status', status: 500 }],
    ['no answer in time', { kind: 'hang' }],
  ] as const;
  for (const [what, fault] of failures) {
    it(`an upstream failure (${what}) names neither keys, signature, session nor password`, async () => {
      for (const server of [keyed, session]) {
        for (const [tool, args] of [
          ['zone_list', {}],
          ['api_query', { command: 'listZones', params: {} }],
        ] as const) {
          sim.addFault({ command: 'listZones', ...fault, times: 10 });
          const failed = await call(server, tool, args);
          sim.clearFaults();
          expect(failed.isError, `${tool}: ${text(failed)}`).toBe(true);
          expect(text(failed)).toMatch(/^Error: /);
          expectNoSecret(everything(failed));
        }
      }
    });
  }

  it('nothing above reached stderr, even at --log-level debug; the session file holds no password', () => {
    expectNoSecret(keyed.stderr());
    expectNoSecret(session.stderr());
    expect(session.stderr()).toContain('logged in to CloudStack');
    const files = (readdirSync(cacheDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.json'));
    expect(files).toHaveLength(1);
    const cached = readFileSync(join(cacheDir, files[0]!), 'utf8');
    expect(cached).toContain('sessionkey');
    for (const secret of credentials()) expect(cached).not.toContain(secret);
  });
});
