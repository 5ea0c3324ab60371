import type { OcmSim } from 'ocm-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OcmServer, projectedTokens, SERVICE_ACCOUNT, seen, startOcm, startSim } from './harness.js';

// Another tool (or a person) on the same hub already uses the names this server connects with: a
// ManagedServiceAccount `cloudmcp-ocm`, a ManifestWork `cloudmcp-ocm-rbac`. This server must neither take
// them over (server-side apply with force would) nor delete them on disconnect: it touches only the access
// objects it made, which carry its label.

const MSA = ['authentication.open-cluster-management.io/v1beta1', 'ManagedServiceAccount'] as const;
const WORK = ['work.open-cluster-management.io/v1', 'ManifestWork'] as const;
const WORK_NAME = `${SERVICE_ACCOUNT}-rbac`;

let sim: OcmSim;
let server: OcmServer;

/** Someone else's ManagedServiceAccount of our name in `cluster`'s namespace. */
function plantForeignMsa(cluster: string) {
  return sim.hub.store.put({
    apiVersion: MSA[0],
    kind: MSA[1],
    metadata: {
      name: SERVICE_ACCOUNT,
      namespace: cluster,
      labels: { 'app.kubernetes.io/managed-by': 'gitops' },
    },
    spec: { rotation: { enabled: true, validity: '720h0m0s' } },
  });
}

/** Someone else's ManifestWork of our work's name, binding `edit` to their own service account. */
function plantForeignWork(cluster: string) {
  return sim.hub.store.put({
    apiVersion: WORK[0],
    kind: WORK[1],
    metadata: { name: WORK_NAME, namespace: cluster },
    spec: {
      workload: {
        manifests: [
          {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'ClusterRoleBinding',
            metadata: { name: 'their-binding' },
            roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
            subjects: [{ kind: 'ServiceAccount', name: 'theirs', namespace: 'default' }],
          },
        ],
      },
    },
  });
}

const spec = (object: Record<string, unknown> | undefined) => JSON.stringify(object?.['spec']);

beforeAll(async () => {
  sim = await startSim();
  server = await startOcm(sim);
});
afterAll(async () => {
  const tokens = projectedTokens(sim);
  await server?.close();
  for (const text of seen) for (const token of tokens) expect(text).not.toContain(token);
  await sim?.close();
});

describe('a ManagedServiceAccount of our name that another tool made', () => {
  it('is not taken over: connect fails at step 3 naming it and --service-account, and it is unchanged', async () => {
    const before = plantForeignMsa('cluster1');
    const result = await server.call('connect_cluster', { cluster: 'cluster1' });
    expect(result.isError).toBe(true);
    expect(result.text).toContain(
      `connect_cluster cluster1: step 3/6 (service account) failed: ManagedServiceAccount cluster1/${SERVICE_ACCOUNT} ` +
        'was not made by this server (it lacks the label app.kubernetes.io/managed-by=cloudmcp-ocm)',
    );
    expect(result.text).toContain('--service-account (OCM_SERVICE_ACCOUNT)');
    const after = sim.hub.store.get(...MSA, 'cluster1', SERVICE_ACCOUNT);
    expect(spec(after)).toBe(spec(before));
    expect(after?.['metadata']).toMatchObject({ labels: { 'app.kubernetes.io/managed-by': 'gitops' } });
    // nothing of ours was applied either: no binding work
    expect(sim.hub.store.get(...WORK, 'cluster1', WORK_NAME)).toBeUndefined();
  });

  it('is left alone by disconnect_cluster, which says so', async () => {
    const result = await server.ok('disconnect_cluster', { cluster: 'cluster1' });
    expect(result.structured).toMatchObject({ managed_service_account: 'not ours', manifest_work: 'absent' });
    expect(result.text).toContain(
      `ManagedServiceAccount cluster1/${SERVICE_ACCOUNT} is not this server's: left alone`,
    );
    expect(sim.hub.store.get(...MSA, 'cluster1', SERVICE_ACCOUNT)).toBeDefined();
    sim.hub.store.delete(...MSA, 'cluster1', SERVICE_ACCOUNT);
  });
});

describe('a ManifestWork of our binding work’s name that another tool made', () => {
  it('is not replaced: connect fails at step 4 naming it, before applying anything', async () => {
    const before = plantForeignWork('cluster2');
    const result = await server.call('connect_cluster', { cluster: 'cluster2' });
    expect(result.isError).toBe(true);
    expect(result.text).toContain(
      `connect_cluster cluster2: step 4/6 (role binding) failed: ManifestWork cluster2/${WORK_NAME} was not made ` +
        'by this server',
    );
    expect(spec(sim.hub.store.get(...WORK, 'cluster2', WORK_NAME))).toBe(spec(before));
    expect(sim.hub.store.get(...MSA, 'cluster2', SERVICE_ACCOUNT)).toBeUndefined();
  });

  it('is not deleted by disconnect_cluster', async () => {
    const result = await server.ok('disconnect_cluster', { cluster: 'cluster2' });
    expect(result.structured).toMatchObject({ managed_service_account: 'absent', manifest_work: 'not ours' });
    expect(sim.hub.store.get(...WORK, 'cluster2', WORK_NAME)).toBeDefined();
    sim.hub.store.delete(...WORK, 'cluster2', WORK_NAME);
  });
});

describe('objects this server made', () => {
  it('are connected with again and removed on disconnect (their label says they are ours)', async () => {
    await server.ok('connect_cluster', { cluster: 'cluster3' });
    // a second connect (the objects exist now, labelled) resumes instead of refusing
    await server.ok('connect_cluster', { cluster: 'cluster3' });
    const result = await server.ok('disconnect_cluster', { cluster: 'cluster3' });
    expect(result.structured).toMatchObject({ managed_service_account: 'deleted', manifest_work: 'deleted' });
    expect(sim.hub.store.get(...MSA, 'cluster3', SERVICE_ACCOUNT)).toBeUndefined();
  });
});
