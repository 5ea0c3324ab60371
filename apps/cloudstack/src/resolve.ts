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

/** How many candidates an error names before it points at the list tool. */
const NAMED_CANDIDATES = 20;

/**
 * For an input left out: the one item there is. With none, or several (named with their ids), the error
 * says to pass `field` rather than guess.
 */
export async function resolveOnly(
  client: CloudStackClient,
  what: Resolvable,
  options: CallOptions,
): Promise<string> {
  const items = await listAll(client, what.command, what.itemKey, what.params ?? {}, options);
  if (items.length === 1) return String(items[0]!['id']);
  if (items.length === 0) {
    throw new ToolError(
      `No \`${what.field}\` given, and CloudStack lists no ${what.noun} for this account.`,
      {
        next: `Check \`${what.listTool}\`; an administrator may have to enable a ${what.noun}.`,
      },
    );
  }
  const named = items
    .slice(0, NAMED_CANDIDATES)
    .map((item) => `${item['name']} (${item['id']})`)
    .join(', ');
  const more = items.length > NAMED_CANDIDATES ? `, and ${items.length - NAMED_CANDIDATES} more` : '';
  throw new ToolError(
    `No \`${what.field}\` given, and there are ${items.length} ${what.noun}s: ${named}${more}.`,
    { next: `Pass \`${what.field}\` with one of them, by name or id (\`${what.listTool}\` lists them).` },
  );
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
