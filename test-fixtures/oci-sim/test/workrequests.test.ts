import type { ContainerEngineClient, models } from 'oci-containerengine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OciSim, startOciSim } from '../src/index.js';
import { apiKeyProvider, clients, ociError, pollUntil } from './helpers.js';

interface Setup {
  sim: OciSim;
  ce: ContainerEngineClient;
  compartmentId: string;
  poolId: string;
}

async function setup(workRequestStepMs: number): Promise<Setup> {
  const sim = await startOciSim({ clusters: 1, workRequestStepMs, maxNodesPerPool: 6 });
  const { ce } = clients(sim, apiKeyProvider(sim, sim.users.admin));
  const compartmentId = sim.clusters[0]!.compartmentId;
  const pools = await ce.listNodePools({ compartmentId, name: 'pool1' });
  return { sim, ce, compartmentId, poolId: pools.items[0]!.id! };
}

const kubeNodeNames = (sim: OciSim) =>
  sim.clusters[0]!.kube.store.list('v1', 'Node')
    .map((n) => n.metadata.name as string)
    .sort();

describe('a node pool scale, phase by phase (workRequestStepMs: Infinity)', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup(Number.POSITIVE_INFINITY);
  });
  afterAll(() => s?.sim.close());

  const pool = async () => (await s.ce.getNodePool({ nodePoolId: s.poolId })).nodePool;
  const wr = async (id: string) => (await s.ce.getWorkRequest({ workRequestId: id })).workRequest;

  it('goes ACCEPTED → IN_PROGRESS → SUCCEEDED, launching nodes that register with the cluster', async () => {
    const before = await s.ce.getNodePool({ nodePoolId: s.poolId });
    const nodesBefore = kubeNodeNames(s.sim);
    const res = await s.ce.updateNodePool({
      nodePoolId: s.poolId,
      ifMatch: before.etag,
      updateNodePoolDetails: { nodeConfigDetails: { size: 4 } },
    });
    const id = res.opcWorkRequestId!;
    expect(id).toMatch(/^ocid1\.clustersworkrequest\.oc1\.iad\./);

    let w = await wr(id);
    expect(w).toMatchObject({
      status: 'ACCEPTED',
      operationType: 'NODEPOOL_UPDATE',
      compartmentId: s.compartmentId,
    });
    expect(w.timeStarted ?? null).toBeNull();
    expect(w.resources).toEqual([
      {
        actionType: 'IN_PROGRESS',
        entityType: 'nodepool',
        identifier: s.poolId,
        entityUri: `/nodePools/${s.poolId}`,
      },
      expect.objectContaining({
        actionType: 'RELATED',
        entityType: 'cluster',
        identifier: s.sim.clusters[0]!.id,
      }),
    ]);
    let p = await pool();
    expect(p).toMatchObject({ lifecycleState: 'UPDATING', nodeConfigDetails: { size: 4 } });
    expect(p.nodes).toHaveLength(2);

    expect(s.sim.advanceWorkRequests()).toBe(1);
    w = await wr(id);
    expect(w.status).toBe('IN_PROGRESS');
    expect(w.timeStarted).toBeDefined();
    p = await pool();
    expect(p.nodes!.map((n) => n.lifecycleState)).toEqual(['ACTIVE', 'ACTIVE', 'CREATING', 'CREATING']);
    const launched = p.nodes!.slice(2);
    expect(launched.map((n) => n.privateIp)).toEqual(['10.0.10.12', '10.0.10.13']);
    expect(kubeNodeNames(s.sim)).toEqual(nodesBefore);

    s.sim.advanceWorkRequests();
    expect((await pool()).nodes!.map((n) => n.lifecycleState)).toEqual([
      'ACTIVE',
      'ACTIVE',
      'ACTIVE',
      'CREATING',
    ]);
    expect(kubeNodeNames(s.sim)).toEqual([...nodesBefore, '10.0.10.12'].sort());
    const kn = s.sim.clusters[0]!.kube.store.get('v1', 'Node', undefined, '10.0.10.12')!;
    expect(kn.spec.providerID).toBe(`oci://${launched[0]!.id}`);
    expect(kn.status.conditions.find((c: { type: string }) => c.type === 'Ready').status).toBe('True');

    s.sim.advanceWorkRequests();
    expect((await wr(id)).status).toBe('IN_PROGRESS');
    s.sim.advanceWorkRequests();
    w = await wr(id);
    expect(w.status).toBe('SUCCEEDED');
    expect(w.timeFinished).toBeDefined();
    expect(w.resources![0]!.actionType).toBe('UPDATED');
    expect((await pool()).lifecycleState).toBe('ACTIVE');
    expect(kubeNodeNames(s.sim)).toEqual([...nodesBefore, '10.0.10.12', '10.0.10.13'].sort());
    expect(s.sim.advanceWorkRequests()).toBe(0);

    const logs = await s.ce.listWorkRequestLogs({ workRequestId: id, compartmentId: s.compartmentId });
    expect(logs.items.map((l) => l.message)).toEqual([
      `Node pool ${s.poolId} update request accepted`,
      'Updating node pool pool1 from 2 to 4 nodes',
      `Launching instance ${launched[0]!.id} (${launched[0]!.name})`,
      `Launching instance ${launched[1]!.id} (${launched[1]!.name})`,
      `Node ${launched[0]!.name} (10.0.10.12) is ACTIVE and registered with the cluster`,
      `Node ${launched[1]!.name} (10.0.10.13) is ACTIVE and registered with the cluster`,
      `Node pool ${s.poolId} updated`,
    ]);
    expect(
      (await s.ce.listWorkRequestErrors({ workRequestId: id, compartmentId: s.compartmentId })).items,
    ).toEqual([]);
  });

  it('refuses a second update while UPDATING (409) and a stale etag (412)', async () => {
    const stale = (await s.ce.getNodePool({ nodePoolId: s.poolId })).etag!;
    const res = await s.ce.updateNodePool({
      nodePoolId: s.poolId,
      updateNodePoolDetails: { name: 'pool1-renamed' },
    });
    expect(
      await ociError(
        s.ce.updateNodePool({
          nodePoolId: s.poolId,
          updateNodePoolDetails: { nodeConfigDetails: { size: 1 } },
        }),
      ),
    ).toMatchObject({
      statusCode: 409,
      serviceCode: 'IncorrectState',
    });
    s.sim.advanceWorkRequests();
    s.sim.advanceWorkRequests();
    expect((await s.ce.getWorkRequest({ workRequestId: res.opcWorkRequestId! })).workRequest.status).toBe(
      'SUCCEEDED',
    );
    const p = await s.ce.getNodePool({ nodePoolId: s.poolId });
    expect(p.nodePool.name).toBe('pool1-renamed');
    expect(p.etag).not.toBe(stale);
    expect(
      await ociError(
        s.ce.updateNodePool({ nodePoolId: s.poolId, ifMatch: stale, updateNodePoolDetails: { name: 'x' } }),
      ),
    ).toMatchObject({ statusCode: 412, serviceCode: 'NoEtagMatch' });
  });

  it('scales down: nodes go DELETING, then their instances and Node objects (and pods) are gone', async () => {
    const before = (await pool()).nodes!;
    expect(before).toHaveLength(4);
    const res = await s.ce.updateNodePool({
      nodePoolId: s.poolId,
      updateNodePoolDetails: { nodeConfigDetails: { size: 1 } },
    });
    s.sim.advanceWorkRequests();
    const deleting = (await pool()).nodes!.filter((n) => n.lifecycleState === 'DELETING');
    // The newest three go: the two launched above, then the newer seeded worker.
    expect(deleting.map((n) => n.privateIp).sort()).toEqual(
      ['10.0.10.12', '10.0.10.13', before[1]!.privateIp].sort(),
    );
    const workerPods = () =>
      s.sim.clusters[0]!.kube.store.list('v1', 'Pod').filter((p) => p.spec.nodeName === 'sim-1-worker2')
        .length;
    expect(workerPods()).toBeGreaterThan(0);
    for (let i = 0; i < 4; i++) s.sim.advanceWorkRequests();
    expect((await s.ce.getWorkRequest({ workRequestId: res.opcWorkRequestId! })).workRequest.status).toBe(
      'SUCCEEDED',
    );
    const after = await pool();
    expect(after.nodes!.map((n) => n.privateIp)).toEqual([before[0]!.privateIp]);
    expect(kubeNodeNames(s.sim)).not.toContain('10.0.10.12');
    expect(kubeNodeNames(s.sim)).not.toContain('sim-1-worker2');
    expect(workerPods()).toBe(0);
  });

  it('fails a scale beyond the compute limit with a LimitExceeded error and keeps the pool as it was', async () => {
    const res = await s.ce.updateNodePool({
      nodePoolId: s.poolId,
      updateNodePoolDetails: { nodeConfigDetails: { size: 7 } },
    });
    const id = res.opcWorkRequestId!;
    s.sim.advanceWorkRequests();
    s.sim.advanceWorkRequests();
    const w = (await s.ce.getWorkRequest({ workRequestId: id })).workRequest;
    expect(w.status).toBe('FAILED');
    expect(w.resources![0]!.actionType).toBe('FAILED');
    const errors = await s.ce.listWorkRequestErrors({ workRequestId: id, compartmentId: s.compartmentId });
    expect(errors.items).toEqual([
      {
        code: 'LimitExceeded',
        message:
          'The following service limits were exceeded: standard-e4-core-count. Request a service limit increase from the service limits page in the console.',
        timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      },
    ]);
    const p = await pool();
    expect(p).toMatchObject({ lifecycleState: 'ACTIVE', nodeConfigDetails: { size: 1 } });
    expect(p.nodes).toHaveLength(1);
  });

  it('validates the update body', async () => {
    const update = (details: Record<string, unknown>) =>
      ociError(
        s.ce.updateNodePool({
          nodePoolId: s.poolId,
          updateNodePoolDetails: details as models.UpdateNodePoolDetails,
        }),
      );
    expect(await update({ nodeConfigDetails: { size: -1 } })).toMatchObject({
      statusCode: 400,
      serviceCode: 'InvalidParameter',
    });
    expect(await update({ nodeConfigDetails: { size: 1.5 } })).toMatchObject({ statusCode: 400 });
    expect(await update({ name: '' })).toMatchObject({ statusCode: 400 });
    expect(await update({ kubernetesVersion: 'v1.36.0' })).toMatchObject({
      statusCode: 400,
      message: 'oci-sim does not simulate updating kubernetesVersion',
    });
    expect(await update({ surprise: true })).toMatchObject({
      statusCode: 400,
      serviceCode: 'CannotParseRequest',
    });
    expect(
      await ociError(
        s.ce.updateNodePool({ nodePoolId: 'ocid1.nodepool.oc1.iad.aaaaaaaanope', updateNodePoolDetails: {} }),
      ),
    ).toMatchObject({
      statusCode: 404,
    });
  });

  it('lists work requests by compartment, cluster, resource, type and status', async () => {
    const all = await s.ce.listWorkRequests({ compartmentId: s.compartmentId });
    const types = all.items.map((w) => w.operationType);
    expect(types.slice(0, 3)).toEqual(['CLUSTER_CREATE', 'NODEPOOL_CREATE', 'NODEPOOL_CREATE']);
    expect(types.filter((t) => t === 'NODEPOOL_UPDATE')).toHaveLength(4);
    const forPool = await s.ce.listWorkRequests({ compartmentId: s.compartmentId, resourceId: s.poolId });
    expect(forPool.items).toHaveLength(5);
    const failed = await s.ce.listWorkRequests({ compartmentId: s.compartmentId, status: ['FAILED'] });
    expect(failed.items.map((w) => w.operationType)).toEqual(['NODEPOOL_UPDATE']);
    const clusters = await s.ce.listWorkRequests({
      compartmentId: s.compartmentId,
      resourceType: 'CLUSTER' as never,
    });
    expect(clusters.items.every((w) => w.resources!.some((r) => r.entityType === 'cluster'))).toBe(true);
    const newest = await s.ce.listWorkRequests({
      compartmentId: s.compartmentId,
      clusterId: s.sim.clusters[0]!.id,
      sortBy: 'TIME_ACCEPTED' as never,
      limit: 1,
    });
    expect(newest.items[0]!.status).toBe('FAILED');
    expect(newest.opcNextPage).toBeDefined();
    expect((await s.ce.listWorkRequests({ compartmentId: s.sim.tenancyId })).items).toEqual([]);
  });

  it('needs the right compartmentId for errors and logs, and 404s unknown work requests', async () => {
    const id = (await s.ce.listWorkRequests({ compartmentId: s.compartmentId })).items[0]!.id!;
    expect(
      await ociError(s.ce.listWorkRequestLogs({ workRequestId: id, compartmentId: s.sim.tenancyId })),
    ).toMatchObject({
      statusCode: 404,
    });
    expect(await ociError(s.ce.listWorkRequestErrors({ workRequestId: id } as never))).toMatchObject({
      statusCode: 400,
      serviceCode: 'MissingParameter',
    });
    expect(
      await ociError(
        s.ce.getWorkRequest({ workRequestId: 'ocid1.clustersworkrequest.oc1.iad.aaaaaaaanope' }),
      ),
    ).toMatchObject({
      statusCode: 404,
    });
  });
});

describe('a node pool scale on its own clock', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup(5);
  });
  afterAll(() => s?.sim.close());

  it('is observed by polling until it SUCCEEDS, states in order', async () => {
    const res = await s.ce.updateNodePool({
      nodePoolId: s.poolId,
      updateNodePoolDetails: { nodeConfigDetails: { size: 3 } },
    });
    const seen = await pollUntil(
      async () => (await s.ce.getWorkRequest({ workRequestId: res.opcWorkRequestId! })).workRequest.status,
      (status) => status === 'SUCCEEDED' || status === 'FAILED',
    );
    const order = ['ACCEPTED', 'IN_PROGRESS', 'SUCCEEDED'];
    const ranks = seen.map((st) => order.indexOf(st!));
    expect(ranks.every((r, i) => r >= 0 && (i === 0 || r >= ranks[i - 1]!))).toBe(true);
    expect(seen.at(-1)).toBe('SUCCEEDED');
    expect(kubeNodeNames(s.sim)).toContain('10.0.10.12');
    const p = (await s.ce.getNodePool({ nodePoolId: s.poolId })).nodePool;
    expect(p.nodes!.map((n) => n.lifecycleState)).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE']);
  });
});
