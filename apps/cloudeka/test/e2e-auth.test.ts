import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CloudekaSim } from 'cloudeka-sim';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  column,
  hits,
  ok,
  type Started,
  startServer,
  structured,
  type Table,
  tempCache,
  text,
  UNREACHABLE,
  withSim,
} from './harness.js';

// The token exchange and the JWT cache, the environments and the fallback, and where the token may never go.

let prod: CloudekaSim;
let staging: CloudekaSim;
const servers: Started[] = [];

beforeAll(async () => {
  prod = await withSim();
  staging = await withSim({ environment: 'staging' });
});
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
  for (const sim of [prod, staging]) {
    sim.clearFaults();
    sim.setAuthDbError(false);
    sim.setJwtTtl(86_400);
  }
});
afterAll(async () => {
  await prod?.close();
  await staging?.close();
});

async function start(sim: CloudekaSim, options: Parameters<typeof startServer>[1] = {}) {
  const server = await startServer(sim, options);
  servers.push(server);
  return server;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ml = () => prod.ids.projectIds[0]!;

describe('the JWT cache', () => {
  it('exchanges once per JWT lifetime across many calls, concurrent ones sharing one exchange', async () => {
    const server = await start(prod);
    const before = prod.exchanges();
    const calls = Array.from({ length: 10 }, (_, i) =>
      i % 2 ? server.call('project_list', {}) : server.call('vm_list', { project_id: ml() }),
    );
    for (const result of await Promise.all(calls)) expect(result.isError, text(result)).toBeFalsy();
    for (let i = 0; i < 10; i++) await ok(server, 'organization_get');
    expect(prod.exchanges()).toBe(before + 1);
    expect(
      prod.log.filter((e) => e.route && e.route !== '/core/cldkctl/auth').every((e) => e.auth === 'jwt'),
    ).toBe(true);
  });

  it('a second process reuses the cached JWT without an exchange, and knows who it belongs to', async () => {
    const cacheDir = tempCache();
    const first = await start(prod, { cacheDir });
    const before = prod.exchanges();
    await ok(first, 'project_list');
    expect(prod.exchanges()).toBe(before + 1);
    const second = await start(prod, { cacheDir });
    for (let i = 0; i < 5; i++) await ok(second, 'vm_list', { project_id: ml() });
    const status = await ok<{ user: string; jwt_expires_at: string }>(second, 'status');
    expect(status.user).toBe('Rina Wijaya');
    expect(prod.exchanges()).toBe(before + 1);
  });

  it('exchanges once more when the JWT expires', async () => {
    prod.setJwtTtl(3);
    const server = await start(prod);
    const before = prod.exchanges();
    await ok(server, 'project_list');
    await ok(server, 'organization_get');
    expect(prod.exchanges()).toBe(before + 1);
    await sleep(3100);
    await ok(server, 'project_list');
    await ok(server, 'organization_get');
    expect(prod.exchanges()).toBe(before + 2);
    // Refreshed ahead of expiry: no call was sent with an expired JWT.
    expect(prod.log.filter((e) => e.status === 401)).toEqual([]);
  });

  it('exchanges once on a 401 and retries the call once', async () => {
    const server = await start(prod);
    await ok(server, 'project_list');
    const before = prod.exchanges();
    const profiles = hits(prod, 'GET', '/core/user/profile');
    prod.expireAllJwts();
    const result = await server.call('profile_get');
    expect(result.isError, text(result)).toBeFalsy();
    expect(text(result)).toContain('name: Rina Wijaya');
    expect(prod.exchanges()).toBe(before + 1);
    const sent = prod.log.filter((e) => e.route === '/core/user/profile').slice(profiles);
    expect(sent.map((e) => e.status)).toEqual([401, 200]);
  });

  it('retries only once: a second 401 is the answer', async () => {
    const server = await start(prod);
    await ok(server, 'project_list');
    const before = prod.exchanges();
    const profiles = hits(prod, 'GET', '/core/user/profile');
    prod.addFault({ route: 'GET /core/user/profile', kind: 'status', status: 401, times: 2 });
    const result = await server.call('profile_get');
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(
      /Upstream: 401 Unauthorized\nNext: The JWT was refused even after a fresh exchange/,
    );
    expect(prod.exchanges()).toBe(before + 1);
    expect(hits(prod, 'GET', '/core/user/profile') - profiles).toBe(2);
  });

  it('a revoked token is refused with Cloudeka’s words, no retry and no fallback', async () => {
    const server = await start(prod, { token: 'revoked', staging });
    const stagingBefore = staging.exchanges();
    const result = await server.call('project_list');
    expect(result.isError).toBe(true);
    expect(text(result)).toBe(
      'Error: Cloudeka refused the cldkctl token exchange (POST /core/cldkctl/auth).\n' +
        'Upstream: 401 token has been revoked\n' +
        'Next: Check CLDKCTL_TOKEN (a cldkctl_… token from the portal: profile → API → Token) and that it has not ' +
        'expired; `status` shows which environment is used.',
    );
    expect(staging.exchanges()).toBe(stagingBefore);
    const status = await ok<{ authenticated: boolean; auth_error: string }>(server, 'status');
    expect(status).toMatchObject({ authenticated: false, auth_error: 'HTTP 401: token has been revoked' });
  });
});

describe('environments', () => {
  it('auto falls back to staging when production answers the cldkctl_tokens database error, and says so', async () => {
    prod.setAuthDbError(true);
    const server = await start(prod, { staging });
    const prodBefore = prod.log.length;
    const stagingBefore = staging.log.length;
    const projects = await ok<Table>(server, 'project_list');
    expect(column(projects, 'name')).toEqual(['ml-platform', 'web-services', 'sandbox']);
    // Production saw only the failed exchange; staging the exchange and the call.
    expect(prod.log.slice(prodBefore).map((e) => `${e.method} ${e.route} ${e.status}`)).toEqual([
      'POST /core/cldkctl/auth 400',
    ]);
    expect(staging.log.slice(stagingBefore).map((e) => `${e.method} ${e.route} ${e.status}`)).toEqual([
      'POST /core/cldkctl/auth 200',
      'GET /core/user/organization/projects/byOrg 200',
    ]);
    const status = await server.call('status');
    expect(structured(status)).toMatchObject({
      environment: 'staging',
      mode: 'auto',
      fell_back: true,
      base_url: staging.url,
      user: 'Rina Wijaya',
    });
    expect(text(status)).toContain(
      'fell back from production: the auth call answered HTTP 400 "pq: relation "cldkctl_tokens" does not exist"',
    );
    expect(server.stderr()).toContain('falling back to staging');
  });

  it('auto falls back to staging when production cannot be reached', async () => {
    const server = await start(prod, { staging, env: { CLDKCTL_BASE_URL: UNREACHABLE } });
    await ok(server, 'organization_get');
    const status = await ok<{ environment: string; fallback_reason: string }>(server, 'status');
    expect(status.environment).toBe('staging');
    expect(status.fallback_reason).toMatch(/^production could not be reached \(ECONNREFUSED\)$/);
  });

  it('production never falls back: the error reaches the model with its status and message', async () => {
    prod.setAuthDbError(true);
    const server = await start(prod, { staging, args: ['--environment', 'production'] });
    const stagingBefore = staging.exchanges();
    const result = await server.call('project_list');
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('Upstream: 400 pq: relation "cldkctl_tokens" does not exist');
    expect(text(result)).toContain('use `switch_environment` (staging)');
    expect(staging.exchanges()).toBe(stagingBefore);
    const status = await ok<{ environment: string; fell_back: boolean; mode: string }>(server, 'status');
    expect(status).toMatchObject({ environment: 'production', fell_back: false, mode: 'production' });
  });

  it('--environment staging talks to staging only', async () => {
    const server = await start(prod, { staging, env: { CLDKCTL_ENVIRONMENT: 'staging' } });
    const prodBefore = prod.log.length;
    await ok(server, 'project_list');
    expect(prod.log.length).toBe(prodBefore);
    expect((await ok<{ base_url: string }>(server, 'status')).base_url).toBe(staging.url);
  });

  it('switch_environment: the next call exchanges against the new environment, nothing secret on disk', async () => {
    const cacheDir = tempCache();
    const server = await start(prod, { staging, cacheDir });
    await ok(server, 'project_list');
    const stagingBefore = staging.exchanges();
    const switched = await server.call('switch_environment', { environment: 'staging' });
    expect(text(switched)).toBe(`Switched from production to staging (${staging.url}).`);
    expect(staging.exchanges()).toBe(stagingBefore);
    const before = staging.log.length;
    await ok(server, 'organization_get');
    expect(staging.exchanges()).toBe(stagingBefore + 1);
    expect(staging.log.slice(before).map((e) => e.route)).toEqual([
      '/core/cldkctl/auth',
      '/core/user/organization',
    ]);
    const status = await ok<{ environment: string; mode: string; fell_back: boolean }>(server, 'status');
    expect(status).toMatchObject({ environment: 'staging', mode: 'staging', fell_back: false });
    // `auth` with an environment switches back and exchanges at once.
    const auth = await server.call('auth', { environment: 'production' });
    expect(text(auth)).toMatch(/^Authenticated as Rina Wijaya \(Owner\) .* on production/);
    for (const file of filesUnder(cacheDir))
      expect(readFileSync(file, 'utf8')).not.toContain(prod.tokens.owner);
  });
});

describe('secrets', () => {
  it('the cldkctl token appears in no tool output, no debug log and no file of the cache', async () => {
    const cacheDir = tempCache();
    const token = prod.tokens.owner;
    const server = await start(prod, { cacheDir, args: ['--log-level', 'debug'] });
    const outputs: string[] = [];
    for (const [name, args] of [
      ['auth', {}],
      ['status', {}],
      ['project_list', {}],
      ['token_list', {}],
      ['profile_get', {}],
      ['kubernetes_kubeconfig_get', { project_id: ml() }],
      ['registry_password_get', { password: prod.passwords.owner }],
      ['login_verify', { username: 'rina.wijaya@nusantaradata.example', password: prod.passwords.owner }],
    ] as const) {
      const result = await server.call(name, args);
      expect(result.isError, text(result)).toBeFalsy();
      outputs.push(JSON.stringify(result));
    }
    prod.expireAllJwts();
    outputs.push(JSON.stringify(await server.call('project_list')));
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    const everything = outputs.join('\n') + server.stderr();
    expect(server.stderr()).toContain('exchanged the cldkctl token for a JWT');
    expect(server.stderr()).toMatch(/DEBUG.*GET \/core\/user\/organization\/projects\/byOrg/);
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(token.slice('cldkctl_'.length));
    // Nor the JWT, nor the registry secret.
    expect(everything).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}\./);
    const files = filesUnder(cacheDir);
    expect(files.length).toBe(1);
    expect(statSync(files[0]!).mode & 0o777).toBe(0o600);
    const cached = readFileSync(files[0]!, 'utf8');
    expect(cached).not.toContain(token);
    expect(cached).not.toContain(token.slice('cldkctl_'.length));
    expect(JSON.parse(cached)).toMatchObject({
      provider: 'cloudeka',
      data: { user: 'Rina Wijaya', environment: 'production' },
    });
  });
});
