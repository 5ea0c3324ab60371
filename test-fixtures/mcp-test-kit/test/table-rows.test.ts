import { describe, expect, it } from 'vitest';
import { tableRows } from '../src/index.js';

describe('tableRows', () => {
  it('reads a list structuredContent as one object per row, with the shared values on each', () => {
    expect(
      tableRows({
        columns: ['name', 'phase'],
        rows: [
          ['api-1', 'Running'],
          ['web-1', 'CrashLo…'],
        ],
        uniform: { namespace: 'team-a' },
        total: 2,
      }),
    ).toEqual([
      { namespace: 'team-a', name: 'api-1', phase: 'Running' },
      { namespace: 'team-a', name: 'web-1', phase: 'CrashLo…' },
    ]);
  });

  it('refuses anything that is not a list table', () => {
    expect(() => tableRows({ items: [{ name: 'x' }] })).toThrow("not a list's structuredContent");
    expect(() => tableRows(undefined)).toThrow("not a list's structuredContent");
  });
});
