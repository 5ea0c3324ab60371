import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeSim, startKubeSim } from '../src/index.js';
import { BinaryEnv, call, type Json, KUBECTL, missingBinary, parseColumns } from './helpers.js';

// Endpoints and EndpointSlices as the real controllers write them (pkg/controller/endpoint and
// staging/src/k8s.io/endpointslice): ports resolved per pod, slices grouped by port set, node and zone per
// endpoint, and the placeholder slice of a Service without endpoints.

let sim: KubeSim;
beforeAll(async () => {
  sim = await startKubeSim();
});
afterAll(async () => {
  await sim?.close();
});
const c = () => sim.clusters[0]!;

async function slicesOf(ns: string, service: string): Promise<Json[]> {
  const path = `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3D${service}`;
  const r = await call(c(), path);
  expect(r.status).toBe(200);
  return r.body.items;
}

describe('endpoints controllers', () => {
  it('a healthy Service: one slice with each pod, its node and zone, the named targetPort resolved', async () => {
    const [slice, ...more] = await slicesOf('team-a', 'web');
    expect(more).toEqual([]);
    expect(slice.ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP' }]);
    expect(slice.endpoints).toHaveLength(3);
    for (const e of slice.endpoints) {
      expect(e).toMatchObject({
        conditions: { ready: true, serving: true, terminating: false },
        nodeName: expect.stringMatching(/^sim-1-worker2?$/),
        zone: e.nodeName === 'sim-1-worker2' ? 'zone-b' : 'zone-a',
        targetRef: { kind: 'Pod', namespace: 'team-a', name: expect.stringMatching(/^web-/) },
      });
    }
  });

  it('a targetPort name no container has: Endpoints without subsets, the pods in a slice with null ports', async () => {
    const ep = await call(c(), '/api/v1/namespaces/team-a/endpoints/web-metrics');
    expect(ep.body.subsets).toBeUndefined();
    const [slice] = await slicesOf('team-a', 'web-metrics');
    expect(slice.ports).toBeNull();
    expect(slice.endpoints).toHaveLength(3);
  });

  it('a selector no pod matches: one placeholder slice with null endpoints and ports', async () => {
    const slices = await slicesOf('team-b', 'cart');
    expect(slices).toHaveLength(1);
    expect(slices[0]).toMatchObject({ endpoints: null, ports: null, addressType: 'IPv4' });
    const ep = await call(c(), '/api/v1/namespaces/team-b/endpoints/cart');
    expect(ep.body.subsets).toBeUndefined();
  });

  it('a not-ready pod is in notReadyAddresses and a slice endpoint with ready false', async () => {
    const ep = await call(c(), '/api/v1/namespaces/team-b/endpoints/checkout');
    expect(ep.body.subsets).toEqual([
      {
        notReadyAddresses: [expect.objectContaining({ nodeName: expect.any(String) })],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    ]);
    const [slice] = await slicesOf('team-b', 'checkout');
    expect(slice.endpoints[0].conditions).toEqual({ ready: false, serving: false, terminating: false });
  });

  it('a StatefulSet pod under its headless Service carries its hostname', async () => {
    const [slice] = await slicesOf('team-a', 'postgres');
    expect(slice.endpoints[0]).toMatchObject({ hostname: 'postgres-0' });
  });

  it('a Service without a selector keeps its hand-made Endpoints and their mirrored slice', async () => {
    const [slice] = await slicesOf('team-a', 'external-db');
    expect(slice.metadata.labels['endpointslice.kubernetes.io/managed-by']).toBe(
      'endpointslicemirroring-controller.k8s.io',
    );
    expect(slice.endpoints).toEqual([{ addresses: ['10.20.0.15'], conditions: { ready: true } }]);
    const [kubernetes] = await slicesOf('default', 'kubernetes');
    expect(kubernetes.ports).toEqual([{ name: 'https', port: 6443, protocol: 'TCP' }]);
  });

  it('slices follow the pods: a new matching pod with the port fills the placeholder, and it goes', async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'cart-1', namespace: 'team-b', labels: { app: 'cart' } },
      spec: {
        containers: [{ name: 'cart', image: 'ghcr.io/acme/cart:1.0', ports: [{ containerPort: 8080 }] }],
      },
    };
    expect((await call(c(), '/api/v1/namespaces/team-b/pods', { method: 'POST', body: pod })).status).toBe(
      201,
    );
    await c().settle();
    let slices = await slicesOf('team-b', 'cart');
    expect(slices).toHaveLength(1);
    expect(slices[0].ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(slices[0].endpoints.map((e: Json) => e.targetRef.name)).toEqual(['cart-1']);
    const del = await call(c(), '/api/v1/namespaces/team-b/pods/cart-1?gracePeriodSeconds=0', {
      method: 'DELETE',
    });
    expect(del.status).toBe(200);
    await c().settle();
    slices = await slicesOf('team-b', 'cart');
    expect(slices).toHaveLength(1);
    expect(slices[0]).toMatchObject({ endpoints: null, ports: null });
  });
});

const missing = missingBinary(KUBECTL);
describe.skipIf(!!missing)(missing ? `kubectl (skipped: ${missing})` : 'kubectl reads them', () => {
  it('get endpointslices prints <unset> for null ports and endpoints, as kubectl does', async () => {
    const env = new BinaryEnv(sim);
    try {
      const r = await env.kubectl(['get', 'endpointslices', '-n', 'team-b']);
      expect(r.code, r.stderr).toBe(0);
      const rows = parseColumns(r.stdout);
      const cart = rows.find((row) => row.NAME!.startsWith('cart-'))!;
      expect([cart.PORTS, cart.ENDPOINTS]).toEqual(['<unset>', '<unset>']);
      const d = await env.kubectl(['describe', 'ingress', 'checkout', '-n', 'team-b']);
      expect(d.stdout).toMatch(/payments:8080 \(<error: services "payments" not found>\)/);
      expect(d.stdout).toMatch(/checkout-tls terminates checkout\.example\.com/);
    } finally {
      env.cleanup();
    }
  });
});
