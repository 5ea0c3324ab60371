import { describe, expect, it } from 'vitest';
import { renderList } from '../src/index.js';

const columns = [
  { header: 'namespace', value: (p: { ns: string }) => p.ns, collapseWhenUniform: true },
  { header: 'name', value: (p: { name: string }) => p.name },
];

describe('columns that collapse when uniform', () => {
  it('prints a value shared by every row once, above the table', () => {
    const items = [
      { ns: 'team-a', name: 'api-1' },
      { ns: 'team-a', name: 'web-1' },
    ];
    const out = renderList(items, { columns, noun: 'pods' });
    expect(out.text).toBe('NAMESPACE: team-a\nNAME\napi-1\nweb-1');
    // the same as data: the shared value beside the rows, not on every row
    expect(out.table).toEqual({
      columns: ['name'],
      rows: [['api-1'], ['web-1']],
      uniform: { namespace: 'team-a' },
    });
  });

  it('keeps the column when rows differ, or for a single row', () => {
    const mixed = [
      { ns: 'team-a', name: 'api-1' },
      { ns: 'team-b', name: 'web-1' },
    ];
    expect(renderList(mixed, { columns }).text).toBe('NAMESPACE  NAME\nteam-a     api-1\nteam-b     web-1');
    expect(renderList([mixed[0]!], { columns }).text).toBe('NAMESPACE  NAME\nteam-a     api-1');
  });

  it('leaves out a column empty on every row, even for a single row', () => {
    const bare = [
      { ns: '', name: 'api-1' },
      { ns: '', name: 'web-1' },
    ];
    expect(renderList(bare, { columns }).text).toBe('NAME\napi-1\nweb-1');
    expect(renderList([bare[0]!], { columns }).text).toBe('NAME\napi-1');
    const some = [bare[0]!, { ns: 'team-a', name: 'web-1' }];
    expect(renderList(some, { columns }).text).toBe('NAMESPACE  NAME\n           api-1\nteam-a     web-1');
  });

  it('stays within the budget with the preface line counted', () => {
    const items = Array.from({ length: 2000 }, (_, i) => ({
      ns: 'bench',
      name: `pod-${i}-${'x'.repeat(20)}`,
    }));
    const out = renderList(items, { columns, maxTokens: 500, cursorAfter: (n) => `c${n}` });
    expect(out.truncated).toBe(true);
    expect(out.text.startsWith('NAMESPACE: bench\nNAME\n')).toBe(true);
    expect(out.text.length / 3.6).toBeLessThanOrEqual(500);
    // the rows as data are the rows the cut text shows
    expect(out.table.rows).toEqual(items.slice(0, out.shown).map((p) => [p.name]));
    expect(out.text.split('\n').slice(2, 2 + out.shown)).toEqual(out.table.rows.map(([name]) => name));
  });
});
