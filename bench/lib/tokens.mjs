// Two ways of counting tokens. `estimateTokens` is the formatter's own estimate (@cloudmcp/format,
// tokens.ts: one token per 3.6 ASCII characters, one per non-ASCII UTF-16 code unit, rounded up per text),
// re-implemented here (a few lines) so the baseline is counted exactly like our own output. `o200kTokens`
// is a real tokenizer (o200k_base, gpt-tokenizer pinned in package.json), for what a model actually pays.
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';

export const CHARS_PER_TOKEN = 3.6;

export function estimateTokens(text) {
  let nonAscii = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) nonAscii++;
  const weight = text.length - nonAscii + nonAscii * CHARS_PER_TOKEN;
  return Math.ceil(Math.round((weight / CHARS_PER_TOKEN) * 1e6) / 1e6);
}

/** o200k_base tokens of a text (a value that is not a string is counted as its JSON). */
export const o200kTokens = (value) => countTokens(typeof value === 'string' ? value : JSON.stringify(value));

/**
 * What one tool definition costs in o200k tokens: `model` is its name, description and input schema as JSON
 * (what hosts hand the model), `output` its output schema. The same definition as mcp-test-kit's
 * toolListTokens, which the snapshot tests use.
 */
export function toolTokens(tool) {
  return {
    model: o200kTokens({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema }),
    output: tool.outputSchema ? o200kTokens(tool.outputSchema) : 0,
  };
}

/** A tools/list answer's totals: tool count, model-facing tokens, output-schema tokens. */
export function toolListTokens(tools) {
  let modelFacing = 0;
  let outputSchemas = 0;
  for (const tool of tools) {
    const t = toolTokens(tool);
    modelFacing += t.model;
    outputSchemas += t.output;
  }
  return { tools: tools.length, modelFacing, outputSchemas };
}
