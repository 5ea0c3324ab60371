import { ANNOTATIONS, defineTool, pageInput, pageOutput } from '@cloudmcp/toolkit';
import * as z from 'zod';
import { listPaged, MAX_PAGE_SIZE } from '../listing.js';
import { resolveId, ZONE } from '../resolve.js';
import {
  diskOfferingSchema,
  keywordInput as keyword,
  optionalRefInput,
  serviceOfferingSchema,
  templateSchema,
  zoneSchema,
} from '../schemas.js';
import type { Ctx } from '../tool-common.js';

const paging = pageInput({ defaultLimit: 100, maxLimit: MAX_PAGE_SIZE });

export const zoneList = defineTool({
  name: 'zone_list',
  title: 'List zones',
  description: 'Zones with network type and allocation state.',
  toolset: 'catalog',
  input: z.object({ keyword, ...paging }),
  output: z.object(pageOutput(zoneSchema)),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'zones',
    columns: [
      { header: 'name', value: (z) => z.name },
      { header: 'network', value: (z) => z.networktype },
      { header: 'allocation', value: (z) => z.allocationstate },
      { header: 'id', value: (z) => z.id },
    ],
  },
  async handler(input, ctx: Ctx) {
    return listPaged(
      ctx.deps.client,
      { command: 'listZones', itemKey: 'zone', params: { keyword: input.keyword }, ...input },
      { signal: ctx.signal },
    ) as never;
  },
});

export const templateList = defineTool({
  name: 'template_list',
  title: 'List templates',
  description: 'OS templates to deploy from, with OS type, zone, readiness and size.',
  toolset: 'catalog',
  input: z.object({
    filter: z
      .enum(['executable', 'featured', 'self', 'selfexecutable', 'community', 'all'])
      .default('executable')
      .describe('CloudStack templatefilter'),
    zone: optionalRefInput('Zone'),
    keyword,
    ...paging,
  }),
  output: z.object(pageOutput(templateSchema)),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'templates',
    narrowHint: 'filter by zone or keyword',
    columns: [
      { header: 'name', value: (t) => t.name, maxWidth: 40 },
      { header: 'os', value: (t) => t.ostypename, maxWidth: 32 },
      { header: 'zone', value: (t) => t.zonename },
      { header: 'ready', value: (t) => t.isready },
      { header: 'size_gb', value: (t) => (t.size ? Math.round(t.size / 2 ** 30) : undefined) },
      { header: 'id', value: (t) => t.id },
    ],
  },
  async handler(input, ctx: Ctx) {
    const { client } = ctx.deps;
    const zoneid = input.zone && (await resolveId(client, input.zone, { ...ZONE, field: 'zone' }, ctx));
    return listPaged(
      client,
      {
        command: 'listTemplates',
        itemKey: 'template',
        params: { templatefilter: input.filter, zoneid, keyword: input.keyword },
        limit: input.limit,
        cursor: input.cursor,
      },
      { signal: ctx.signal },
    ) as never;
  },
});

export const serviceOfferingList = defineTool({
  name: 'service_offering_list',
  title: 'List service offerings',
  description: 'Compute offerings: CPUs, speed and memory.',
  toolset: 'catalog',
  input: z.object({ keyword, ...paging }),
  output: z.object(pageOutput(serviceOfferingSchema)),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'service offerings',
    columns: [
      { header: 'name', value: (o) => o.name },
      { header: 'cpus', value: (o) => o.cpunumber },
      { header: 'mhz', value: (o) => o.cpuspeed },
      { header: 'memory_mb', value: (o) => o.memory },
      { header: 'id', value: (o) => o.id },
    ],
  },
  async handler(input, ctx: Ctx) {
    return listPaged(
      ctx.deps.client,
      {
        command: 'listServiceOfferings',
        itemKey: 'serviceoffering',
        params: { keyword: input.keyword },
        ...input,
      },
      { signal: ctx.signal },
    ) as never;
  },
});

export const diskOfferingList = defineTool({
  name: 'disk_offering_list',
  title: 'List disk offerings',
  description: 'Data disk offerings: size in GB, or custom.',
  toolset: 'catalog',
  input: z.object({ keyword, ...paging }),
  output: z.object(pageOutput(diskOfferingSchema)),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'disk offerings',
    columns: [
      { header: 'name', value: (o) => o.name },
      { header: 'size_gb', value: (o) => (o.iscustomized ? 'custom' : o.disksize) },
      { header: 'id', value: (o) => o.id },
    ],
  },
  async handler(input, ctx: Ctx) {
    return listPaged(
      ctx.deps.client,
      { command: 'listDiskOfferings', itemKey: 'diskoffering', params: { keyword: input.keyword }, ...input },
      { signal: ctx.signal },
    ) as never;
  },
});

export const catalogTools = [zoneList, templateList, serviceOfferingList, diskOfferingList];
