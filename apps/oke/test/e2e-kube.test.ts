import type { OciSim } from 'oci-sim';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  clusterNamed,
  compartmentNamed,
  countOps,
  items,
  type OkeServer,
  startOke,
  startSim,
} from './harness.js';

// The Kubernetes tools on OKE clusters reached through CreateKubeconfig and in-process cluster tokens:
// by name and by OCID, `*` over the clusters seen, two clusters at once, and one presign per cluster.

let sim: OciSim;
let server: OkeServer;

beforeAll(async () => {
  sim = await startSim();
  server = await startOke(sim);
});
afterAll(async () => {
  await server?.close();
  await sim?.close();
});

/** The kube-sim node names of a cluster (`sim-1-…`, `sim-2-…`): what tells the clusters' data apart. */
const nodePrefix = (name: string) => `sim-${sim.clusters.findIndex((c) => c.name === name) + 1}-`;

it('answers the kube tools on a cluster by name and by OCID alike', async () => {
  const prod = clusterNamed(sim, 'oke-prod');
  const byName = items(await server.ok('namespace_list', { cluster: 'oke-prod' }));
  const byId = items(await server.ok('namespace_list', { cluster: prod.id }));
  expect(byName.map((n) => n['name'])).toEqual(expect.arrayContaining(['default', 'kube-system', 'team-a']));
  expect(byId.map((n) => n['name'])).toEqual(byName.map((n) => n['name']));

  const pods = items(await server.ok('pod_list', { cluster: 'oke-prod', namespace: 'kube-system' }));
  expect(pods.length).toBeGreaterThan(0);
  expect(pods.every((p) => String(p['node']).startsWith(nodePrefix('oke-prod')))).toBe(true);
  const coredns = pods.find((p) => String(p['name']).startsWith('coredns-'))!;

  const logs = await server.ok('pod_logs', {
    cluster: prod.id,
    namespace: 'kube-system',
    name: coredns['name'],
  });
  expect(logs.text.length).toBeGreaterThan(0);
  expect(logs.text).not.toContain('Error');

  const events = items(await server.ok('event_list', { cluster: 'oke-prod' }));
  expect(events.map((e) => e['reason'])).toContain('BackOff');

  const ns = await server.ok('resource_get', { cluster: prod.id, kind: 'namespace', name: 'team-a' });
  expect(ns.text).toContain('name: team-a');
});

it('fans `*` out over the clusters cluster_list has shown, and keeps two clusters apart', async () => {
  const prod = clusterNamed(sim, 'oke-prod');
  const dev = clusterNamed(sim, 'oke-dev');
  await server.ok('cluster_list');
  await server.ok('cluster_list', { compartment: compartmentNamed(sim, 'development') });

  // A scan tool on `*` asks every cluster seen and says each row's cluster (and none is unreachable).
  const all = await server.ok('pods_not_ready', { cluster: '*' });
  expect(all.structured?.['unreachable']).toBeUndefined();
  const rows = items(all);
  expect(new Set(rows.map((r) => r['cluster']))).toEqual(new Set(['oke-prod', 'oke-dev']));
  for (const row of rows) {
    if (row['node']) expect(String(row['node']).startsWith(nodePrefix(String(row['cluster'])))).toBe(true);
  }

  // Many calls on both clusters at once: each answers its own cluster's nodes, never the other's.
  const nodeNames = async (id: string) =>
    items(await server.ok('node_list', { cluster: id })).map((n) => String(n['name']));
  const alone = { [prod.id]: await nodeNames(prod.id), [dev.id]: await nodeNames(dev.id) };
  expect(alone[prod.id]).toContain(`${nodePrefix('oke-prod')}control-plane`);
  expect(alone[dev.id]).toContain(`${nodePrefix('oke-dev')}control-plane`);
  const calls = Array.from({ length: 8 }, (_, i) => (i % 2 ? dev : prod).id);
  const together = await Promise.all(calls.map(nodeNames));
  for (const [i, names] of together.entries()) expect(names).toEqual(alone[calls[i]!]);

  // One cluster token per cluster for all of it: each kube-sim saw one, and the server says it signed two.
  expect(sim.clusterTokenChecks.get(prod.id)).toBe(1);
  expect(sim.clusterTokenChecks.get(dev.id)).toBe(1);
  const env = await server.ok('environment_get');
  expect(env.structured?.['cluster_tokens_signed']).toBe(2);
});

it('concurrent first calls naming one cluster OCID share one GetCluster and one CreateKubeconfig', async () => {
  const fresh = await startOke(sim);
  try {
    const prod = clusterNamed(sim, 'oke-prod');
    const [gets, kubeconfigs] = [countOps(sim, 'GetCluster'), countOps(sim, 'CreateKubeconfig')];
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => fresh.ok('namespace_list', { cluster: prod.id })),
    );
    expect(answers.every((a) => items(a).some((n) => n['name'] === 'kube-system'))).toBe(true);
    expect(countOps(sim, 'GetCluster')).toBe(gets + 1);
    expect(countOps(sim, 'CreateKubeconfig')).toBe(kubeconfigs + 1);
  } finally {
    await fresh.close();
  }
});

it('names a cluster in Kubernetes errors as calls name it, not as a kubeconfig context', async () => {
  const reader = await startOke(sim, { user: 'reader' });
  try {
    const prod = clusterNamed(sim, 'oke-prod');
    for (const cluster of ['oke-prod', prod.id]) {
      const refused = await reader.call('node_list', { cluster });
      expect(refused.isError).toBe(true);
      expect(refused.text).toContain('may not list nodes on cluster "oke-prod"');
      expect(refused.text).not.toContain('context');
    }
  } finally {
    await reader.close();
  }
});
