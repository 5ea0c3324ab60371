/**
 * Endpoint discovery against a real kube-sim API server (Route lookup, Services, the service proxy with its
 * RBAC) and small Prometheus fakes of our own: one behind the Service, one on https with a certificate signed
 * by the cluster CA (as a Route's or an operator-given URL). ocm-sim's own Prometheus is exercised end to end
 * in e2e-prometheus.test.ts.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { KubeTargets } from '@cloudmcp/kube';
import { ToolError } from '@cloudmcp/toolkit';
import {
  issueServingCertificate,
  type KubeSim,
  type ProxiedResponse,
  registerServiceProxy,
  type SimCluster,
  startKubeSim,
} from 'kube-sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type PrometheusSettings, parseServiceRef } from '../src/prometheus/config.js';
import { type ClusterReach, queryPrometheus } from '../src/prometheus/discovery.js';

const TOKEN = 'route-token-7f3c9a1e5b2d4c6f8a0b1c2d3e4f5a6b';
const BAD_QUERY = 'sum(rate(x[5m])';
const PARSE_ERROR = '1:16: parse error: unclosed left parenthesis';

/** What a Prometheus answers: `up` is one series, BAD_QUERY a parse error, `slow` never. */
function prometheusAnswer(query: string | null): ProxiedResponse | 'hang' {
  if (query === 'slow') return 'hang';
  if (query === BAD_QUERY) {
    return {
      status: 400,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ status: 'error', errorType: 'bad_data', error: PARSE_ERROR }),
    };
  }
  return {
    status: 200,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: { job: 'api' }, value: [1_749_168_000, '1'] }] },
    }),
  };
}

let sim: KubeSim;
let cluster: SimCluster;
let https: Server;
let httpsUrl: string;
/** Requests the https fake saw (path), and with which Authorization. */
let httpsSeen: Array<{ path: string; auth: string | undefined }> = [];
let proxied = 0;
/** The https fake answers 503 like a router with no backend. */
let httpsDown = false;

beforeAll(async () => {
  sim = await startKubeSim({ clusters: 1, podStartMs: 1 });
  cluster = sim.clusters[0]!;
  await cluster.settle();
  installRouteKind();
  registerServiceProxy(cluster, 'monitoring', 'prometheus', 9090, (req) => {
    proxied++;
    const answer = prometheusAnswer(new URLSearchParams(req.query).get('query'));
    return answer === 'hang' ? new Promise(() => {}) : answer;
  });
  const { certPem, keyPem } = issueServingCertificate(cluster.caPem, 'thanos-querier', ['127.0.0.1']);
  https = createServer({ cert: certPem, key: keyPem }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://fake');
    httpsSeen.push({ path: url.pathname, auth: req.headers.authorization });
    if (httpsDown) {
      res.writeHead(503, { 'Content-Type': 'text/html' }).end('<html>Application is not available</html>');
      return;
    }
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(401).end('Unauthorized\n');
      return;
    }
    if (!url.pathname.endsWith('/api/v1/query')) {
      res.writeHead(404).end('404 page not found\n');
      return;
    }
    const answer = prometheusAnswer(url.searchParams.get('query'));
    if (answer === 'hang') return;
    res.writeHead(answer.status, answer.headers).end(answer.body);
  });
  await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
  httpsUrl = `https://127.0.0.1:${(https.address() as AddressInfo).port}`;
});

afterAll(async () => {
  https?.closeAllConnections();
  await new Promise<void>((resolve) => (https ? https.close(() => resolve()) : resolve()));
  await sim?.close();
});

beforeEach(() => {
  httpsSeen = [];
  proxied = 0;
  httpsDown = false;
  if (cluster.store.get('route.openshift.io/v1', 'Route', 'openshift-monitoring', 'thanos-querier')) {
    cluster.store.delete('route.openshift.io/v1', 'Route', 'openshift-monitoring', 'thanos-querier');
  }
});

function settings(extra: Partial<PrometheusSettings> = {}): PrometheusSettings {
  return {
    services: ['monitoring/prometheus:9090', 'monitoring/prometheus-k8s:9090'].map(
      (s) => parseServiceRef(s)!,
    ),
    cacheTtlMs: 60_000,
    timeoutMs: 5000,
    ...extra,
  };
}

function reach(user: 'view' | 'edit', opts: { hub?: boolean; token?: string } = {}): ClusterReach {
  const targets = new KubeTargets(sim.kubeconfig({ user }), { retries: 0 });
  return {
    name: cluster.name,
    client: (signal) => targets.client(cluster.name, { signal }),
    ...(opts.hub
      ? {}
      : { access: async () => ({ caPem: cluster.caPem, token: async () => opts.token ?? TOKEN }) }),
  };
}

const query = (r: ClusterReach, s: PrometheusSettings, ql = 'up') =>
  queryPrometheus(r, s, {
    path: '/api/v1/query',
    params: { query: ql },
    signal: new AbortController().signal,
  });

async function failure(promise: Promise<unknown>): Promise<ToolError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ToolError);
  return error as ToolError;
}

/** OpenShift's Route kind and namespace, as ocm-sim installs them. */
function installRouteKind(): void {
  cluster.store.put({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'routes.route.openshift.io' },
    spec: {
      group: 'route.openshift.io',
      scope: 'Namespaced',
      names: { plural: 'routes', singular: 'route', kind: 'Route', listKind: 'RouteList' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      ],
    },
  });
  cluster.store.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'openshift-monitoring' } });
  // OpenShift aggregates read access to routes into view (and so into edit and admin)
  cluster.store.put({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'route-view', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
    rules: [{ apiGroups: ['route.openshift.io'], resources: ['routes'], verbs: ['get', 'list', 'watch'] }],
  });
}

function installRoute(host: string): void {
  cluster.store.put({
    apiVersion: 'route.openshift.io/v1',
    kind: 'Route',
    metadata: { name: 'thanos-querier', namespace: 'openshift-monitoring' },
    spec: { host, path: '/api', to: { kind: 'Service', name: 'thanos-querier' } },
  });
}

describe('discovery order', () => {
  it('asks --prometheus-url first, with the cluster token over TLS verified by the cluster CA', async () => {
    const s = settings({ urlTemplate: `${httpsUrl}/prom/{cluster}` });
    const { way, answer } = await query(reach('edit'), s);
    expect(way).toBe(`--prometheus-url ${httpsUrl}/prom/${cluster.name}`);
    expect(answer.data.resultType).toBe('vector');
    expect(httpsSeen).toEqual([{ path: `/prom/${cluster.name}/api/v1/query`, auth: `Bearer ${TOKEN}` }]);
    expect(proxied).toBe(0);
  });

  it('then the Route thanos-querier, then the Services through the API server proxy', async () => {
    installRoute(httpsUrl.replace('https://', ''));
    const viaRoute = await query(reach('edit'), settings());
    expect(viaRoute.way).toBe(`Route openshift-monitoring/thanos-querier (${httpsUrl})`);
    expect(proxied).toBe(0);

    cluster.store.delete('route.openshift.io/v1', 'Route', 'openshift-monitoring', 'thanos-querier');
    const viaService = await query(reach('edit'), settings());
    expect(viaService.way).toBe('Service monitoring/prometheus:9090 (API server service proxy)');
    expect(proxied).toBe(1);
  });

  it('moves on when a URL does not answer as Prometheus: a certificate the cluster CA did not sign, a refused token', async () => {
    const other = await startKubeSim({ clusters: 1, seed: 'empty' });
    try {
      const wrongCa: ClusterReach = {
        ...reach('edit'),
        access: async () => ({ caPem: other.clusters[0]!.caPem, token: async () => TOKEN }),
      };
      const s = settings({ urlTemplate: `${httpsUrl}/{cluster}` });
      const viaService = await query(wrongCa, s);
      expect(viaService.way).toContain('Service monitoring/prometheus:9090');
      expect(httpsSeen).toEqual([]); // the token never went out over the unverified connection

      installRoute(httpsUrl.replace('https://', ''));
      const wrongToken = await query(reach('edit', { token: 'not-the-token' }), settings());
      expect(wrongToken.way).toContain('Service monitoring/prometheus:9090');
      // a 401 makes the client read the token once more (it may have rotated), then give up on that way
      expect(httpsSeen.map((h) => h.auth)).toEqual(['Bearer not-the-token', 'Bearer not-the-token']);
    } finally {
      await other.close();
    }
  });

  it('uses Services only for the hub, whose credentials stay in its kubeconfig', async () => {
    installRoute(httpsUrl.replace('https://', ''));
    const { way } = await query(
      reach('edit', { hub: true }),
      settings({ urlTemplate: `${httpsUrl}/{cluster}` }),
    );
    expect(way).toContain('Service monitoring/prometheus:9090');
    expect(httpsSeen).toEqual([]);
  });

  it('refuses a Route whose host is not a host name', async () => {
    installRoute('evil.example.com/path?x=1');
    const { way } = await query(reach('edit'), settings());
    expect(way).toContain('Service monitoring/prometheus:9090');
  });
});

describe('failures', () => {
  it('lists every way tried when none answers, and says services/proxy needs more than view', async () => {
    const error = await failure(query(reach('view'), settings()));
    expect(error.message).toContain(`No Prometheus answered on cluster "${cluster.name}"`);
    expect(error.message).toContain('(1) --prometheus-url: not set');
    expect(error.message).toContain(
      "Service monitoring/prometheus:9090 (API server service proxy): the API server forbids services/proxy to this connection's role",
    );
    expect(error.message).toContain('Route openshift-monitoring/thanos-querier: not found');
    expect(error.message).toContain('no Service monitoring/prometheus-k8s:9090');
    expect(error.details.next).toContain('cluster_role edit');
    expect(error.details.next).toContain('--prometheus-url');
  });

  it("quotes Prometheus' own error for a bad query", async () => {
    const error = await failure(query(reach('edit'), settings(), BAD_QUERY));
    expect(error.message).toBe(`Prometheus on cluster "${cluster.name}" refused the query (bad_data).`);
    expect(error.details.upstreamMessage).toBe(PARSE_ERROR);
    expect(error.details.code).toBe('400 bad_data');
    expect(error.details.next).toContain('Fix the PromQL');
  });

  it('names --request-timeout when Prometheus takes too long, without trying another way', async () => {
    installRoute(httpsUrl.replace('https://', ''));
    const error = await failure(query(reach('edit'), settings({ timeoutMs: 300 }), 'slow'));
    expect(error.message).toContain('did not answer within 0.3 s');
    expect(error.message).toContain('Route openshift-monitoring/thanos-querier');
    expect(error.details.next).toContain('--request-timeout');
    expect(proxied).toBe(0);
  });

  it('never puts the token in an error', async () => {
    installRoute(httpsUrl.replace('https://', ''));
    const errors = [
      await failure(query(reach('view', { token: TOKEN }), settings(), BAD_QUERY)),
      await failure(query(reach('view', { token: `${TOKEN}x` }), settings())),
    ];
    for (const e of errors) expect(JSON.stringify({ m: e.message, d: e.details })).not.toContain(TOKEN);
  });
});

describe('cache', () => {
  it('reuses the way found until it fails or its time is up', async () => {
    let clock = 1_000_000;
    const s = settings();
    const r = reach('edit');
    const lookups = () => cluster.log.filter((e) => e.resource === 'services' && !e.subresource).length;
    const ask = () =>
      queryPrometheus(r, s, {
        path: '/api/v1/query',
        params: { query: 'up' },
        signal: new AbortController().signal,
        now: () => clock,
      });
    await ask();
    const afterFirst = lookups();
    await ask();
    expect(lookups()).toBe(afterFirst); // straight to the proxy
    expect(proxied).toBe(2);

    clock += 61_000;
    await ask();
    expect(lookups()).toBeGreaterThan(afterFirst); // looked up again
  });

  it('looks again when the cached way stops working', async () => {
    installRoute(httpsUrl.replace('https://', ''));
    const s = settings();
    const r = reach('edit');
    expect((await query(r, s)).way).toContain('Route');
    installRoute('127.0.0.1:1');
    expect((await query(r, s)).way).toContain(httpsUrl); // cached: the Route is not read again
    httpsDown = true;
    const { way } = await query(r, s); // the cached URL answers 503: the Route (now refused) and then a Service
    expect(way).toBe('Service monitoring/prometheus:9090 (API server service proxy)');
  });
});
