import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';

/** The parts of a tools/list entry a snapshot keeps: what a model or a host reads of a tool. */
export interface ListedTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema: unknown;
  outputSchema?: unknown;
  annotations?: unknown;
}

/** What a tools/list costs in o200k_base tokens. */
export interface ToolListTokens {
  tools: number;
  /** Name, description and input schema of every tool, as JSON: what hosts hand the model. */
  modelFacing: number;
  /** The output schemas on top (hosts validate results with them; some hand them to the model too). */
  outputSchemas: number;
}

const tokensOf = (value: unknown) => countTokens(JSON.stringify(value));

/** One tool's model-facing and output-schema tokens (bench/lib/tokens.mjs counts the same way). */
export function toolTokens(tool: ListedTool): { model: number; output: number } {
  return {
    model: tokensOf({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema }),
    output: tool.outputSchema === undefined ? 0 : tokensOf(tool.outputSchema),
  };
}

/** The totals of a tools/list answer. */
export function toolListTokens(tools: readonly ListedTool[]): ToolListTokens {
  let modelFacing = 0;
  let outputSchemas = 0;
  for (const tool of tools) {
    const { model, output } = toolTokens(tool);
    modelFacing += model;
    outputSchemas += output;
  }
  return { tools: tools.length, modelFacing, outputSchemas };
}

/** Each tool's toolset by name, from a server's tool definitions (tools/list does not carry it). */
export function toolsetsByName(
  definitions: readonly { name: string; toolset: string }[],
): Record<string, string> {
  return Object.fromEntries(definitions.map((tool) => [tool.name, tool.toolset]));
}

/**
 * A server's tools/list as the text of a checked-in snapshot: its token totals, then every tool in the
 * server's order with its toolset (from `toolsets`, when given), tokens, title, description, annotations
 * and schemas — nothing else a server may add, so the snapshot changes only when what a model or a host
 * reads changes.
 */
export function toolListSnapshot(
  tools: readonly ListedTool[],
  toolsets: Readonly<Record<string, string>> = {},
): string {
  const snapshot = {
    tokens: toolListTokens(tools),
    tools: tools.map((tool) => ({
      name: tool.name,
      toolset: Object.hasOwn(toolsets, tool.name) ? toolsets[tool.name] : undefined,
      title: tool.title,
      description: tool.description,
      tokens: toolTokens(tool),
      annotations: tool.annotations,
      inputSchema: tool.inputSchema,
      outputSchema: tool.outputSchema,
    })),
  };
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}

/** The message a snapshot mismatch shows: how to accept an intended change of a server's tools/list. */
export function toolListSnapshotHint(pkg: string, file = 'test/tools-snapshot.json'): string {
  return (
    `tools/list of ${pkg} differs from ${file}. If the change is intended, run ` +
    `\`pnpm --filter ${pkg} build && pnpm --filter ${pkg} exec vitest run test/tools-snapshot.test.ts -u ` +
    '&& node scripts/tool-tables.mjs` (from the repository root) and commit the snapshot and README'
  );
}
