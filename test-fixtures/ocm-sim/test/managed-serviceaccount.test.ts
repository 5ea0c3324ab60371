import { AuthenticationV1Api, CoreV1Api, type CustomObjectsApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OcmSim, startOcmSim } from '../src/index.js';
import { adminKubeconfig, condition, hubClients, type Json, statusOf, tokenKubeconfig } from './helpers.js';

const MSA = {
  group: 'authentication.open-cluster-management.io',
  version: 'v1beta1',
  plural: 'managedserviceaccounts',
};
const MCA = {
  group: 'addon.open-cluster-management.io',
  version: 'v1alpha1',
  plural: 'managedclusteraddons',
};
const MW = { group: 'work.open-cluster-management.io', version: 'v1', plural: 'manifestworks' };
const MC = { group: 'cluster.open-cluster-management.io', version: 'v1', plural: 'managedclusters' };
const SA_NS = 'open-cluster-management-agent-addon';

describe('managed-serviceaccount add-on', () => {
  let sim: OcmSim;
  let hub: CustomObjectsApi;
  let hubCore: CoreV1Api;

  beforeAll(async () => {
    sim = await startOcmSim({ managed: [{ name: 'cluster1' }, { name: 'cluster2', addons: [] }] });
    ({ custom: hub, core: hubCore } = hubClients(sim));
  });
  afterAll(() => sim?.close());

  /** What a hub client does to reach a managed cluster: URL from the ManagedCluster, CA and token from the Secret. */
  async function managedAs(cluster: string, secretName: string) {
    const mc: Json = await hub.getClusterCustomObject({ ...MC, name: cluster });
    const secret = await hubCore.readNamespacedSecret({ name: secretName, namespace: cluster });
    const token = Buffer.from(secret.data!.token!, 'base64').toString();
    const ca = Buffer.from(secret.data!['ca.crt']!, 'base64').toString();
    const kc = tokenKubeconfig(mc.spec.managedClusterClientConfigs[0].url, ca, token);
    return { token, core: kc.makeApiClient(CoreV1Api), auth: kc.makeApiClient(AuthenticationV1Api) };
  }

  it('is installed and available where the options enable it, and absent elsewhere', async () => {
    const mca: Json = await hub.getNamespacedCustomObject({
      ...MCA,
      namespace: 'cluster1',
      name: 'managed-serviceaccount',
    });
    expect(mca.status.namespace).toBe(SA_NS);
    expect(condition(mca, 'Available')).toMatchObject({
      status: 'True',
      reason: 'ManagedClusterAddOnLeaseUpdated',
      message: 'managed-serviceaccount add-on is available.',
    });
    expect(condition(mca, 'RegistrationApplied')).toMatchObject({
      status: 'True',
      reason: 'SetPermissionApplied',
    });
    expect(condition(mca, 'ManifestApplied')).toMatchObject({
      status: 'True',
      reason: 'AddonManifestApplied',
    });
    expect(condition(mca, 'Progressing')).toMatchObject({ status: 'False', reason: 'Completed' });
    const c1: Json = await hub.getClusterCustomObject({ ...MC, name: 'cluster1' });
    expect(c1.metadata.labels['feature.open-cluster-management.io/addon-managed-serviceaccount']).toBe(
      'available',
    );
    // deployed as the add-on framework does: a ManifestWork the work agent applied
    const deploy: Json = await hub.getNamespacedCustomObject({
      ...MW,
      namespace: 'cluster1',
      name: 'addon-managed-serviceaccount-deploy-0',
    });
    expect(condition(deploy, 'Applied').status).toBe('True');
    const pods = await adminKubeconfig(sim.managed[0]!.cluster)
      .makeApiClient(CoreV1Api)
      .listNamespacedPod({ namespace: SA_NS });
    expect(pods.items.map((p) => p.status?.phase)).toEqual(['Running']);

    const none: Json = await hub.listNamespacedCustomObject({ ...MCA, namespace: 'cluster2' });
    expect(none.items).toEqual([]);
    const c2: Json = await hub.getClusterCustomObject({ ...MC, name: 'cluster2' });
    expect(Object.keys(c2.metadata.labels).filter((k) => k.startsWith('feature.'))).toEqual([]);
  });

  it('projects a ManagedServiceAccount into a token Secret on the hub, with status', async () => {
    await hub.createNamespacedCustomObject({
      ...MSA,
      namespace: 'cluster1',
      body: {
        apiVersion: 'authentication.open-cluster-management.io/v1beta1',
        kind: 'ManagedServiceAccount',
        metadata: { name: 'my-sample' },
        spec: { rotation: {} },
      },
    });
    await sim.settle();
    const msa: Json = await hub.getNamespacedCustomObject({
      ...MSA,
      namespace: 'cluster1',
      name: 'my-sample',
    });
    expect(msa.spec.rotation.validity).toBe('8640h0m0s');
    expect(condition(msa, 'TokenReported')).toMatchObject({ status: 'True', reason: 'TokenReported' });
    expect(condition(msa, 'SecretCreated')).toMatchObject({ status: 'True', reason: 'SecretCreated' });
    expect(msa.status.tokenSecretRef).toEqual({
      name: 'my-sample',
      lastRefreshTimestamp: expect.any(String),
    });
    const lifetime = Date.parse(msa.status.expirationTimestamp) - Date.now();
    expect(lifetime).toBeGreaterThan(8639 * 3600 * 1000);
    expect(lifetime).toBeLessThanOrEqual(8640 * 3600 * 1000);

    const secret = await hubCore.readNamespacedSecret({ name: 'my-sample', namespace: 'cluster1' });
    expect(secret.type).toBe('Opaque');
    expect(Object.keys(secret.data ?? {}).sort()).toEqual(['ca.crt', 'token']);
    expect(secret.metadata?.labels).toEqual({
      'authentication.open-cluster-management.io/is-managed-serviceaccount': 'true',
    });
    expect(secret.metadata?.ownerReferences).toEqual([
      {
        apiVersion: 'authentication.open-cluster-management.io/v1beta1',
        kind: 'ManagedServiceAccount',
        name: 'my-sample',
        uid: msa.metadata.uid,
      },
    ]);
    expect(Buffer.from(secret.data!['ca.crt']!, 'base64').toString()).toBe(sim.managed[0]!.cluster.caPem);
  });

  it('gives a token that authenticates on the managed cluster, with what a ManifestWork binds', async () => {
    const { auth, core } = await managedAs('cluster1', 'my-sample');
    const me = await auth.createSelfSubjectReview({ body: {} });
    expect(me.status?.userInfo?.username).toBe(`system:serviceaccount:${SA_NS}:my-sample`);
    expect(await statusOf(core.listNamespacedPod({ namespace: 'team-a' }))).toBe(403);

    await hub.createNamespacedCustomObject({
      ...MW,
      namespace: 'cluster1',
      body: {
        apiVersion: 'work.open-cluster-management.io/v1',
        kind: 'ManifestWork',
        metadata: { name: 'my-sample-view' },
        spec: {
          workload: {
            manifests: [
              {
                apiVersion: 'rbac.authorization.k8s.io/v1',
                kind: 'ClusterRoleBinding',
                metadata: { name: 'my-sample-view' },
                roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
                subjects: [{ kind: 'ServiceAccount', name: 'my-sample', namespace: SA_NS }],
              },
            ],
          },
        },
      },
    });
    await sim.settle();
    const pods = await core.listNamespacedPod({ namespace: 'team-a' });
    expect(pods.items.length).toBeGreaterThan(0);
    const victim = pods.items[0]!.metadata!.name!;
    expect(await statusOf(core.deleteNamespacedPod({ name: victim, namespace: 'team-a' }))).toBe(403);
  });

  it('rotates the token on demand', async () => {
    const before = await managedAs('cluster1', 'my-sample');
    const msaBefore: Json = await hub.getNamespacedCustomObject({
      ...MSA,
      namespace: 'cluster1',
      name: 'my-sample',
    });
    await sim.rotateTokens('cluster1');
    await sim.settle();
    const after = await managedAs('cluster1', 'my-sample');
    expect(after.token).not.toBe(before.token);
    expect((await after.core.listNamespacedPod({ namespace: 'team-a' })).items.length).toBeGreaterThan(0);
    const msa: Json = await hub.getNamespacedCustomObject({
      ...MSA,
      namespace: 'cluster1',
      name: 'my-sample',
    });
    expect(Date.parse(msa.status.expirationTimestamp)).toBeGreaterThanOrEqual(
      Date.parse(msaBefore.status.expirationTimestamp),
    );
  });

  it('cleans up when the ManagedServiceAccount and the work are deleted: SA, binding, Secret, and the token dies', async () => {
    const { core } = await managedAs('cluster1', 'my-sample');
    await hub.deleteNamespacedCustomObject({ ...MSA, namespace: 'cluster1', name: 'my-sample' });
    await hub.deleteNamespacedCustomObject({ ...MW, namespace: 'cluster1', name: 'my-sample-view' });
    await sim.settle();
    const admin = adminKubeconfig(sim.managed[0]!.cluster);
    expect(
      await statusOf(
        admin.makeApiClient(CoreV1Api).readNamespacedServiceAccount({ name: 'my-sample', namespace: SA_NS }),
      ),
    ).toBe(404);
    const rbac = admin.makeApiClient((await import('@kubernetes/client-node')).RbacAuthorizationV1Api);
    expect(await statusOf(rbac.readClusterRoleBinding({ name: 'my-sample-view' }))).toBe(404);
    expect(await statusOf(hubCore.readNamespacedSecret({ name: 'my-sample', namespace: 'cluster1' }))).toBe(
      404,
    );
    expect(await statusOf(core.listNamespacedPod({ namespace: 'team-a' }))).toBe(401);
  });

  it('becomes available on a cluster where a client enables it', async () => {
    await hub.createNamespacedCustomObject({
      ...MCA,
      namespace: 'cluster2',
      body: {
        apiVersion: 'addon.open-cluster-management.io/v1alpha1',
        kind: 'ManagedClusterAddOn',
        metadata: { name: 'managed-serviceaccount' },
        spec: {},
      },
    });
    await sim.settle();
    const mca: Json = await hub.getNamespacedCustomObject({
      ...MCA,
      namespace: 'cluster2',
      name: 'managed-serviceaccount',
    });
    expect(condition(mca, 'Available')).toMatchObject({
      status: 'True',
      reason: 'ManagedClusterAddOnLeaseUpdated',
    });
    await hub.createNamespacedCustomObject({
      ...MSA,
      namespace: 'cluster2',
      body: {
        apiVersion: 'authentication.open-cluster-management.io/v1beta1',
        kind: 'ManagedServiceAccount',
        metadata: { name: 'late' },
        spec: { rotation: { validity: '720h' } },
      },
    });
    await sim.settle();
    const { auth } = await managedAs('cluster2', 'late');
    const me = await auth.createSelfSubjectReview({ body: {} });
    expect(me.status?.userInfo?.username).toBe(`system:serviceaccount:${SA_NS}:late`);
    const msa: Json = await hub.getNamespacedCustomObject({ ...MSA, namespace: 'cluster2', name: 'late' });
    expect(Date.parse(msa.status.expirationTimestamp) - Date.now()).toBeLessThanOrEqual(720 * 3600 * 1000);
  });
});
