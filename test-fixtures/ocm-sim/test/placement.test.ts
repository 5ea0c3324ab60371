import type { CustomObjectsApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OcmSim, startOcmSim } from '../src/index.js';
import { condition, hubClients, type Json } from './helpers.js';

const V1B2 = { group: 'cluster.open-cluster-management.io', version: 'v1beta2' };
const V1B1 = { group: 'cluster.open-cluster-management.io', version: 'v1beta1' };

describe('cluster sets and placement', () => {
  let sim: OcmSim;
  let hub: CustomObjectsApi;

  beforeAll(async () => {
    sim = await startOcmSim({
      managed: [
        {
          name: 'cluster1',
          labels: { purpose: 'test' },
          claims: { 'region.open-cluster-management.io': 'us-east-1' },
        },
        { name: 'cluster2', labels: { purpose: 'test' }, clusterSet: 'prod', addons: [] },
        { name: 'cluster3', labels: { purpose: 'dev' }, addons: [] },
      ],
      clusterSets: ['empty-set'],
    });
    const clients = hubClients(sim);
    hub = clients.custom;
    for (const ns of ['app-ns', 'lonely', 'void'])
      await clients.core.createNamespace({ body: { metadata: { name: ns } } });
  });
  afterAll(() => sim?.close());

  const bind = (namespace: string, set: string) =>
    hub.createNamespacedCustomObject({
      ...V1B2,
      plural: 'managedclustersetbindings',
      namespace,
      body: {
        apiVersion: 'cluster.open-cluster-management.io/v1beta2',
        kind: 'ManagedClusterSetBinding',
        metadata: { name: set },
        spec: { clusterSet: set },
      },
    });

  const place = (namespace: string, name: string, spec: Json) =>
    hub.createNamespacedCustomObject({
      ...V1B1,
      plural: 'placements',
      namespace,
      body: {
        apiVersion: 'cluster.open-cluster-management.io/v1beta1',
        kind: 'Placement',
        metadata: { name },
        spec,
      },
    });

  const placement = (namespace: string, name: string): Promise<Json> =>
    hub.getNamespacedCustomObject({ ...V1B1, plural: 'placements', namespace, name });

  /** The chosen clusters, as consumers read them: every PlacementDecision labelled with the placement. */
  async function decided(namespace: string, name: string): Promise<string[]> {
    const list: Json = await hub.listNamespacedCustomObject({
      ...V1B1,
      plural: 'placementdecisions',
      namespace,
      labelSelector: `cluster.open-cluster-management.io/placement=${name}`,
    });
    return list.items.flatMap((d: Json) => (d.status?.decisions ?? []).map((x: Json) => x.clusterName));
  }

  it('reports whether each set is empty, and whether each binding found its set', async () => {
    await bind('app-ns', 'default');
    await bind('app-ns', 'missing');
    await bind('void', 'empty-set');
    await sim.settle();
    const set = (name: string): Promise<Json> =>
      hub.getClusterCustomObject({ ...V1B2, plural: 'managedclustersets', name });
    expect(condition(await set('default'), 'ClusterSetEmpty')).toMatchObject({
      status: 'False',
      reason: 'ClustersSelected',
      message: '2 ManagedClusters selected',
    });
    expect(condition(await set('empty-set'), 'ClusterSetEmpty')).toMatchObject({
      status: 'True',
      reason: 'NoClusterMatched',
    });
    const binding = (name: string): Promise<Json> =>
      hub.getNamespacedCustomObject({
        ...V1B2,
        plural: 'managedclustersetbindings',
        namespace: 'app-ns',
        name,
      });
    expect(condition(await binding('default'), 'Bound')).toMatchObject({
      status: 'True',
      reason: 'ClusterSetBound',
    });
    expect(condition(await binding('missing'), 'Bound')).toMatchObject({
      status: 'False',
      reason: 'ClusterSetNotFound',
    });
  });

  it('decides by label selector over the bound sets only', async () => {
    await place('app-ns', 'by-label', {
      predicates: [{ requiredClusterSelector: { labelSelector: { matchLabels: { purpose: 'test' } } } }],
    });
    await sim.settle();
    expect(await decided('app-ns', 'by-label')).toEqual(['cluster1']); // cluster2 is in prod, not bound here
    const p = await placement('app-ns', 'by-label');
    expect(p.status.numberOfSelectedClusters).toBe(1);
    expect(condition(p, 'PlacementSatisfied')).toMatchObject({
      status: 'True',
      reason: 'AllDecisionsScheduled',
      message: 'All cluster decisions scheduled',
    });
    expect(p.status.decisionGroups).toEqual([
      { decisionGroupIndex: 0, decisionGroupName: '', decisions: ['by-label-decision-1'], clusterCount: 1 },
    ]);

    await bind('app-ns', 'prod');
    await sim.settle();
    expect(await decided('app-ns', 'by-label')).toEqual(['cluster1', 'cluster2']);
  });

  it('decides by claim selector, and says when it cannot schedule enough', async () => {
    await place('app-ns', 'by-claim', {
      predicates: [
        {
          requiredClusterSelector: {
            claimSelector: {
              matchExpressions: [
                { key: 'region.open-cluster-management.io', operator: 'In', values: ['us-east-1'] },
              ],
            },
          },
        },
      ],
    });
    await place('app-ns', 'five', { numberOfClusters: 5 });
    await place('app-ns', 'two', { numberOfClusters: 2, clusterSets: ['default'] });
    await sim.settle();
    expect(await decided('app-ns', 'by-claim')).toEqual(['cluster1']);
    expect(await decided('app-ns', 'five')).toEqual(['cluster1', 'cluster2', 'cluster3']);
    expect(condition(await placement('app-ns', 'five'), 'PlacementSatisfied')).toMatchObject({
      status: 'False',
      reason: 'NotAllDecisionsScheduled',
      message: '2 cluster decisions unscheduled',
    });
    expect(await decided('app-ns', 'two')).toEqual(['cluster1', 'cluster3']);
  });

  it('explains an empty decision: no bindings, empty sets, nothing matching', async () => {
    await place('lonely', 'p', {});
    await place('void', 'p', {});
    await place('app-ns', 'nobody', {
      predicates: [{ requiredClusterSelector: { labelSelector: { matchLabels: { purpose: 'prod' } } } }],
    });
    await sim.settle();
    expect(condition(await placement('lonely', 'p'), 'PlacementSatisfied')).toMatchObject({
      status: 'False',
      reason: 'NoManagedClusterSetBindings',
    });
    expect(condition(await placement('void', 'p'), 'PlacementSatisfied').reason).toBe(
      'AllManagedClusterSetsEmpty',
    );
    expect(condition(await placement('app-ns', 'nobody'), 'PlacementSatisfied')).toMatchObject({
      status: 'False',
      reason: 'NoManagedClusterMatched',
      message: 'No ManagedCluster matches any of the cluster predicate',
    });
    expect(await decided('app-ns', 'nobody')).toEqual([]);
  });

  it('leaves out an unreachable cluster unless the placement tolerates it', async () => {
    await place('app-ns', 'tolerant', {
      predicates: [{ requiredClusterSelector: { labelSelector: { matchLabels: { purpose: 'test' } } } }],
      tolerations: [{ key: 'cluster.open-cluster-management.io/unreachable', operator: 'Exists' }],
    });
    await sim.setAvailable('cluster1', false);
    await sim.settle();
    expect(await decided('app-ns', 'by-label')).toEqual(['cluster2']);
    expect(await decided('app-ns', 'tolerant')).toEqual(['cluster1', 'cluster2']);
    await sim.setAvailable('cluster1', true);
    await sim.settle();
    expect(await decided('app-ns', 'by-label')).toEqual(['cluster1', 'cluster2']);
  });
});
