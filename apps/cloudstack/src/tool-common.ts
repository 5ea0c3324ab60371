import type { ToolContext } from '@cloudmcp/toolkit';
import type { CloudStackDeps } from './deps.js';

/** The context every CloudStack tool handler receives. */
export type Ctx = ToolContext<CloudStackDeps>;

/** Bytes as GB for tables: whole numbers from 10 GB, one decimal below. */
export function gb(bytes: number | undefined): number | undefined {
  if (bytes === undefined) return undefined;
  const value = bytes / 2 ** 30;
  return value >= 10 ? Math.round(value) : Math.round(value * 10) / 10;
}
