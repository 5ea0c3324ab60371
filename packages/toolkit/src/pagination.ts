import { decodeCursor, encodeCursor } from '@cloudmcp/format';
import * as z from 'zod';
import { badInput } from './errors.js';

/** Symbol under which a page carries how to resume after its first `shown` items (not serialised). */
export const RESUME = Symbol('cloudmcp.resume');

export interface PageLimits {
  /** Used when the caller gives no `limit`. */
  defaultLimit: number;
  /** The largest `limit` accepted (the upstream's page cap). */
  maxLimit: number;
}

/** The input half of the one pagination contract: `limit` and an opaque `cursor`. */
export function pageInput({ defaultLimit, maxLimit }: PageLimits) {
  return {
    limit: z.number().int().min(1).max(maxLimit).default(defaultLimit).describe('Page size'), // minimum, maximum and default are in the schema itself
    cursor: z.string().optional().describe('`next_cursor` of the previous call, for the next page'),
  };
}

/** The output half: `items`, `total` when the upstream knows it, `next_cursor` when there is more. */
export function pageOutput<T extends z.ZodType>(item: T) {
  return {
    items: z.array(item),
    total: z.number().int().optional().describe('How many items match in all, when the upstream says.'),
    next_cursor: z.string().optional().describe('Pass as `cursor` to get the next page; absent on the last.'),
  };
}

/** Reads the offset a cursor from `page()` carries; no cursor means the start. */
export function cursorOffset(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  try {
    const state = decodeCursor<{ o?: unknown }>(cursor);
    if (typeof state.o === 'number' && Number.isInteger(state.o) && state.o >= 0) return state.o;
  } catch {
    // fall through to the one error below
  }
  throw badInput('cursor', 'not a cursor this tool issued', 'call again without `cursor` to start over');
}

export interface OffsetPage<T> {
  items: T[];
  total?: number;
  next_cursor?: string;
  [RESUME]?: (shown: number) => string | undefined;
}

/**
 * Builds an offset-paged result. `hasMore` defaults to what `total` implies. The resume function lets the
 * runtime hand out an exact cursor when the token budget shows fewer items than the page holds.
 */
export function page<T>(
  items: T[],
  { offset, total, hasMore }: { offset: number; total?: number; hasMore?: boolean },
): OffsetPage<T> {
  const more = hasMore ?? (total !== undefined && offset + items.length < total);
  const result: OffsetPage<T> = { items };
  if (total !== undefined) result.total = total;
  if (more) result.next_cursor = encodeCursor({ o: offset + items.length });
  Object.defineProperty(result, RESUME, {
    enumerable: false,
    value: (shown: number) =>
      shown < items.length || more ? encodeCursor({ o: offset + shown }) : undefined,
  });
  return result;
}
