/** Compact aligned tables (and TSV) for lists. */
import { textWeight } from './tokens.js';

/** One column of a table: a header and how to read the cell from a row. */
// biome-ignore lint/suspicious/noExplicitAny: rows are often loosely typed upstream objects
export interface Column<T = any> {
  /** Column title; printed in UPPER CASE. */
  header: string;
  /** Reads the cell value from a row; see {@link formatCell} for how values print. */
  value: (row: T) => unknown;
  /** Longest cell, in characters (default 60); longer cells are cut and end with '…'. */
  maxWidth?: number;
  /**
   * In list tables: when every row has the same value here (all pods of one namespace), print it once
   * above the table (`NAMESPACE: team-a`) instead of on every row; empty on every row, it is left out.
   */
  collapseWhenUniform?: boolean;
}

export interface TableOptions {
  /** Tab-separated values instead of aligned columns (no padding; cells still cut at `maxWidth`). */
  tsv?: boolean;
}

/** Default {@link Column.maxWidth}. */
export const DEFAULT_MAX_WIDTH = 60;

const ELLIPSIS = '…';
const SEPARATOR = '  ';
const SURROGATE = /[\uD800-\uDFFF]/;
const LINE_BREAKS = /\r\n|[\r\n\t\v\f]/g;

/** Width of a string in code points (an emoji counts once). */
function width(text: string): number {
  return SURROGATE.test(text) ? Array.from(text).length : text.length;
}

function truncate(text: string, maxWidth: number): string {
  const max = Math.max(1, Math.floor(maxWidth));
  if (width(text) <= max) return text;
  const points = SURROGATE.test(text) ? Array.from(text) : null;
  const head = points ? points.slice(0, max - 1).join('') : text.slice(0, max - 1);
  return head + ELLIPSIS;
}

function safeJson(value: unknown): string {
  const stack: object[] = [];
  try {
    return (
      JSON.stringify(value, function (this: unknown, _key, val: unknown) {
        if (typeof val === 'bigint') return val.toString();
        if (val !== null && typeof val === 'object') {
          while (stack.length > 0 && stack[stack.length - 1] !== this) stack.pop();
          if (stack.includes(val)) return '[Circular]';
          stack.push(val);
        }
        return val;
      }) ?? ''
    );
  } catch {
    return String(value);
  }
}

function cellText(value: unknown, nested: boolean): string {
  if (value === null || value === undefined) return '';
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    case 'function':
    case 'symbol':
      return '';
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  if (Array.isArray(value) && !nested) return value.map((item) => cellText(item, true)).join(',');
  return safeJson(value);
}

// What an upstream wrote into a value (a cluster's claim, a label, a condition message) must not drive the
// terminal or the reading order of whoever reads the result: control characters (ESC sequences retitle a
// terminal or write its clipboard, BEL) become spaces, and invisible format characters (bidi overrides,
// zero-width ones) are dropped.
const CONTROL = /\p{Cc}/gu;
const FORMAT = /\p{Cf}/gu;

/**
 * Text of one table cell: null/undefined → '', booleans 'true'/'false', arrays joined with ',',
 * objects as compact JSON, dates as ISO 8601; newlines, tabs and other control characters become spaces,
 * and format characters (bidi overrides, zero-width) are dropped.
 */
export function formatCell(value: unknown): string {
  return cellText(value, false).replace(LINE_BREAKS, ' ').replace(CONTROL, ' ').replace(FORMAT, '');
}

/** A table with every cell already formatted and cut, ready to lay out for any number of its rows. */
export interface TableModel {
  headers: string[];
  cells: string[][];
  tsv: boolean;
}

/** Formats every cell once (each column's `value` is called once per row). */
export function tableModel<T>(
  rows: readonly T[],
  columns: readonly Column<T>[],
  opts: TableOptions = {},
): TableModel {
  return {
    headers: columns.map((column) => column.header.toUpperCase().replace(LINE_BREAKS, ' ')),
    cells: rows.map((row) =>
      columns.map((column) => truncate(formatCell(column.value(row)), column.maxWidth ?? DEFAULT_MAX_WIDTH)),
    ),
    tsv: opts.tsv === true,
  };
}

/** The text of the header and the first `count` rows of a model, columns sized for those rows only. */
export function layoutTable(model: TableModel, count = model.cells.length): string {
  const { headers } = model;
  const cells = model.cells.slice(0, count);
  if (model.tsv) return [headers, ...cells].map((line) => line.join('\t')).join('\n');
  const widths = headers.map((header) => width(header));
  for (const line of cells) {
    for (let i = 0; i < line.length; i++) {
      const w = width(line[i]!);
      if (w > widths[i]!) widths[i] = w;
    }
  }
  const last = headers.length - 1;
  const join = (line: string[]): string =>
    line
      .map((cell, i) => (i === last ? cell : cell + ' '.repeat(widths[i]! - width(cell)) + SEPARATOR))
      .join('')
      .trimEnd();
  return [headers, ...cells].map(join).join('\n');
}

/**
 * Weight function of a model's layouts: `weigh(count)` is the {@link textWeight} of `layoutTable(model, count)`
 * or slightly more (trailing spaces that the layout trims are counted), in O(columns) per call after one
 * pass over the cells. Lets the budget code find how many rows fit without laying the table out each time.
 */
export function tableWeigher(model: TableModel): (count: number) => number {
  const { headers, cells, tsv } = model;
  const columns = headers.length;
  const rows = cells.length;
  // Per column, prefix sums over rows of cell weight and cell width, and the running maximum width.
  const weightSum = headers.map(() => new Float64Array(rows + 1));
  const widthSum = headers.map(() => new Float64Array(rows + 1));
  const maxWidth = headers.map((header) => {
    const max = new Float64Array(rows + 1);
    max[0] = width(header);
    return max;
  });
  for (let r = 0; r < rows; r++) {
    const line = cells[r]!;
    for (let c = 0; c < columns; c++) {
      const cell = line[c]!;
      const w = width(cell);
      weightSum[c]![r + 1] = weightSum[c]![r]! + textWeight(cell);
      widthSum[c]![r + 1] = widthSum[c]![r]! + w;
      maxWidth[c]![r + 1] = Math.max(maxWidth[c]![r]!, w);
    }
  }
  const headerWeight = headers.map((header) => textWeight(header));
  return (count) => {
    const k = Math.max(0, Math.min(rows, count));
    let total = k; // newlines
    for (let c = 0; c < columns; c++) {
      total += headerWeight[c]! + weightSum[c]![k]!;
      if (tsv) {
        if (c < columns - 1) total += k + 1; // tabs
      } else if (c < columns - 1) {
        // padding up to the column width, then the separator, on the header and on each row
        const padded = maxWidth[c]![k]! + SEPARATOR.length;
        total += (k + 1) * padded - width(headers[c]!) - widthSum[c]![k]!;
      }
    }
    return total;
  };
}

/**
 * Compact aligned table: header row in UPPER CASE, columns separated by two spaces, no borders,
 * trailing spaces trimmed. With `tsv`, tab-separated instead. No trailing newline.
 */
export function renderTable<T>(rows: T[], columns: Column<T>[], opts: TableOptions = {}): string {
  return layoutTable(tableModel(rows, columns, opts));
}
