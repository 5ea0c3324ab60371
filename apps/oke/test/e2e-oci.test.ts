import type { OciSim } from 'oci-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { clusterNamed, compartmentNamed, items, type OkeServer, startOke, startSim } from './harness.js';

// Every OCI tool of the stdio bin against oci-sim, API key auth (profile DEFAULT), with content assertions:
// what each answers is what the simulated tenancy holds.

/** An OCID as a table cell shows it: cut at the column's 60 characters. */
const cell = (ocid: string) => (ocid.length > 60 ? `${ocid.slice(0, 59)}…` : ocid);

let sim: OciSim;
let server: OkeServer;

beforeAll(async () => {
  sim = await startSim();
  server = await startOke(sim);
});
afterAll(async () => {
  await server?.close();
  await sim?.close();
});

describe('OCI tools', () => {
  it('compartment_list answers the child compartments of the tenancy', async () => {
    const list = await server.ok('compartment_list');
    expect(items(list)).toEqual(
      sim.compartments.map((c) => expect.objectContaining({ name: c.name, id: cell(c.id), state: 'ACTIVE' })),
    );
    expect(list.text).toContain('production');
  });

  it('cluster_list answers the clusters of the default compartment, and of another one asked for', async () => {
    const prod = clusterNamed(sim, 'oke-prod');
    const mine = items(await server.ok('cluster_list'));
    expect(mine).toEqual([expect.objectContaining({ name: 'oke-prod', id: cell(prod.id), state: 'ACTIVE' })]);
    expect(mine[0]!['public']).toBe(`127.0.0.1:${prod.kube.port}`);

    const dev = items(await server.ok('cluster_list', { compartment: compartmentNamed(sim, 'development') }));
    expect(dev.map((c) => c['name'])).toEqual(['oke-dev']);
  });

  it('cluster_get finds a cluster by name and by OCID, with the same answer', async () => {
    const prod = clusterNamed(sim, 'oke-prod');
    const byName = await server.ok('cluster_get', { cluster: 'oke-prod' });
    const byId = await server.ok('cluster_get', { cluster: prod.id });
    expect(byName.structured).toMatchObject({
      name: 'oke-prod',
      id: prod.id,
      compartment: prod.compartmentId,
      type: 'ENHANCED_CLUSTER',
      version: 'v1.35.0',
    });
    expect(byId.structured).toEqual(byName.structured);
    // A cluster of another compartment is reached by OCID.
    const dev = clusterNamed(sim, 'oke-dev');
    expect((await server.ok('cluster_get', { cluster: dev.id })).structured).toMatchObject({
      name: 'oke-dev',
      type: 'BASIC_CLUSTER',
    });
  });

  it('node_pool_list and node_pool_get (by name and by OCID) answer the pools and their nodes', async () => {
    const pools = items(await server.ok('node_pool_list', { cluster: 'oke-prod' }));
    expect(pools.map((p) => p['name'])).toEqual(['pool1', 'pool-arm']);
    const pool1 = pools[0]!;
    expect(pool1).toMatchObject({ shape: 'VM.Standard.E4.Flex', state: 'ACTIVE' });

    const byName = await server.ok('node_pool_get', { cluster: 'oke-prod', node_pool: 'pool1' });
    const poolId = byName.structured?.['id'] as string;
    expect(pool1['id']).toBe(cell(poolId));
    const byId = await server.ok('node_pool_get', { node_pool: poolId });
    expect(byId.structured).toEqual(byName.structured);
    const nodes = byName.structured?.['nodes'] as Array<Record<string, unknown>>;
    expect(nodes).toHaveLength(Number(pool1['size']));
    expect(byName.structured?.['cluster']).toBe(clusterNamed(sim, 'oke-prod').id);
    // The pool's nodes are the Kubernetes nodes of the backing cluster, by private IP.
    const kubeNodes = await server.ok('node_list', { cluster: 'oke-prod' });
    for (const n of nodes) {
      expect(n).toMatchObject({ state: 'ACTIVE', version: 'v1.35.0' });
      expect(kubeNodes.text).toContain(String(n['private_ip']));
    }

    const unknown = await server.call('node_pool_get', { cluster: 'oke-prod', node_pool: 'pool9' });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toContain('no node pool named "pool9" in cluster oke-prod');
    expect(unknown.text).toContain('pool1 (');
  });

  it('work_request_list and work_request_get answer the requests that created the clusters and pools', async () => {
    const list = items(await server.ok('work_request_list', { cluster: 'oke-prod' }));
    expect(list.map((w) => w['operation']).sort()).toEqual([
      'CLUSTER_CREATE',
      'NODEPOOL_CREATE',
      'NODEPOOL_CREATE',
    ]);
    expect(list.every((w) => w['status'] === 'SUCCEEDED')).toBe(true);
    // the table cuts an OCID at 60 characters; --output json prints the whole items
    const json = await startOke(sim, { args: ['--output', 'json'] });
    const listed = await json.ok('work_request_list', { cluster: 'oke-prod' });
    await json.close();
    const [whole] = (
      JSON.parse(listed.text.slice(0, listed.text.lastIndexOf(']') + 1)) as Array<Record<string, string>>
    ).filter((w) => w['operation'] === 'CLUSTER_CREATE');
    const create = list.find((w) => w['operation'] === 'CLUSTER_CREATE')!;
    expect(create['id']).toBe(cell(whole!['id']!));
    const one = await server.ok('work_request_get', { work_request: whole!['id'] });
    expect(one.structured).toMatchObject({
      id: whole!['id'],
      operation: 'CLUSTER_CREATE',
      status: 'SUCCEEDED',
    });
    expect(((one.structured?.['resources'] ?? []) as string[]).join('\n')).toContain(
      clusterNamed(sim, 'oke-prod').id,
    );
    expect((one.structured?.['log'] as string[] | undefined)?.length).toBeGreaterThan(0);
  });

  it('kubeconfig_get answers OCI kubeconfig with its exec user and no token', async () => {
    const prod = clusterNamed(sim, 'oke-prod');
    const answer = await server.ok('kubeconfig_get', { cluster: 'oke-prod' });
    const doc = parse(answer.text) as {
      clusters: Array<{ cluster: { server: string } }>;
      users: Array<{ user: { exec?: { command: string; args: string[] }; token?: string } }>;
    };
    expect(doc.clusters[0]!.cluster.server).toBe(`https://127.0.0.1:${prod.kube.port}`);
    const user = doc.users[0]!.user;
    expect(user.exec?.command).toBe('oci');
    expect(user.exec?.args).toEqual([
      'ce',
      'cluster',
      'generate-token',
      '--cluster-id',
      prod.id,
      '--region',
      sim.region,
    ]);
    expect(user.token).toBeUndefined();
    expect(answer.text).not.toContain('[REDACTED]');

    const priv = await server.ok('kubeconfig_get', { cluster: prod.id, endpoint: 'PRIVATE_ENDPOINT' });
    expect(priv.text).toContain(`server: https://localhost:${prod.kube.port}`);
  });

  it('environment_get answers the redacted identity and auth_refresh re-reads it', async () => {
    const env = await server.ok('environment_get');
    expect(env.structured).toMatchObject({
      auth: {
        mode: 'api_key',
        profile: 'DEFAULT',
        tenancy: sim.tenancyId,
        user: sim.users.admin.userId,
        fingerprint: sim.users.admin.fingerprint,
        fingerprintMatchesKey: true,
      },
      oci_endpoint: sim.url,
      cluster_endpoint: 'PUBLIC_ENDPOINT',
      transport: 'stdio',
    });
    expect(env.text).not.toContain('BEGIN');
    expect(env.text).not.toContain(sim.users.admin.privateKeyPem.split('\n')[1]!);

    const refreshed = await server.ok('auth_refresh');
    expect(refreshed.structured).toMatchObject({ mode: 'api_key', user: sim.users.admin.userId });
  });
});

describe('defaults', () => {
  it('defaults_set checks the cluster against OCI, and a call naming no cluster then uses it', async () => {
    const own = await startOke(sim);
    try {
      expect((await own.ok('defaults_get')).structured).toEqual({
        compartment: compartmentNamed(sim, 'production'),
      });
      const none = await own.call('cluster_get');
      expect(none.isError).toBe(true);
      expect(none.text).toContain('no default cluster is set');

      const wrong = await own.call('defaults_set', { cluster: 'oke-prd' });
      expect(wrong.isError).toBe(true);
      expect(wrong.text).toContain('Did you mean "oke-prod"?');

      const set = await own.ok('defaults_set', { cluster: 'oke-prod' });
      expect(set.structured).toEqual({
        compartment: compartmentNamed(sim, 'production'),
        cluster: 'oke-prod',
      });
      expect((await own.ok('cluster_get')).structured?.['id']).toBe(clusterNamed(sim, 'oke-prod').id);
      expect(items(await own.ok('namespace_list')).map((n) => n['name'])).toContain('kube-system');

      // Another compartment and a cluster there by OCID.
      const dev = clusterNamed(sim, 'oke-dev');
      await own.ok('defaults_set', { compartment: compartmentNamed(sim, 'development'), cluster: dev.id });
      expect((await own.ok('cluster_get')).structured?.['name']).toBe('oke-dev');
      expect(items(await own.ok('cluster_list')).map((c) => c['name'])).toEqual(['oke-dev']);
    } finally {
      await own.close();
    }
  });
});
