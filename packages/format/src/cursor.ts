/** Opaque pagination cursors. */

/** One page of a list tool: `items`, `total` when the upstream knows it, `next_cursor` when more follow. */
export interface Page<T> {
  items: T[];
  total?: number;
  next_cursor?: string;
}

const MESSAGE = 'cursor is not one this server issued; start again without `cursor`';
const MAX_CURSOR_LENGTH = 8192;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Thrown by {@link decodeCursor} for anything this server did not issue. */
export class CursorError extends Error {
  constructor(message = MESSAGE) {
    super(message);
    this.name = 'CursorError';
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Encodes a server's paging state as base64url(JSON): opaque to the model, stable for the server. */
export function encodeCursor(state: Record<string, unknown>): string {
  if (!isPlainObject(state)) throw new TypeError('cursor state must be an object');
  return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor made by {@link encodeCursor}. Throws {@link CursorError} (`cursor is not one this server
 * issued; start again without \`cursor\``) on anything malformed: not base64url, not canonical, not JSON,
 * not an object, or absurdly long.
 */
export function decodeCursor<S = Record<string, unknown>>(cursor: string): S {
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH) {
    throw new CursorError();
  }
  if (!BASE64URL.test(cursor)) throw new CursorError();
  const bytes = Buffer.from(cursor, 'base64url');
  // Buffer decoding is lenient; accept only the exact text encodeCursor would have produced.
  if (bytes.toString('base64url') !== cursor) throw new CursorError();
  let state: unknown;
  try {
    state = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new CursorError();
  }
  if (!isPlainObject(state)) throw new CursorError();
  return state as S;
}
