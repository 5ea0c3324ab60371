import { ToolError } from '@cloudmcp/toolkit';
import type { CallOptions, CloudStackClient, Params } from './client/client.js';
import { listAll } from './listing.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Resolvable {
  /** The CloudStack list command, e.g. `listZones`. */
  command: string;
  itemKey: string;
  /** For messages: "zone", "service offering". */
  noun: string;
  /** The tool that lists candidates, named in errors. */
  listTool: string;
  /** The input field the value came from, named in errors. */
  field: string;
  /** Extra parameters the list needs (`templatefilter`, `listall`). */
  params?: Params;
}

/**
 * Accepts an id or a name, as users give either. A UUID (or a numeric id, as older clouds use) is taken as
 * is; a name must match exactly one item (by name or display name, case-insensitive).
 */
export async function resolveId(
  client: CloudStackClient,
  value: string,
  what: Resolvable,
  options: CallOptions,
): Promise<string> {
  if (UUID.test(value) || /^\d+$/.test(value)) return value;
  const items = await listAll(
    client,
    what.command,
    what.itemKey,
    { ...what.params, keyword: value },
    options,
  );
  const wanted = value.toLowerCase();
  const matches = items.filter(
    (item) =>
      String(item['name'] ?? '').toLowerCase() === wanted ||
      String(item['displayname'] ?? '').toLowerCase() === wanted,
  );
  if (matches.length === 1) return String(matches[0]!['id']);
  if (matches.length === 0) {
    throw new ToolError(`No ${what.noun} named "${value}" (field \`${what.field}\`).`, {
      next: `List them with \`${what.listTool}\` and pass an id or an exact name.`,
    });
  }
  const ids = matches.map((m) => `${m['id']}${m['zonename'] ? ` (${m['zonename']})` : ''}`).join(', ');
  throw new ToolError(`"${value}" names ${matches.length} ${what.noun}s (field \`${what.field}\`): ${ids}.`, {
    next: 'Pass the id of the one you mean.',
  });
}

export const ZONE = { command: 'listZones', itemKey: 'zone', noun: 'zone', listTool: 'zone_list' } as const;
export const TEMPLATE = {
  command: 'listTemplates',
  itemKey: 'template',
  noun: 'template',
  listTool: 'template_list',
  params: { templatefilter: 'executable' },
} as const;
export const SERVICE_OFFERING = {
  command: 'listServiceOfferings',
  itemKey: 'serviceoffering',
  noun: 'service offering',
  listTool: 'service_offering_list',
} as const;
export const DISK_OFFERING = {
  command: 'listDiskOfferings',
  itemKey: 'diskoffering',
  noun: 'disk offering',
  listTool: 'disk_offering_list',
} as const;
export const NETWORK = {
  command: 'listNetworks',
  itemKey: 'network',
  noun: 'network',
  listTool: 'network_list',
  params: { listall: true },
} as const;
export const VM = {
  command: 'listVirtualMachines',
  itemKey: 'virtualmachine',
  noun: 'VM',
  listTool: 'vm_list',
  params: { listall: true },
} as const;
export const VOLUME = {
  command: 'listVolumes',
  itemKey: 'volume',
  noun: 'volume',
  listTool: 'volume_list',
  params: { listall: true },
} as const;
