import { describe, expect, it } from 'vitest';
import { CursorError, decodeCursor, encodeCursor } from '../src/index.js';

const MESSAGE = 'cursor is not one this server issued; start again without `cursor`';

describe('cursors', () => {
  it('round-trips paging state through an opaque base64url string', () => {
    const state = { offset: 500, zone: 'zone-ä', filters: { state: 'Running' }, token: null };
    const cursor = encodeCursor(state);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('offset');
    expect(decodeCursor(cursor)).toEqual(state);
    expect(decodeCursor<{ offset: number }>(encodeCursor({ offset: 3 })).offset).toBe(3);
  });

  it('is base64url of the JSON', () => {
    expect(encodeCursor({ page: 2 })).toBe(Buffer.from('{"page":2}').toString('base64url'));
    expect(encodeCursor({ a: 1 })).toBe('eyJhIjoxfQ');
  });

  const garbage: [string, string][] = [
    ['empty', ''],
    ['not base64url', 'abc+/def=='],
    ['spaces', 'eyJ wYWdlIjoyfQ'],
    ['not JSON', Buffer.from('hello').toString('base64url')],
    ['JSON array', Buffer.from('[1,2]').toString('base64url')],
    ['JSON string', Buffer.from('"x"').toString('base64url')],
    ['JSON null', Buffer.from('null').toString('base64url')],
    ['truncated', encodeCursor({ offset: 500 }).slice(0, -3)],
    // decodes to the same JSON as eyJhIjoxfQ, but is not what encodeCursor writes
    ['non-canonical padding bits', 'eyJhIjoxfR'],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url')],
    ['absurdly long', 'A'.repeat(100_000)],
  ];
  it.each(garbage)('rejects %s with a CursorError that tells the model what to do', (_name, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(CursorError);
    expect(() => decodeCursor(cursor)).toThrow(MESSAGE);
  });

  it('rejects non-strings', () => {
    expect(() => decodeCursor(42 as unknown as string)).toThrow(CursorError);
  });

  it('is an Error named CursorError', () => {
    const error = new CursorError();
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('CursorError');
    expect(error.message).toBe(MESSAGE);
  });
});
