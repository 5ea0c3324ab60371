/** Rendering of tool results within a token budget: lists (paged) and single objects. */
import { clipLines, clipToTokens, fitCount } from './budget.js';
import { renderJson } from './json.js';
import { redact } from './redact.js';
import { type Column, formatCell, layoutTable, tableModel, tableWeigher } from './table.js';
import { CHARS_PER_TOKEN, DEFAULT_MAX_TOKENS, textWeight } from './tokens.js';
import { renderYaml } from './yaml.js';

/** `--output`: how results print. */
export type OutputFormat = 'table' | 'yaml' | 'json';

export interface ListRenderOptions<T> {
  /** Columns of the table; with yaml/json (which print whole items) they still make `table`. */
  columns: Column<T>[];
  /** Default 'table'. */
  output?: OutputFormat;
  /** With output 'table': tab-separated values instead of aligned columns. */
  tsv?: boolean;
  /** Token budget of the whole text, footer included (default 20000). */
  maxTokens?: number;
  /** Total number of items upstream, when known. */
  total?: number;
  /** Cursor of the next page, when there is one. */
  nextCursor?: string;
  /** Cursor that resumes right after the first `shown` items, used when the budget cuts the page. */
  cursorAfter?: (shown: number) => string | undefined;
  /** How to narrow the query, e.g. 'filter by zone_id or state'. */
  narrowHint?: string;
  /** Plural noun of the items, e.g. 'VMs' (default 'items'). */
  noun?: string;
  /** Keep Kubernetes Secret data values (`--allow-secrets`); everything else is redacted regardless. */
  allowSecrets?: boolean;
}

export interface RenderedList {
  text: string;
  /** The table of the rows shown (whatever `output` printed): the same cells, for `structuredContent`. */
  table: ShownTable;
  /** Items actually rendered. */
  shown: number;
  /** Whether the budget cut the page. */
  truncated: boolean;
  /** The cursor to continue from what was shown. */
  nextCursor?: string;
}

export interface ObjectRenderOptions {
  /** Default 'yaml' ('table' also prints YAML: tables are for lists). */
  output?: OutputFormat;
  /** Token budget (default 20000). */
  maxTokens?: number;
  /** Keep Kubernetes Secret data values (`--allow-secrets`). */
  allowSecrets?: boolean;
}

/**
 * The rows a list shows, as data: column names (as the columns name themselves), one array of cell strings
 * per row shown (cut and cleaned as the table prints them), and the columns moved above the table because
 * every row has the same value there (`{ namespace: 'team-a' }`).
 */
export interface ShownTable {
  columns: string[];
  rows: string[][];
  uniform?: Record<string, string>;
}

/** Items rendered as a body: a fixed head/tail around one block per item. */
interface ListBody {
  /** The table of the first `count` items. */
  table(count: number): ShownTable;
  /** Weight of `render(count)` or a little more; defined for count <= measured. */
  weigh(count: number): number;
  /** How many items were measured (later ones cannot fit). */
  measured: number;
  render(count: number): string;
}

function tableBody<T>(items: T[], columns: Column<T>[], tsv: boolean): ListBody {
  const { kept, uniform } = collapseUniform(items, columns);
  const model = tableModel(items, kept, { tsv });
  const weigh = tableWeigher(model);
  const table = (count: number): ShownTable => ({
    columns: kept.map((column) => column.header),
    rows: model.cells.slice(0, count),
    ...(uniform ? { uniform } : {}),
  });
  if (!uniform) return { table, weigh, measured: items.length, render: (count) => layoutTable(model, count) };
  const preface = Object.entries(uniform)
    .map(([header, value]) => `${header.toUpperCase()}: ${value}`)
    .join('\n');
  return {
    table,
    weigh: (count) => textWeight(preface) + 1 + weigh(count),
    measured: items.length,
    render: (count) => `${preface}\n${layoutTable(model, count)}`,
  };
}

/**
 * Columns marked `collapseWhenUniform` whose value is the same on every row move above the table; such a
 * column empty on every row is left out.
 */
function collapseUniform<T>(
  items: T[],
  columns: Column<T>[],
): { kept: Column<T>[]; uniform?: Record<string, string> } {
  if (items.length === 0) return { kept: columns };
  const kept: Column<T>[] = [];
  const moved: Record<string, string> = {};
  for (const column of columns) {
    if (column.collapseWhenUniform) {
      const first = formatCell(column.value(items[0]!));
      const same = items.every((item) => formatCell(column.value(item)) === first);
      if (same && first === '') continue;
      if (same && items.length > 1) {
        moved[column.header] = first;
        continue;
      }
    }
    kept.push(column);
  }
  return Object.keys(moved).length ? { kept, uniform: moved } : { kept };
}

/**
 * yaml/json blocks, rendered one by one only until the budget is certainly exceeded. Its table is the one
 * the list would have printed for the same items.
 */
function blockBody<T>(items: T[], columns: Column<T>[], output: 'yaml' | 'json', limit: number): ListBody {
  const blocks: string[] = [];
  const prefix = [0];
  const fixed = output === 'json' ? 4 : 0; // '[\n' and '\n]'
  for (const item of items) {
    const block = output === 'json' ? renderJson(item).replace(/^/gm, '  ') : renderYaml([item]);
    blocks.push(block);
    prefix.push(prefix[prefix.length - 1]! + textWeight(block) + 2); // ',\n' or '\n'
    if (prefix[prefix.length - 1]! + fixed > limit) break;
  }
  return {
    table: (count) => tableBody(items.slice(0, count), columns, false).table(count),
    weigh: (count) => fixed + prefix[count]!,
    measured: blocks.length,
    render: (count) => {
      if (output === 'yaml') return blocks.slice(0, count).join('\n');
      return count === 0 ? '' : `[\n${blocks.slice(0, count).join(',\n')}\n]`;
    },
  };
}

function pageFooter(shown: number, total: number | undefined, next: string | undefined, noun: string) {
  const count = total === undefined ? `${shown} ${noun}` : `${shown} of ${total} ${noun}`;
  if (next) return `${count} · next_cursor: ${next}`;
  if (total !== undefined && total > shown) return count;
  return undefined;
}

/**
 * Renders one page of a list within the token budget, secrets redacted first.
 *
 * The body is a table (or TSV / YAML / JSON of the items, per `output`), followed by a footer line only when
 * useful: `12 of 1000 VMs · next_cursor: abc` when more pages follow, or, when the budget cut the page,
 * `Output cut at 312 of 500 rows to stay within the 20000-token budget. Narrow it (filter by zone_id or
 * state) or continue with cursor: XYZ.` The cut falls on a row boundary, keeps the header, and the whole
 * text (footer included) is within `maxTokens` by {@link estimateTokens}. No items: `No VMs found.`
 */
export function renderList<T>(items: T[], opts: ListRenderOptions<T>): RenderedList {
  const noun = opts.noun ?? 'items';
  const maxTokens = opts.maxTokens ?? DEFAULT_MAX_TOKENS;
  const output = opts.output ?? 'table';
  if (items.length === 0) {
    const text = opts.nextCursor
      ? `No ${noun} on this page · next_cursor: ${opts.nextCursor}`
      : `No ${noun} found.`;
    return {
      text: clipToTokens(text, maxTokens),
      table: { columns: opts.columns.map((column) => column.header), rows: [] },
      shown: 0,
      truncated: false,
      nextCursor: opts.nextCursor,
    };
  }

  const safe = redact(items, { allowSecrets: opts.allowSecrets === true });
  const limit = maxTokens * CHARS_PER_TOKEN;
  const body =
    output === 'table'
      ? tableBody(safe, opts.columns, opts.tsv === true)
      : blockBody(safe, opts.columns, output, limit);
  const total = items.length;
  const unit = output === 'table' ? 'rows' : noun;

  const cursors = new Map<number, string | undefined>();
  const cursorAfter = (count: number): string | undefined => {
    if (!cursors.has(count)) cursors.set(count, opts.cursorAfter?.(count));
    return cursors.get(count);
  };
  const footer = (count: number): string | undefined => {
    if (count === total) return pageFooter(count, opts.total, opts.nextCursor, noun);
    const narrow = opts.narrowHint ? `Narrow it (${opts.narrowHint})` : 'Narrow the query';
    if (count === 0) {
      const alt = output === 'table' ? '' : ' or ask for output table';
      return `Output cut at 0 of ${total} ${unit}: the first one alone exceeds the ${maxTokens}-token budget. ${narrow}${alt}.`;
    }
    const cursor = cursorAfter(count);
    const next = cursor ? ` or continue with cursor: ${cursor}.` : ' or ask for a smaller `limit`.';
    return `Output cut at ${count} of ${total} ${unit} to stay within the ${maxTokens}-token budget. ${narrow}${next}`;
  };
  const compose = (count: number): string => {
    const note = footer(count);
    const text = body.render(count);
    if (note === undefined) return text;
    return text === '' ? note : `${text}\n${note}`;
  };
  const estimate = (count: number): number => {
    if (count > body.measured) return Number.POSITIVE_INFINITY;
    const note = footer(count);
    return body.weigh(count) + (note === undefined ? 0 : textWeight(note) + 1);
  };

  const fitted = fitCount(total, maxTokens, estimate, compose);
  if (!fitted) {
    const text = clipToTokens(footer(0) ?? '', maxTokens);
    return { text, table: body.table(0), shown: 0, truncated: true, nextCursor: cursorAfter(0) };
  }
  const truncated = fitted.count < total;
  return {
    text: fitted.text,
    table: body.table(fitted.count),
    shown: fitted.count,
    truncated,
    nextCursor: truncated ? cursorAfter(fitted.count) : opts.nextCursor,
  };
}

/**
 * Renders one object (a `get` result) as YAML (or JSON with `output: 'json'`), secrets redacted first.
 * Over the budget, the text is cut at a line boundary and a final line says where and why.
 */
export function renderObject(
  value: unknown,
  opts: ObjectRenderOptions = {},
): { text: string; truncated: boolean } {
  const maxTokens = opts.maxTokens ?? DEFAULT_MAX_TOKENS;
  const safe = redact(value, { allowSecrets: opts.allowSecrets === true });
  const text = opts.output === 'json' ? renderJson(safe) : renderYaml(safe);
  return clipLines(
    text,
    maxTokens,
    (shown, total) =>
      `Output cut at line ${shown} of ${total} to stay within the ${maxTokens}-token budget. ` +
      'Ask for fewer fields or a narrower query.',
  );
}
