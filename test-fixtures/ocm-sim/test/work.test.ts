import { AppsV1Api, CoreV1Api, CustomObjectsApi, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OcmSim, startOcmSim } from '../src/index.js';
import { adminKubeconfig, condition, hubClients, type Json, mergePatch, statusOf } from './helpers.js';

const MW = { group: 'work.open-cluster-management.io', version: 'v1', plural: 'manifestworks' };
const AMW = { group: 'work.open-cluster-management.io', version: 'v1', plural: 'appliedmanifestworks' };

const configMap = (name: string, ns = 'default') => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns },
  data: { greeting: 'hi' },
});

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'hello', namespace: 'default' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'hello' } },
    template: {
      metadata: { labels: { app: 'hello' } },
      spec: { containers: [{ name: 'hello', image: 'busybox', command: ['sleep', '3600'] }] },
    },
  },
};

function work(name: string, manifests: Json[], extra: Json = {}): Json {
  return {
    apiVersion: 'work.open-cluster-management.io/v1',
    kind: 'ManifestWork',
    metadata: { name, namespace: 'cluster1' },
    spec: { workload: { manifests }, ...extra },
  };
}

describe('work agent', () => {
  let sim: OcmSim;
  let hub: CustomObjectsApi;
  let managedCore: CoreV1Api;
  let managedApps: AppsV1Api;

  beforeAll(async () => {
    sim = await startOcmSim({ managed: 2 });
    hub = hubClients(sim).custom;
    const kc = adminKubeconfig(sim.managed[0]!.cluster);
    managedCore = kc.makeApiClient(CoreV1Api);
    managedApps = kc.makeApiClient(AppsV1Api);
  });
  afterAll(() => sim?.close());

  const getWork = (name: string): Promise<Json> =>
    hub.getNamespacedCustomObject({ ...MW, namespace: 'cluster1', name });

  it('applies the manifests and reports per-manifest and rolled-up status', async () => {
    await hub.createNamespacedCustomObject({
      ...MW,
      namespace: 'cluster1',
      body: work('hello-work', [configMap('hello'), deployment], {
        manifestConfigs: [
          {
            resourceIdentifier: {
              group: 'apps',
              resource: 'deployments',
              name: 'hello',
              namespace: 'default',
            },
            feedbackRules: [{ type: 'WellKnownStatus' }],
          },
        ],
      }),
    });
    await sim.settle();

    expect((await managedCore.readNamespacedConfigMap({ name: 'hello', namespace: 'default' })).data).toEqual(
      {
        greeting: 'hi',
      },
    );
    expect(
      (await managedApps.readNamespacedDeployment({ name: 'hello', namespace: 'default' })).spec?.replicas,
    ).toBe(1);

    const w = await getWork('hello-work');
    expect(w.metadata.finalizers).toEqual(['cluster.open-cluster-management.io/manifest-work-cleanup']);
    expect(condition(w, 'Applied')).toMatchObject({
      status: 'True',
      reason: 'AppliedManifestWorkComplete',
      message: 'Apply manifest work complete',
      observedGeneration: 1,
    });
    expect(condition(w, 'Available')).toMatchObject({
      status: 'True',
      reason: 'ResourcesAvailable',
      message: 'All resources are available',
      observedGeneration: 1,
    });
    const [cm, dep] = w.status.resourceStatus.manifests;
    expect(cm.resourceMeta).toEqual({
      ordinal: 0,
      group: '',
      version: 'v1',
      kind: 'ConfigMap',
      resource: 'configmaps',
      name: 'hello',
      namespace: 'default',
    });
    expect(dep.resourceMeta).toMatchObject({ ordinal: 1, group: 'apps', resource: 'deployments' });
    expect(condition(cm, 'Applied')).toMatchObject({
      status: 'True',
      reason: 'AppliedManifestComplete',
      message: 'Apply manifest complete',
    });
    expect(condition(cm, 'Available')).toMatchObject({ status: 'True', reason: 'ResourceAvailable' });
    expect(condition(cm, 'StatusFeedbackSynced')).toMatchObject({ reason: 'NoStatusFeedbackSynced' });
    expect(dep.statusFeedback.values).toContainEqual({
      name: 'Replicas',
      fieldValue: { type: 'Integer', integer: 1 },
    });

    // the agent's record on the managed cluster
    const amws: Json = await adminKubeconfig(sim.managed[0]!.cluster)
      .makeApiClient(CustomObjectsApi)
      .listClusterCustomObject(AMW);
    const amw = amws.items.find((a: Json) => a.spec.manifestWorkName === 'hello-work');
    expect(amw.metadata.name).toMatch(/^[0-9a-f]{64}-hello-work$/);
    expect(amw.status.appliedResources.map((r: Json) => `${r.resource}/${r.name}`)).toEqual([
      'configmaps/hello',
      'deployments/hello',
    ]);
  });

  it('deletes a manifest dropped from the work, and reports the new generation', async () => {
    await hub.patchNamespacedCustomObject(
      {
        ...MW,
        namespace: 'cluster1',
        name: 'hello-work',
        body: { spec: { workload: { manifests: [configMap('hello')] } } },
      },
      mergePatch,
    );
    await sim.settle();
    expect(
      await statusOf(managedApps.readNamespacedDeployment({ name: 'hello', namespace: 'default' })),
    ).toBe(404);
    const w = await getWork('hello-work');
    expect(w.status.resourceStatus.manifests).toHaveLength(1);
    expect(condition(w, 'Applied')).toMatchObject({ status: 'True', observedGeneration: 2 });
  });

  it('reports a manifest that fails with the API server error, and the work as not applied', async () => {
    await hub.createNamespacedCustomObject({
      ...MW,
      namespace: 'cluster1',
      body: work('broken', [
        configMap('fine'),
        configMap('lost', 'no-such-namespace'),
        { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } },
      ]),
    });
    await sim.settle();
    const w = await getWork('broken');
    const [fine, lost, widget] = w.status.resourceStatus.manifests;
    expect(condition(fine, 'Applied').status).toBe('True');
    expect(condition(lost, 'Applied')).toMatchObject({
      status: 'False',
      reason: 'AppliedManifestFailed',
      message: 'namespaces "no-such-namespace" not found',
    });
    expect(condition(lost, 'Available')).toMatchObject({ status: 'False', reason: 'ResourceNotAvailable' });
    expect(condition(widget, 'Applied').message).toBe(
      'no matches for kind "Widget" in version "example.com/v1"',
    );
    expect(condition(w, 'Applied')).toMatchObject({
      status: 'False',
      reason: 'AppliedManifestWorkFailed',
      message: 'Failed to apply manifest work',
    });
    expect(condition(w, 'Available')).toMatchObject({
      status: 'False',
      reason: 'ResourcesNotAvailable',
      message: '2 of 3 resources are not available',
    });
  });

  it('removes what a deleted work applied, then its finalizer; Orphan leaves the resources', async () => {
    await hub.deleteNamespacedCustomObject({ ...MW, namespace: 'cluster1', name: 'hello-work' });
    await hub.createNamespacedCustomObject({
      ...MW,
      namespace: 'cluster1',
      body: work('kept', [configMap('kept')], { deleteOption: { propagationPolicy: 'Orphan' } }),
    });
    await sim.settle();
    expect(await statusOf(getWork('hello-work'))).toBe(404);
    expect(await statusOf(managedCore.readNamespacedConfigMap({ name: 'hello', namespace: 'default' }))).toBe(
      404,
    );

    await hub.deleteNamespacedCustomObject({ ...MW, namespace: 'cluster1', name: 'kept' });
    await sim.settle();
    expect(await statusOf(getWork('kept'))).toBe(404);
    expect(await statusOf(managedCore.readNamespacedConfigMap({ name: 'kept', namespace: 'default' }))).toBe(
      'ok',
    );
  });

  it('binds a ClusterRole with a ClusterRoleBinding (the server connects this way)', async () => {
    await hub.createNamespacedCustomObject({
      ...MW,
      namespace: 'cluster1',
      body: work('bind', [
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          metadata: { name: 'robot-view' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
          subjects: [
            { kind: 'ServiceAccount', name: 'robot', namespace: 'open-cluster-management-agent-addon' },
          ],
        },
      ]),
    });
    await sim.settle();
    const rbac = adminKubeconfig(sim.managed[0]!.cluster).makeApiClient(RbacAuthorizationV1Api);
    expect((await rbac.readClusterRoleBinding({ name: 'robot-view' })).roleRef.name).toBe('view');
    const w = await getWork('bind');
    expect(w.status.resourceStatus.manifests[0].resourceMeta).toMatchObject({
      group: 'rbac.authorization.k8s.io',
      resource: 'clusterrolebindings',
      namespace: '',
    });
  });

  it('runs each agent under its own hub identity, limited to its cluster namespace', async () => {
    const review = async (user: string, namespace: string, verb: string) => {
      const r: Json = await hubClients(sim)
        .kc.makeApiClient((await import('@kubernetes/client-node')).AuthorizationV1Api)
        .createSubjectAccessReview({
          body: {
            spec: {
              user,
              groups: [
                'system:serviceaccounts',
                'system:serviceaccounts:ocm-sim-agents',
                'system:authenticated',
              ],
              resourceAttributes: {
                group: 'work.open-cluster-management.io',
                resource: 'manifestworks',
                namespace,
                verb,
              },
            },
          },
        });
      return r.status.allowed;
    };
    const agent = 'system:serviceaccount:ocm-sim-agents:cluster1-work';
    expect(await review(agent, 'cluster1', 'list')).toBe(true);
    expect(await review(agent, 'cluster2', 'list')).toBe(false);
    expect(await review(agent, 'cluster1', 'create')).toBe(false);
    const agents = new Set(
      sim.hub.log.filter((e) => e.userAgent.startsWith('work-agent/cluster1')).map((e) => e.user),
    );
    expect([...agents]).toEqual([agent]);
  });
});
