import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OcmSim, startOcmSim } from '../src/index.js';
import { condition, hubClients, type Json, statusOf } from './helpers.js';

describe('startOcmSim', () => {
  let sim: OcmSim;
  beforeAll(async () => {
    sim = await startOcmSim({ managed: 2 });
  });
  afterAll(() => sim?.close());

  it('starts a hub named hub with the OCM CRDs established', async () => {
    expect(sim.hub.name).toBe('hub');
    const crds = sim.hub.store
      .list('apiextensions.k8s.io/v1', 'CustomResourceDefinition')
      .map((c) => c.metadata.name);
    expect(crds.sort()).toEqual([
      'clustermanagementaddons.addon.open-cluster-management.io',
      'managedclusteraddons.addon.open-cluster-management.io',
      'managedclusters.cluster.open-cluster-management.io',
      'managedclustersetbindings.cluster.open-cluster-management.io',
      'managedclustersets.cluster.open-cluster-management.io',
      'managedserviceaccounts.authentication.open-cluster-management.io',
      'manifestworks.work.open-cluster-management.io',
      'placementdecisions.cluster.open-cluster-management.io',
      'placements.cluster.open-cluster-management.io',
    ]);
  });

  it('registers each managed cluster on the hub with its URL, CA, claims and conditions', async () => {
    await sim.settle();
    const managedClusters = {
      group: 'cluster.open-cluster-management.io',
      version: 'v1',
      plural: 'managedclusters',
    };
    // As on a real hub, the bootstrap view role does not cover OCM's resources.
    expect(await statusOf(hubClients(sim, 'view').custom.listClusterCustomObject(managedClusters))).toBe(403);
    const list: Json = await hubClients(sim).custom.listClusterCustomObject(managedClusters);
    expect(list.items.map((m: Json) => m.metadata.name)).toEqual(['cluster1', 'cluster2']);
    const [c1] = list.items;
    const managed = sim.managed[0]!;
    expect(c1.spec.managedClusterClientConfigs).toEqual([
      { url: managed.cluster.url, caBundle: Buffer.from(managed.cluster.caPem).toString('base64') },
    ]);
    expect(c1.metadata.labels).toMatchObject({
      name: 'cluster1',
      'cluster.open-cluster-management.io/clusterset': 'default',
    });
    for (const [type, reason] of [
      ['HubAcceptedManagedCluster', 'HubClusterAdminAccepted'],
      ['ManagedClusterJoined', 'ManagedClusterJoined'],
      ['ManagedClusterConditionAvailable', 'ManagedClusterAvailable'],
      ['ManagedClusterConditionClockSynced', 'ManagedClusterClockSynced'],
    ]) {
      expect(condition(c1, type!)).toMatchObject({ status: 'True', reason });
    }
    expect(c1.status.clusterClaims).toEqual([
      { name: 'id.k8s.io', value: 'cluster1' },
      { name: 'kubeversion.open-cluster-management.io', value: 'v1.35.0' },
      { name: 'platform.open-cluster-management.io', value: 'Other' },
      { name: 'product.open-cluster-management.io', value: 'OpenShift' },
    ]);
    expect(c1.status.version).toEqual({ kubernetes: 'v1.35.0' });
    expect(c1.status.capacity).toEqual({
      cpu: '12',
      'ephemeral-storage': '307878696Ki',
      memory: '49179648Ki',
      pods: '330',
    });
    expect(c1.status.allocatable).toMatchObject({ cpu: '11400m', memory: '45726720Ki' });
  });

  it('gives each managed cluster its Prometheus: a Route on the first, a Service on the others', async () => {
    const [first, second] = sim.managed;
    expect(first!.prometheus).toBe('route');
    expect(first!.prometheusUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const route = first!.cluster.store.get(
      'route.openshift.io/v1',
      'Route',
      'openshift-monitoring',
      'thanos-querier',
    );
    expect(route?.spec?.host).toBe(first!.prometheusUrl!.slice('https://'.length));
    expect(second!.prometheus).toBe('service');
    expect(second!.prometheusUrl).toBeUndefined();
    expect(
      second!.cluster.store.get('v1', 'Service', 'monitoring', 'prometheus')?.spec?.ports?.[0]?.port,
    ).toBe(9090);
  });
});
