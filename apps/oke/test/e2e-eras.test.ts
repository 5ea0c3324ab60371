import { expectDeclineThenAccept } from 'mcp-test-kit';
import type { OciSim } from 'oci-sim';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { countOps, ERAS, items, type OkeServer, startOke, startSim } from './harness.js';

// The smoke test of the stdio bin in both protocol eras: the client lands on the era it asked for, lists the
// tools, reads OCI and a cluster, and a scale down goes ahead only when the user says so.

let sim: OciSim;
const servers: OkeServer[] = [];

beforeAll(async () => {
  sim = await startSim();
});
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
});
afterAll(async () => {
  await sim?.close();
});

describe.each(ERAS)('%s era over stdio', (era) => {
  it('lists the tools, reads, and scales a pool down only when the user accepts', async () => {
    const declining = await startOke(sim, { era, elicit: 'decline' });
    servers.push(declining);
    expect(declining.era).toBe(era);
    const { tools } = await declining.server.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(
      expect.arrayContaining(['cluster_list', 'node_pool_scale', 'pod_list']),
    );
    expect(items(await declining.ok('cluster_list')).map((c) => c['name'])).toEqual(['oke-prod']);
    expect(items(await declining.ok('namespace_list', { cluster: 'oke-prod' })).length).toBeGreaterThan(0);

    const pool = await declining.ok('node_pool_get', { cluster: 'oke-prod', node_pool: 'pool-arm' });
    const size = pool.structured?.['size'] as number;
    await declining.ok('node_pool_scale', { cluster: 'oke-prod', node_pool: 'pool-arm', size: size + 1 });
    const target = { cluster: 'oke-prod', node_pool: 'pool-arm', size };
    await expectDeclineThenAccept({
      declining: declining.server.client,
      accepting: async () => {
        const accepting = await startOke(sim, { era, elicit: 'accept' });
        servers.push(accepting);
        return accepting.server.client;
      },
      tool: 'node_pool_scale',
      arguments: target,
      changes: () => countOps(sim, 'UpdateNodePool'),
    });
    const after = await declining.ok('node_pool_get', { cluster: 'oke-prod', node_pool: 'pool-arm' });
    expect(after.structured).toMatchObject({ size, state: 'ACTIVE' });
  });
});
