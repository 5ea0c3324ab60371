import type { CloudStackSim } from 'cloudstack-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandsSent, rows, type Started, startServer, structured, text, withSim } from './harness.js';

let sim: CloudStackSim;
let server: Started;

beforeAll(async () => {
  sim = await withSim();
  server = await startServer(sim, { args: ['--confirm', 'never'] });
});
afterAll(async () => {
  await server?.close();
  await sim?.close();
});

async function call(name: string, args: Record<string, unknown> = {}) {
  return server.client.callTool({ name, arguments: args });
}

async function firstOf(tool: string, args: Record<string, unknown> = {}) {
  const result = await call(tool, args);
  expect(result.isError, text(result)).toBeFalsy();
  return rows(result)[0]!;
}

describe('cloudstack-mcp over stdio against cloudstack-sim', () => {
  it('lists every tool with a title, a description and all four annotations', async () => {
    const { tools } = await server.client.listTools();
    expect(tools.length).toBeGreaterThanOrEqual(12);
    for (const tool of tools) {
      expect(tool.name).toMatch(/^[a-z]+(_[a-z]+)+$/);
      // a sentence of its own, short: what it returns or does (the name and the schema say the rest)
      expect(tool.description).toMatch(/^\S.{14,}\.$/);
      expect(tool.description).not.toBe(tool.title);
      expect(tool.title).toBeTruthy();
      expect(Object.keys(tool.annotations ?? {}).sort()).toEqual(
        ['destructiveHint', 'idempotentHint', 'openWorldHint', 'readOnlyHint', 'title'].sort(),
      );
      expect(tool.outputSchema).toBeTruthy();
    }
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    expect(byName['vm_list']!.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(byName['vm_destroy']!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(byName['vm_deploy']!.annotations).toMatchObject({ readOnlyHint: false, idempotentHint: false });
  });

  it('zone_list renders a table of the seeded zones', async () => {
    const result = await call('zone_list');
    const zones = rows(result);
    expect(zones.length).toBeGreaterThanOrEqual(2);
    const lines = text(result).split('\n');
    expect(lines[0]).toMatch(/^NAME\s+NETWORK\s+ALLOCATION\s+ID$/);
    for (const zone of zones) expect(text(result)).toContain(zone.name);
  });

  it('template_list, service_offering_list and disk_offering_list return the catalog', async () => {
    const template = await firstOf('template_list');
    expect(template.id).toMatch(/^[0-9a-f-]{36}$/);
    const offering = await firstOf('service_offering_list');
    expect(Number(offering['cpus'])).toBeGreaterThan(0);
    const disk = await firstOf('disk_offering_list');
    expect(disk.name).toBeTruthy();
  });

  it('vm_list, vm_get and vm_status agree on one VM', async () => {
    const list = await call('vm_list', { limit: 5 });
    expect(text(list).split('\n')[0]).toMatch(/^NAME\s+STATE\s+ZONE\s+IPS\s+OFFERING\s+TEMPLATE\s+ID$/);
    const vm = rows(list)[0]!;
    const got = await call('vm_get', { vm: vm.id });
    expect(text(got)).toContain(`id: ${vm.id}`);
    expect(text(got)).toContain(`name: ${vm.name}`);
    const status = await call('vm_status', { vm: vm.name });
    expect(text(status)).toContain(`${vm.name} (${vm.id}) is ${vm['state']}`);
  });

  it('deploys a VM by names, with progress, sent exactly once, then stops, starts, reboots and destroys it', async () => {
    const zone = await firstOf('zone_list');
    const template = await firstOf('template_list', { zone: zone.name });
    const offering = await firstOf('service_offering_list');
    const before = commandsSent(sim, 'deployVirtualMachine');
    const progress: number[] = [];
    const deployed = await server.client.callTool(
      {
        name: 'vm_deploy',
        arguments: {
          zone: zone.name,
          template: template.name,
          service_offering: offering.name,
          name: 'e2e-web-1',
        },
      },
      { onprogress: (p) => progress.push(p.progress) },
    );
    expect(deployed.isError, text(deployed)).toBeFalsy();
    expect(commandsSent(sim, 'deployVirtualMachine')).toBe(before + 1);
    expect(progress.length).toBeGreaterThanOrEqual(1);
    const out = structured<{ job_status: string; vm: { id: string; state: string; name: string } }>(deployed);
    expect(out.job_status).toBe('succeeded');
    expect(out.vm).toMatchObject({ name: 'e2e-web-1', state: 'Running' });
    expect(text(deployed)).toMatch(/^Done \(job [0-9a-f-]+\): e2e-web-1 \([0-9a-f-]+\) is Running/);

    const stopped = await call('vm_stop', { vm: 'e2e-web-1' });
    expect(structured<{ vm: { state: string } }>(stopped).vm.state).toBe('Stopped');
    const started = await call('vm_start', { vm: out.vm.id });
    expect(structured<{ vm: { state: string } }>(started).vm.state).toBe('Running');
    const rebooted = await call('vm_reboot', { vm: out.vm.id });
    expect(rebooted.isError, text(rebooted)).toBeFalsy();
    const destroyed = await call('vm_destroy', { vm: out.vm.id });
    expect(destroyed.isError, text(destroyed)).toBeFalsy();
    const status = await call('vm_status', { vm: out.vm.id });
    expect(text(status)).toMatch(/is (Destroyed|Expunging)/);
  });

  it('wait: false returns the job id at once and job_status follows it', async () => {
    const zone = await firstOf('zone_list');
    const template = await firstOf('template_list', { zone: zone.id });
    const offering = await firstOf('service_offering_list');
    const result = await call('vm_deploy', {
      zone: zone.id,
      template: template.id,
      service_offering: offering.id,
      wait: false,
    });
    const job = structured<{ job_id: string; job_status: string; resume: string; resource_id: string }>(
      result,
    );
    expect(job.job_status).toBe('pending');
    expect(job.resume).toContain(`job_status(job_id: "${job.job_id}")`);
    expect(job.resource_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('bad input names the field', async () => {
    const missing = await call('vm_deploy', { template: 'x', service_offering: 'y' });
    expect(missing.isError).toBe(true);
    expect(text(missing)).toMatch(/zone/);
    const wrongType = await call('vm_list', { limit: 'many' });
    expect(wrongType.isError).toBe(true);
    expect(text(wrongType)).toMatch(/limit/);
    const unknownName = await call('vm_deploy', { zone: 'atlantis', template: 'x', service_offering: 'y' });
    expect(text(unknownName)).toBe(
      'Error: No zone named "atlantis" (field `zone`).\nNext: List them with `zone_list` and pass an id or an exact name.',
    );
  });

  it("reports CloudStack's own error code and text with a next step", async () => {
    const zone = await firstOf('zone_list');
    const template = await firstOf('template_list', { zone: zone.id });
    const result = await call('vm_deploy', {
      zone: zone.id,
      template: template.id,
      service_offering: '00000000-0000-0000-0000-000000000000',
    });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/^Error: CloudStack refused deployVirtualMachine\.\nUpstream: 431 /);
    expect(text(result)).toMatch(/Next: Fix the argument the message names/);
  });
});
