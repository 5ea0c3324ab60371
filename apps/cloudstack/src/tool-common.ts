import type { ToolAnnotations, ToolContext } from '@cloudmcp/toolkit';
import type { CloudStackDeps } from './deps.js';

/** The context every CloudStack tool handler receives. */
export type Ctx = ToolContext<CloudStackDeps>;

/** Reads only (`list*`, `get*`, `query*`). */
export const READ: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: true,
};

/** Creates something new each call (a volume, a snapshot, an IP). */
export const CREATE: ToolAnnotations = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: true,
};

/** Changes something; a second identical call changes nothing more (attach, detach, register). */
export const CHANGE: ToolAnnotations = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: true,
};

/** Deletes or releases something; asks for confirmation. A second identical call changes nothing more. */
export const DELETE: ToolAnnotations = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: true,
  openWorldHint: true,
};

/** Bytes as GB for tables: whole numbers from 10 GB, one decimal below. */
export function gb(bytes: number | undefined): number | undefined {
  if (bytes === undefined) return undefined;
  const value = bytes / 2 ** 30;
  return value >= 10 ? Math.round(value) : Math.round(value * 10) / 10;
}
