import { decodeCursor, encodeCursor } from '@cloudmcp/format';

// When the token budget cuts a page after `shown` rows, the next page need not hold more: the cursor
// remembers how many fit (`f`), and the next call's `limit` is capped to it. Without this a model that keeps
// asking for `limit: 500` in JSON makes the upstream send, and the server redact and render, 500 rows to show
// 40 on every call (bench finding 3). Cursors are the base64url JSON of @cloudmcp/format; `f` sits beside
// whatever state the tool keeps there, and tools ignore it.

/** Wraps a page's resume function so the cursor it makes after a cut also says how many rows fit. */
export function rememberFit(
  resume: ((shown: number) => string | undefined) | undefined,
): ((shown: number) => string | undefined) | undefined {
  if (!resume) return undefined;
  return (shown) => {
    const cursor = resume(shown);
    return cursor === undefined || shown < 1 ? cursor : withFit(cursor, shown);
  };
}

function withFit(cursor: string, fit: number): string {
  try {
    return encodeCursor({ ...decodeCursor(cursor), f: fit });
  } catch {
    return cursor; // not one of ours: leave it alone
  }
}

/**
 * A paged tool's input with `limit` capped to what fit when the budget cut an earlier page, and the cap
 * (so that the next cursor keeps it: a page of that size that fits says nothing about a larger one).
 */
export function capLimitToFit(input: Record<string, unknown>): {
  input: Record<string, unknown>;
  fit?: number;
} {
  const { cursor, limit } = input;
  if (typeof cursor !== 'string' || typeof limit !== 'number') return { input };
  let fit: unknown;
  try {
    fit = decodeCursor<{ f?: unknown }>(cursor).f;
  } catch {
    return { input }; // the tool reports a bad cursor itself
  }
  if (typeof fit !== 'number' || !Number.isInteger(fit) || fit < 1 || fit >= limit) return { input };
  return { input: { ...input, limit: fit }, fit };
}

/** Carries the cap into the `next_cursor` of a page that was asked for with it. */
export function carryFit(output: Record<string, unknown>, fit: number | undefined): void {
  if (fit !== undefined && typeof output['next_cursor'] === 'string') {
    output['next_cursor'] = withFit(output['next_cursor'], fit);
  }
}
