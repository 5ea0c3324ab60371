import type { KubeSim } from 'kube-sim';
import { expectDeclineThenAccept } from 'mcp-test-kit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ERAS, type Started, startServer, startSim, writeKubeconfig } from './harness.js';

// The smoke test of the stdio bin in both protocol eras: the client lands on the era it asked for, lists
// the tools, reads, and a destructive call goes ahead only when the user says so (asked with a pushed
// elicitation/create on legacy, an input_required answer inside the call on modern).
// Over HTTP: e2e-http.test.ts.

let sim: KubeSim;
let kubeconfig: string;
const servers: Started[] = [];

beforeAll(async () => {
  sim = await startSim();
  kubeconfig = writeKubeconfig(sim, 'admin');
});
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
});
afterAll(async () => {
  await sim?.close();
});

describe.each(ERAS)('%s era over stdio', (era) => {
  async function start(elicit: 'accept' | 'decline') {
    const server = await startServer({ kubeconfig, era, elicit });
    servers.push(server);
    return server;
  }

  it('lists the tools, reads, and deletes a ConfigMap only when the user accepts', async () => {
    const store = sim.clusters[0]!.store;
    const name = `smoke-${era}`;
    store.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: {} });
    const target = { context: 'sim-1', kind: 'configmap', namespace: 'default', name };

    const declining = await start('decline');
    expect(declining.era).toBe(era);
    const { tools } = await declining.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['resource_get', 'resource_delete']));
    const read = await declining.ok('resource_get', target);
    expect(read.text).toContain(`name: ${name}`);

    // the ConfigMap is gone once, after the yes: count deletions as "no longer in the store"
    await expectDeclineThenAccept({
      declining: declining.client,
      accepting: async () => {
        const accepting = await start('accept');
        expect(accepting.era).toBe(era);
        return accepting.client;
      },
      tool: 'resource_delete',
      arguments: target,
      changes: () => (store.get('v1', 'ConfigMap', 'default', name) ? 0 : 1),
    });
  });
});
