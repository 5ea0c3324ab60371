import {
  type Column,
  clipLines,
  type OutputFormat,
  redact,
  renderList,
  renderObject,
} from '@cloudmcp/format';
import { RESUME } from './pagination.js';
import type { AnyTool } from './tool.js';

/** Server-wide rendering settings (`--output`, `--max-output-tokens`, `--allow-secrets`). */
export interface RenderSettings {
  /** Overrides each tool's own rendering (tables for lists, YAML for objects). */
  output?: OutputFormat;
  maxTokens: number;
  allowSecrets: boolean;
}

export const DEFAULT_RENDER: RenderSettings = { maxTokens: 20_000, allowSecrets: false };

export interface ToolResult {
  [key: string]: unknown;
  content: Array<{ type: 'text'; text: string }>;
  structuredContent: Record<string, unknown>;
}

type ListData = { items: unknown[]; total?: number; next_cursor?: string; [RESUME]?: (n: number) => string };

/**
 * Renders a handler's output: text for the model (within the token budget, secrets redacted) and
 * `structuredContent`. A list's structured content is what its table shows, not the items: the column
 * names, the rows shown as the same cell strings, the values every row shares (`uniform`), and the
 * output's other top-level fields (`total`, `next_cursor`, `unreachable` …). That holds for `--output
 * yaml|json` too, where the text carries the whole items the operator asked for. When the budget cuts a
 * list, `next_cursor` resumes right after the last row shown, so nothing is skipped. Objects and text
 * results carry the whole (redacted) output, less top-level nulls (their compact schema gives each field
 * one type; an absent field says the same).
 */
export function renderToolResult(
  tool: AnyTool,
  output: Record<string, unknown>,
  resume: ((shown: number) => string | undefined) | undefined,
  settings: RenderSettings,
): ToolResult {
  const data = redact(output, { allowSecrets: settings.allowSecrets });
  const { render } = tool;
  if (render.kind === 'list') {
    const list = data as ListData;
    const rendered = renderList(list.items, {
      columns: render.columns as Column<unknown>[],
      noun: render.noun,
      output: settings.output ?? 'table',
      maxTokens: settings.maxTokens,
      total: list.total,
      nextCursor: list.next_cursor,
      cursorAfter: resume,
      allowSecrets: settings.allowSecrets,
      ...(render.narrowHint ? { narrowHint: render.narrowHint } : {}),
    });
    const notes = render.notes?.(data as never) ?? [];
    const text = notes.length ? `${rendered.text}\n${notes.join('\n')}` : rendered.text;
    const { items: _, ...rest } = withoutNulls(data);
    if (rendered.truncated && rendered.nextCursor) rest['next_cursor'] = rendered.nextCursor;
    return { content: [{ type: 'text', text }], structuredContent: { ...rest, ...rendered.table } };
  }
  if (render.kind === 'text') {
    const { text } = clipLines(
      render.text(data as never),
      settings.maxTokens,
      (shown, total) =>
        `Output cut at line ${shown} of ${total} to stay within the ${settings.maxTokens}-token budget.`,
    );
    return { content: [{ type: 'text', text }], structuredContent: withoutNulls(data) };
  }
  const subject = render.select ? render.select(data as never) : data;
  const rendered = renderObject(subject, {
    output: settings.output ?? 'yaml',
    maxTokens: settings.maxTokens,
    allowSecrets: settings.allowSecrets,
  });
  return { content: [{ type: 'text', text: rendered.text }], structuredContent: withoutNulls(data) };
}

function withoutNulls(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(data).filter(([, value]) => value !== null && value !== undefined),
  );
}
