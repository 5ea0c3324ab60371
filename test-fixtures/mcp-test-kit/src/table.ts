/** What a list tool's structuredContent holds: the table its text shows (see @cloudmcp/toolkit). */
export interface ListContent {
  columns: string[];
  rows: string[][];
  /** Columns every row shares, printed once above the table. */
  uniform?: Record<string, string>;
  total?: number;
  next_cursor?: string;
  [field: string]: unknown;
}

/**
 * The rows of a list tool's structuredContent as objects keyed by column name, with the values every row
 * shares (`uniform`) on each: `[{ name: 'web-1', state: 'Running', zone: 'z1' }]`. Cells are the strings the
 * table shows. Throws when given anything but a list's structuredContent.
 */
export function tableRows(structured: unknown): Array<Record<string, string>> {
  const list = structured as Partial<ListContent> | undefined;
  if (!list || !Array.isArray(list.columns) || !Array.isArray(list.rows)) {
    throw new Error(`not a list's structuredContent: ${JSON.stringify(structured)?.slice(0, 200)}`);
  }
  const { columns, rows, uniform = {} } = list as ListContent;
  return rows.map((row) => ({
    ...uniform,
    ...Object.fromEntries(columns.map((column, i) => [column, row[i]!])),
  }));
}
