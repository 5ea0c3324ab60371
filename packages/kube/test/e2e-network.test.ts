import type { KubeSim } from 'kube-sim';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Connected, connect, credentialLeaks, seen, startSim } from './harness.js';

let sim: KubeSim;
let admin: Connected;
let viewer: Connected;

beforeAll(async () => {
  sim = await startSim();
  admin = await connect(sim);
  viewer = await connect(sim, { user: 'view' });
});

afterEach(() => {
  for (const c of sim.clusters) c.clearFaults();
});

afterAll(async () => {
  expect(credentialLeaks(sim)).toEqual([]);
  // The seed's Secret values (a database password, a TLS key) were never read, so never shown.
  expect(seen.filter((t) => t.includes('s3cr3t-Pa55') || t.includes('REDACTED-BY-KUBE-SIM'))).toEqual([]);
  await admin?.close();
  await viewer?.close();
  await sim?.close();
});

const c1 = () => sim.clusters[0]!;
const store = () => c1().store;

interface Summary {
  service: string;
  ports: string[];
  source: string;
  ready: number;
  not_ready: number;
  backends: Array<{
    pod?: string;
    ip: string;
    node?: string;
    zone?: string;
    ready: boolean;
    reason?: string;
  }>;
  problems: string[];
}

describe('endpoint_list', () => {
  it('a healthy Service: ports resolved to the container port, every backend with its node and zone', async () => {
    const r = await viewer.call('endpoint_list', { name: 'web', namespace: 'team-a' });
    expect(r.isError).toBe(false);
    const s = r.structured as unknown as Summary;
    expect(s).toMatchObject({
      service: 'team-a/web',
      ports: ['http 80/TCP → 80'],
      source: 'EndpointSlice',
      ready: 3,
      not_ready: 0,
      problems: [],
    });
    const pods = store()
      .list('v1', 'Pod', 'team-a')
      .filter((p) => p.metadata.labels?.app === 'web');
    expect(s.backends.map((b) => b.pod).sort()).toEqual(pods.map((p) => p.metadata.name).sort());
    for (const b of s.backends) {
      const pod = pods.find((p) => p.metadata.name === b.pod)!;
      expect(b).toEqual({
        pod: pod.metadata.name,
        ip: pod.status.podIP,
        node: pod.spec.nodeName,
        zone: pod.spec.nodeName.endsWith('worker2') ? 'zone-b' : 'zone-a',
        ready: true,
      });
    }
    const lines = r.text.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      expect.stringMatching(
        /^Service team-a\/web {2}ClusterIP {2}10\.96\.\d+\.\d+ {2}selector app=web,tier=frontend$/,
      ),
      'Ports: http 80/TCP → 80',
      'Endpoints (EndpointSlice): 3 ready, 0 not ready',
    ]);
    expect(lines[3]).toMatch(/^POD\s+IP\s+NODE\s+ZONE\s+READY$/);
  });

  it('a targetPort name no container has: the port reaches nothing, and the pods name their ports', async () => {
    const r = await viewer.call('endpoint_list', { name: 'web-metrics', namespace: 'team-a' });
    const s = r.structured as unknown as Summary;
    expect(s.ports).toEqual(['metrics 9113/TCP → metrics?']);
    expect(s.problems).toEqual([
      'port metrics 9113/TCP: no backend pod has a TCP container port named "metrics" (they have http/80), ' +
        'so this port reaches nothing',
    ]);
    expect(r.text).toContain('Problem: port metrics 9113/TCP: no backend pod has a TCP container port');
  });

  it('no pod matches the selector: says so', async () => {
    const r = await viewer.call('endpoint_list', { name: 'cart', namespace: 'team-b' });
    const s = r.structured as unknown as Summary;
    expect(s).toMatchObject({ ready: 0, not_ready: 0, backends: [] });
    expect(s.problems).toEqual(['no pod in team-b matches the selector app=cart']);
    expect(r.text).toContain('Endpoints (EndpointSlice): 0 ready, 0 not ready\nProblem: no pod in team-b');
  });

  it('its only pod is not ready: the backend row and the problem carry the reason', async () => {
    const r = await viewer.call('endpoint_list', { name: 'checkout', namespace: 'team-b' });
    const s = r.structured as unknown as Summary;
    expect(s.ports).toEqual([expect.stringMatching(/^http 80\/TCP → 8080 \(nodePort \d+\)$/)]);
    expect(s.backends).toEqual([
      expect.objectContaining({
        pod: expect.stringMatching(/^checkout-/),
        ready: false,
        reason: expect.stringContaining('running but not ready — readiness probe failing?'),
      }),
    ]);
    expect(s.problems).toEqual([
      expect.stringMatching(
        /^no ready endpoints: its one pod is not ready \(checkout-\S+: checkout: running but/,
      ),
    ]);
    expect(r.text).toMatch(/external 172\.18\.255\.\d+/);
  });

  it('matching pods without an address yet: names them and why', async () => {
    store().put({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'cart-0', namespace: 'team-b', labels: { app: 'cart' } },
      spec: {
        nodeSelector: { disktype: 'ssd' },
        containers: [{ name: 'cart', image: 'ghcr.io/acme/cart:1.0' }],
      },
      status: {
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: '0/3 nodes are available: 3 Insufficient memory.',
          },
        ],
      },
    });
    try {
      const r = await viewer.call('endpoint_list', { name: 'cart', namespace: 'team-b' });
      expect((r.structured as unknown as Summary).problems).toEqual([
        '1 pod(s) match the selector but none has an address: cart-0 Pending (not scheduled: Unschedulable — ' +
          '0/3 nodes are available: 3 Insufficient memory.)',
      ]);
    } finally {
      store().delete('v1', 'Pod', 'team-b', 'cart-0');
    }
  });

  it('a Service without a selector: its hand-kept endpoints, or the problem of having none', async () => {
    const r = await viewer.call('endpoint_list', { name: 'external-db', namespace: 'team-a' });
    expect(r.structured).toMatchObject({
      backends: [{ ip: '10.20.0.15', ready: true }],
      problems: [],
    });
    expect(r.text).toMatch(/selector \(none\)/);
    store().put({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'orphan', namespace: 'team-a' },
      spec: { ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }] },
    });
    try {
      const orphan = await viewer.call('endpoint_list', { name: 'orphan', namespace: 'team-a' });
      expect((orphan.structured as unknown as Summary).problems).toEqual([
        expect.stringMatching(/^no selector and no endpoints: nothing receives its traffic/),
      ]);
    } finally {
      store().delete('v1', 'Service', 'team-a', 'orphan');
    }
  });

  it('falls back to the core Endpoints when EndpointSlices cannot be listed', async () => {
    c1().addFault({ kind: 'status', status: 403, resource: 'endpointslices', times: Infinity });
    const r = await viewer.call('endpoint_list', { name: 'api', namespace: 'team-a' });
    const s = r.structured as unknown as Summary;
    expect(s).toMatchObject({ source: 'Endpoints', ready: 1, not_ready: 1, ports: ['http 8080/TCP → 8080'] });
    expect(s.backends.find((b) => !b.ready)).toMatchObject({
      pod: expect.stringMatching(/^api-/),
      reason: expect.stringContaining('CrashLoopBackOff'),
    });
    expect(s.backends.every((b) => b.zone === undefined)).toBe(true); // Endpoints carry no zone
  });

  it('a wrong name suggests close ones; another context is asked with `context`', async () => {
    const r = await viewer.call('endpoint_list', { name: 'chekout', namespace: 'team-b' });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('Next: Did you mean "checkout"?');
    const other = await viewer.call('endpoint_list', { name: 'web', namespace: 'team-a', context: 'sim-2' });
    const pods = sim.clusters[1]!.store.list('v1', 'Pod', 'team-a').map((p) => p.metadata.name);
    const backends = (other.structured as unknown as Summary).backends.map((b) => b.pod!);
    expect(backends.length).toBe(3);
    expect(backends.every((p) => pods.includes(p))).toBe(true);
  });
});

interface Trace {
  ingresses: Array<{ ingress: string; class?: string; address?: string; tls: string[] }>;
  routes: Array<{
    ingress: string;
    host: string;
    path: string;
    backend: string;
    target?: string;
    ready?: string;
  }>;
  services: Summary[];
  problems: string[];
}

describe('traffic_trace', () => {
  it('from an Ingress: every route, its Service, endpoints and pods, and each broken link named', async () => {
    const before = c1().log.length;
    const r = await admin.call('traffic_trace', { ingress: 'checkout', namespace: 'team-b' });
    expect(r.isError).toBe(false);
    const t = r.structured as unknown as Trace;
    expect(t.ingresses).toEqual([
      {
        ingress: 'team-b/checkout',
        class: 'nginx (k8s.io/ingress-nginx)',
        address: '172.18.255.200',
        tls: ['checkout-tls → checkout.example.com'],
      },
    ]);
    const host = 'checkout.example.com';
    expect(t.routes).toEqual([
      { ingress: 'team-b/checkout', host, path: '/', backend: 'checkout:80', target: '8080', ready: '0/1' },
      { ingress: 'team-b/checkout', host, path: '/cart', backend: 'cart:80', target: '8080', ready: '0/0' },
      { ingress: 'team-b/checkout', host, path: '/payments', backend: 'payments:8080' },
      { ingress: 'team-b/checkout', host, path: '/admin (Exact)', backend: 'checkout:admin' },
    ]);
    expect(t.problems).toEqual([
      'ingress team-b/checkout: TLS secret checkout-tls not found in team-b: the controller serves its ' +
        'default certificate for checkout.example.com',
      'checkout.example.com/payments → payments:8080: Service payments not found in team-b',
      'checkout.example.com/admin (Exact) → checkout:admin: Service checkout has no port named "admin" ' +
        '(it has http 80/TCP)',
    ]);
    expect(t.services.map((s) => [s.service, s.problems])).toEqual([
      ['team-b/checkout', [expect.stringMatching(/^no ready endpoints: its one pod is not ready/)]],
      ['team-b/cart', ['no pod in team-b matches the selector app=cart']],
    ]);
    const lines = r.text.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'Ingress team-b/checkout  class nginx (k8s.io/ingress-nginx)  address 172.18.255.200',
      'TLS: checkout-tls → checkout.example.com',
      '',
      expect.stringMatching(/^HOST\s+PATH\s+BACKEND\s+TARGET\s+READY$/),
    ]);
    expect(r.text).toMatch(/\ncheckout\.example\.com\s+\/payments\s+payments:8080\s+-\s+-\n/);
    expect(r.text).toContain('\n- service team-b/cart: no pod in team-b matches the selector app=cart');

    // Cheap and read-only: a handful of GETs; the TLS Secret was asked for its metadata only.
    const calls = c1().log.slice(before);
    expect(calls.every((e) => e.method === 'GET')).toBe(true);
    expect(calls.length).toBeLessThanOrEqual(12);
    const secrets = calls.filter((e) => e.resource === 'secrets');
    expect(secrets.map((e) => [e.verb, e.accept])).toEqual([
      ['list', 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io'],
    ]);
  });

  it('a healthy Ingress says no link is broken', async () => {
    const r = await viewer.call('traffic_trace', { ingress: 'web', namespace: 'team-a' });
    const t = r.structured as unknown as Trace;
    expect(t.routes.map((x) => [x.path, x.backend, x.target, x.ready])).toEqual([
      ['/', 'web:80', '80', '3/3'],
      ['/api', 'api:8080', '8080', '1/2'],
    ]);
    expect(t.problems).toEqual([]);
    expect(t.services.map((s) => s.service)).toEqual(['team-a/web', 'team-a/api']);
    expect(r.text.endsWith('No broken link found.')).toBe(true);
  });

  it('from a Service: the Ingress rules that reach it, or that none does', async () => {
    const api = (await viewer.call('traffic_trace', { service: 'api', namespace: 'team-a' }))
      .structured as unknown as Trace;
    expect(api.routes.map((x) => `${x.host}${x.path} → ${x.backend}`)).toEqual([
      'shop.example.com/api → api:8080',
    ]);
    expect(api.services.map((s) => s.service)).toEqual(['team-a/api']);
    const pg = await viewer.call('traffic_trace', { service: 'postgres', namespace: 'team-a' });
    expect(pg.text.split('\n')[0]).toBe('No Ingress in team-a routes to this Service.');
    expect(pg.text).toMatch(/Service team-a\/postgres {2}ClusterIP {2}headless/);
  });

  it('from a host or URL: the rule a request takes (whole path elements, longest first)', async () => {
    const path = async (host: string, extra: Record<string, unknown> = {}) =>
      ((await viewer.call('traffic_trace', { host, ...extra })).structured as unknown as Trace).routes.map(
        (x) => x.path,
      );
    expect(await path('https://shop.example.com/api/orders')).toEqual(['/api']);
    expect(await path('shop.example.com', { path: '/apis' })).toEqual(['/']);
    expect(await path('SHOP.example.com')).toEqual(['/', '/api']);
    expect(await path('checkout.example.com', { path: '/admin/x' })).toEqual(['/']);
    expect(await path('checkout.example.com', { path: '/admin' })).toEqual(['/admin (Exact)']);
    const wrong = await viewer.call('traffic_trace', { host: 'shop.example.org' });
    expect(wrong.isError).toBe(true);
    expect(wrong.text).toBe(
      'Error: No Ingress serves host "shop.example.org".\nNext: Did you mean "shop.example.com"?',
    );
  });

  it('names a missing IngressClass, a missing address, and the default class of a classless Ingress', async () => {
    const ingress = (name: string, spec: Record<string, unknown>) => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name, namespace: 'team-a' },
      spec: {
        ...spec,
        rules: [
          {
            host: `${name}.example.com`,
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: 'web', port: { name: 'http' } } },
                },
              ],
            },
          },
        ],
      },
    });
    store().put(ingress('broken-class', { ingressClassName: 'traefik' }));
    store().put(ingress('classless', {}));
    try {
      const broken = (await admin.call('traffic_trace', { ingress: 'broken-class', namespace: 'team-a' }))
        .structured as unknown as Trace;
      expect(broken.problems).toEqual([
        'ingress team-a/broken-class: IngressClass "traefik" does not exist: no controller is told to serve ' +
          'this Ingress',
        'ingress team-a/broken-class: no address: no ingress controller has admitted it yet (check the ' +
          'class and that the controller runs)',
      ]);
      expect(broken.routes[0]).toMatchObject({ backend: 'web:http', target: '80', ready: '3/3' });
      const classless = (await admin.call('traffic_trace', { ingress: 'classless', namespace: 'team-a' }))
        .structured as unknown as Trace;
      expect(classless.ingresses[0]!.class).toBe('nginx (default)');
      // The view role may not read IngressClasses (cluster-scoped): the class is named, not checked.
      const asViewer = (await viewer.call('traffic_trace', { ingress: 'broken-class', namespace: 'team-a' }))
        .structured as unknown as Trace;
      expect(asViewer.ingresses[0]!.class).toBe('traefik');
      expect(asViewer.problems).toEqual([expect.stringMatching(/: no address:/)]);
    } finally {
      store().delete('networking.k8s.io/v1', 'Ingress', 'team-a', 'broken-class');
      store().delete('networking.k8s.io/v1', 'Ingress', 'team-a', 'classless');
    }
  });

  it('refuses unclear input, naming the field', async () => {
    const none = await viewer.call('traffic_trace', {});
    expect(none.isError).toBe(true);
    expect(none.text).toMatch(/`ingress`.*give exactly one of `ingress`, `service` or `host`/);
    const two = await viewer.call('traffic_trace', { ingress: 'web', service: 'web' });
    expect(two.text).toMatch(/give exactly one of/);
    const path = await viewer.call('traffic_trace', { ingress: 'web', path: '/api' });
    expect(path.text).toMatch(/`path`.*only goes with `host`/);
    const missing = await viewer.call('traffic_trace', { ingress: 'wbe', namespace: 'team-a' });
    expect(missing.text).toContain('Did you mean "web"?');
  });
});
