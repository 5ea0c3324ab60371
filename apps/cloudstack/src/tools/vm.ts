import { ANNOTATIONS, defineTool, pageInput, pageOutput, ToolError } from '@cloudmcp/toolkit';
import * as z from 'zod';
import type { ApiObject } from '../client/client.js';
import { type JobResult, runAsync } from '../client/jobs.js';
import { jobText, jobWith } from '../jobs-output.js';
import { listPaged, MAX_PAGE_SIZE } from '../listing.js';
import {
  DISK_OFFERING,
  NETWORK,
  resolveId,
  resolveOnly,
  SERVICE_OFFERING,
  TEMPLATE,
  VM,
  ZONE,
} from '../resolve.js';
import {
  jobOutput,
  keywordInput,
  nonEmptyText,
  optionalRefInput,
  refInput,
  vmIps,
  vmSchema,
  waitInput,
} from '../schemas.js';
import type { Ctx } from '../tool-common.js';

const vmRef = refInput('VM');

async function getVm(ctx: Ctx, vm: string): Promise<ApiObject> {
  const { client } = ctx.deps;
  const id = await resolveId(client, vm, { ...VM, field: 'vm' }, { signal: ctx.signal });
  const answer = await client.call('listVirtualMachines', { id, listall: true }, { signal: ctx.signal });
  const found = (answer['virtualmachine'] as ApiObject[] | undefined)?.[0];
  if (!found) {
    throw new ToolError(`No VM with id ${id}.`, { next: 'List VMs with `vm_list` to find the right one.' });
  }
  return found;
}

export const vmList = defineTool({
  name: 'vm_list',
  title: 'List VMs',
  description: 'VMs: state, zone, IPs, offering, template.',
  toolset: 'vm',
  input: z.object({
    zone: optionalRefInput('Zone'),
    state: z
      .enum(['Running', 'Stopped', 'Starting', 'Stopping', 'Destroyed', 'Expunging', 'Migrating', 'Error'])
      .optional()
      .describe('VM state'),
    keyword: keywordInput,
    ...pageInput({ defaultLimit: 100, maxLimit: MAX_PAGE_SIZE }),
  }),
  output: z.object(pageOutput(vmSchema)),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'VMs',
    narrowHint: 'filter by zone, state or keyword',
    columns: [
      { header: 'name', value: (vm) => vm.name },
      { header: 'state', value: (vm) => vm.state },
      { header: 'zone', value: (vm) => vm.zonename },
      { header: 'ips', value: (vm) => vmIps(vm) },
      { header: 'offering', value: (vm) => vm.serviceofferingname },
      { header: 'template', value: (vm) => vm.templatename, maxWidth: 32 },
      { header: 'id', value: (vm) => vm.id },
    ],
  },
  async handler(input, ctx: Ctx) {
    const { client } = ctx.deps;
    const zoneid = input.zone && (await resolveId(client, input.zone, { ...ZONE, field: 'zone' }, ctx));
    return listPaged(
      client,
      {
        command: 'listVirtualMachines',
        itemKey: 'virtualmachine',
        params: { listall: true, zoneid, state: input.state, keyword: input.keyword },
        limit: input.limit,
        cursor: input.cursor,
      },
      { signal: ctx.signal },
    ) as never;
  },
});

export const vmGet = defineTool({
  name: 'vm_get',
  title: 'Get a VM',
  description: 'One VM in full; `vm_status` is shorter.',
  toolset: 'vm',
  input: z.object({ vm: vmRef }),
  output: z.object({ vm: vmSchema }),
  annotations: ANNOTATIONS.read,
  render: { kind: 'object', select: (out) => out.vm },
  async handler(input, ctx: Ctx) {
    return { vm: (await getVm(ctx, input.vm)) as z.input<typeof vmSchema> };
  },
});

export const vmStatus = defineTool({
  name: 'vm_status',
  title: 'VM status',
  description: 'One line: a VM’s state, IPs, zone and running job.',
  toolset: 'vm',
  input: z.object({ vm: vmRef }),
  output: z.object({
    id: z.string(),
    name: z.string(),
    state: z.string(),
    ips: z.array(z.string()),
    zone: z.string().optional(),
    job_id: z.string().optional().describe('A job running on this VM right now'),
  }),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'text',
    text: (s) =>
      `${s.name} (${s.id}) is ${s.state}${s.ips.length ? `; IPs ${s.ips.join(', ')}` : ''}` +
      `${s.zone ? `; zone ${s.zone}` : ''}${s.job_id ? `; job ${s.job_id} running` : ''}.`,
  },
  async handler(input, ctx: Ctx) {
    const vm = await getVm(ctx, input.vm);
    const ips = vmIps(vm as { nic?: Array<{ ipaddress?: string }> });
    return {
      id: String(vm['id']),
      name: String(vm['name']),
      state: String(vm['state']),
      ips: ips ? ips.split(',') : [],
      ...(vm['zonename'] ? { zone: String(vm['zonename']) } : {}),
      ...(vm['jobid'] ? { job_id: String(vm['jobid']) } : {}),
    };
  },
});

const vmJobOutput = z.object({
  ...jobOutput,
  vm: vmSchema.optional().describe('The VM once the job finished'),
});

/** Shapes the result of a VM job: the VM from the job result, when there is one. */
const vmJob = (result: JobResult) => jobWith<z.input<typeof vmSchema>, 'vm'>(result, 'virtualmachine', 'vm');

const renderVmJob = {
  kind: 'text' as const,
  text: (out: z.output<typeof vmJobOutput>) =>
    jobText(
      out,
      out.vm &&
        `${out.vm.name} (${out.vm.id}) is ${out.vm.state}${vmIps(out.vm) ? `; IPs ${vmIps(out.vm)}` : ''}`,
    ),
};

export const vmDeploy = defineTool({
  name: 'vm_deploy',
  title: 'Deploy a VM',
  description: 'Creates and starts a VM; returns it with its IPs.',
  toolset: 'vm',
  input: z.object({
    zone: z.string().optional().describe('Zone id or name; optional with one zone'),
    template: refInput('Template'),
    service_offering: refInput('Service offering'),
    name: z
      .string()
      .regex(
        /^[a-zA-Z][a-zA-Z0-9-]{0,62}$/,
        'a host name: letters, digits and dashes, starting with a letter',
      )
      .optional()
      .describe('Host name'),
    display_name: z.string().optional().describe('Display name'),
    networks: z.array(nonEmptyText()).optional().describe('Network ids or names; first is default'),
    ssh_key: z.string().optional().describe('SSH key pair name'),
    disk_offering: optionalRefInput('Data disk offering'),
    disk_size_gb: z.number().int().positive().optional().describe('Data disk GB (custom offering)'),
    start: z.boolean().default(true).describe('Start it'),
    wait: waitInput,
  }),
  output: vmJobOutput,
  annotations: ANNOTATIONS.create,
  render: renderVmJob,
  async handler(input, ctx: Ctx) {
    const { client, jobs } = ctx.deps;
    const opts = { signal: ctx.signal };
    const zone = { ...ZONE, field: 'zone' };
    const zoneid = input.zone
      ? await resolveId(client, input.zone, zone, opts)
      : await resolveOnly(client, zone, opts);
    const templateid = await resolveId(
      client,
      input.template,
      { ...TEMPLATE, field: 'template', params: { ...TEMPLATE.params, zoneid } },
      opts,
    );
    const serviceofferingid = await resolveId(
      client,
      input.service_offering,
      { ...SERVICE_OFFERING, field: 'service_offering' },
      opts,
    );
    const networkids = input.networks?.length
      ? (
          await Promise.all(
            input.networks.map((n) =>
              resolveId(
                client,
                n,
                { ...NETWORK, field: 'networks', params: { ...NETWORK.params, zoneid } },
                opts,
              ),
            ),
          )
        ).join(',')
      : undefined;
    const diskofferingid =
      input.disk_offering &&
      (await resolveId(client, input.disk_offering, { ...DISK_OFFERING, field: 'disk_offering' }, opts));
    const result = await runAsync(
      client,
      'deployVirtualMachine',
      {
        zoneid,
        templateid,
        serviceofferingid,
        name: input.name,
        displayname: input.display_name,
        networkids,
        keypair: input.ssh_key,
        diskofferingid,
        size: input.disk_size_gb,
        startvm: input.start,
      },
      ctx,
      { wait: input.wait, ...jobs },
    );
    return vmJob(result);
  },
});

function vmAction(spec: {
  name: string;
  title: string;
  command: string;
  description: string;
  destructive: boolean;
  idempotent: boolean;
  extra?: z.ZodRawShape;
  params?: (input: Record<string, unknown>) => Record<string, unknown>;
  confirm?: (vm: string) => string;
}) {
  return defineTool({
    name: spec.name,
    title: spec.title,
    description: spec.description,
    toolset: 'vm',
    input: z.object({ vm: vmRef, ...spec.extra, wait: waitInput }),
    output: vmJobOutput,
    annotations: {
      readOnlyHint: false,
      destructiveHint: spec.destructive,
      idempotentHint: spec.idempotent,
      openWorldHint: true,
    },
    render: renderVmJob,
    ...(spec.confirm ? { confirmMessage: (input: { vm: string }) => spec.confirm!(input.vm) } : {}),
    async handler(input, ctx: Ctx) {
      const { client, jobs } = ctx.deps;
      const id = await resolveId(client, input.vm as string, { ...VM, field: 'vm' }, { signal: ctx.signal });
      const extra = spec.params?.(input) ?? {};
      const result = await runAsync(client, spec.command, { id, ...extra } as never, ctx, {
        wait: input.wait as boolean,
        ...jobs,
      });
      return vmJob(result);
    },
  });
}

export const vmStart = vmAction({
  name: 'vm_start',
  title: 'Start a VM',
  command: 'startVirtualMachine',
  description: 'Starts a stopped VM; returns it with its IPs.',
  destructive: false,
  idempotent: true,
});

export const vmStop = vmAction({
  name: 'vm_stop',
  title: 'Stop a VM',
  command: 'stopVirtualMachine',
  description: 'Stops a running VM (guest shutdown); its disks are kept.',
  destructive: false,
  idempotent: true,
  extra: { forced: z.boolean().optional().describe('Pull the plug') },
  params: (input) => ({ forced: input['forced'] || undefined }),
});

export const vmReboot = vmAction({
  name: 'vm_reboot',
  title: 'Reboot a VM',
  command: 'rebootVirtualMachine',
  description: 'Reboots a running VM.',
  destructive: false,
  idempotent: false,
});

export const vmDestroy = vmAction({
  name: 'vm_destroy',
  title: 'Destroy a VM',
  command: 'destroyVirtualMachine',
  description: 'Destroys a VM; an admin can recover it until it is expunged.',
  destructive: true,
  idempotent: true,
  extra: { expunge: z.boolean().optional().describe('Now, with its root disk (admins)') },
  params: (input) => ({ expunge: input['expunge'] || undefined }),
  confirm: (vm) => `Destroy VM ${vm}`,
});

export const vmTools = [vmList, vmGet, vmStatus, vmDeploy, vmStart, vmStop, vmReboot, vmDestroy];
