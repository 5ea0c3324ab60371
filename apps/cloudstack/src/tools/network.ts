import { isIP } from 'node:net';
import { ANNOTATIONS, badInput, defineTool, pageInput, pageOutput, ToolError } from '@cloudmcp/toolkit';
import * as z from 'zod';
import type { ApiObject } from '../client/client.js';
import { runAsync } from '../client/jobs.js';
import { jobOnly, jobText, jobWith } from '../jobs-output.js';
import { listPaged, MAX_PAGE_SIZE } from '../listing.js';
import { NETWORK, resolveId, ZONE } from '../resolve.js';
import {
  jobOutput,
  keywordInput,
  networkSchema,
  nonEmptyText,
  optionalRefInput,
  publicIpSchema,
  waitInput,
} from '../schemas.js';
import type { Ctx } from '../tool-common.js';

const paging = pageInput({ defaultLimit: 100, maxLimit: MAX_PAGE_SIZE });
const ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+)$/i;

export const networkList = defineTool({
  name: 'network_list',
  title: 'List networks',
  description: 'Guest networks: type, state, CIDR, zone.',
  toolset: 'network',
  input: z.object({
    zone: optionalRefInput('Zone'),
    type: z.enum(['Isolated', 'Shared', 'L2']).optional().describe('Network type'),
    keyword: keywordInput,
    ...paging,
  }),
  output: z.object(pageOutput(networkSchema)),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'networks',
    narrowHint: 'filter by zone, type or keyword',
    columns: [
      { header: 'name', value: (n) => n.name },
      { header: 'type', value: (n) => n.type },
      { header: 'state', value: (n) => n.state },
      { header: 'cidr', value: (n) => n.cidr },
      { header: 'zone', value: (n) => n.zonename },
      { header: 'id', value: (n) => n.id },
    ],
  },
  async handler(input, ctx: Ctx) {
    const { client } = ctx.deps;
    const zoneid = input.zone && (await resolveId(client, input.zone, { ...ZONE, field: 'zone' }, ctx));
    return listPaged(
      client,
      {
        command: 'listNetworks',
        itemKey: 'network',
        params: { listall: true, zoneid, type: input.type, keyword: input.keyword },
        limit: input.limit,
        cursor: input.cursor,
      },
      { signal: ctx.signal },
    ) as never;
  },
});

export const publicIpList = defineTool({
  name: 'public_ip_list',
  title: 'List public IPs',
  description: 'Public IP addresses: state, zone, network, NATed VM, source NAT.',
  toolset: 'network',
  input: z.object({
    zone: optionalRefInput('Zone'),
    network: optionalRefInput('Network'),
    allocated_only: z.boolean().default(true).describe('false: free ones too (admins)'),
    keyword: z.string().optional().describe('Address contains'),
    ...paging,
  }),
  output: z.object(pageOutput(publicIpSchema)),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'public IPs',
    narrowHint: 'filter by zone or network',
    columns: [
      { header: 'ip', value: (ip) => ip.ipaddress },
      { header: 'state', value: (ip) => ip.state },
      { header: 'zone', value: (ip) => ip.zonename },
      { header: 'network', value: (ip) => ip.associatednetworkname },
      { header: 'vm', value: (ip) => ip.virtualmachinename },
      { header: 'source_nat', value: (ip) => ip.issourcenat },
      { header: 'id', value: (ip) => ip.id },
    ],
  },
  async handler(input, ctx: Ctx) {
    const { client } = ctx.deps;
    const opts = { signal: ctx.signal };
    const zoneid = input.zone && (await resolveId(client, input.zone, { ...ZONE, field: 'zone' }, opts));
    const associatednetworkid =
      input.network && (await resolveId(client, input.network, { ...NETWORK, field: 'network' }, opts));
    return listPaged(
      client,
      {
        command: 'listPublicIpAddresses',
        itemKey: 'publicipaddress',
        params: {
          listall: true,
          zoneid,
          associatednetworkid,
          allocatedonly: input.allocated_only,
          keyword: input.keyword,
        },
        limit: input.limit,
        cursor: input.cursor,
      },
      opts,
    ) as never;
  },
});

export const publicIpAcquire = defineTool({
  name: 'public_ip_acquire',
  title: 'Acquire a public IP',
  description: 'Acquires a public IP for a network or zone.',
  toolset: 'network',
  input: z.object({
    network: optionalRefInput('Network'),
    zone: z.string().optional().describe('Zone id or name, without a network'),
    wait: waitInput,
  }),
  output: z.object({
    ...jobOutput,
    ip: publicIpSchema.optional().describe('The address once the job finished'),
  }),
  annotations: ANNOTATIONS.create,
  render: {
    kind: 'text',
    text: (out) =>
      jobText(
        out,
        out.ip &&
          `acquired ${out.ip.ipaddress} (${out.ip.id})` +
            `${out.ip.associatednetworkname ? ` for network ${out.ip.associatednetworkname}` : ''}` +
            `${out.ip.zonename ? ` in zone ${out.ip.zonename}` : ''}`,
      ),
  },
  async handler(input, ctx: Ctx) {
    const { client, jobs } = ctx.deps;
    const opts = { signal: ctx.signal };
    if (!input.network && !input.zone) {
      throw badInput('network', 'give a network or a zone', 'list networks with `network_list`');
    }
    const networkid =
      input.network && (await resolveId(client, input.network, { ...NETWORK, field: 'network' }, opts));
    const zoneid = input.zone && (await resolveId(client, input.zone, { ...ZONE, field: 'zone' }, opts));
    const result = await runAsync(client, 'associateIpAddress', { networkid, zoneid }, ctx, {
      wait: input.wait,
      ...jobs,
    });
    return jobWith<z.input<typeof publicIpSchema>, 'ip'>(result, 'ipaddress', 'ip');
  },
});

/** A public IP's id from its id or its address. */
async function publicIpId(ctx: Ctx, ip: string): Promise<string> {
  if (ID.test(ip)) return ip;
  if (!isIP(ip)) {
    throw badInput(
      'ip',
      `"${ip}" is neither an id nor an IP address`,
      'list addresses with `public_ip_list`',
    );
  }
  const answer = await ctx.deps.client.call(
    'listPublicIpAddresses',
    { ipaddress: ip, listall: true },
    { signal: ctx.signal },
  );
  const found = (answer['publicipaddress'] as ApiObject[] | undefined) ?? [];
  if (found.length === 1) return String(found[0]!['id']);
  if (found.length === 0) {
    throw new ToolError(`No acquired public IP ${ip} (field \`ip\`).`, {
      next: 'List addresses with `public_ip_list` and pass an id or an address from it.',
    });
  }
  const ids = found.map((f) => `${f['id']}${f['zonename'] ? ` (${f['zonename']})` : ''}`).join(', ');
  throw new ToolError(`${ip} matches ${found.length} public IPs (field \`ip\`): ${ids}.`, {
    next: 'Pass the id of the one you mean.',
  });
}

export const publicIpRelease = defineTool({
  name: 'public_ip_release',
  title: 'Release a public IP',
  description: 'Releases a public IP (not source NAT) and its NAT, firewall and LB rules.',
  toolset: 'network',
  input: z.object({
    ip: nonEmptyText().describe('Public IP id or address'),
    wait: waitInput,
  }),
  output: z.object(jobOutput),
  annotations: ANNOTATIONS.destroy,
  render: { kind: 'text', text: (out) => jobText(out, `public IP ${out.resource_id ?? ''} released`) },
  confirmMessage: (input) => `Release public IP ${input.ip} and every rule on it`,
  async handler(input, ctx: Ctx) {
    const { client, jobs } = ctx.deps;
    const id = await publicIpId(ctx, input.ip);
    const result = await runAsync(client, 'disassociateIpAddress', { id }, ctx, {
      wait: input.wait,
      ...jobs,
    });
    return { resource_id: id, ...jobOnly(result) };
  },
});

export const networkTools = [networkList, publicIpList, publicIpAcquire, publicIpRelease];
