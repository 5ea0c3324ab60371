import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type KubeSim, startKubeSim } from 'kube-sim';
import { runBin } from 'mcp-test-kit';
import type { OcmSim } from 'ocm-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, items, type OcmServer, startOcm, startSim, tempDir } from './harness.js';

// A new user points the server at the wrong thing: no kubeconfig at all, a plain cluster that is no OCM hub,
// a hub whose managed-serviceaccount add-on is not installed, or a hub user with Kubernetes' `view` role,
// which does not cover OCM's APIs. Each must say what is wrong in those words, not as a bare 404 or as "no
// ManagedCluster named …".

const MSA_CRD = 'managedserviceaccounts.authentication.open-cluster-management.io';

describe('no kubeconfig', () => {
  it('exits with status 2 and one line naming --kubeconfig (KUBECONFIG)', async () => {
    const home = tempDir('ocm-nohome-');
    const result = await runBin(CLI, [], { HOME: home });
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('--kubeconfig (KUBECONFIG): no kubeconfig');
    expect(lines[0]).toContain(join(home, '.kube', 'config'));
  });
});

describe('a cluster that is not an OCM hub', () => {
  let plain: KubeSim;
  let server: OcmServer;

  beforeAll(async () => {
    plain = await startKubeSim({ names: ['plain'] });
    const kubeconfig = join(tempDir('ocm-plain-'), 'kubeconfig.yaml');
    writeFileSync(kubeconfig, plain.kubeconfig(), { mode: 0o600 });
    server = await startOcm(undefined, { kubeconfig });
  });
  afterAll(async () => {
    await server?.close();
    await plain?.close();
  });

  it('`clusters` says so, naming the context', async () => {
    const result = await server.call('clusters');
    expect(result.isError).toBe(true);
    expect(result.text).toContain(
      'The hub (context "plain") does not serve ManagedCluster (cluster.open-cluster-management.io/v1): it is ' +
        'not an Open Cluster Management hub',
    );
    expect(result.text).toContain('--kubeconfig / KUBECONFIG, --context');
  });

  it('connecting fails at step 1 saying so, not "no ManagedCluster named"', async () => {
    for (const [tool, args] of [
      ['connect_cluster', { cluster: 'cluster1' }],
      ['pod_list', { cluster: 'cluster1' }],
    ] as const) {
      const result = await server.call(tool, args);
      expect(result.isError, tool).toBe(true);
      expect(result.text, tool).toContain(
        'connect_cluster cluster1: step 1/6 (cluster) failed: the hub (context "plain") does not serve ManagedCluster ' +
          '(cluster.open-cluster-management.io/v1): it is not an Open Cluster Management hub',
      );
      expect(result.text, tool).not.toContain('no ManagedCluster named');
    }
  });
});

describe('an OCM hub', () => {
  let sim: OcmSim;

  beforeAll(async () => {
    sim = await startSim({ managed: 1 });
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('reached as a user with `view` only: `clusters` and connect say which OCM access is missing', async () => {
    const server = await startOcm(sim, { user: 'view' });
    try {
      const list = await server.call('clusters');
      expect(list.isError).toBe(true);
      expect(list.text).toContain('Forbidden: your credentials may not list managedclusters on the hub');
      expect(list.text).toContain("Kubernetes' view and edit roles do not cover OCM's APIs");
      expect(list.text).not.toContain('Check that the kubeconfig points at the hub');
      const connect = await server.call('connect_cluster', { cluster: 'cluster1' });
      expect(connect.isError).toBe(true);
      expect(connect.text).toContain(
        'connect_cluster cluster1: step 1/6 (cluster) failed: Forbidden: your credentials may not get managedclusters',
      );
      expect(connect.text).toContain('README');
    } finally {
      await server.close();
    }
  });

  it('a cluster whose agent writes a thousand claims and a 100 KB URL is read within bounds', async () => {
    const claims = Array.from({ length: 1000 }, (_, i) => ({
      name: `c${i}.example.com`,
      value: 'v'.repeat(1024),
    }));
    sim.hub.store.put({
      apiVersion: 'cluster.open-cluster-management.io/v1',
      kind: 'ManagedCluster',
      metadata: { name: 'bloated' },
      spec: {
        hubAcceptsClient: false,
        managedClusterClientConfigs: [{ url: `https://bloated.example.com/${'x'.repeat(100_000)}` }],
      },
      status: { clusterClaims: claims, version: { kubernetes: `v1.${'9'.repeat(10_000)}` } },
    });
    // --output json: the text carries the whole items (structuredContent is the table, cells cut at 60)
    const server = await startOcm(sim, { args: ['--output', 'json'] });
    try {
      const result = await server.ok('clusters');
      const listed = JSON.parse(result.text.slice(0, result.text.lastIndexOf(']') + 1)) as Array<
        Record<string, unknown>
      >;
      const row = listed.find((r) => r['name'] === 'bloated')!;
      expect(items(result).find((r) => r['name'] === 'bloated')!['url']).toMatch(
        /^https:\/\/bloated\.example\.com\/x+…$/,
      );
      expect(Object.keys(row['claims'] as object)).toHaveLength(50);
      expect(row['claims_omitted']).toBe(950);
      expect((row['url'] as string).length).toBe(2048);
      expect((row['kubernetes'] as string).length).toBe(64);
      expect(JSON.stringify(result.structured).length).toBeLessThan(100_000);
    } finally {
      await server.close();
      sim.hub.store.delete('cluster.open-cluster-management.io/v1', 'ManagedCluster', undefined, 'bloated');
    }
  });

  it('a role off the allowlist by case, space or an invisible character is refused before anything is applied', async () => {
    const server = await startOcm(sim, { args: ['--allowed-roles', 'view,edit'] });
    try {
      for (const role of ['View', ' view', 'edit ', 'edit\u200b', 'cluster-admin', 'admin']) {
        const result = await server.call('connect_cluster', { cluster: 'cluster1', cluster_role: role });
        expect(result.isError, role).toBe(true);
        expect(result.text, role).toContain('Invalid input `cluster_role`');
        expect(result.text, role).toContain('allowed: view, edit');
      }
      expect(
        sim.hub.store.list(
          'authentication.open-cluster-management.io/v1beta1',
          'ManagedServiceAccount',
          'cluster1',
        ),
      ).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('a selector matching more than 50 clusters connects none, and says to narrow it', async () => {
    const names = Array.from({ length: 51 }, (_, i) => `crowd-${i}`);
    for (const name of names) {
      sim.hub.store.put({
        apiVersion: 'cluster.open-cluster-management.io/v1',
        kind: 'ManagedCluster',
        metadata: { name, labels: { crowd: 'yes' } },
        spec: { hubAcceptsClient: false },
      });
    }
    const server = await startOcm(sim);
    try {
      const result = await server.call('connect_cluster', { cluster: 'crowd=yes' });
      expect(result.isError).toBe(true);
      expect(result.text).toContain('The selector matches 51 clusters; one call connects at most 50.');
      expect(
        sim.hub.store.list('authentication.open-cluster-management.io/v1beta1', 'ManagedServiceAccount'),
      ).toEqual([]);
    } finally {
      await server.close();
      for (const name of names) {
        sim.hub.store.delete('cluster.open-cluster-management.io/v1', 'ManagedCluster', undefined, name);
      }
    }
  });

  it('without the managed-serviceaccount add-on installed: step 3 says the hub lacks it', async () => {
    const server = await startOcm(sim);
    try {
      expect(
        sim.hub.store.delete('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, MSA_CRD),
      ).toBe(true);
      const result = await server.call('connect_cluster', { cluster: 'cluster1' });
      expect(result.isError).toBe(true);
      expect(result.text).toContain(
        'connect_cluster cluster1: step 3/6 (service account) failed: the hub (context "hub") does not serve ManagedServiceAccount ' +
          '(authentication.open-cluster-management.io/v1beta1): the managed-serviceaccount add-on is not installed on the hub',
      );
    } finally {
      await server.close();
    }
  });
});
