import type { KubeObject } from '@cloudmcp/kube';
import type { OcmSim } from 'ocm-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessGrants } from '../src/tools/fleet/manifest-access.js';
import {
  ADDON_NAMESPACE,
  type OcmServer,
  projectedTokens,
  SERVICE_ACCOUNT,
  seen,
  startOcm,
  startSim,
} from './harness.js';

// A model that may only connect with `view` (the operator's allowlist) asks manifestwork_apply to deliver a
// ClusterRoleBinding of cluster-admin to this server's own service account: the work agent, cluster-admin
// on the managed cluster, would apply it, and every later call would run as cluster-admin. This server's own
// access is set by connect_cluster only; a work granting it anything is refused, and a work that grants or
// changes access for anyone else (RBAC, OCM's own objects, which act on other clusters) goes ahead only after
// the user agreed.

const RBAC = 'rbac.authorization.k8s.io';

function binding(name: string, role: string, subjects: Array<Record<string, string>>): KubeObject {
  return {
    apiVersion: `${RBAC}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: { name },
    roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: role },
    subjects,
  };
}
const ourAccount = { kind: 'ServiceAccount', name: SERVICE_ACCOUNT, namespace: ADDON_NAMESPACE };
const everyone = { kind: 'Group', apiGroup: RBAC, name: 'system:authenticated' };
const configMap: KubeObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'plain', namespace: 'default' },
  data: { a: 'b' },
};

describe('what a ManifestWork would grant (accessGrants)', () => {
  it('finds bindings to this server’s service account, by ServiceAccount subject or by user name', () => {
    const found = accessGrants(
      [
        binding('pwn', 'cluster-admin', [ourAccount]),
        {
          apiVersion: `${RBAC}/v1`,
          kind: 'RoleBinding',
          metadata: { name: 'pwn2', namespace: 'kube-system' },
          roleRef: { apiGroup: RBAC, kind: 'Role', name: 'secrets-reader' },
          subjects: [{ kind: 'User', name: `system:serviceaccount:any-ns:${SERVICE_ACCOUNT}` }],
        },
      ],
      SERVICE_ACCOUNT,
    );
    expect(found.toSelf).toEqual([
      'ClusterRoleBinding pwn binds ClusterRole cluster-admin',
      'RoleBinding kube-system/pwn2 binds Role secrets-reader',
    ]);
  });

  it('names every other RBAC object and OCM object as a grant, and nothing else', () => {
    const found = accessGrants(
      [
        configMap,
        binding('everyone-admin', 'cluster-admin', [everyone]),
        { apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name: 'wide' }, rules: [] },
        {
          apiVersion: 'work.open-cluster-management.io/v1',
          kind: 'ManifestWork',
          metadata: { name: 'nested', namespace: 'cluster2' },
          spec: {},
        },
        binding('other-sa', 'edit', [{ kind: 'ServiceAccount', name: 'someone', namespace: 'default' }]),
      ],
      SERVICE_ACCOUNT,
    );
    expect(found.toSelf).toEqual([]);
    expect(found.grants).toEqual([
      'ClusterRoleBinding everyone-admin binds ClusterRole cluster-admin to Group system:authenticated',
      'ClusterRole wide',
      'ManifestWork cluster2/nested (an OCM object: it acts on other clusters)',
      'ClusterRoleBinding other-sa binds ClusterRole edit to ServiceAccount default/someone',
    ]);
  });

  it('takes subjects and roleRef as they come: a malformed binding is still a grant, never a crash', () => {
    const found = accessGrants(
      [{ apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding', metadata: { name: 'odd' }, subjects: 'x' }],
      SERVICE_ACCOUNT,
    );
    expect(found).toEqual({ toSelf: [], grants: ['ClusterRoleBinding odd binds ClusterRole ?'] });
  });
});

let sim: OcmSim;
let server: OcmServer;
const asked: string[] = [];
let answer: 'accept' | 'decline' = 'decline';

const works = (cluster: string) =>
  sim.hub.store.list('work.open-cluster-management.io/v1', 'ManifestWork', cluster).map((w) => {
    const metadata = w['metadata'] as { name: string };
    return metadata.name;
  });

beforeAll(async () => {
  sim = await startSim({ managed: 1 });
  server = await startOcm(sim, { elicit: 'accept' });
  server.server.client.setRequestHandler('elicitation/create', async (request) => {
    asked.push(request.params.message);
    return answer === 'accept' ? { action: 'accept', content: { confirm: true } } : { action: 'decline' };
  });
  await server.ok('connect_cluster', { cluster: 'cluster1' });
});
afterAll(async () => {
  const tokens = projectedTokens(sim);
  await server?.close();
  for (const text of seen) for (const token of tokens) expect(text).not.toContain(token);
  await sim?.close();
});

describe('manifestwork_apply', () => {
  it('refuses a work that binds a role to this server’s own service account, asking no one, saving nothing', async () => {
    asked.length = 0;
    answer = 'accept';
    for (const dryRun of [false, true]) {
      const result = await server.call('manifestwork_apply', {
        cluster: 'cluster1',
        name: 'escalate',
        manifests: [configMap, binding('pwn', 'cluster-admin', [ourAccount])],
        dry_run: dryRun,
      });
      expect(result.isError).toBe(true);
      expect(result.text).toContain(
        `Invalid input \`manifests\`: ClusterRoleBinding pwn binds ClusterRole cluster-admin to this server's own service account (${SERVICE_ACCOUNT})`,
      );
      expect(result.text).toContain('connect_cluster');
    }
    expect(asked).toEqual([]);
    expect(works('cluster1')).not.toContain('escalate');
    const can = await server.ok('can_i', { cluster: 'cluster1', verb: 'delete', resource: 'pods' });
    expect(can.text).toMatch(/^no\b/);
  });

  it('asks before a work that grants access to others, naming the grant; declined, nothing is saved', async () => {
    asked.length = 0;
    answer = 'decline';
    const args = {
      cluster: 'cluster1',
      name: 'open-up',
      manifests: [binding('everyone-admin', 'cluster-admin', [everyone])],
    };
    const declined = await server.call('manifestwork_apply', args);
    expect(declined.isError).toBe(true);
    expect(declined.text).toContain('the user did not confirm');
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain(
      'ManifestWork "open-up" on cluster "cluster1" grants or changes access on the managed cluster: ' +
        'ClusterRoleBinding everyone-admin binds ClusterRole cluster-admin to Group system:authenticated',
    );
    expect(works('cluster1')).not.toContain('open-up');
    answer = 'accept';
    const accepted = await server.ok('manifestwork_apply', { ...args, wait_seconds: 0 });
    expect(accepted.structured).toMatchObject({ action: 'created' });
    expect(works('cluster1')).toContain('open-up');
  });

  it('asks before a work carrying an OCM object (a ManifestWork in a ManifestWork)', async () => {
    asked.length = 0;
    answer = 'decline';
    const nested = {
      apiVersion: 'work.open-cluster-management.io/v1',
      kind: 'ManifestWork',
      metadata: { name: 'inner', namespace: 'cluster2' },
      spec: { workload: { manifests: [configMap] } },
    };
    const result = await server.call('manifestwork_apply', {
      cluster: 'cluster1',
      name: 'nested',
      manifests: [nested],
    });
    expect(result.isError).toBe(true);
    expect(asked[0]).toContain('ManifestWork cluster2/inner (an OCM object: it acts on other clusters)');
    expect(works('cluster1')).not.toContain('nested');
  });

  it('asks nothing for plain workloads, nor for a dry run', async () => {
    asked.length = 0;
    await server.ok('manifestwork_apply', {
      cluster: 'cluster1',
      name: 'plain',
      manifests: [configMap],
      wait_seconds: 0,
    });
    await server.ok('manifestwork_apply', {
      cluster: 'cluster1',
      name: 'dry',
      manifests: [binding('everyone-view', 'view', [everyone])],
      dry_run: true,
    });
    expect(asked).toEqual([]);
  });

  it('leaves this server’s own access work to connect_cluster and disconnect_cluster', async () => {
    asked.length = 0;
    answer = 'accept';
    const apply = await server.call('manifestwork_apply', {
      cluster: 'cluster1',
      name: `${SERVICE_ACCOUNT}-rbac`,
      manifests: [configMap],
    });
    expect(apply.isError).toBe(true);
    expect(apply.text).toContain(
      `ManifestWork cluster1/${SERVICE_ACCOUNT}-rbac is this server's own access to the cluster`,
    );
    const remove = await server.call('manifestwork_delete', {
      cluster: 'cluster1',
      name: `${SERVICE_ACCOUNT}-rbac`,
    });
    expect(remove.isError).toBe(true);
    expect(remove.text).toContain('disconnect_cluster');
    expect(asked).toEqual([]);
    expect(works('cluster1')).toContain(`${SERVICE_ACCOUNT}-rbac`);
  });
});

describe('--read-only and --disable-destructive', () => {
  it('offer no manifestwork_apply or manifestwork_delete', async () => {
    for (const flag of ['--read-only', '--disable-destructive']) {
      const limited = await startOcm(sim, { args: [flag] });
      try {
        const { tools } = await limited.server.client.listTools();
        const names = tools.map((t) => t.name);
        expect(names).toContain('manifestwork_list');
        expect(names).not.toContain('manifestwork_apply');
        expect(names).not.toContain('manifestwork_delete');
      } finally {
        await limited.close();
      }
    }
  });
});
