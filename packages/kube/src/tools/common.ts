import { decodeCursor, encodeCursor } from '@cloudmcp/format';
import {
  badInput,
  cappedText as capped,
  nonEmptyText as nonEmpty,
  type PageLimits,
  pageInput,
  RESUME,
} from '@cloudmcp/toolkit';
import * as z from 'zod';
import type { KubeClient, KubeList, KubeObject, ListOptions, ResourceType } from '../client.js';
import { KubeApiError } from '../errors.js';
import { closeNames } from '../names.js';

// ---- input fields ------------------------------------------------------------------------------
// Described once, tersely, and the same in every tool: a model reads each of these on every tool that has it.

// Shared with every server (see @cloudmcp/toolkit text-input.ts): checked by zod, left out of the schema.
export { capped, nonEmpty };

/** A switch that is off unless given (optional, rather than a `default: false` every schema would repeat). */
export const flag = (description: string) => z.boolean().optional().describe(description);

export const namespaceIn = nonEmpty().optional().describe("Default: the context's");

export const namespaceFilterIn = nonEmpty().optional().describe('Omit for all');

export const labelSelectorIn = nonEmpty().optional().describe('e.g. `app=web,tier!=db`');

export const fieldSelectorIn = nonEmpty().optional().describe('e.g. `status.phase=Running`');

/**
 * `limit` and `cursor` of a list tool: the toolkit's paging fields, the cursor described tersely and the
 * page size's lower bound (1) checked without being said; its default and maximum stay visible.
 */
export function pageIn(limits: PageLimits) {
  const { cursor } = pageInput(limits);
  const limit = z
    .number()
    .int()
    .max(limits.maxLimit)
    .refine((n) => n >= 1, 'must be at least 1')
    .default(limits.defaultLimit)
    .describe('Page size');
  return { limit, cursor: cursor.describe('From next_cursor') };
}

export const objectSchema = z.record(z.string(), z.unknown());

// ---- time --------------------------------------------------------------------------------------

/** Age as kubectl prints it: 45s, 5m30s, 17m, 3h12m, 20h, 4d6h, 12d, 2y30d. */
export function age(timestamp: string | undefined, now = Date.now()): string {
  if (!timestamp) return '<unknown>';
  const at = Date.parse(timestamp);
  if (Number.isNaN(at)) return '<unknown>';
  const s = Math.max(0, Math.floor((now - at) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 ? `${m}m${s % 60}s` : `${m}m`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 8) return h % 24 ? `${d}d${h % 24}h` : `${d}d`;
  if (d < 730) return `${d}d`;
  const y = Math.floor(d / 365);
  return d % 365 ? `${y}y${d % 365}d` : `${y}y`;
}

// ---- objects -----------------------------------------------------------------------------------

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** An object as tools return it: without `managedFields` and the last-applied annotation (noise). */
export function clean<T extends KubeObject>(object: T): T {
  const metadata = object.metadata;
  if (!metadata) return object;
  const { managedFields: _m, ...rest } = metadata;
  const copy = { ...object, metadata: rest } as T;
  if (rest.annotations && LAST_APPLIED in rest.annotations) {
    const { [LAST_APPLIED]: _l, ...annotations } = rest.annotations;
    copy.metadata!.annotations = annotations;
    if (Object.keys(annotations).length === 0) delete copy.metadata!.annotations;
  }
  return copy;
}

// ---- paging over Kubernetes `limit`/`continue` ---------------------------------------------------

interface ListCursor {
  /** The continue token of the page to fetch (absent: the first page). */
  c?: string;
  /** Items of that page already shown. */
  s?: number;
  /** Items before that page (for `total`). */
  o?: number;
}

function readCursor(cursor: string | undefined): ListCursor {
  if (cursor === undefined) return {};
  try {
    const state = decodeCursor<ListCursor>(cursor);
    const ok =
      (state.c === undefined || typeof state.c === 'string') &&
      (state.s === undefined || (Number.isInteger(state.s) && state.s >= 0)) &&
      (state.o === undefined || (Number.isInteger(state.o) && state.o >= 0));
    if (ok) return state;
  } catch {
    // one error below
  }
  throw badInput('cursor', 'not a cursor this tool issued', 'call again without `cursor` to start over');
}

export interface KubePage<T> {
  items: T[];
  total?: number;
  next_cursor?: string;
  [RESUME]?: (shown: number) => string | undefined;
}

/**
 * Fetches one page of a collection through the shared cursor contract, mapped onto the API server's
 * `limit`/`continue`. `fetch` gets the Kubernetes list options; `map` turns raw items into rows.
 */
export async function kubePage<R, T>(
  input: { limit: number; cursor?: string | undefined },
  fetch: (opts: Pick<ListOptions, 'limit' | 'continue'>) => Promise<{
    items: R[];
    metadata?: KubeList['metadata'];
  }>,
  map: (items: R[]) => T[] | Promise<T[]>,
): Promise<KubePage<T>> {
  const state = readCursor(input.cursor);
  const skip = state.s ?? 0;
  const offset = state.o ?? 0;
  const list = await fetch({ limit: input.limit + skip, ...(state.c ? { continue: state.c } : {}) });
  const items = await map(list.items.slice(skip));
  const token = list.metadata?.continue || undefined;
  const remaining = list.metadata?.remainingItemCount;
  const result: KubePage<T> = { items };
  if (remaining !== undefined && remaining !== null) result.total = offset + list.items.length + remaining;
  else if (!token) result.total = offset + list.items.length;
  if (token) result.next_cursor = encodeCursor({ c: token, o: offset + list.items.length });
  Object.defineProperty(result, RESUME, {
    enumerable: false,
    value: (shown: number) =>
      shown < items.length
        ? encodeCursor({ ...(state.c ? { c: state.c } : {}), s: skip + shown, o: offset })
        : result.next_cursor,
  });
  return result;
}

// ---- not found, with suggestions ---------------------------------------------------------------

/**
 * Runs `fn`; on a 404 for `name`, finds close names of the same type in the namespace (and the same name
 * in other namespaces) and rethrows with them attached, so the model can pick the right one.
 */
export async function withSuggestions<T>(
  client: KubeClient,
  type: ResourceType,
  name: string,
  namespace: string | undefined,
  signal: AbortSignal,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (!(error instanceof KubeApiError) || error.code !== 404 || error.request.name !== name) throw error;
    const suggestions = await suggestNames(client, type, name, namespace, signal).catch(() => []);
    error.suggestions = suggestions;
    throw error;
  }
}

async function suggestNames(
  client: KubeClient,
  type: ResourceType,
  name: string,
  namespace: string | undefined,
  signal: AbortSignal,
): Promise<string[]> {
  const here = await client.list(type, { ...(namespace ? { namespace } : {}), limit: 1000, signal });
  const names = here.items.map((o) => o.metadata?.name ?? '').filter(Boolean);
  const close = closeNames(name, names, 5);
  if (!type.namespaced || close.length > 0) return close;
  // The same name in another namespace is the commonest mistake.
  const elsewhere = await client.list(type, { fieldSelector: `metadata.name=${name}`, limit: 20, signal });
  return elsewhere.items
    .filter((o) => o.metadata?.namespace !== namespace)
    .map((o) => `${o.metadata?.name} (namespace ${o.metadata?.namespace})`);
}

// ---- quantities --------------------------------------------------------------------------------

const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** Parses a Kubernetes quantity (`250m`, `1.5`, `128Mi`, `2Gi`, `1e3`) into a number of units. */
export function parseQuantity(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value;
  const match = /^([+-]?[0-9.]+(?:[eE][+-]?\d+)?)([a-zA-Z]*)$/.exec(value.trim());
  if (!match) return undefined;
  const factor = SUFFIX[match[2]!];
  if (factor === undefined) return undefined;
  return Number(match[1]) * factor;
}

/** CPU cores as kubectl top prints them: millicores. */
export function formatCpu(cores: number | undefined): string {
  return cores === undefined ? '' : `${Math.round(cores * 1000)}m`;
}

/** Bytes as kubectl top prints them: Mi. */
export function formatMemory(bytes: number | undefined): string {
  return bytes === undefined ? '' : `${Math.round(bytes / 2 ** 20)}Mi`;
}

/** Adds fields to a page result, keeping its (non-enumerable) resume function. */
export function withPage<P extends object, E extends object>(extra: E, result: P): E & P {
  const out = { ...extra, ...result };
  const resume = (result as { [RESUME]?: unknown })[RESUME];
  if (resume) Object.defineProperty(out, RESUME, { enumerable: false, value: resume });
  return out;
}
