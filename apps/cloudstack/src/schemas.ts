import { nonEmptyText } from '@cloudmcp/toolkit';
import * as z from 'zod';

// CloudStack objects carry dozens of fields that vary by version; the fields tools rely on are typed and
// the rest pass through untouched, so `structuredContent` keeps everything the API said.

// Modern clouds send UUIDs; older ones numbers. Both become strings.
const id = z.coerce.string().describe('CloudStack id (UUID)');

export const zoneSchema = z.looseObject({
  id,
  name: z.string(),
  networktype: z.string().optional(),
  allocationstate: z.string().optional(),
});

export const templateSchema = z.looseObject({
  id,
  name: z.string(),
  ostypename: z.string().optional(),
  zonename: z.string().optional(),
  isready: z.boolean().optional(),
  size: z.number().optional(),
});

export const serviceOfferingSchema = z.looseObject({
  id,
  name: z.string(),
  cpunumber: z.number().optional(),
  cpuspeed: z.number().optional(),
  memory: z.number().optional(),
});

export const diskOfferingSchema = z.looseObject({
  id,
  name: z.string(),
  disksize: z.number().optional(),
  iscustomized: z.boolean().optional(),
});

export const networkSchema = z.looseObject({
  id,
  name: z.string(),
  type: z.string().optional(),
  state: z.string().optional(),
  cidr: z.string().optional(),
  zonename: z.string().optional(),
});

export const nicSchema = z.looseObject({
  id: z.string().optional(),
  networkid: z.string().optional(),
  networkname: z.string().optional(),
  ipaddress: z.string().optional(),
  isdefault: z.boolean().optional(),
});

export const vmSchema = z.looseObject({
  id,
  name: z.string(),
  displayname: z.string().optional(),
  state: z.string(),
  zoneid: z.string().optional(),
  zonename: z.string().optional(),
  templatename: z.string().optional(),
  serviceofferingname: z.string().optional(),
  cpunumber: z.number().optional(),
  memory: z.number().optional(),
  account: z.string().optional(),
  created: z.string().optional(),
  nic: z.array(nicSchema).optional(),
});
export type Vm = z.infer<typeof vmSchema>;

export const volumeSchema = z.looseObject({
  id,
  name: z.string(),
  type: z.string().optional(),
  state: z.string().optional(),
  size: z.number().optional(),
  virtualmachineid: z.string().optional(),
  vmname: z.string().optional(),
  zonename: z.string().optional(),
});

export const snapshotSchema = z.looseObject({
  id,
  name: z.string().optional(),
  state: z.string().optional(),
  volumeid: z.string().optional(),
  volumename: z.string().optional(),
  created: z.string().optional(),
});

export const sshKeySchema = z.looseObject({
  name: z.string(),
  fingerprint: z.string().optional(),
  account: z.string().optional(),
});

export const publicIpSchema = z.looseObject({
  id,
  ipaddress: z.string(),
  state: z.string().optional(),
  zonename: z.string().optional(),
  associatednetworkname: z.string().optional(),
  virtualmachinename: z.string().optional(),
  issourcenat: z.boolean().optional(),
});

/** The outcome of an async command, shared by every tool that starts a job. */
export const jobOutput = {
  job_id: z.string().describe('CloudStack async job id'),
  job_status: z.enum(['succeeded', 'pending']).describe('`pending`: not finished when this call returned'),
  resource_id: z.string().optional().describe('Id of the resource the job creates or changes'),
  resume: z.string().optional().describe('When pending: how to follow the job'),
};

/** The `wait` input every async tool takes. */
export const waitInput = z.boolean().default(true).describe('Wait for the job to end');

// Inputs many tools share, described once and alike (the server instructions say names work as ids).

// for this server's tool files: an id that may not be empty, checked but not advertised (toolkit)
export { nonEmptyText };

/** One object the tool acts on: its id, or its exact name. */
export const refInput = (what: string) => nonEmptyText().describe(`${what} id or name`);

/** An optional id or name: a list filter, or a reference that may be left out. */
export const optionalRefInput = (what: string) => z.string().optional().describe(`${what} id or name`);

/** A list filter by part of the name. */
export const keywordInput = z.string().optional().describe('Name contains');

/** Primary IPs of a VM, for tables. */
export function vmIps(vm: { nic?: Array<{ ipaddress?: string }> }): string {
  return (vm.nic ?? [])
    .map((n) => n.ipaddress)
    .filter(Boolean)
    .join(',');
}
