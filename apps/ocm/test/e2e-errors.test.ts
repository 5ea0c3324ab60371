import type { OcmSim } from 'ocm-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { items, type OcmServer, projectedTokens, seen, startOcm, startSim } from './harness.js';

// What goes wrong, said as a model can act on it: the failing step and its fix (an add-on not enabled, a
// cluster the hub has not accepted), a role the operator does not allow, arguments that are not names or
// selectors, and a read-only server, which binds `view` and offers no tool that changes a workload.

let sim: OcmSim;
const servers: OcmServer[] = [];

async function start(args: string[] = []): Promise<OcmServer> {
  const server = await startOcm(sim, { args });
  servers.push(server);
  return server;
}

beforeAll(async () => {
  sim = await startSim({
    managed: [{ name: 'cluster1' }, { name: 'no-addon', addons: [] }, { name: 'pending', accepted: false }],
  });
});
afterAll(async () => {
  const tokens = projectedTokens(sim);
  for (const server of servers) await server.close();
  for (const text of seen) for (const token of tokens) expect(text).not.toContain(token);
  await sim?.close();
});

describe('a step that fails', () => {
  it('names the add-on step and how a hub admin enables it, and creates nothing', async () => {
    const server = await start();
    const result = await server.call('connect_cluster', { cluster: 'no-addon' });
    expect(result.isError).toBe(true);
    expect(result.text).toContain(
      'connect_cluster no-addon: step 2/6 (add-on) failed: the managed-serviceaccount add-on is not enabled on it',
    );
    expect(result.text).toContain(
      'clusteradm addon enable --names managed-serviceaccount --clusters no-addon',
    );
    expect(
      sim.hub.store.list(
        'authentication.open-cluster-management.io/v1beta1',
        'ManagedServiceAccount',
        'no-addon',
      ),
    ).toEqual([]);
    // a tool naming it connects on first use, and fails the same way
    const pods = await server.call('pod_list', { cluster: 'no-addon' });
    expect(pods.isError).toBe(true);
    expect(pods.text).toContain('step 2/6 (add-on) failed');
  });

  it('names the cluster step for a cluster the hub has not accepted, and one it does not know', async () => {
    const server = await start();
    const pending = await server.call('connect_cluster', { cluster: 'pending' });
    expect(pending.isError).toBe(true);
    expect(pending.text).toMatch(/step 1\/6 \(cluster\) failed: the hub has not accepted it/);
    expect(pending.text).toContain('clusteradm accept --clusters pending');
    const unknown = await server.call('connect_cluster', { cluster: 'nosuch' });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toMatch(
      /step 1\/6 \(cluster\) failed: the hub has no ManagedCluster named "nosuch"/,
    );
  });
});

describe('roles', () => {
  it('a role not on the allowlist is refused before anything is applied, the allowlist named', async () => {
    const server = await start();
    const result = await server.call('connect_cluster', {
      cluster: 'cluster1',
      cluster_role: 'cluster-admin',
    });
    expect(result.isError).toBe(true);
    expect(result.text).toContain(
      'Invalid input `cluster_role`: ClusterRole "cluster-admin" is not one this server may bind; allowed: view.',
    );
    expect(result.text).toContain('--allowed-roles (OCM_ALLOWED_ROLES)');
    const hub = sim.hub.store;
    expect(
      hub.get('work.open-cluster-management.io/v1', 'ManifestWork', 'cluster1', 'cloudmcp-ocm-rbac'),
    ).toBeUndefined();
    expect(
      hub.get(
        'authentication.open-cluster-management.io/v1beta1',
        'ManagedServiceAccount',
        'cluster1',
        'cloudmcp-ocm',
      ),
    ).toBeUndefined();
  });

  it('an allowed role change rebinds: the work holds the new binding only', async () => {
    const server = await start(['--allowed-roles', 'view,edit']);
    await server.ok('connect_cluster', { cluster: 'cluster1' });
    const edit = await server.ok('connect_cluster', { cluster: 'cluster1', cluster_role: 'edit' });
    expect(items(edit)[0]).toMatchObject({ role: 'edit', outcome: 'connected' });
    await sim.settle();
    const bindings = sim.managed[0]!.cluster.store.list('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding')
      .map((b) => (b['metadata'] as { name: string }).name)
      .filter((name) => name.startsWith('cloudmcp-ocm-'));
    expect(bindings).toEqual(['cloudmcp-ocm-edit']);
    await server.ok('disconnect_cluster', { cluster: 'cluster1' });
  });
});

describe('bad input', () => {
  let server: OcmServer;
  beforeAll(async () => {
    server = await start();
  });

  it.each([
    ['pod_list', { cluster: 'Cluster_1' }, /Invalid input `cluster`: "Cluster_1" is not a cluster name/],
    ['pod_list', { cluster: '../hub' }, /Invalid input `cluster`: "..\/hub" is not a cluster name/],
    ['kubectl', { cluster: 'a b', command: 'get pods' }, /Invalid input `cluster`/],
    ['connect_cluster', { cluster: 'env in (a' }, /Invalid input `cluster`: not a label selector/],
    [
      'connect_cluster',
      { cluster: 'hub' },
      /Invalid input `cluster`: the hub is reached with this server's own kubeconfig/,
    ],
    [
      'disconnect_cluster',
      { cluster: 'env=prod' },
      /Invalid input `cluster`: a label selector names several clusters/,
    ],
    ['clusters', { label_selector: 'env=,' }, /Invalid input `label_selector`: not a label selector/],
    ['kubectl', { cluster: 'hub' }, /Invalid input `command`: give either `command` or `yaml`/],
  ])('%s %j is refused, naming the field', async (tool, args, problem) => {
    const result = await server.call(tool, args);
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(problem);
  });
});

describe('--read-only', () => {
  it('offers the reading tools and connect/disconnect, binds `view`, and refuses any other role', async () => {
    const server = await start(['--read-only', '--allowed-roles', 'view,edit', '--default-role', 'edit']);
    const { tools } = await server.server.client.listTools();
    const names = tools.map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining(['clusters', 'connect_cluster', 'disconnect_cluster', 'pod_list', 'kubectl']),
    );
    for (const gone of [
      'resource_apply',
      'resource_delete',
      'pod_delete',
      'deployment_scale',
      'manifestwork_apply',
    ]) {
      expect(names).not.toContain(gone);
    }
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);

    const edit = await server.call('connect_cluster', { cluster: 'cluster1', cluster_role: 'edit' });
    expect(edit.isError).toBe(true);
    expect(edit.text).toContain('allowed: view.');
    // first use binds view, whatever --default-role says
    await server.ok('namespace_list', { cluster: 'cluster1' });
    const rows = items<Record<string, unknown>>(await server.ok('clusters'));
    expect(rows.find((r) => r['name'] === 'cluster1')?.['connected']).toBe('view');
    await server.ok('disconnect_cluster', { cluster: 'cluster1' });
  });
});
