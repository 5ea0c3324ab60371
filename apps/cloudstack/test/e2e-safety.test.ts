import type { CloudStackSim } from 'cloudstack-sim';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commandsSent, rows, type Started, startServer, structured, text, withSim } from './harness.js';

let sim: CloudStackSim;
const servers: Started[] = [];

beforeAll(async () => {
  sim = await withSim();
});
afterEach(async () => {
  sim.clearFaults();
  sim.setJobSteps(2);
  while (servers.length) await servers.pop()!.close();
});
afterAll(async () => {
  await sim?.close();
});

async function start(options: Parameters<typeof startServer>[1] = {}) {
  const server = await startServer(sim, options);
  servers.push(server);
  return server;
}

async function deployArgs(server: Started) {
  const first = async (tool: string, args = {}) =>
    rows(await server.client.callTool({ name: tool, arguments: args }))[0]!.id;
  const zone = await first('zone_list');
  return {
    zone,
    template: await first('template_list', { zone }),
    service_offering: await first('service_offering_list'),
  };
}

async function runningVm(server: Started): Promise<{ id: string; name: string }> {
  const result = await server.client.callTool({ name: 'vm_list', arguments: { state: 'Running', limit: 1 } });
  const [vm] = rows(result);
  return { id: vm!.id!, name: vm!.name! };
}

describe('safety and resilience', () => {
  it('--read-only exposes only read tools', async () => {
    const server = await start({ args: ['--read-only'] });
    const { tools } = await server.client.listTools();
    expect(tools.length).toBeGreaterThan(4);
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    expect(tools.map((t) => t.name)).not.toContain('vm_deploy');
  });

  it('a destructive call from a client that cannot be asked is refused, and the model cannot confirm for the user', async () => {
    const server = await start();
    const vm = await runningVm(server);
    const destroy = (args: Record<string, unknown>) =>
      server.client.callTool({ name: 'vm_destroy', arguments: args });
    if (server.era === 'legacy') {
      const refused = await destroy({ vm: vm.id });
      expect(refused.isError).toBe(true);
      expect(text(refused)).toContain(
        `Refused: Destroy VM ${vm.id}. Your MCP client cannot ask you to confirm (it does not support elicitation on this connection)`,
      );
      expect(text(refused)).toContain('Nothing was changed.');
      expect(text(refused)).toContain('--allow-model-confirm');
    } else {
      // 2026-07-28 names it: the call needs a capability (elicitation) the client did not declare.
      await expect(destroy({ vm: vm.id })).rejects.toMatchObject({
        code: -32021,
        message: expect.stringContaining('elicitation'),
      });
    }
    // Without --allow-model-confirm, `confirm` is no argument at all.
    const modelSaysYes = await destroy({ vm: vm.id, confirm: true });
    expect(modelSaysYes.isError).toBe(true);
    expect(text(modelSaysYes)).toContain(
      'Invalid input `confirm`: not an argument of vm_destroy; its arguments are vm, expunge, wait',
    );
    expect(commandsSent(sim, 'destroyVirtualMachine')).toBe(0);
    const status = await server.client.callTool({ name: 'vm_status', arguments: { vm: vm.id } });
    expect(text(status)).toContain(`(${vm.id}) is Running`);
  });

  it('with --allow-model-confirm, a client that cannot be asked goes ahead on the model’s confirm: true only', async () => {
    const server = await start({ args: ['--allow-model-confirm'] });
    const { tools } = await server.client.listTools();
    const vmDestroy = tools.find((t) => t.name === 'vm_destroy')!;
    expect(vmDestroy.inputSchema.properties).toHaveProperty('confirm');
    const vm = await runningVm(server);
    const before = commandsSent(sim, 'destroyVirtualMachine');
    const unconfirmed = await server.client.callTool({ name: 'vm_destroy', arguments: { vm: vm.id } });
    expect(unconfirmed.isError).toBe(true);
    expect(text(unconfirmed)).toContain(`Confirmation needed: Destroy VM ${vm.id}. Nothing was changed.`);
    expect(text(unconfirmed)).toContain('call vm_destroy again with the same arguments and `confirm: true`');
    expect(commandsSent(sim, 'destroyVirtualMachine')).toBe(before);
    const confirmed = await server.client.callTool({
      name: 'vm_destroy',
      arguments: { vm: vm.id, confirm: true },
    });
    expect(confirmed.isError, text(confirmed)).toBeFalsy();
    expect(commandsSent(sim, 'destroyVirtualMachine')).toBe(before + 1);
    const status = await server.client.callTool({ name: 'vm_status', arguments: { vm: vm.id } });
    expect(text(status)).toContain(`(${vm.id}) is Destroyed`);
  });

  it('with elicitation the user decides: decline changes nothing, accept destroys', async () => {
    // Even where the model may confirm, a user who can be asked has the last word over its confirm: true.
    const declining = await start({ elicit: 'decline', args: ['--allow-model-confirm'] });
    const vm = await runningVm(declining);
    const before = commandsSent(sim, 'destroyVirtualMachine');
    const declined = await declining.client.callTool({
      name: 'vm_destroy',
      arguments: { vm: vm.id, confirm: true },
    });
    expect(declined.isError).toBe(true);
    expect(text(declined)).toContain('the user did not confirm vm_destroy');
    expect(commandsSent(sim, 'destroyVirtualMachine')).toBe(before);
    const accepting = await start({ elicit: 'accept' });
    const accepted = await accepting.client.callTool({ name: 'vm_destroy', arguments: { vm: vm.id } });
    expect(accepted.isError, text(accepted)).toBeFalsy();
    expect(commandsSent(sim, 'destroyVirtualMachine')).toBe(before + 1);
  });

  it('retries a read on 503 and succeeds', async () => {
    const server = await start();
    const before = commandsSent(sim, 'listZones');
    sim.addFault({ command: 'listZones', kind: 'status', status: 503, times: 1 });
    const result = await server.client.callTool({ name: 'zone_list', arguments: {} });
    expect(result.isError, text(result)).toBeFalsy();
    expect(commandsSent(sim, 'listZones')).toBe(before + 2);
  });

  it('never sends a deploy twice: a reset is reported as an unknown outcome', async () => {
    const server = await start({ args: ['--confirm', 'never'] });
    const args = await deployArgs(server);
    const before = commandsSent(sim, 'deployVirtualMachine');
    sim.addFault({ command: 'deployVirtualMachine', kind: 'reset', times: 1 });
    const result = await server.client.callTool({ name: 'vm_deploy', arguments: args });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('may or may not have been applied');
    expect(commandsSent(sim, 'deployVirtualMachine')).toBe(before + 1);
  });

  it('never retries a deploy on 503 either', async () => {
    const server = await start();
    const args = await deployArgs(server);
    const before = commandsSent(sim, 'deployVirtualMachine');
    sim.addFault({ command: 'deployVirtualMachine', kind: 'status', status: 503, times: 1 });
    const result = await server.client.callTool({ name: 'vm_deploy', arguments: args });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/Upstream: 503/);
    expect(commandsSent(sim, 'deployVirtualMachine')).toBe(before + 1);
  });

  it('a malformed body is a clear error, not a crash', async () => {
    const server = await start();
    sim.addFault({ command: 'listZones', kind: 'malformed', times: 1 });
    const result = await server.client.callTool({ name: 'zone_list', arguments: {} });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/not a JSON answer/);
    const again = await server.client.callTool({ name: 'zone_list', arguments: {} });
    expect(again.isError).toBeFalsy();
  });

  it('a hanging upstream times out with a clear error', async () => {
    const server = await start({ env: { CLOUDSTACK_TIMEOUT: '0.3' } });
    sim.addFault({ command: 'listServiceOfferings', kind: 'hang', times: 1 });
    const result = await server.client.callTool({ name: 'service_offering_list', arguments: {} });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('did not answer in time');
  });

  it('a job that outlives --job-timeout returns its id and how to resume', async () => {
    const server = await start({ env: { CLOUDSTACK_JOB_TIMEOUT: '0.3' } });
    const args = await deployArgs(server);
    sim.setJobSteps(Number.POSITIVE_INFINITY);
    const result = await server.client.callTool({ name: 'vm_deploy', arguments: args });
    const out = structured<{ job_status: string; job_id: string; resume: string }>(result);
    expect(out.job_status).toBe('pending');
    expect(out.resume).toMatch(
      /^Still running after 0\.3 s\. Follow it with job_status\(job_id: "[0-9a-f-]+"\)\.$/,
    );
  });

  it('cancelling a deploy stops the waiting, keeps the job, and sent the deploy once', async () => {
    const server = await start();
    const args = await deployArgs(server);
    sim.setJobSteps(Number.POSITIVE_INFINITY);
    const before = commandsSent(sim, 'deployVirtualMachine');
    const controller = new AbortController();
    let progressed!: () => void;
    const firstProgress = new Promise<void>((resolve) => {
      progressed = resolve;
    });
    const call = server.client.callTool(
      { name: 'vm_deploy', arguments: args },
      {
        signal: controller.signal,
        onprogress: () => progressed(),
      },
    );
    await firstProgress;
    controller.abort();
    await expect(call).rejects.toThrow();
    await server.waitForStderr('stopped waiting (cancelled)');
    expect(commandsSent(sim, 'deployVirtualMachine')).toBe(before + 1);
    const alive = await server.client.callTool({ name: 'zone_list', arguments: {} });
    expect(alive.isError).toBeFalsy();
  });
});
