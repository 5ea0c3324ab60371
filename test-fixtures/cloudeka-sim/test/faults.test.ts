import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CloudekaSim, startCloudekaSim } from '../src/index.js';
import { call, exchange, jwtFor, ok } from './helpers.js';

let sim: CloudekaSim;
let jwt: string;
beforeAll(async () => {
  sim = await startCloudekaSim();
  jwt = await jwtFor(sim, 'owner');
});
afterEach(() => sim.clearFaults());
afterAll(() => sim.close());

const profile = () => call(sim, 'GET', '/core/user/profile', { jwt });
const admin = (path: string, init: RequestInit = {}) => fetch(`${sim.url}/__sim/${path}`, init);
const post = (path: string, body: unknown) =>
  admin(path, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });

describe('fault injection', () => {
  it('delays a matching request, then answers it normally', async () => {
    sim.addFault({ route: '/core/user/profile', kind: 'latency', ms: 150 });
    const t0 = performance.now();
    const r = await profile();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    expect(r.body.data.name).toBe('Rina Wijaya');
  });

  it('answers 429 as a JSON error with Retry-After, before authentication', async () => {
    sim.addFault({ route: 'GET /core/user/profile', kind: 'status', status: 429, retryAfter: 7 });
    const r = await call(sim, 'GET', '/core/user/profile');
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('7');
    expect(r.body).toEqual({ code: 429, status: 'error', message: 'Too Many Requests' });
    expect((await call(sim, 'GET', '/core/user/profile')).status).toBe(401);
  });

  it('answers 5xx as an nginx HTML page, `times` times, for the method given', async () => {
    sim.addFault({ route: 'POST /core/cldkctl/auth', kind: 'status', status: 503, times: 2 });
    expect((await profile()).status).toBe(200);
    const before = sim.exchanges();
    for (let i = 0; i < 2; i++) {
      const r = await exchange(sim, sim.tokens.owner);
      expect(r.status).toBe(503);
      expect(r.headers.get('content-type')).toBe('text/html');
      expect(r.text).toContain('<title>503 Service Unavailable</title>');
    }
    expect((await exchange(sim, sim.tokens.owner)).status).toBe(200);
    expect(sim.exchanges()).toBe(before + 3);
  });

  it('a fault without route hits any request, unmatched ones too, until cleared', async () => {
    sim.addFault({ kind: 'status', status: 502, times: Number.POSITIVE_INFINITY });
    expect((await profile()).status).toBe(502);
    expect((await call(sim, 'GET', '/nowhere')).status).toBe(502);
    sim.clearFaults();
    expect((await profile()).status).toBe(200);
  });

  it('resets the connection', async () => {
    sim.addFault({ route: '/core/user/profile', kind: 'reset' });
    await expect(profile()).rejects.toThrow(TypeError);
    expect(sim.log.at(-1)).toMatchObject({ route: '/core/user/profile', status: 0 });
  });

  it('hangs until the client gives up', async () => {
    sim.addFault({ route: '/core/user/profile', kind: 'hang' });
    await expect(
      call(sim, 'GET', '/core/user/profile', { jwt, signal: AbortSignal.timeout(200) }),
    ).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(sim.log.at(-1)).toMatchObject({ route: '/core/user/profile', status: 0 });
    expect((await profile()).status).toBe(200);
  });

  it('sends a truncated JSON body with status 200', async () => {
    sim.addFault({ route: '/core/user/organization/projects/byOrg', kind: 'malformed' });
    const r = await call(sim, 'GET', '/core/user/organization/projects/byOrg', { jwt });
    expect(r.status).toBe(200);
    expect(r.text.startsWith('{"code":200,"status":"success"')).toBe(true);
    expect(() => JSON.parse(r.text)).toThrow(SyntaxError);
  });
});

describe('request log', () => {
  it('records every request with its template, params and auth, and never a secret', async () => {
    sim.log.length = 0;
    const ex = await exchange(sim, sim.tokens.owner);
    const fresh = ex.body.data.token as string;
    const [ml] = sim.ids.projectIds;
    await call(sim, 'GET', `/core/pods/${ml}/default/x%20y`, { jwt: fresh });
    await call(sim, 'PUT', `/core/pods/${ml}/default/x%20y`, {
      jwt: fresh,
      body: { spec: { spec: {} } },
    });
    await call(sim, 'POST', '/core/user/change-password', {
      jwt: fresh,
      body: { old_password: sim.passwords.owner, new_password: 'Brand#New2025' },
    });
    await call(sim, 'POST', '/core/dekaregistry/v2/user/password/show', {
      jwt: fresh,
      body: { password_data: { password: 'Brand#New2025' } },
    });
    await call(sim, 'POST', '/core/kubernetes/secrets', {
      jwt: fresh,
      body: {
        resource_data: {
          project_id: ml,
          manifest: {
            kind: 'Secret',
            metadata: { name: 'db' },
            stringData: { password: 'hunter2', user: 'app' },
          },
        },
      },
    });
    await call(sim, 'POST', '/core/kubernetes/secret', {
      jwt: fresh,
      body: {
        resource_data: {
          project_id: ml,
          manifest: { metadata: { name: 'tls' }, data: { 'tls.key': 'c2VjcmV0LWtleQ==' } },
        },
      },
    });
    await call(sim, 'GET', '/core/user/profile', { headers: { authorization: 'Bearer nope' } });
    await call(sim, 'GET', '/core/user/profile', { query: { token: sim.tokens.member } });
    const [auth, getPod, putPod, pw, show, secret, tls, bad, query] = sim.log;
    expect(auth).toMatchObject({
      method: 'POST',
      route: '/core/cldkctl/auth',
      auth: 'none',
      status: 200,
      body: { token: '***' },
    });
    expect(getPod).toMatchObject({ route: '', status: 404, auth: 'jwt' });
    expect(putPod).toMatchObject({
      path: `/core/pods/${ml}/default/x y`,
      route: '/core/pods/:project_id/:namespace/:name',
      params: { project_id: ml, namespace: 'default', name: 'x y' },
      auth: 'jwt',
      status: 404,
    });
    expect(pw!.body).toEqual({ old_password: '***', new_password: '***' });
    expect(show!.body).toEqual({ password_data: { password: '***' } });
    expect(secret!.body).toMatchObject({
      resource_data: { manifest: { stringData: { password: '***', user: '***' }, metadata: { name: 'db' } } },
    });
    // A careless singular `secret` is refused (not a resource name) and still kept out of the log.
    expect(tls).toMatchObject({ route: '/core/kubernetes/:resource', status: 404 });
    expect(tls!.body).toMatchObject({
      resource_data: { manifest: { data: { 'tls.key': '***' }, metadata: { name: 'tls' } } },
    });
    expect(bad).toMatchObject({ auth: 'invalid', status: 401 });
    expect(query!.query).toEqual({ token: '***' });
    const text = JSON.stringify(sim.log);
    for (const secretValue of [
      sim.tokens.owner,
      sim.tokens.member,
      fresh,
      jwt,
      sim.passwords.owner,
      'Brand#New2025',
      'hunter2',
    ]) {
      expect(text).not.toContain(secretValue);
    }
    expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
  });
});

describe('admin endpoints', () => {
  it('serve the log, faults, the DB error switch, JWT expiry, exchange count and info over HTTP', async () => {
    expect((await admin('log', { method: 'DELETE' })).status).toBe(204);
    expect(sim.log).toHaveLength(0);
    expect((await post('faults', { route: '/core/user/profile', kind: 'status', status: 500 })).status).toBe(
      204,
    );
    expect((await profile()).status).toBe(500);
    expect((await post('faults', { kind: 'explode' })).status).toBe(400);
    expect((await post('faults', { kind: 'status', times: 'Infinity' })).status).toBe(204);
    expect((await admin('faults', { method: 'DELETE' })).status).toBe(204);
    expect((await profile()).status).toBe(200);
    const log = (await (await admin('log')).json()) as Array<{ route: string; status: number }>;
    expect(log.map((e) => [e.route, e.status])).toEqual([
      ['/core/user/profile', 500],
      ['/core/user/profile', 200],
    ]);

    expect((await post('auth-db-error', { on: true })).status).toBe(204);
    expect(await (await admin('auth-db-error')).json()).toEqual({ on: true });
    expect((await exchange(sim, sim.tokens.owner)).text).toBe('pq: relation "cldkctl_tokens" does not exist');
    expect((await post('auth-db-error', { on: 'yes' })).status).toBe(400);
    expect((await post('auth-db-error', { on: false })).status).toBe(204);
    expect(await (await admin('exchanges')).json()).toEqual({ count: sim.exchanges() });

    const before = await jwtFor(sim, 'member');
    expect((await post('expire-jwts', {})).status).toBe(204);
    expect((await call(sim, 'GET', '/core/user/profile', { jwt: before })).status).toBe(401);
    jwt = await jwtFor(sim, 'owner');

    expect((await post('jwt-ttl', { seconds: 60 })).status).toBe(204);
    const info = (await (await admin('info')).json()) as { tokens: unknown; ids: unknown; url: string };
    expect(info).toMatchObject({ url: sim.url, environment: 'production', tokens: sim.tokens, ids: sim.ids });
    expect((await admin('nothing')).status).toBe(404);
    expect(await ok(sim, jwt, 'GET', '/core/user/profile')).toMatchObject({ role: 'Owner' });
  });
});
