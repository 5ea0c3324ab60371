import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OcmSim, startOcmSim } from '../src/index.js';
import { adminKubeconfig, condition, hubClients, type Json, mergePatch, statusOf } from './helpers.js';

const MC = { group: 'cluster.open-cluster-management.io', version: 'v1', plural: 'managedclusters' };

describe('registration: acceptance, lease and availability', () => {
  let sim: OcmSim;
  beforeAll(async () => {
    sim = await startOcmSim({
      managed: [{ name: 'cluster1' }, { name: 'pending', accepted: false, addons: [] }],
    });
  });
  afterAll(() => sim?.close());

  const get = (name: string): Promise<Json> => hubClients(sim).custom.getClusterCustomObject({ ...MC, name });

  it('leaves a cluster the hub has not accepted waiting: no conditions, no namespace', async () => {
    const pending = await get('pending');
    expect(pending.spec.hubAcceptsClient).toBe(false);
    expect(pending.status?.conditions ?? []).toEqual([]);
    expect(await statusOf(hubClients(sim).core.readNamespace({ name: 'pending' }))).toBe(404);
  });

  it('lets it join once the hub admin accepts it', async () => {
    await hubClients(sim).custom.patchClusterCustomObject(
      {
        ...MC,
        name: 'pending',
        body: { spec: { hubAcceptsClient: true } },
      },
      mergePatch,
    );
    await sim.settle();
    const mc = await get('pending');
    expect(condition(mc, 'HubAcceptedManagedCluster')).toMatchObject({
      status: 'True',
      reason: 'HubClusterAdminAccepted',
    });
    expect(condition(mc, 'ManagedClusterJoined')).toMatchObject({
      status: 'True',
      message: 'Managed cluster joined',
    });
    expect(condition(mc, 'ManagedClusterConditionAvailable')).toMatchObject({
      status: 'True',
      reason: 'ManagedClusterAvailable',
    });
    const lease: Json = await hubClients(sim)
      .kc.makeApiClient((await import('@kubernetes/client-node')).CoordinationV1Api)
      .readNamespacedLease({ name: 'managed-cluster-lease', namespace: 'pending' });
    expect(lease.metadata.namespace).toBe('pending');
  });

  it('marks a cluster that stopped renewing its lease Available=Unknown and taints it; the managed API refuses', async () => {
    const managed = adminKubeconfig(sim.managed[0]!.cluster).makeApiClient(CoreV1Api);
    expect((await managed.listNamespacedPod({ namespace: 'team-a' })).items.length).toBeGreaterThan(0);

    await sim.setAvailable('cluster1', false);
    await sim.settle();
    const down = await get('cluster1');
    expect(condition(down, 'ManagedClusterConditionAvailable')).toMatchObject({
      status: 'Unknown',
      reason: 'ManagedClusterLeaseUpdateStopped',
      message: 'Registration agent stopped updating its lease.',
    });
    expect(down.spec.taints).toEqual([
      {
        key: 'cluster.open-cluster-management.io/unreachable',
        effect: 'NoSelect',
        timeAdded: expect.any(String),
      },
    ]);
    await expect(managed.listNamespacedPod({ namespace: 'team-a' })).rejects.toThrow(
      /socket hang up|ECONNRESET/,
    );
    // the other cluster is unaffected
    expect(condition(await get('pending'), 'ManagedClusterConditionAvailable').status).toBe('True');

    await sim.setAvailable('cluster1', true);
    await sim.settle();
    const up = await get('cluster1');
    expect(condition(up, 'ManagedClusterConditionAvailable')).toMatchObject({
      status: 'True',
      reason: 'ManagedClusterAvailable',
    });
    expect(up.spec.taints ?? []).toEqual([]);
    expect((await managed.listNamespacedPod({ namespace: 'team-a' })).items.length).toBeGreaterThan(0);
  });
});
