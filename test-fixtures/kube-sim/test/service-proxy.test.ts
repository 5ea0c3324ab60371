import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeSim, type ProxiedRequest, registerServiceProxy, startKubeSim } from '../src/index.js';
import { BinaryEnv, call, KUBECTL, missingBinary } from './helpers.js';

const PROXY = '/api/v1/namespaces/monitoring/services';

describe('service proxy', () => {
  let sim: KubeSim;
  const seen: ProxiedRequest[] = [];
  let unregister: () => void;
  const c = () => sim.clusters[0]!;

  beforeAll(async () => {
    sim = await startKubeSim();
    unregister = registerServiceProxy(c(), 'monitoring', 'prometheus', 'web', (req) => {
      seen.push(req);
      return {
        status: req.path === '/missing' ? 404 : 200,
        headers: { 'Content-Type': 'application/json', 'X-Backend': 'prometheus' },
        body: JSON.stringify({
          method: req.method,
          path: req.path,
          query: req.query,
          body: req.body.toString(),
        }),
      };
    });
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('forwards to the backend by port name, port number and scheme:name:port, without the bearer token', async () => {
    for (const id of [
      'prometheus:web',
      'prometheus:9090',
      'http:prometheus:9090',
      'http%3Aprometheus%3Aweb',
    ]) {
      seen.length = 0;
      const r = await call(c(), `${PROXY}/${id}/proxy/api/v1/query?query=up&time=1`);
      expect(r.status, r.text).toBe(200);
      expect(r.headers['x-backend']).toBe('prometheus');
      expect(r.body).toEqual({ method: 'GET', path: '/api/v1/query', query: 'query=up&time=1', body: '' });
      expect(seen).toHaveLength(1);
      expect(seen[0]!.headers.authorization).toBeUndefined();
      expect(seen[0]!.headers['x-forwarded-uri']).toBe(`${PROXY}/${id}/proxy/api/v1/query?query=up&time=1`);
      expect(seen[0]!.headers['x-forwarded-proto']).toBe('https');
    }
    const log = c().log.at(-1)!;
    expect([log.verb, log.resource, log.subresource, log.namespace, log.status]).toEqual([
      'get',
      'services',
      'proxy',
      'monitoring',
      200,
    ]);
  });

  it('passes bodies, methods, trailing slashes and the backend status through', async () => {
    const post = await call(c(), `${PROXY}/prometheus:web/proxy/api/v1/query`, {
      method: 'POST',
      body: 'query=sum(up)',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(post.status).toBe(200);
    expect(post.body).toEqual({ method: 'POST', path: '/api/v1/query', query: '', body: 'query=sum(up)' });
    const slash = await call(c(), `${PROXY}/prometheus:web/proxy/`);
    expect(slash.body.path).toBe('/');
    const missing = await call(c(), `${PROXY}/prometheus:web/proxy/missing`);
    expect(missing.status).toBe(404);
  });

  it('redirects the proxy root without a trailing slash, as the real proxy handler does', async () => {
    const r = await call(c(), `${PROXY}/prometheus:web/proxy?x=1`);
    expect(r.status).toBe(301);
    expect(r.headers.location).toBe(`${PROXY}/prometheus:web/proxy/?x=1`);
  });

  it('authorizes get (and create for POST) on services/proxy by RBAC: view is refused, edit allowed', async () => {
    const view = await call(c(), `${PROXY}/prometheus:web/proxy/api/v1/query`, { user: 'view' });
    expect(view.status).toBe(403);
    expect(view.body.message).toBe(
      'services "prometheus:web" is forbidden: User "viewer" cannot get resource "services/proxy" in API group "" in the namespace "monitoring"',
    );
    expect(view.body.details).toEqual({ name: 'prometheus:web', kind: 'services' });
    const viewPost = await call(c(), `${PROXY}/prometheus:web/proxy/api/v1/query`, {
      user: 'view',
      method: 'POST',
      body: 'query=up',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(viewPost.body.message).toContain('cannot create resource "services/proxy"');
    expect((await call(c(), `${PROXY}/prometheus:web/proxy/api/v1/query`, { user: 'edit' })).status).toBe(
      200,
    );
    // team-a's admin is bound in team-a only
    const teamAdmin = await call(c(), `${PROXY}/prometheus:web/proxy/x`, { user: 'teamAdmin' });
    expect(teamAdmin.status).toBe(403);
    expect((await call(c(), `${PROXY}/prometheus:web/proxy/x`, { user: 'none' })).status).toBe(403);
    expect((await call(c(), `${PROXY}/prometheus:web/proxy/x`, { token: 'nope' })).status).toBe(401);
  });

  it('resolves services and endpoints as ResourceLocation does, with its errors', async () => {
    const status = async (path: string) => {
      const r = await call(c(), path);
      return [r.status, r.body.reason, r.body.message];
    };
    // a named port is not found under the empty name
    expect(await status(`${PROXY}/prometheus/proxy/`)).toEqual([
      503,
      'ServiceUnavailable',
      'no endpoints available for service "prometheus"',
    ]);
    expect(await status(`${PROXY}/prometheus:8080/proxy/`)).toEqual([
      503,
      'ServiceUnavailable',
      'no service port 8080 found for service "prometheus"',
    ]);
    expect(await status(`${PROXY}/nope/proxy/`)).toEqual([404, 'NotFound', 'endpoints "nope" not found']);
    expect(await status(`${PROXY}/nope:80/proxy/`)).toEqual([404, 'NotFound', 'services "nope" not found']);
    expect(await status(`${PROXY}/a:b:c:d/proxy/`)).toEqual([
      400,
      'BadRequest',
      'invalid service request "a:b:c:d"',
    ]);
    expect(await status(`${PROXY}/ftp:prometheus:9090/proxy/`)).toEqual([
      400,
      'BadRequest',
      'invalid service request "ftp:prometheus:9090"',
    ]);
    // a targetPort name no container has: Endpoints without subsets
    expect(await status('/api/v1/namespaces/team-a/services/web-metrics:metrics/proxy/')).toEqual([
      503,
      'ServiceUnavailable',
      'no endpoints available for service "web-metrics"',
    ]);
    // only a not-ready address
    expect(await status('/api/v1/namespaces/team-b/services/checkout:http/proxy/')).toEqual([
      503,
      'ServiceUnavailable',
      'no endpoints available for service "checkout:http"',
    ]);
    // hand-kept Endpoints whose address names no pod
    expect(await status('/api/v1/namespaces/team-a/services/external-db:postgres/proxy/')).toEqual([
      503,
      'ServiceUnavailable',
      'no endpoints available for service "external-db:postgres"',
    ]);
  });

  it('answers a ready endpoint without a backend as a refused dial to that pod', async () => {
    const eps = (await call(c(), '/api/v1/namespaces/team-a/endpoints/api')).body;
    const ip = eps.subsets[0].addresses[0].ip;
    const r = await call(c(), '/api/v1/namespaces/team-a/services/api:http/proxy/healthz');
    expect([r.status, r.body.reason]).toEqual([503, 'ServiceUnavailable']);
    expect(r.body.message).toBe(
      `error trying to reach service: dial tcp ${ip}:8080: connect: connection refused`,
    );
  });

  it('speaks the scheme the backend serves: https to an http backend fails the TLS handshake', async () => {
    const r = await call(c(), `${PROXY}/https:prometheus:web/proxy/`);
    expect(r.status).toBe(503);
    expect(r.body.message).toBe(
      'error trying to reach service: tls: first record does not look like a TLS handshake',
    );
  });

  it('stops reaching a backend once unregistered', async () => {
    const sim2 = await startKubeSim({ seed: 'realistic' });
    try {
      const other = sim2.clusters[0]!;
      const off = registerServiceProxy(other, 'monitoring', 'prometheus', 9090, () => ({
        status: 204,
        body: '',
      }));
      expect((await call(other, `${PROXY}/prometheus:web/proxy/`)).status).toBe(204);
      // registrations are per cluster: the first sim's backend is not this one
      expect((await call(c(), `${PROXY}/prometheus:web/proxy/`)).status).toBe(200);
      off();
      const r = await call(other, `${PROXY}/prometheus:web/proxy/`);
      expect(r.status).toBe(503);
      expect(r.body.message).toMatch(
        /^error trying to reach service: dial tcp [\d.]+:9090: connect: connection refused$/,
      );
    } finally {
      await sim2.close();
    }
  });

  const missing = missingBinary(KUBECTL);
  describe.skipIf(!!missing)(
    missing ? `kubectl get --raw (skipped: ${missing})` : 'kubectl get --raw',
    () => {
      let env: BinaryEnv;
      beforeAll(() => {
        env = new BinaryEnv(sim);
      });
      afterAll(() => env?.cleanup());

      it('reaches the backend and prints the API server errors as kubectl does', async () => {
        const ok = await env.kubectl(['get', '--raw', `${PROXY}/prometheus:web/proxy/api/v1/query?query=up`]);
        expect(ok.code, ok.stderr).toBe(0);
        expect(JSON.parse(ok.stdout)).toMatchObject({
          method: 'GET',
          path: '/api/v1/query',
          query: 'query=up',
        });
        const view = await env.kubectl(['get', '--raw', `${PROXY}/prometheus:web/proxy/api/v1/query`], {
          user: 'view',
        });
        expect(view.code).toBe(1);
        expect(view.stderr.trim()).toBe(
          'Error from server (Forbidden): services "prometheus:web" is forbidden: User "viewer" cannot get resource "services/proxy" in API group "" in the namespace "monitoring"',
        );
        const none = await env.kubectl([
          'get',
          '--raw',
          '/api/v1/namespaces/team-b/services/checkout:http/proxy/',
        ]);
        expect(none.stderr.trim()).toBe(
          'Error from server (ServiceUnavailable): no endpoints available for service "checkout:http"',
        );
      });
    },
  );

  it('leaves the registration of the first sim in place until its unregister is called', async () => {
    unregister();
    const r = await call(c(), `${PROXY}/prometheus:web/proxy/`);
    expect(r.status).toBe(503);
  });
});
