import type { OcmSim } from 'ocm-sim';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { items, type OcmServer, projectedTokens, seen, startOcm, startSim } from './harness.js';

// One question across the fleet: `*` (the hub and every connected cluster) and label selectors over the
// managed clusters, with per-cluster partial failures — a match not connected, a cluster gone mid-scan.

let sim: OcmSim;
let server: OcmServer;

beforeAll(async () => {
  sim = await startSim({
    managed: [
      { name: 'cluster1', labels: { env: 'prod', region: 'eu' } },
      { name: 'cluster2', labels: { env: 'prod', region: 'us' } },
      { name: 'cluster3', labels: { env: 'dev', region: 'eu' } },
    ],
  });
  server = await startOcm(sim);
  await server.ok('connect_cluster', { cluster: 'cluster1' });
  await server.ok('connect_cluster', { cluster: 'cluster2' });
});
afterAll(async () => {
  const tokens = projectedTokens(sim);
  await server?.close();
  for (const text of seen) for (const token of tokens) expect(text).not.toContain(token);
  await sim?.close();
});

interface Row {
  cluster: string;
  namespace: string;
  name: string;
}
const clustersOf = (rows: Row[]) => [...new Set(rows.map((r) => r.cluster))].sort();

it('`*` asks the hub and every connected cluster, each row naming its cluster', async () => {
  const result = await server.ok('pods_not_ready', { cluster: '*' });
  expect(result.structured?.['unreachable']).toBeUndefined();
  const rows = items<Row>(result);
  // the seeded checkout pod fails its readiness probe on every managed cluster; the hub runs no workloads
  expect(clustersOf(rows)).toEqual(['cluster1', 'cluster2']);
  expect(rows.every((r) => r.namespace === 'team-b' || r.namespace === 'team-a')).toBe(true);
  expect(result.text).toMatch(/^CLUSTER\s/m);
});

it('a label selector asks the matching clusters; a match that is not connected is unreachable, not connected', async () => {
  const before = sim.hub.store.list(
    'authentication.open-cluster-management.io/v1beta1',
    'ManagedServiceAccount',
    'cluster3',
  );
  const eu = await server.ok('pods_not_ready', { cluster: 'region=eu' });
  expect(clustersOf(items<Row>(eu))).toEqual(['cluster1']);
  expect(eu.structured?.['unreachable']).toEqual([
    { cluster: 'cluster3', error: 'not connected; connect_cluster first' },
  ]);
  expect(eu.text).toContain('cluster cluster3 did not answer: not connected; connect_cluster first');
  // the fan-out connected nobody
  expect(
    sim.hub.store.list(
      'authentication.open-cluster-management.io/v1beta1',
      'ManagedServiceAccount',
      'cluster3',
    ),
  ).toEqual(before);

  const prod = await server.ok('pods_crashlooping', { cluster: 'env=prod,region in (eu,us)' });
  expect(clustersOf(items<Row>(prod))).toEqual(['cluster1', 'cluster2']);
  expect(prod.structured?.['unreachable']).toBeUndefined();
});

it('connect_cluster takes a selector too: one row per cluster, already connected ones again at once', async () => {
  const result = await server.withProgress('connect_cluster', { cluster: 'region=eu' });
  expect(items(result)).toEqual([
    expect.objectContaining({ cluster: 'cluster1', outcome: 'connected', role: 'view' }),
    expect.objectContaining({ cluster: 'cluster3', outcome: 'connected', role: 'view' }),
  ]);
  expect(result.structured).toMatchObject({ connected: 2, failed: 0 });
  expect(result.progress.map((p) => p.progress)).toEqual([1, 2]);
  const eu = await server.ok('pods_not_ready', { cluster: 'region=eu' });
  expect(clustersOf(items<Row>(eu))).toEqual(['cluster1', 'cluster3']);
  expect(eu.structured?.['unreachable']).toBeUndefined();
  await server.ok('disconnect_cluster', { cluster: 'cluster3' });
});

it('a selector that matches nothing, or does not parse, says so', async () => {
  const none = await server.call('pods_not_ready', { cluster: 'env=staging' });
  expect(none.isError).toBe(true);
  expect(none.text).toContain('No managed cluster matches the label selector `env=staging`');
  const bad = await server.call('pods_not_ready', { cluster: 'env in (prod' });
  expect(bad.isError).toBe(true);
  expect(bad.text).toMatch(/Invalid input `cluster`: not a label selector: its parentheses do not match/);
  // a tool that is not a scan takes one cluster, never a selector
  const one = await server.call('pod_list', { cluster: 'env=prod' });
  expect(one.isError).toBe(true);
  expect(one.text).toMatch(/Invalid input `cluster`: a label selector names several clusters/);
});

it('a cluster that goes down mid-session is unreachable in `*`, and the others still answer', async () => {
  await sim.setAvailable('cluster2', false);
  try {
    const result = await server.ok('pods_not_ready', { cluster: '*' });
    expect(clustersOf(items<Row>(result))).toEqual(['cluster1']);
    const unreachable = result.structured?.['unreachable'] as Array<{ cluster: string; error: string }>;
    expect(unreachable.map((u) => u.cluster)).toEqual(['cluster2']);
    expect(unreachable[0]!.error).toMatch(/Could not reach the API server of cluster "cluster2"/);
    // and `clusters` shows what the hub sees
    await sim.settle();
    const rows = items<Record<string, unknown>>(await server.ok('clusters'));
    expect(rows.find((r) => r['name'] === 'cluster2')?.['available']).toBe('Unknown');
  } finally {
    await sim.setAvailable('cluster2', true);
  }
});
