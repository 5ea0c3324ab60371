import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { HttpClient, ToolError, UpstreamError } from '@cloudmcp/toolkit';
import { type OciSim, startOciSim } from 'oci-sim';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OciApi } from '../../src/oci/api.js';
import { OciAuth } from '../../src/oci/auth.js';
import { ClusterTokens } from '../../src/oci/cluster-token.js';
import { TempHome } from './helpers.js';

// OciAuth, OciApi and ClusterTokens against oci-sim: the real SDK clients, signatures checked as OCI checks
// them, and OKE cluster tokens checked by each cluster's API server (kube-sim).

let sim: OciSim;
let home: TempHome;

beforeAll(async () => {
  sim = await startOciSim({ workRequestStepMs: Number.POSITIVE_INFINITY });
  home = new TempHome();
  sim.writeConfig(home.path('.oci'), { auth: 'api_key' });
  sim.writeConfig(home.path('.oci'), {
    auth: 'api_key',
    user: 'reader',
    profile: 'LOCKED',
    passphrase: 'pp-secret',
  });
});

afterAll(async () => {
  await sim?.close();
  home?.dispose();
});

afterEach(() => sim.clearFaults());

function connect(env: Record<string, string> = {}) {
  const auth = new OciAuth({ env, home: home.dir, cwd: home.dir });
  // Backoff waits are skipped, not slept.
  const api = new OciApi({ auth, endpoint: sim.url, http: new HttpClient({ sleep: async () => undefined }) });
  return { auth, api };
}

/** GET on a cluster's API server with a bearer token. */
function kubeGet(kube: { url: string; caPem: string }, path: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, kube.url),
      { headers: { Authorization: `Bearer ${token}` }, ca: kube.caPem },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('OciApi against oci-sim', () => {
  it('walks compartments, clusters and node pools with an API key', async () => {
    const { api } = connect();
    const compartments = await api.listCompartments({ subtree: true });
    expect(compartments.items.map((c) => c.id).sort()).toEqual(sim.compartments.map((c) => c.id).sort());
    const cluster = sim.clusters[0]!;
    const clusters = await api.listClusters({ compartmentId: cluster.compartmentId });
    expect(clusters.items.map((c) => c.id)).toContain(cluster.id);
    expect((await api.getCluster(cluster.id)).name).toBe(cluster.name);
    const pools = await api.listNodePools({ compartmentId: cluster.compartmentId, clusterId: cluster.id });
    expect(pools.items.length).toBeGreaterThan(0);
    const pool = await api.getNodePool(pools.items[0]!.id!);
    expect(pool.clusterId).toBe(cluster.id);
    expect(sim.log.every((entry) => entry.auth === 'api_key' && entry.status === 200)).toBe(true);
  });

  it('pages with limit and the next-page token', async () => {
    const { api } = connect();
    const first = await api.listCompartments({ subtree: true, limit: 1 });
    expect(first.items).toHaveLength(1);
    expect(first.nextPage).toBeDefined();
    const second = await api.listCompartments({ subtree: true, limit: 1, page: first.nextPage! });
    expect(second.items).toHaveLength(1);
    expect(second.items[0]!.id).not.toBe(first.items[0]!.id);
  });

  it('scales a node pool and follows its work request to the end', async () => {
    const { api } = connect();
    const cluster = sim.clusters[0]!;
    const [summary] = (
      await api.listNodePools({ compartmentId: cluster.compartmentId, clusterId: cluster.id })
    ).items;
    const { workRequestId } = await api.updateNodePoolSize(summary!.id!, 3);
    const seen = [(await api.getWorkRequest(workRequestId)).status];
    while (seen.at(-1) !== 'SUCCEEDED' && seen.length < 10) {
      sim.advanceWorkRequests();
      seen.push((await api.getWorkRequest(workRequestId)).status);
    }
    expect(seen[0]).toBe('ACCEPTED');
    expect(seen.at(-1)).toBe('SUCCEEDED');
    const listed = await api.listWorkRequests({
      compartmentId: cluster.compartmentId,
      resourceId: summary!.id!,
    });
    expect(listed.items.map((w) => w.id)).toContain(workRequestId);
    expect(await api.listWorkRequestErrors(cluster.compartmentId, workRequestId)).toEqual([]);
    expect((await api.listWorkRequestLogs(cluster.compartmentId, workRequestId)).length).toBeGreaterThan(0);
    expect((await api.getNodePool(summary!.id!)).nodeConfigDetails?.size).toBe(3);
  });

  it('returns the kubeconfig as OCI writes it, with the oci exec user', async () => {
    const { api } = connect();
    const yaml = await api.createKubeconfig(sim.clusters[0]!.id, { endpoint: 'PUBLIC_ENDPOINT' });
    expect(yaml).toContain('generate-token');
    expect(yaml).toContain(sim.clusters[0]!.id);
  });

  it('decrypts a key with the profile pass phrase', async () => {
    const { api, auth } = connect({ OCI_CLI_PROFILE: 'LOCKED' });
    await api.getCluster(sim.clusters[0]!.id);
    expect(sim.log.at(-1)?.principal).toBe(sim.users.reader.userId);
    expect(JSON.stringify(await auth.describe())).not.toContain('pp-secret');
  });

  it('maps OCI errors and faults: 404, throttling after retries, a 500 on a write sent once', async () => {
    const { api } = connect();
    const missing = 'ocid1.cluster.oc1.iad.aaaaaaaadoesnotexist';
    const notFound = await api.getCluster(missing).catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(ToolError);
    expect((notFound as ToolError).details.code).toBe('404 NotAuthorizedOrNotFound');
    expect((notFound as ToolError).details.next).toContain(`Check cluster ${missing}`);

    const cluster = sim.clusters[0]!;
    sim.addFault({ kind: 'status', status: 429, operation: 'ListClusters', times: Number.POSITIVE_INFINITY });
    const before = sim.log.length;
    const throttled = await api
      .listClusters({ compartmentId: cluster.compartmentId })
      .catch((e: unknown) => e);
    expect((throttled as ToolError).details.code).toBe('429 TooManyRequests');
    expect(sim.log.length - before).toBe(4);

    const [pool] = (await api.listNodePools({ compartmentId: cluster.compartmentId, clusterId: cluster.id }))
      .items;
    sim.addFault({
      kind: 'status',
      status: 500,
      operation: 'UpdateNodePool',
      times: Number.POSITIVE_INFINITY,
    });
    const writes = () => sim.log.filter((entry) => entry.operation === 'UpdateNodePool').length;
    const sent = writes();
    const failed = await api.updateNodePoolSize(pool!.id!, 2).catch((e: unknown) => e);
    expect((failed as ToolError).details.code).toBe('500 InternalServerError');
    expect(writes() - sent).toBe(1);

    sim.clearFaults();
    sim.addFault({ kind: 'reset', operation: 'UpdateNodePool' });
    const reset = await api.updateNodePoolSize(pool!.id!, 2).catch((e: unknown) => e);
    expect(reset).toBeInstanceOf(UpstreamError);
    expect((reset as UpstreamError).idempotent).toBe(false);
    expect(writes() - sent).toBe(2);
  });
});

describe('security token auth against oci-sim', () => {
  it('follows `oci session refresh` through the token file, and explains an ended session', async () => {
    const written = sim.writeConfig(home.path('.oci'), { auth: 'security_token', profile: 'SESSION' });
    const { api } = connect({ OCI_CLI_PROFILE: 'SESSION' });
    const cluster = sim.clusters[0]!;
    await api.getCluster(cluster.id);
    expect(sim.log.at(-1)?.auth).toBe('session');

    // `oci session refresh` rewrites the token file; the old token is then refused.
    const old = readFileSync(written.tokenFile!, 'utf8');
    const refreshed = sim.refreshSession(old);
    writeFileSync(written.tokenFile!, refreshed.token);
    sim.expireSession(old);
    await api.getCluster(cluster.id);
    expect(sim.log.at(-1)?.status).toBe(200);

    sim.expireSession(refreshed.token);
    const ended = await api.getCluster(cluster.id).catch((e: unknown) => e);
    expect(ended).toBeInstanceOf(ToolError);
    expect((ended as ToolError).details.code).toBe('401 NotAuthenticated');
    expect((ended as ToolError).details.next).toContain('oci session refresh --profile SESSION');
  });
});

describe('OKE cluster tokens at the clusters of oci-sim', () => {
  it('are accepted by each cluster API server, presigned once per cluster and lifetime', async () => {
    const { auth } = connect();
    const tokens = new ClusterTokens({ auth });
    for (const cluster of sim.clusters) {
      const before = sim.clusterTokenChecks.get(cluster.id) ?? 0;
      const source = tokens.source(cluster.id);
      for (let i = 0; i < 3; i++) {
        expect(await kubeGet(cluster.kube, '/api/v1/namespaces', (await source.token()).token)).toBe(200);
      }
      expect(sim.clusterTokenChecks.get(cluster.id)).toBe(before + 1);
    }
    expect(tokens.presigns).toBe(sim.clusters.length);
    // A token for one cluster is no good at another.
    const [a, b] = sim.clusters;
    expect(await kubeGet(b!.kube, '/api/v1/namespaces', (await tokens.token(a!.id)).token)).toBe(401);
  });

  it('are accepted when signed with a session', async () => {
    sim.writeConfig(home.path('.oci'), { auth: 'security_token', profile: 'KUBE' });
    const { auth } = connect({ OCI_CLI_PROFILE: 'KUBE' });
    const cluster = sim.clusters[0]!;
    const token = await new ClusterTokens({ auth }).token(cluster.id);
    expect(await kubeGet(cluster.kube, '/api/v1/namespaces', token.token)).toBe(200);
  });
});
