import type { CloudStackSim } from 'cloudstack-sim';
import { type ElicitAnswer, expectDeclineThenAccept } from 'mcp-test-kit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commandsSent, ERAS, rows, type Started, startServer, text, withSim } from './harness.js';

// The smoke test of the stdio bin in both protocol eras: the client lands on the era it asked for, lists
// the tools, reads, and a destructive call goes ahead only when the user says so (asked with a pushed
// elicitation/create on legacy, an input_required answer inside the call on modern).
// Over HTTP the same is in e2e-http.test.ts.

let sim: CloudStackSim;
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
  async function start(elicit: ElicitAnswer) {
    const server = await startServer(sim, { era, elicit });
    servers.push(server);
    return server;
  }

  it('lists the tools, reads, and destroys a VM only when the user accepts', async () => {
    const declining = await start('decline');
    expect(declining.era).toBe(era);
    const { tools } = await declining.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['zone_list', 'vm_list', 'vm_destroy']));

    const running = await declining.client.callTool({
      name: 'vm_list',
      arguments: { state: 'Running', limit: 1 },
    });
    const vm = rows(running)[0]!;
    expect(vm.state).toBe('Running');

    await expectDeclineThenAccept({
      declining: declining.client,
      accepting: async () => {
        const accepting = await start('accept');
        expect(accepting.era).toBe(era);
        return accepting.client;
      },
      tool: 'vm_destroy',
      arguments: { vm: vm.id },
      changes: () => commandsSent(sim, 'destroyVirtualMachine'),
    });
  });

  it('refuses an answer that does not fit the confirmation form', async () => {
    // in both eras the answer comes back into the tool's handler, and the toolkit reads it: "yes" is not true
    const malformed = await start('malformed');
    const running = await malformed.client.callTool({
      name: 'vm_list',
      arguments: { state: 'Running', limit: 1 },
    });
    const vm = rows(running)[0]!;
    const before = commandsSent(sim, 'destroyVirtualMachine');
    const refused = await malformed.client.callTool({ name: 'vm_destroy', arguments: { vm: vm.id } });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toContain('the user did not confirm vm_destroy');
    expect(commandsSent(sim, 'destroyVirtualMachine')).toBe(before);
  });
});
