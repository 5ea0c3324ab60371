import { runBin } from 'mcp-test-kit';
import type { OciSim } from 'oci-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLI,
  clusterNamed,
  countOps,
  items,
  type OkeServer,
  startOke,
  startSim,
  tempDir,
} from './harness.js';

// OCI errors and faults as a user meets them over stdio (what failed, the code, the opc-request-id and a
// next step), reads retried, and bad input refused before anything is sent.

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

describe('OCI errors', () => {
  it('an unknown cluster OCID is 404 NotAuthorizedOrNotFound with its request id and the policy to check', async () => {
    const missing = 'ocid1.cluster.oc1.iad.aaaaaaaanotthere';
    const failed = await server.call('cluster_get', { cluster: missing });
    expect(failed.isError).toBe(true);
    expect(failed.text).toContain('OCI refused GetCluster: HTTP 404 NotAuthorizedOrNotFound');
    expect(failed.text).toMatch(/opc-request-id [0-9A-F]{12}/);
    expect(failed.text).toContain(`Check cluster ${missing}`);
    expect(failed.text).toContain('manage cluster-family');
  });

  it.each([
    [429, 'TooManyRequests'],
    [500, 'InternalServerError'],
  ])('a read answered %i once is retried and succeeds', async (status) => {
    const before = countOps(sim, 'ListNodePools');
    sim.addFault({ kind: 'status', status, operation: 'ListNodePools', times: 1 });
    const list = await server.ok('node_pool_list', { cluster: 'oke-prod' });
    expect(items(list).map((p) => p['name'])).toEqual(['pool1', 'pool-arm']);
    expect(countOps(sim, 'ListNodePools')).toBe(before + 2);
  });

  it.each([
    [429, 'TooManyRequests'],
    [500, 'InternalServerError'],
  ])('a read answered %i every time names the code, the request id and a next step', async (status, code) => {
    sim.addFault({ kind: 'status', status, operation: 'GetCluster', times: Number.POSITIVE_INFINITY });
    try {
      const failed = await server.call('cluster_get', { cluster: clusterNamed(sim, 'oke-dev').id });
      expect(failed.isError).toBe(true);
      expect(failed.text).toContain(`HTTP ${status} ${code}`);
      expect(failed.text).toMatch(/opc-request-id [0-9A-F]{12}/);
      expect(failed.text).toContain('Next:');
      const faulted = sim.log.filter((e) => e.operation === 'GetCluster' && e.fault === 'status');
      expect(faulted.length).toBeGreaterThan(1);
    } finally {
      sim.clearFaults();
    }
  });

  it('a write answered 500 is not retried', async () => {
    const before = countOps(sim, 'UpdateNodePool');
    sim.addFault({ kind: 'status', status: 500, operation: 'UpdateNodePool', times: 1 });
    const failed = await server.call('node_pool_scale', {
      cluster: 'oke-prod',
      node_pool: 'pool-arm',
      size: 2,
    });
    expect(failed.isError).toBe(true);
    expect(failed.text).toContain('HTTP 500');
    expect(countOps(sim, 'UpdateNodePool')).toBe(before + 1);
  });
});

describe('bad input', () => {
  it('a compartment that is not an OCID is refused before anything is sent', async () => {
    const from = sim.log.length;
    const failed = await server.call('cluster_list', { compartment: 'production' });
    expect(failed.isError).toBe(true);
    expect(failed.text).toContain('Invalid input `compartment`');
    expect(sim.log.length).toBe(from);
  });

  it('a cluster name that does not exist suggests close names', async () => {
    const failed = await server.call('namespace_list', { cluster: 'oke-prd' });
    expect(failed.isError).toBe(true);
    expect(failed.text).toContain('no cluster named "oke-prd"');
    expect(failed.text).toContain('Did you mean "oke-prod"?');
  });

  it('a garbage cursor is refused with what to do', async () => {
    const failed = await server.call('cluster_list', { cursor: 'not-a-page' });
    expect(failed.isError).toBe(true);
    expect(failed.text).toMatch(/cursor|page/i);
  });

  it('--read-only and ALLOW_WRITE=false leave out node_pool_scale and every write', async () => {
    const config = sim.writeConfig(tempDir('oke-oci-'), { auth: 'api_key' });
    for (const opts of [{ args: ['--read-only'] }, { env: { ALLOW_WRITE: 'false' } }]) {
      const readOnly = await startOke(sim, { config, ...opts });
      try {
        const names = (await readOnly.server.client.listTools()).tools.map((t) => t.name);
        expect(names).toEqual(expect.arrayContaining(['cluster_list', 'node_pool_get', 'pod_list']));
        for (const write of ['node_pool_scale', 'resource_delete', 'resource_apply', 'deployment_scale']) {
          expect(names).not.toContain(write);
        }
      } finally {
        await readOnly.close();
      }
    }
  });

  it('--oci-endpoint junk exits 2 with one line', async () => {
    const result = await runBin(CLI, ['--oci-endpoint', 'not a url'], { HOME: tempDir('oke-home-') });
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/oci-endpoint/);
  });
});
