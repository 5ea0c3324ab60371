import { AuthCache } from '@cloudmcp/auth-cache';
import { createLogger, HttpClient, ToolError } from '@cloudmcp/toolkit';
import type { CloudekaSim } from 'cloudeka-sim';
import { type Connected, ERAS, type HttpServer, startHttpServer } from 'mcp-test-kit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CloudekaClient, type EnvironmentMode } from '../src/client/client.js';
import { type CloudekaDeps, requestDeps } from '../src/deps.js';
import { parseEnvironmentHeader } from '../src/environment-header.js';
import { CLI, ok, startServer, structured, tempCache, text, WORKING_TOOLSETS, withSim } from './harness.js';

// Issue 8: what a user chooses travels with the request. Over HTTP two users of one process keep their own
// environments (X-Cloudeka-Environment); over stdio switch_environment is that one user's choice.

const PROJECTS = 'GET /core/user/organization/projects/byOrg';
const ORGANIZATION = 'GET /core/user/organization';

let prod: CloudekaSim;
let staging: CloudekaSim;

beforeAll(async () => {
  prod = await withSim();
  staging = await withSim({ environment: 'staging' });
});
afterEach(() => {
  for (const sim of [prod, staging]) sim.setAuthDbError(false);
});
afterAll(async () => {
  await prod?.close();
  await staging?.close();
});

/** What a sim answered from now on, as `METHOD /route`, the token exchange left out. */
function watch(sim: CloudekaSim): () => string[] {
  const from = sim.log.length;
  return () =>
    sim.log
      .slice(from)
      .filter((e) => e.route !== '/core/cldkctl/auth')
      .map((e) => `${e.method} ${e.route}`);
}

function client(mode: EnvironmentMode): CloudekaClient {
  const logger = createLogger({ name: 'test', level: 'error' });
  return new CloudekaClient({
    token: prod.tokens.owner,
    urls: { production: prod.url, staging: staging.url },
    mode,
    http: new HttpClient({ timeoutMs: 5_000, userAgent: 'test' }),
    cache: new AuthCache({ provider: 'cloudeka', dir: tempCache() }),
    logger,
  });
}

describe('the X-Cloudeka-Environment header', () => {
  it('is production or staging exactly; absent is the operator’s choice; anything else is rejected', () => {
    expect(parseEnvironmentHeader(null)).toBeUndefined();
    expect(parseEnvironmentHeader('staging')).toEqual({ environment: 'staging' });
    expect(parseEnvironmentHeader('production')).toEqual({ environment: 'production' });
    for (const bad of ['', 'Staging', 'prod', 'auto', 'staging, production', 'http://127.0.0.1:1']) {
      expect(parseEnvironmentHeader(bad), bad).toEqual({ rejected: true });
    }
  });

  it('binds a view for the request, leaves the shared deps alone, and a bad value fails every tool', () => {
    const shared: CloudekaDeps = {
      client: client('auto'),
      defaultProjectId: 'p1',
      tokenDir: { create: false },
    };
    const staged = requestDeps(shared, new Headers({ 'x-cloudeka-environment': 'staging' }));
    expect(staged.client).toMatchObject({ environment: 'staging', environmentSource: 'header' });
    expect(staged.defaultProjectId).toBe('p1');
    const plain = requestDeps(shared, new Headers());
    expect(plain).not.toBe(shared);
    expect(plain.client).toBe(shared.client);
    expect(shared.client).toMatchObject({ environment: 'production', environmentSource: 'operator' });

    const bad = requestDeps(shared, new Headers({ 'X-Cloudeka-Environment': 'dev' }));
    expect(bad.defaultProjectId).toBe('p1');
    let thrown: unknown;
    try {
      void bad.client;
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ToolError);
    expect((thrown as ToolError).message).toBe(
      'The X-Cloudeka-Environment header of this request is not one of: production, staging.',
    );
    expect((thrown as ToolError).details.next).toContain("server's environment (auto)");
  });
});

describe('a client view', () => {
  it('sends its calls to its own environment and never changes the client it came from', async () => {
    const operator = client('production');
    const view = operator.withEnvironment('staging', 'header');
    const [atProd, atStaging] = [watch(prod), watch(staging)];
    await view.request({ method: 'GET', route: '/core/user/organization/projects/byOrg' });
    await operator.request({ method: 'GET', route: '/core/user/organization' });
    expect(atStaging()).toEqual([PROJECTS]);
    expect(atProd()).toEqual([ORGANIZATION]);
    expect(operator).toMatchObject({ environment: 'production', environmentMode: 'production' });
    expect(view).toMatchObject({ environment: 'staging', environmentMode: 'staging', baseUrl: staging.url });
  });

  it('auto falls back for the operator’s client only; a chosen environment never falls back', async () => {
    const operator = client('auto');
    const chosen = operator.withEnvironment('production', 'header');
    prod.setAuthDbError(true);
    const atStaging = watch(staging);
    await operator.request({ method: 'GET', route: '/core/user/organization' });
    expect(atStaging()).toEqual([ORGANIZATION]);
    expect(operator.fellBack?.reason).toContain('cldkctl_tokens');
    expect(chosen.fellBack).toBeUndefined();
    await expect(chosen.request({ method: 'GET', route: '/core/user/organization' })).rejects.toMatchObject({
      status: 400,
      isTokenTableMissing: true,
    });
    expect(operator.environment).toBe('staging');
  });
});

describe.each(ERAS)('two users of one HTTP server keep their own environments (%s)', (era) => {
  const TOKEN = 'environment-per-user-token-0123';
  let server: HttpServer;
  const clients: Connected[] = [];

  beforeAll(async () => {
    server = await startHttpServer(
      CLI,
      {
        XDG_CACHE_HOME: tempCache(),
        CLDKCTL_TOKEN: prod.tokens.owner,
        CLDKCTL_BASE_URL: prod.url,
        CLDKCTL_STAGING_URL: staging.url,
        CLOUDMCP_HTTP_TOKEN: TOKEN,
      },
      ['--toolsets', WORKING_TOOLSETS.join(',')],
    );
  });
  afterAll(async () => {
    while (clients.length) await clients.pop()!.close();
    await server?.close();
  });

  async function user(environment?: string): Promise<Connected> {
    const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` };
    if (environment !== undefined) headers['X-Cloudeka-Environment'] = environment;
    const connected = await server.connect({ era, headers });
    clients.push(connected);
    return connected;
  }

  const call = (u: Connected, name: string, args: Record<string, unknown> = {}) =>
    u.client.callTool({ name, arguments: args });

  it('each user’s calls reach their own environment’s Cloudeka, and status says which and why', async () => {
    const onStaging = await user('staging');
    const onDefault = await user();
    const [atProd, atStaging] = [watch(prod), watch(staging)];

    await call(onStaging, 'project_list');
    await call(onDefault, 'organization_get');
    await call(onStaging, 'organization_get');
    // interleaved: neither user's choice leaks into the other's calls
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        i % 2 ? call(onStaging, 'project_list') : call(onDefault, 'project_list'),
      ),
    );
    expect(atStaging().sort()).toEqual([ORGANIZATION, ...Array(4).fill(PROJECTS)].sort());
    expect(atProd().sort()).toEqual([ORGANIZATION, ...Array(3).fill(PROJECTS)].sort());

    const stagingStatus = await call(onStaging, 'status');
    expect(structured(stagingStatus)).toMatchObject({
      environment: 'staging',
      environment_source: 'header',
      mode: 'staging',
      base_url: staging.url,
      authenticated: true,
    });
    expect(text(stagingStatus)).toContain("chosen by this request's X-Cloudeka-Environment header");
    expect(structured(await call(onDefault, 'status'))).toMatchObject({
      environment: 'production',
      environment_source: 'operator',
      mode: 'auto',
      base_url: prod.url,
    });
    const health = await fetch(server.url.replace('/mcp', '/readyz?verbose'), {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(await health.json()).toMatchObject({ environment: 'production', fell_back: false });
  });

  it('offers no switch_environment; auth { environment } applies to that call only', async () => {
    const onDefault = await user();
    const names = (await onDefault.client.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['auth', 'status', 'project_list']));
    expect(names).not.toContain('switch_environment');

    const exchanges = staging.exchanges();
    const auth = await call(onDefault, 'auth', { environment: 'staging' });
    expect(text(auth)).toMatch(/^Authenticated as Rina Wijaya .* on staging /);
    expect(staging.exchanges()).toBe(exchanges + 1);
    const atProd = watch(prod);
    await call(onDefault, 'project_list');
    expect(atProd()).toEqual([PROJECTS]);
    expect(structured(await call(onDefault, 'status'))).toMatchObject({
      environment: 'production',
      environment_source: 'operator',
    });
  });

  it('a header that is not production or staging fails each call with the reason; tools/list works', async () => {
    const wrong = await user('Staging');
    expect((await wrong.client.listTools()).tools.map((t) => t.name)).toContain('status');
    const [atProd, atStaging] = [watch(prod), watch(staging)];
    for (const name of ['status', 'project_list']) {
      const result = await call(wrong, name);
      expect(result.isError, name).toBe(true);
      expect(text(result)).toContain(
        'The X-Cloudeka-Environment header of this request is not one of: production, staging.',
      );
    }
    expect([...atProd(), ...atStaging()]).toEqual([]);
  });
});

describe('over stdio', () => {
  it('auth { environment } checks the other environment for that call only, and switches nothing', async () => {
    const server = await startServer(prod, { staging });
    try {
      const exchanges = () => staging.log.filter((e) => e.route === '/core/cldkctl/auth').length;
      const before = exchanges();
      expect(structured(await server.call('auth', { environment: 'staging' }))).toMatchObject({
        environment: 'staging',
      });
      expect(exchanges()).toBe(before + 1);
      expect(structured(await server.call('status'))).toMatchObject({
        environment: 'production',
        environment_source: 'operator',
      });
    } finally {
      await server.close();
    }
  });

  it('switch_environment is offered and switches this one user’s later calls', async () => {
    const server = await startServer(prod, { staging });
    try {
      const names = (await server.client.listTools()).tools.map((t) => t.name);
      expect(names).toContain('switch_environment');
      const switched = await ok<{ environment: string }>(server, 'switch_environment', {
        environment: 'staging',
      });
      expect(switched.environment).toBe('staging');
      const atStaging = watch(staging);
      await ok(server, 'project_list');
      expect(atStaging()).toEqual([PROJECTS]);
      const status = await server.call('status');
      expect(structured(status)).toMatchObject({
        environment: 'staging',
        environment_source: 'switch',
        mode: 'staging',
      });
      expect(text(status)).toContain('chosen by switch_environment');
    } finally {
      await server.close();
    }
  });
});
