import { request } from 'node:https';
import { type KubeSim, type SimCluster, startKubeSim } from 'kube-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClusterPrometheus, startClusterPrometheus } from '../src/prometheus/index.js';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
type Json = any;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: Json;
}

/** One HTTPS request trusting only `ca` (Node's fetch cannot take a CA). */
function https(
  url: string,
  o: { ca: string; token?: string; method?: string; body?: string; contentType?: string },
): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (o.token) headers.Authorization = `Bearer ${o.token}`;
  if (o.body !== undefined) headers['Content-Type'] = o.contentType ?? 'application/x-www-form-urlencoded';
  return new Promise((resolve, reject) => {
    const req = request(url, { method: o.method ?? 'GET', headers, ca: o.ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: Json = text;
        try {
          body = JSON.parse(text);
        } catch {
          // text bodies (kube-rbac-proxy, the router)
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
      });
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

/** The cluster's own API, as its admin. */
const kube = (c: SimCluster, path: string) =>
  https(`${c.url}${path}`, { ca: c.caPem, token: c.tokens.admin });

/** An evaluation time on a scrape (multiples of 30 s), in unix seconds. */
const T = Math.floor(Date.now() / 30_000) * 30;

const PROXY = '/api/v1/namespaces/monitoring/services/prometheus:web/proxy';

describe('Prometheus behind an OpenShift route (thanos-querier)', () => {
  let sim: KubeSim;
  let c: SimCluster;
  let prom: ClusterPrometheus;
  const query = (q: string, token = c.tokens.view) =>
    https(`${prom.url}/api/v1/query?${new URLSearchParams({ query: q, time: String(T) })}`, {
      ca: c.caPem,
      token,
    });
  /** The samples of an instant query at T, as the view user. */
  const vector = async (q: string) => {
    const r = await query(q);
    expect(r.status, r.text).toBe(200);
    return r.body.data.result as { metric: Record<string, string>; value: [number, string] }[];
  };

  beforeAll(async () => {
    sim = await startKubeSim({ clusters: 2 });
    c = sim.clusters[0]!;
    prom = await startClusterPrometheus(c, 'route');
  });
  afterAll(async () => {
    await prom?.close();
    await sim?.close();
  });

  it('publishes the Route the seed server reads, pointing at a server with a certificate of the cluster CA', async () => {
    const r = await https(
      `${c.url}/apis/route.openshift.io/v1/namespaces/openshift-monitoring/routes/thanos-querier`,
      {
        ca: c.caPem,
        token: c.tokens.view,
      },
    );
    expect(r.status, r.text).toBe(200);
    expect(r.body.spec).toEqual({
      host: new URL(prom.url!).host,
      path: '/api',
      port: { targetPort: 'web' },
      tls: { termination: 'reencrypt', insecureEdgeTerminationPolicy: 'Redirect' },
      to: { kind: 'Service', name: 'thanos-querier', weight: 100 },
      wildcardPolicy: 'None',
    });
    expect(r.body.status.ingress[0].conditions[0]).toMatchObject({ type: 'Admitted', status: 'True' });
    expect(`https://${r.body.spec.host}`).toBe(prom.url);
    // trusted with this cluster's CA only
    expect((await query('up')).status).toBe(200);
    const other = sim.clusters[1]!;
    await expect(
      https(`${prom.url}/api/v1/query?query=up`, { ca: other.caPem, token: c.tokens.view }),
    ).rejects.toThrow(/certificate/);
  });

  it('checks the bearer token as kube-rbac-proxy does: TokenReview, then get namespaces by SubjectAccessReview', async () => {
    const noToken = await https(`${prom.url}/api/v1/query?query=up`, { ca: c.caPem });
    expect([noToken.status, noToken.text]).toEqual([401, 'Unauthorized\n']);
    const badToken = await query('up', 'not-a-token');
    expect([badToken.status, badToken.text]).toEqual([401, 'Unauthorized\n']);
    const before = c.log.length;
    expect((await query('up', c.tokens.view)).status).toBe(200);
    const reviews = c.log.slice(before).map((e) => [e.method, e.path, e.user, e.status]);
    expect(reviews).toEqual([
      ['POST', '/apis/authentication.k8s.io/v1/tokenreviews', 'kube-admin', 201],
      ['POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', 'kube-admin', 201],
    ]);
    // team-a's admin may not get namespaces (a cluster-scoped resource)
    const teamAdmin = await query('up', c.tokens.teamAdmin);
    expect([teamAdmin.status, teamAdmin.text]).toEqual([
      403,
      'Forbidden (user=team-a-admin, verb=get, resource=namespaces, subresource=)\n',
    ]);
    // a service account token is reviewed like any other: authenticated, bound to nothing
    const minted = await https(`${c.url}/api/v1/namespaces/default/serviceaccounts/default/token`, {
      ca: c.caPem,
      token: c.tokens.admin,
      method: 'POST',
      body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} }),
      contentType: 'application/json',
    });
    expect(minted.status, minted.text).toBe(201);
    const sa = await query('up', minted.body.status.token);
    expect([sa.status, sa.text]).toEqual([
      403,
      'Forbidden (user=system:serviceaccount:default:default, verb=get, resource=namespaces, subresource=)\n',
    ]);
  });

  it('routes only /api: other paths get the router page', async () => {
    const r = await https(`${prom.url}/graph`, { ca: c.caPem, token: c.tokens.view });
    expect(r.status).toBe(503);
    expect(r.text).toContain('Application is not available');
  });

  it('reports container memory as metrics.k8s.io does (kubectl top)', async () => {
    const top = (await kube(c, '/apis/metrics.k8s.io/v1beta1/namespaces/team-a/pods')).body.items as Json[];
    const expected = top
      .flatMap((p) => p.containers.map((k: Json) => `${p.metadata.name}/${k.name} ${k.usage.memory}`))
      .sort();
    const got = (await vector('container_memory_working_set_bytes{namespace="team-a",container!=""}'))
      .map((s) => `${s.metric.pod}/${s.metric.container} ${Math.floor(Number(s.value[1]) / 1024)}Ki`)
      .sort();
    expect(got.length).toBeGreaterThan(5);
    expect(got).toEqual(expected);
    // the pod cgroup series (no container label) carry the sum of their containers, as cAdvisor's do
    const [pod] = await vector(
      'container_memory_working_set_bytes{namespace="team-a",pod="postgres-0",container=""}',
    );
    const [sum] = await vector(
      'sum(container_memory_working_set_bytes{namespace="team-a",pod="postgres-0",container!=""})',
    );
    expect(pod!.value[1]).toBe(sum!.value[1]);
    expect(pod!.metric.id).toMatch(/^\/kubepods\//);
  });

  it('counts CPU seconds from each container start at the usage metrics.k8s.io reports', async () => {
    const top = (await kube(c, '/apis/metrics.k8s.io/v1beta1/namespaces/team-a/pods/postgres-0')).body;
    const usage = top.containers.find((k: Json) => k.name === 'postgres').usage;
    const nanocores = Number(usage.cpu.replace(/n$/, ''));
    const pod = (await kube(c, '/api/v1/namespaces/team-a/pods/postgres-0')).body;
    const status = pod.status.containerStatuses.find((k: Json) => k.name === 'postgres');
    const started = Date.parse(status.state.running.startedAt) / 1000;
    const [counter] = await vector(
      'container_cpu_usage_seconds_total{namespace="team-a",pod="postgres-0",container="postgres"}',
    );
    expect(Number(counter!.value[1])).toBeCloseTo((nanocores / 1e9) * (T - started), 6);
    const [rate] = await vector(
      'rate(container_cpu_usage_seconds_total{pod="postgres-0",container="postgres"}[5m])',
    );
    expect(Number(rate!.value[1]) * 1e9).toBeCloseTo(nanocores, 3);
    expect(rate!.metric.__name__).toBeUndefined();
  });

  it('answers kube-state-metrics series from the pods as the API lists them', async () => {
    const pods = (await kube(c, '/api/v1/namespaces/team-b/pods')).body.items as Json[];
    const [count] = await vector('count(kube_pod_info{namespace="team-b"})');
    expect(count!.value[1]).toBe(String(pods.length));
    const phases = new Map<string, number>();
    for (const p of pods) phases.set(p.status.phase, (phases.get(p.status.phase) ?? 0) + 1);
    const byPhase = await vector('sum by (phase) (kube_pod_status_phase{namespace="team-b"}) > 0');
    expect(Object.fromEntries(byPhase.map((s) => [s.metric.phase, Number(s.value[1])]))).toEqual(
      Object.fromEntries(phases),
    );
    const restarts = await vector(
      'kube_pod_container_status_restarts_total{namespace="team-a",container="api"} > 0',
    );
    expect(restarts.map((s) => s.value[1])).toEqual(['14']);
    expect(restarts[0]!.metric.pod).toMatch(/^api-/);
  });

  it('has node-exporter series where its DaemonSet runs (the workers), agreeing with NodeMetrics', async () => {
    const worker = (await kube(c, '/api/v1/nodes/sim-1-worker')).body;
    const total = await vector('node_memory_MemTotal_bytes');
    expect(total.map((s) => s.metric.instance)).toEqual(['sim-1-worker', 'sim-1-worker2']);
    expect(total[0]!.value[1]).toBe(String(Number(worker.status.capacity.memory.replace(/Ki$/, '')) * 1024));
    const used = await vector(
      'node_memory_MemTotal_bytes{instance="sim-1-worker"} - node_memory_MemAvailable_bytes',
    );
    const nodeTop = (await kube(c, '/apis/metrics.k8s.io/v1beta1/nodes/sim-1-worker')).body;
    expect(`${Math.floor(Number(used[0]!.value[1]) / 1024)}Ki`).toBe(nodeTop.usage.memory);
    const busy = await vector('sum(rate(node_cpu_seconds_total{instance="sim-1-worker",mode!="idle"}[5m]))');
    expect(Number(busy[0]!.value[1]) * 1e9).toBeCloseTo(Number(nodeTop.usage.cpu.replace(/n$/, '')), -1);
    const idle = await vector('count(node_cpu_seconds_total{instance="sim-1-worker",mode="idle"})');
    expect(idle[0]!.value[1]).toBe(worker.status.capacity.cpu);
  });

  it('answers range queries with a point per step, GET and POST alike', async () => {
    const params = new URLSearchParams({
      query: 'sum by (namespace) (container_memory_working_set_bytes{container!="",namespace=~"team-.*"})',
      start: String(T - 600),
      end: String(T),
      step: '5m',
    });
    const get = await https(`${prom.url}/api/v1/query_range?${params}`, {
      ca: c.caPem,
      token: c.tokens.view,
    });
    expect(get.status, get.text).toBe(200);
    expect(get.body.data.resultType).toBe('matrix');
    expect(get.body.data.result.map((s: Json) => s.metric)).toEqual([
      { namespace: 'team-a' },
      { namespace: 'team-b' },
    ]);
    const [teamA] = await vector('sum(container_memory_working_set_bytes{container!="",namespace="team-a"})');
    expect(get.body.data.result[0].values).toEqual([
      [T - 600, teamA!.value[1]],
      [T - 300, teamA!.value[1]],
      [T, teamA!.value[1]],
    ]);
    const post = await https(`${prom.url}/api/v1/query_range`, {
      ca: c.caPem,
      token: c.tokens.view,
      method: 'POST',
      body: params.toString(),
    });
    expect(post.body).toEqual(get.body);
  });

  it('refuses bad queries with the API error shape', async () => {
    const bad = await query('sum(');
    expect([bad.status, bad.body]).toEqual([
      400,
      {
        status: 'error',
        errorType: 'bad_data',
        error: 'invalid parameter "query": 1:5: parse error: unexpected end of input',
      },
    ]);
    const tooMany = await https(
      `${prom.url}/api/v1/query_range?${new URLSearchParams({ query: 'up', start: '0', end: String(T), step: '15s' })}`,
      { ca: c.caPem, token: c.tokens.view },
    );
    expect([tooMany.status, tooMany.body.error]).toEqual([
      400,
      'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
    ]);
  });

  it('resets connections while the cluster is unavailable, and answers again once it is back', async () => {
    prom.setAvailable(false);
    await expect(query('up')).rejects.toThrow(/socket hang up|ECONNRESET/);
    prom.setAvailable(true);
    expect((await query('up')).status).toBe(200);
  });

  it('gives the same answers through the service proxy of the same cluster', async () => {
    const viaService = await startClusterPrometheus(c, 'service');
    try {
      const q = new URLSearchParams({ query: 'topk(3, sum by (pod) (kube_pod_info))', time: String(T) });
      const proxied = await https(`${c.url}${PROXY}/api/v1/query?${q}`, {
        ca: c.caPem,
        token: c.tokens.edit,
      });
      const routed = await https(`${prom.url}/api/v1/query?${q}`, { ca: c.caPem, token: c.tokens.view });
      expect(proxied.status).toBe(200);
      expect(proxied.body).toEqual(routed.body);
    } finally {
      await viaService.close();
    }
  });
});

describe('Prometheus behind a Service, through the API server service proxy', () => {
  let sim: KubeSim;
  let c: SimCluster;
  let prom: ClusterPrometheus;
  const proxied = (path: string, token: string, form?: string) =>
    https(
      `${c.url}${PROXY}${path}`,
      form === undefined ? { ca: c.caPem, token } : { ca: c.caPem, token, method: 'POST', body: form },
    );

  beforeAll(async () => {
    sim = await startKubeSim();
    c = sim.clusters[0]!;
    prom = await startClusterPrometheus(c, 'service');
  });
  afterAll(async () => {
    await prom?.close();
    await sim?.close();
  });

  it('has no Route and no URL of its own', async () => {
    expect(prom.url).toBeUndefined();
    const routes = await kube(
      c,
      '/apis/route.openshift.io/v1/namespaces/openshift-monitoring/routes/thanos-querier',
    );
    expect(routes.status).toBe(404);
  });

  it('is reached by whoever may get services/proxy: edit and admin yes, view no', async () => {
    const q = `/api/v1/query?${new URLSearchParams({ query: 'count(up)', time: String(T) })}`;
    for (const token of [c.tokens.edit, c.tokens.admin]) {
      const r = await proxied(q, token);
      expect(r.status, r.text).toBe(200);
      expect(r.body.data).toEqual({ resultType: 'vector', result: [{ metric: {}, value: [T, '7'] }] });
    }
    const view = await proxied(q, c.tokens.view);
    expect([view.status, view.body.reason, view.body.message]).toEqual([
      403,
      'Forbidden',
      'services "prometheus:web" is forbidden: User "viewer" cannot get resource "services/proxy" in API group "" in the namespace "monitoring"',
    ]);
    const post = await proxied('/api/v1/query', c.tokens.edit, `query=count(up)&time=${T}`);
    expect(post.body.data.result).toEqual([{ metric: {}, value: [T, '7'] }]);
    const viewPost = await proxied('/api/v1/query', c.tokens.view, 'query=up');
    expect(viewPost.body.message).toContain('cannot create resource "services/proxy"');
  });

  it('stops answering once closed, as a Service whose pod stopped listening', async () => {
    const other = await startKubeSim();
    try {
      const oc = other.clusters[0]!;
      const p = await startClusterPrometheus(oc, 'service');
      const q = `${oc.url}${PROXY}/api/v1/query?query=up`;
      expect((await https(q, { ca: oc.caPem, token: oc.tokens.admin })).status).toBe(200);
      await p.close();
      const r = await https(q, { ca: oc.caPem, token: oc.tokens.admin });
      expect(r.status).toBe(503);
      expect(r.body.message).toMatch(
        /^error trying to reach service: dial tcp [\d.]+:9090: connect: connection refused$/,
      );
    } finally {
      await other.close();
    }
  });
});

describe('Prometheus on a cluster without one', () => {
  it('service: deploys monitoring/prometheus and its Service first, and has no node-exporter to scrape', async () => {
    const sim = await startKubeSim({ seed: 'empty' });
    try {
      const c = sim.clusters[0]!;
      expect((await kube(c, '/api/v1/namespaces/monitoring/services/prometheus')).status).toBe(404);
      const prom = await startClusterPrometheus(c, 'service');
      const svc = (await kube(c, '/api/v1/namespaces/monitoring/services/prometheus')).body;
      expect(svc.spec.ports).toEqual([{ name: 'web', port: 9090, protocol: 'TCP', targetPort: 'web' }]);
      // evaluated a minute on, at a scrape after the new pod started
      const q = (query: string) =>
        https(`${c.url}${PROXY}/api/v1/query?${new URLSearchParams({ query, time: String(T + 60) })}`, {
          ca: c.caPem,
          token: c.tokens.admin,
        });
      const pods = await q('kube_pod_info{namespace="monitoring"}');
      expect(pods.status, pods.text).toBe(200);
      expect(pods.body.data.result.map((s: Json) => s.metric.created_by_kind)).toEqual(['ReplicaSet']);
      expect((await q('node_memory_MemTotal_bytes')).body.data.result).toEqual([]);
      await prom.close();
    } finally {
      await sim.close();
    }
  });

  it('none: exposes nothing', async () => {
    const sim = await startKubeSim({ seed: 'empty' });
    try {
      const c = sim.clusters[0]!;
      const prom = await startClusterPrometheus(c, 'none');
      expect(prom.url).toBeUndefined();
      expect((await kube(c, '/api/v1/namespaces/monitoring')).status).toBe(404);
      await prom.close();
    } finally {
      await sim.close();
    }
  });
});
