import { describe, expect, it } from 'vitest';
import { type Column, formatCell, renderTable } from '../src/index.js';
import { layoutTable, tableModel, tableWeigher } from '../src/table.js';
import { textWeight } from '../src/tokens.js';

interface Vm {
  id: string;
  name: string;
  state: string | null;
  cpu?: number;
}

const columns: Column<Vm>[] = [
  { header: 'id', value: (vm) => vm.id },
  { header: 'name', value: (vm) => vm.name },
  { header: 'state', value: (vm) => vm.state },
];

const rows: Vm[] = [
  { id: 'a1', name: 'web-1', state: 'Running' },
  { id: 'b22', name: 'db', state: null },
];

describe('renderTable', () => {
  it('aligns columns two spaces apart under an UPPER CASE header, trailing spaces trimmed', () => {
    expect(renderTable(rows, columns)).toBe(
      ['ID   NAME   STATE', 'a1   web-1  Running', 'b22  db'].join('\n'),
    );
  });

  it('sizes a column by its widest cell or header', () => {
    const table = renderTable(
      [{ id: 'x', name: 'a-much-longer-name', state: 'Stopped', cpu: 4 }],
      [...columns, { header: 'cpus', value: (vm) => vm.cpu }],
    );
    expect(table).toBe(
      ['ID  NAME                STATE    CPUS', 'x   a-much-longer-name  Stopped  4'].join('\n'),
    );
  });

  it('keeps an empty middle cell aligned', () => {
    const table = renderTable(
      [
        { id: '1', name: '', state: 'Up' },
        { id: '2', name: 'n', state: 'Down' },
      ],
      columns,
    );
    expect(table).toBe(['ID  NAME  STATE', '1         Up', '2   n     Down'].join('\n'));
  });

  it('renders only the header for no rows', () => {
    expect(renderTable([], columns)).toBe('ID  NAME  STATE');
  });

  it('cuts cells longer than maxWidth (default 60) with an ellipsis', () => {
    const long = 'x'.repeat(70);
    const table = renderTable(
      [{ v: long, w: 'abcdefgh' }],
      [
        { header: 'v', value: (r) => r.v },
        { header: 'w', value: (r) => r.w, maxWidth: 5 },
      ],
    );
    const [header, row] = table.split('\n');
    expect(row).toBe(`${'x'.repeat(59)}…  abcd…`);
    expect(header).toBe(`V${' '.repeat(59)}  W`);
  });

  it('cuts by code points, never inside an emoji', () => {
    expect(renderTable([{ v: '😀😀😀😀' }], [{ header: 'v', value: (r) => r.v, maxWidth: 3 }])).toBe(
      'V\n😀😀…',
    );
  });

  it('writes TSV when asked, without padding', () => {
    expect(renderTable(rows, columns, { tsv: true })).toBe(
      ['ID\tNAME\tSTATE', 'a1\tweb-1\tRunning', 'b22\tdb\t'].join('\n'),
    );
  });

  it('keeps tabs and newlines out of TSV cells', () => {
    expect(renderTable([{ v: 'a\tb\nc' }], [{ header: 'v', value: (r) => r.v }], { tsv: true })).toBe(
      'V\na b c',
    );
  });
});

describe('formatCell', () => {
  it('turns control characters into spaces and drops format characters (terminal escapes, BEL, bidi overrides)', () => {
    expect(formatCell('a\u001b]52;c;eA==\u0007b\u001b[31mred\u202eevil\u200b!')).toBe(
      'a ]52;c;eA== b [31mredevil!',
    );
    expect(formatCell('tab\there\u0000nul\u0085nel')).toBe('tab here nul nel');
    expect(formatCell('café 日本 emoji ✓')).toBe('café 日本 emoji ✓');
  });

  it('prints each kind of value compactly on one line', () => {
    expect(formatCell(null)).toBe('');
    expect(formatCell(undefined)).toBe('');
    expect(formatCell(true)).toBe('true');
    expect(formatCell(false)).toBe('false');
    expect(formatCell(0)).toBe('0');
    expect(formatCell(12n)).toBe('12');
    expect(formatCell(['a', 'b', 3])).toBe('a,b,3');
    expect(formatCell([{ a: 1 }, null, ['x', 'y']])).toBe('{"a":1},,["x","y"]');
    expect(formatCell({ a: 1, b: [true] })).toBe('{"a":1,"b":[true]}');
    expect(formatCell(new Date('2024-05-01T10:00:00Z'))).toBe('2024-05-01T10:00:00.000Z');
    expect(formatCell('line one\nline two\r\nthree\tfour')).toBe('line one line two three four');
  });

  it('survives cycles', () => {
    const a: Record<string, unknown> = { n: 1 };
    a.self = a;
    expect(formatCell(a)).toBe('{"n":1,"self":"[Circular]"}');
  });
});

describe('table weights (internal, used to cut at the budget)', () => {
  it('weighs every prefix of a table at least as much as its text, and exactly when nothing is trimmed', () => {
    const data = [
      { a: 'x', b: 'long value here', c: 'ü' },
      { a: 'much longer a', b: '', c: '3' },
      { a: '', b: 'b', c: 'last' },
      { a: '日本', b: '😀', c: '' },
    ];
    const cols: Column<(typeof data)[number]>[] = [
      { header: 'a', value: (r) => r.a },
      { header: 'bee', value: (r) => r.b },
      { header: 'c', value: (r) => r.c },
    ];
    for (const tsv of [false, true]) {
      const model = tableModel(data, cols, { tsv });
      const weigh = tableWeigher(model);
      for (let k = 0; k <= data.length; k++) {
        const text = layoutTable(model, k);
        expect(text).toBe(renderTable(data.slice(0, k), cols, { tsv }));
        if (k < 4) expect(weigh(k)).toBeCloseTo(textWeight(text), 6);
        else expect(weigh(k)).toBeGreaterThanOrEqual(textWeight(text)); // last row's empty cell is trimmed
      }
    }
  });
});
