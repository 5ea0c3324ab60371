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
 * Renders a handler's output: text for the model (within the token budget, secrets redacted) and the same
 * data as `structuredContent`. When the budget cuts a list, the structured items are cut to the same rows
 * and `next_cursor` resumes right after the last one shown, so nothing is skipped.
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
    if (rendered.truncated) {
      list.items = list.items.slice(0, rendered.shown);
      if (rendered.nextCursor) list.next_cursor = rendered.nextCursor;
    }
    const notes = render.notes?.(data as never) ?? [];
    const text = notes.length ? `${rendered.text}\n${notes.join('\n')}` : rendered.text;
    return { content: [{ type: 'text', text }], structuredContent: data };
  }
  if (render.kind === 'text') {
    const { text } = clipLines(
      render.text(data as never),
      settings.maxTokens,
      (shown, total) =>
        `Output cut at line ${shown} of ${total} to stay within the ${settings.maxTokens}-token budget.`,
    );
    return { content: [{ type: 'text', text }], structuredContent: data };
  }
  const subject = render.select ? render.select(data as never) : data;
  const rendered = renderObject(subject, {
    output: settings.output ?? 'yaml',
    maxTokens: settings.maxTokens,
    allowSecrets: settings.allowSecrets,
  });
  return { content: [{ type: 'text', text: rendered.text }], structuredContent: data };
}
