import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Column,
  decodeCursor,
  encodeCursor,
  estimateTokens,
  loadYaml,
  REDACTED,
  renderJson,
  renderList,
  renderObject,
  renderTable,
  renderYaml,
} from '../src/index.js';

// renderYaml and parseYamlInput use the yaml library, which loads on demand
beforeAll(() => loadYaml());

interface Vm {
  id: string;
  name: string;
  state: string;
  zonename: string;
  password?: string;
  passwordenabled?: boolean;
}

const columns: Column<Vm>[] = [
  { header: 'id', value: (vm) => vm.id },
  { header: 'name', value: (vm) => vm.name },
  { header: 'state', value: (vm) => vm.state },
  { header: 'zone', value: (vm) => vm.zonename },
];

function vms(count: number): Vm[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${String(i).padStart(8, '0')}-4f3c-8a1e-3c2d1b0a9f8e`,
    name: `web-${i}`,
    state: i % 3 === 0 ? 'Stopped' : 'Running',
    zonename: `zone-${i % 4}`,
    passwordenabled: true,
  }));
}

const cursorAfter = (shown: number): string => encodeCursor({ offset: shown });
const hint = 'filter by zone_id or state';

describe('renderList: one page', () => {
  const three = vms(3);
  const table = renderTable(three, columns);

  it('prints the table then a footer with the total and the next cursor', () => {
    const out = renderList(three, { columns, noun: 'VMs', total: 1000, nextCursor: 'abc' });
    expect(out).toEqual({
      text: `${table}\n3 of 1000 VMs · next_cursor: abc`,
      table: {
        columns: ['id', 'name', 'state', 'zone'],
        rows: three.map((vm) => [vm.id, vm.name, vm.state, vm.zonename]),
      },
      shown: 3,
      truncated: false,
      nextCursor: 'abc',
    });
    expect(out.text.split('\n')[0]).toBe(`ID${' '.repeat(31)}NAME   STATE    ZONE`);
  });

  it('omits the footer when it says nothing new', () => {
    expect(renderList(three, { columns, noun: 'VMs' }).text).toBe(table);
    expect(renderList(three, { columns, noun: 'VMs', total: 3 }).text).toBe(table);
  });

  it('says the count alone when the total is unknown', () => {
    expect(renderList(three, { columns, noun: 'VMs', nextCursor: 'abc' }).text).toBe(
      `${table}\n3 VMs · next_cursor: abc`,
    );
    expect(renderList(three, { columns, noun: 'VMs', total: 10 }).text).toBe(`${table}\n3 of 10 VMs`);
  });

  it('prints a single line for no items', () => {
    expect(renderList([], { columns, noun: 'VMs' })).toEqual({
      text: 'No VMs found.',
      table: { columns: ['id', 'name', 'state', 'zone'], rows: [] },
      shown: 0,
      truncated: false,
    });
    expect(renderList([], { columns }).text).toBe('No items found.');
    expect(renderList([], { columns, noun: 'VMs', nextCursor: 'abc' }).text).toBe(
      'No VMs on this page · next_cursor: abc',
    );
  });

  it('prints TSV, YAML or JSON of the items when asked', () => {
    expect(renderList(three, { columns, tsv: true }).text).toBe(renderTable(three, columns, { tsv: true }));
    expect(renderList(three, { columns, output: 'yaml' }).text).toBe(renderYaml(three));
    expect(renderList(three, { columns, output: 'json' }).text).toBe(renderJson(three));
    expect(renderList(three, { columns, output: 'json', nextCursor: 'c' }).text).toBe(
      `${renderJson(three)}\n3 items · next_cursor: c`,
    );
  });

  it('redacts before rendering, in every format, without touching the items', () => {
    const items: Vm[] = [{ ...vms(1)[0]!, password: 'hunter2', name: 'db password=hunter2' }];
    const withPassword: Column<Vm>[] = [...columns, { header: 'password', value: (vm) => vm.password }];
    const table = renderList(items, { columns: withPassword }).text;
    expect(table).not.toContain('hunter2');
    expect(table.split('\n')[1]).toBe(
      `00000000-4f3c-8a1e-3c2d1b0a9f8e  db password=${REDACTED}  Stopped  zone-0  ${REDACTED}`,
    );
    for (const output of ['yaml', 'json'] as const) {
      const text = renderList(items, { columns, output }).text;
      expect(text).not.toContain('hunter2');
      expect(text).toContain('passwordenabled');
    }
    expect(items[0]!.password).toBe('hunter2');
  });

  it('keeps Secret data only with allowSecrets', () => {
    const secrets = [{ kind: 'Secret', metadata: { name: 's' }, data: { token: 'dG9r' } }];
    const cols: Column<(typeof secrets)[number]>[] = [
      { header: 'name', value: (s) => s.metadata.name },
      { header: 'data', value: (s) => s.data },
    ];
    expect(renderList(secrets, { columns: cols }).text).toBe(`NAME  DATA\ns     {"token":"${REDACTED}"}`);
    expect(renderList(secrets, { columns: cols, allowSecrets: true }).text).toBe(
      'NAME  DATA\ns     {"token":"dG9r"}',
    );
  });
});

describe('renderList: token budget', () => {
  const items = vms(5000);

  function cutFooter(shown: number, total: number, maxTokens: number, unit = 'rows'): string {
    return (
      `Output cut at ${shown} of ${total} ${unit} to stay within the ${maxTokens}-token budget. ` +
      `Narrow it (${hint}) or continue with cursor: ${cursorAfter(shown)}.`
    );
  }

  it('cuts 5000 rows at a row boundary, keeps the header, stays within budget and names cursor and hint', () => {
    const maxTokens = 2000;
    const out = renderList(items, {
      columns,
      noun: 'VMs',
      maxTokens,
      narrowHint: hint,
      cursorAfter,
      total: 9000,
    });
    expect(out.truncated).toBe(true);
    expect(out.shown).toBeGreaterThan(0);
    expect(out.shown).toBeLessThan(5000);
    expect(estimateTokens(out.text)).toBeLessThanOrEqual(maxTokens);
    // Exactly the table of the rows shown, then the footer.
    expect(out.text).toBe(
      `${renderTable(items.slice(0, out.shown), columns)}\n${cutFooter(out.shown, 5000, maxTokens)}`,
    );
    expect(out.nextCursor).toBe(cursorAfter(out.shown));
    expect(decodeCursor(out.nextCursor!)).toEqual({ offset: out.shown });
    // And as many rows as fit: one more would not.
    const oneMore = `${renderTable(items.slice(0, out.shown + 1), columns)}\n${cutFooter(out.shown + 1, 5000, maxTokens)}`;
    expect(estimateTokens(oneMore)).toBeGreaterThan(maxTokens);
  });

  it('keeps the default 20000-token budget on 5000 rows', () => {
    const out = renderList(items, {
      columns,
      noun: 'VMs',
      narrowHint: hint,
      cursorAfter,
      nextCursor: 'next',
    });
    expect(out.truncated).toBe(true);
    expect(estimateTokens(out.text)).toBeLessThanOrEqual(20_000);
    expect(estimateTokens(out.text)).toBeGreaterThan(19_000);
    expect(out.text.endsWith(cutFooter(out.shown, 5000, 20_000))).toBe(true);
    expect(out.nextCursor).not.toBe('next');
  });

  it('suggests a smaller limit when it has no cursor to resume from', () => {
    const out = renderList(items.slice(0, 100), { columns, noun: 'VMs', maxTokens: 500 });
    expect(out.truncated).toBe(true);
    expect(out.nextCursor).toBeUndefined();
    expect(out.text.split('\n').at(-1)).toBe(
      `Output cut at ${out.shown} of 100 rows to stay within the 500-token budget. ` +
        'Narrow the query or ask for a smaller `limit`.',
    );
    expect(estimateTokens(out.text)).toBeLessThanOrEqual(500);
  });

  it('cuts YAML output between items', () => {
    const maxTokens = 1000;
    const out = renderList(items, {
      columns,
      output: 'yaml',
      noun: 'VMs',
      maxTokens,
      narrowHint: hint,
      cursorAfter,
    });
    expect(out.truncated).toBe(true);
    expect(out.text).toBe(
      `${renderYaml(items.slice(0, out.shown))}\n${cutFooter(out.shown, 5000, maxTokens, 'VMs')}`,
    );
    expect(estimateTokens(out.text)).toBeLessThanOrEqual(maxTokens);
  });

  it('cuts JSON output between items and keeps the JSON valid', () => {
    const maxTokens = 1000;
    const out = renderList(items, { columns, output: 'json', noun: 'VMs', maxTokens, cursorAfter });
    const lines = out.text.split('\n');
    const footer = lines.pop();
    expect(footer).toMatch(/^Output cut at \d+ of 5000 VMs/);
    expect(JSON.parse(lines.join('\n'))).toEqual(items.slice(0, out.shown));
    expect(estimateTokens(out.text)).toBeLessThanOrEqual(maxTokens);
  });

  it('does not cut a page that fits exactly', () => {
    const ten = items.slice(0, 10);
    const full = `${renderTable(ten, columns)}\n10 of 50 VMs · next_cursor: abc`;
    const out = renderList(ten, {
      columns,
      noun: 'VMs',
      total: 50,
      nextCursor: 'abc',
      maxTokens: estimateTokens(full),
    });
    expect(out).toEqual({
      text: full,
      table: { columns: columns.map((c) => c.header), rows: expect.any(Array) },
      shown: 10,
      truncated: false,
      nextCursor: 'abc',
    });
    expect(out.table.rows).toHaveLength(10);
  });

  it('says so when the first item alone is over the budget', () => {
    const out = renderList([{ blob: 'x'.repeat(5000) }], {
      columns: [{ header: 'blob', value: (r) => r.blob }],
      output: 'yaml',
      maxTokens: 200,
      cursorAfter,
    });
    expect(out).toEqual({
      text:
        'Output cut at 0 of 1 items: the first one alone exceeds the 200-token budget. ' +
        'Narrow the query or ask for output table.',
      table: { columns: ['blob'], rows: [] },
      shown: 0,
      truncated: true,
      nextCursor: cursorAfter(0),
    });
  });

  it('stays within even an absurdly small budget', () => {
    const out = renderList(items.slice(0, 3), { columns, maxTokens: 10 });
    expect(out.shown).toBe(0);
    expect(out.truncated).toBe(true);
    expect(estimateTokens(out.text)).toBeLessThanOrEqual(10);
  });
});

describe('renderObject', () => {
  const vm = {
    id: 'a1',
    name: 'web',
    password: 'p',
    nic: [{ ipaddress: '10.0.0.1', isdefault: true }],
    tags: [],
    details: null,
  };

  it('prints pruned, redacted YAML by default', () => {
    expect(renderObject(vm)).toEqual({
      text: `id: a1\nname: web\npassword: "${REDACTED}"\nnic:\n  - ipaddress: 10.0.0.1\n    isdefault: true`,
      truncated: false,
    });
    expect(vm.password).toBe('p');
  });

  it('prints JSON when asked', () => {
    expect(renderObject({ a: 1, token: 't' }, { output: 'json' }).text).toBe(
      `{\n  "a": 1,\n  "token": "${REDACTED}"\n}`,
    );
  });

  it('keeps Secret data only with allowSecrets', () => {
    const secret = { kind: 'Secret', data: { a: 'YQ==' } };
    expect(renderObject(secret).text).toBe(`kind: Secret\ndata:\n  a: "${REDACTED}"`);
    expect(renderObject(secret, { allowSecrets: true }).text).toBe('kind: Secret\ndata:\n  a: YQ==');
  });

  it('cuts at a line boundary over the budget and says so on a final line', () => {
    const big = { items: vms(400) };
    const full = renderYaml(big);
    const out = renderObject(big, { maxTokens: 300 });
    expect(out.truncated).toBe(true);
    expect(estimateTokens(out.text)).toBeLessThanOrEqual(300);
    const lines = out.text.split('\n');
    const note = lines.pop()!;
    const total = full.split('\n').length;
    expect(note).toBe(
      `Output cut at line ${lines.length} of ${total} to stay within the 300-token budget. ` +
        'Ask for fewer fields or a narrower query.',
    );
    expect(full.startsWith(`${lines.join('\n')}\n`)).toBe(true);
  });
});
