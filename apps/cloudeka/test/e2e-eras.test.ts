import type { CloudekaSim } from 'cloudeka-sim';
import { expectDeclineThenAccept } from 'mcp-test-kit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ERAS, hits, ok, type Started, startServer, type Table, withSim } from './harness.js';

// The smoke test of the stdio bin in both protocol eras: the client lands on the era it asked for, lists
// the tools, reads, and a destructive call goes ahead only when the user says so (asked with a pushed
// elicitation/create on legacy, an input_required answer inside the call on modern).
// Over HTTP (where a 2025-era client cannot be asked) the same is in e2e-http.test.ts.

let sim: CloudekaSim;
const servers: Started[] = [];

beforeAll(async () => {
  sim = await withSim();
});
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
});
afterAll(async () => {
  await sim?.close();
});

describe.each(ERAS)('%s era over stdio', (era) => {
  async function start(elicit: 'accept' | 'decline') {
    const server = await startServer(sim, { era, elicit });
    servers.push(server);
    return server;
  }

  it('lists the tools, reads, and deletes a role only when the user accepts', async () => {
    const declining = await start('decline');
    expect(declining.era).toBe(era);
    const { tools } = await declining.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['project_list', 'role_delete']));
    const projects = await ok<Table>(declining, 'project_list');
    expect(projects.rows).toHaveLength(3);

    const role = await ok<{ role: { id: string } }>(declining, 'role_create', { name: `Temp ${era}` });
    const route = '/core/user/organization/role/:role_id';
    await expectDeclineThenAccept({
      declining: declining.client,
      accepting: async () => {
        const accepting = await start('accept');
        expect(accepting.era).toBe(era);
        return accepting.client;
      },
      tool: 'role_delete',
      arguments: { role_id: role.role.id },
      changes: () => hits(sim, 'DELETE', route),
    });
  });
});
