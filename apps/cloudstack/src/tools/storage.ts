import {
  ANNOTATIONS,
  cursorOffset,
  defineTool,
  page,
  pageInput,
  pageOutput,
  ToolError,
} from '@cloudmcp/toolkit';
import * as z from 'zod';
import type { ApiObject } from '../client/client.js';
import { CloudStackError } from '../client/errors.js';
import { type JobResult, runAsync } from '../client/jobs.js';
import { type FailureHint, toToolError } from '../failures.js';
import { jobOnly, jobText, jobWith } from '../jobs-output.js';
import { listAll, listPaged, MAX_PAGE_SIZE } from '../listing.js';
import { DISK_OFFERING, resolveId, VM, VOLUME, ZONE } from '../resolve.js';
import {
  jobOutput,
  keywordInput,
  nonEmptyText,
  optionalRefInput,
  refInput,
  snapshotSchema,
  volumeSchema,
  waitInput,
} from '../schemas.js';
import { type Ctx, gb } from '../tool-common.js';

const SNAPSHOT = {
  command: 'listSnapshots',
  itemKey: 'snapshot',
  noun: 'snapshot',
  listTool: 'snapshot_list',
  params: { listall: true },
} as const;

const volumeRef = refInput('Volume');
const paging = pageInput({ defaultLimit: 100, maxLimit: MAX_PAGE_SIZE });

type Volume = z.input<typeof volumeSchema>;
type Snapshot = z.input<typeof snapshotSchema>;

function volumeId(ctx: Ctx, volume: string): Promise<string> {
  return resolveId(ctx.deps.client, volume, { ...VOLUME, field: 'volume' }, { signal: ctx.signal });
}

const volumeJobOutput = z.object({
  ...jobOutput,
  volume: volumeSchema.optional().describe('The volume once the job finished'),
});

const volumeJob = (result: JobResult) => jobWith<Volume, 'volume'>(result, 'volume', 'volume');

function volumeLine(v: z.output<typeof volumeSchema>): string {
  const size = gb(v.size);
  const vm = v.vmname ?? v.virtualmachineid;
  return (
    `volume ${v.name} (${v.id}) is ${v.state ?? 'in an unknown state'}` +
    `${size !== undefined ? `, ${size} GB` : ''}${vm ? `, attached to ${vm}` : ', not attached'}`
  );
}

const renderVolumeJob = {
  kind: 'text' as const,
  text: (out: z.output<typeof volumeJobOutput>) => jobText(out, out.volume && volumeLine(out.volume)),
};

export const volumeList = defineTool({
  name: 'volume_list',
  title: 'List volumes',
  description: 'Disk volumes: type, state, size, VM and zone.',
  toolset: 'storage',
  input: z.object({
    vm: optionalRefInput('VM'),
    zone: optionalRefInput('Zone'),
    type: z.enum(['ROOT', 'DATADISK']).optional().describe('ROOT: boot disk; DATADISK: data disk'),
    keyword: keywordInput,
    ...paging,
  }),
  output: z.object(pageOutput(volumeSchema)),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'volumes',
    narrowHint: 'filter by vm, zone, type or keyword',
    columns: [
      { header: 'name', value: (v) => v.name },
      { header: 'type', value: (v) => v.type },
      { header: 'state', value: (v) => v.state },
      { header: 'size_gb', value: (v) => gb(v.size) },
      { header: 'vm', value: (v) => v.vmname },
      { header: 'zone', value: (v) => v.zonename },
      { header: 'id', value: (v) => v.id },
    ],
  },
  async handler(input, ctx: Ctx) {
    const { client } = ctx.deps;
    const opts = { signal: ctx.signal };
    const virtualmachineid = input.vm && (await resolveId(client, input.vm, { ...VM, field: 'vm' }, opts));
    const zoneid = input.zone && (await resolveId(client, input.zone, { ...ZONE, field: 'zone' }, opts));
    return listPaged(
      client,
      {
        command: 'listVolumes',
        itemKey: 'volume',
        params: { listall: true, virtualmachineid, zoneid, type: input.type, keyword: input.keyword },
        limit: input.limit,
        cursor: input.cursor,
      },
      opts,
    ) as never;
  },
});

export const volumeCreate = defineTool({
  name: 'volume_create',
  title: 'Create a volume',
  description: 'Creates an empty data volume, not yet attached.',
  toolset: 'storage',
  input: z.object({
    name: nonEmptyText().max(255).describe('Volume name'),
    zone: refInput('Zone'),
    disk_offering: refInput('Disk offering'),
    size_gb: z.number().int().positive().optional().describe('GB, for a custom-size offering'),
    wait: waitInput,
  }),
  output: volumeJobOutput,
  annotations: ANNOTATIONS.create,
  render: renderVolumeJob,
  async handler(input, ctx: Ctx) {
    const { client, jobs } = ctx.deps;
    const opts = { signal: ctx.signal };
    const zoneid = await resolveId(client, input.zone, { ...ZONE, field: 'zone' }, opts);
    const diskofferingid = await resolveId(
      client,
      input.disk_offering,
      { ...DISK_OFFERING, field: 'disk_offering' },
      opts,
    );
    const result = await runAsync(
      client,
      'createVolume',
      { name: input.name, zoneid, diskofferingid, size: input.size_gb },
      ctx,
      { wait: input.wait, ...jobs },
    );
    return volumeJob(result);
  },
});

export const volumeAttach = defineTool({
  name: 'volume_attach',
  title: 'Attach a volume',
  description: 'Attaches a data volume to a VM in its zone; the guest must still format and mount it.',
  toolset: 'storage',
  input: z.object({
    volume: volumeRef,
    vm: refInput('VM'),
    wait: waitInput,
  }),
  output: volumeJobOutput,
  annotations: ANNOTATIONS.change,
  render: renderVolumeJob,
  async handler(input, ctx: Ctx) {
    const { client, jobs } = ctx.deps;
    const id = await volumeId(ctx, input.volume);
    const virtualmachineid = await resolveId(
      client,
      input.vm,
      { ...VM, field: 'vm' },
      { signal: ctx.signal },
    );
    const result = await runAsync(client, 'attachVolume', { id, virtualmachineid }, ctx, {
      wait: input.wait,
      ...jobs,
    });
    return volumeJob(result);
  },
});

export const volumeDetach = defineTool({
  name: 'volume_detach',
  title: 'Detach a volume',
  description: 'Detaches a data (not root) volume from its VM, keeping its data; unmount it first.',
  toolset: 'storage',
  input: z.object({ volume: volumeRef, wait: waitInput }),
  output: volumeJobOutput,
  annotations: ANNOTATIONS.change,
  render: renderVolumeJob,
  async handler(input, ctx: Ctx) {
    const { client, jobs } = ctx.deps;
    const id = await volumeId(ctx, input.volume);
    const result = await runAsync(client, 'detachVolume', { id }, ctx, { wait: input.wait, ...jobs });
    return volumeJob(result);
  },
});

/** Why an attached volume cannot be deleted and what to do: detach a data disk; a root disk goes with its VM. */
async function attachedHint(ctx: Ctx, id: string, volume: string): Promise<FailureHint> {
  const answer = await ctx.deps.client
    .call('listVolumes', { id, listall: true }, { signal: ctx.signal })
    .catch(() => ({}) as ApiObject);
  const found = (answer['volume'] as ApiObject[] | undefined)?.[0] ?? {};
  const vm = String(found['vmname'] ?? found['virtualmachineid'] ?? 'a VM');
  if (found['type'] === 'ROOT') {
    return {
      message: `Volume ${volume} is the root disk of ${vm}; it can only go together with its VM.`,
      next: `To remove it, destroy the VM with \`vm_destroy\` (vm: "${vm}") after asking the user.`,
    };
  }
  return {
    message: `Volume ${volume} is attached to ${vm}; it cannot be deleted while attached.`,
    next: `Detach it with \`volume_detach\` (volume: "${volume}"), then delete it again.`,
  };
}

export const volumeDelete = defineTool({
  name: 'volume_delete',
  title: 'Delete a volume',
  description: 'Deletes a detached data volume and its data.',
  toolset: 'storage',
  input: z.object({ volume: volumeRef }),
  output: z.object({
    volume_id: z.string().describe('Id of the deleted volume'),
    deleted: z.boolean().describe('true when CloudStack reported success'),
  }),
  annotations: ANNOTATIONS.destroy,
  render: { kind: 'text', text: (out) => `Deleted volume ${out.volume_id}.` },
  confirmMessage: (input) => `Delete volume ${input.volume} and all data on it`,
  async handler(input, ctx: Ctx) {
    const id = await volumeId(ctx, input.volume);
    let answer: { success?: boolean | string; displaytext?: string };
    try {
      answer = await ctx.deps.client.call('deleteVolume', { id }, { signal: ctx.signal });
    } catch (error) {
      // CloudStack answers 431 "Please specify a volume that is not attached to any VM." (some versions 536).
      const attached =
        error instanceof CloudStackError &&
        (error.errorcode === 536 || (error.errorcode === 431 && /attached/i.test(error.errortext)));
      if (!attached) throw error;
      throw toToolError(error, await attachedHint(ctx, id, input.volume));
    }
    if (String(answer.success) !== 'true') {
      throw new ToolError(`CloudStack did not confirm deleting volume ${input.volume}.`, {
        ...(answer.displaytext ? { upstreamMessage: answer.displaytext } : {}),
        next: 'Check it with `volume_list`; it may be attached or in use.',
      });
    }
    return { volume_id: id, deleted: true };
  },
});

export const snapshotList = defineTool({
  name: 'snapshot_list',
  title: 'List snapshots',
  description: 'Volume snapshots: state, volume, type, creation time.',
  toolset: 'storage',
  input: z.object({
    volume: optionalRefInput('Volume'),
    vm: optionalRefInput('VM'),
    keyword: keywordInput,
    ...paging,
  }),
  output: z.object(pageOutput(snapshotSchema)),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'snapshots',
    narrowHint: 'filter by volume, vm or keyword',
    columns: [
      { header: 'name', value: (s) => s.name, maxWidth: 48 },
      { header: 'state', value: (s) => s.state },
      { header: 'volume', value: (s) => s.volumename },
      { header: 'type', value: (s) => (s as Record<string, unknown>)['snapshottype'] },
      { header: 'created', value: (s) => s.created },
      { header: 'id', value: (s) => s.id },
    ],
  },
  async handler(input, ctx: Ctx) {
    const { client } = ctx.deps;
    const opts = { signal: ctx.signal };
    if (input.volume || !input.vm) {
      const volumeid = input.volume && (await volumeId(ctx, input.volume));
      return listPaged(
        client,
        {
          command: 'listSnapshots',
          itemKey: 'snapshot',
          params: { listall: true, volumeid, keyword: input.keyword },
          limit: input.limit,
          cursor: input.cursor,
        },
        opts,
      ) as never;
    }
    // listSnapshots has no VM filter (it would ignore one and list everything): read the snapshots of each
    // of the VM's volumes and page them here.
    const virtualmachineid = await resolveId(client, input.vm, { ...VM, field: 'vm' }, opts);
    const volumes = await listAll(client, 'listVolumes', 'volume', { listall: true, virtualmachineid }, opts);
    const snapshots: ApiObject[] = [];
    for (const volume of volumes) {
      const params = { listall: true, volumeid: String(volume['id']), keyword: input.keyword };
      snapshots.push(...(await listAll(client, 'listSnapshots', 'snapshot', params, opts)));
    }
    const offset = cursorOffset(input.cursor);
    return page(snapshots.slice(offset, offset + input.limit), { offset, total: snapshots.length }) as never;
  },
});

const snapshotJobOutput = z.object({
  ...jobOutput,
  snapshot: snapshotSchema.optional().describe('The snapshot once the job finished'),
});

export const snapshotCreate = defineTool({
  name: 'snapshot_create',
  title: 'Snapshot a volume',
  description: 'Snapshots a volume; backing up can take minutes.',
  toolset: 'storage',
  input: z.object({
    volume: volumeRef,
    name: nonEmptyText().max(255).optional().describe('Snapshot name'),
    wait: waitInput,
  }),
  output: snapshotJobOutput,
  annotations: ANNOTATIONS.create,
  render: {
    kind: 'text',
    text: (out) =>
      jobText(
        out,
        out.snapshot &&
          `snapshot ${out.snapshot.name ?? ''} (${out.snapshot.id}) of volume ` +
            `${out.snapshot.volumename ?? out.snapshot.volumeid ?? '?'} ` +
            `is ${out.snapshot.state ?? 'created'}`,
      ),
  },
  async handler(input, ctx: Ctx) {
    const { client, jobs } = ctx.deps;
    const volumeid = await volumeId(ctx, input.volume);
    const result = await runAsync(client, 'createSnapshot', { volumeid, name: input.name }, ctx, {
      wait: input.wait,
      ...jobs,
    });
    return jobWith<Snapshot, 'snapshot'>(result, 'snapshot', 'snapshot');
  },
});

export const snapshotDelete = defineTool({
  name: 'snapshot_delete',
  title: 'Delete a snapshot',
  description: 'Deletes a volume snapshot; the volume is untouched.',
  toolset: 'storage',
  input: z.object({
    snapshot: refInput('Snapshot'),
    wait: waitInput,
  }),
  output: z.object(jobOutput),
  annotations: ANNOTATIONS.destroy,
  render: { kind: 'text', text: (out) => jobText(out, `snapshot ${out.resource_id ?? ''} deleted`) },
  confirmMessage: (input) => `Delete snapshot ${input.snapshot}`,
  async handler(input, ctx: Ctx) {
    const { client, jobs } = ctx.deps;
    const id = await resolveId(
      client,
      input.snapshot,
      { ...SNAPSHOT, field: 'snapshot' },
      { signal: ctx.signal },
    );
    const result = await runAsync(client, 'deleteSnapshot', { id }, ctx, { wait: input.wait, ...jobs });
    return { resource_id: id, ...jobOnly(result) };
  },
});

export const storageTools = [
  volumeList,
  volumeCreate,
  volumeAttach,
  volumeDetach,
  volumeDelete,
  snapshotList,
  snapshotCreate,
  snapshotDelete,
];
