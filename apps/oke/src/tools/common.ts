import { badInput, type ToolContext } from '@cloudmcp/toolkit';
import * as z from 'zod';
import type { OkeDeps } from '../deps.js';
import type { ClusterRef } from '../directory.js';
import { assertOcid } from '../oci/ocid.js';

export type Ctx = ToolContext<OkeDeps>;

/** OCI pages with an opaque token: `cursor` is OCI's `opc-next-page`, handed back as it came. */
export function ociPageInput(defaultLimit: number) {
  return {
    limit: z.number().int().min(1).max(1000).default(defaultLimit).describe('Page size'),
    cursor: z.string().max(4096).optional().describe('The last `next_cursor`'),
  };
}

export function ociPageOutput<T extends z.ZodType>(item: T) {
  return {
    items: z.array(item),
    next_cursor: z.string().optional().describe('Pass as `cursor` to get the next page; absent on the last.'),
  };
}

export const compartmentField = z
  .string()
  .optional()
  .describe('Compartment OCID; default: the server default');

export const clusterField = z
  .string()
  .min(1)
  .max(255)
  .optional()
  .describe('Name or OCID; default: the server default');

/** The compartment a call means: its argument, else the default; an OCID either way. */
export function compartmentOf(input: { compartment?: string | undefined }, ctx: Ctx): string {
  const id = input.compartment ?? ctx.deps.defaults.compartment;
  if (id === undefined) {
    throw badInput(
      'compartment',
      'required: no default compartment is set',
      'set one with defaults_set or OKE_COMPARTMENT_ID',
    );
  }
  assertOcid(id, 'compartment');
  return id;
}

/** The cluster a call means (its argument, else the default), resolved by name or OCID. */
export async function clusterOf(input: { cluster?: string | undefined }, ctx: Ctx): Promise<ClusterRef> {
  const wanted = input.cluster ?? ctx.deps.defaults.cluster;
  if (wanted === undefined) {
    throw badInput(
      'cluster',
      'required: no default cluster is set',
      'pass a name from cluster_list or an OCID, or set one with defaults_set',
    );
  }
  return ctx.deps.directory.resolve(wanted, ctx.deps.defaults.compartment, ctx.signal);
}

/** `2026-12-07T21:30:00.123Z` → `2026-12-07 21:30`: enough for a table, a quarter of the tokens. */
export function shortTime(value: string | undefined): string | undefined {
  return value?.replace(/^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}).*$/, '$1 $2');
}
