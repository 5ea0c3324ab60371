import { loadedYaml } from '@cloudmcp/format';
import type { Document } from 'yaml';
import { badInput } from './errors.js';

// YAML (or JSON) text that a model or an HTTP tenant sends — a manifest to apply — is read with a bounded
// cost. The `yaml` library spends about 10 µs a token composing documents, so a 4 MB body of empty
// documents or one huge flow list would hold the event loop (every other call of the process) for seconds
// and take a gigabyte. Counting tokens with the lexer first is ~30 times cheaper and stops early; documents
// are then composed one at a time, so the document cap stops the work too.

export interface YamlInputLimits {
  /** Documents (non-empty) at most. */
  maxDocuments: number;
  /** Lexer tokens at most: a Deployment is about 1 000, a large CRD 100 000. */
  maxTokens: number;
  /** Alias expansions at most (a "billion laughs" document is refused). */
  maxAliasCount?: number;
}

export const DEFAULT_YAML_INPUT_LIMITS: YamlInputLimits = {
  maxDocuments: 50,
  maxTokens: 100_000,
  maxAliasCount: 100,
};

/**
 * The non-empty documents of `text` as plain values, or a bad-input error naming `field`: too many tokens or
 * documents, a syntax error (with line and column), or too many aliases. Nothing past the limits is parsed.
 * `loadYaml()` must have been awaited (the runtime does so before every tool call).
 */
export function parseYamlInput(
  text: string,
  field: string,
  limits: YamlInputLimits = DEFAULT_YAML_INPUT_LIMITS,
): unknown[] {
  const { Composer, Lexer, LineCounter, Parser } = loadedYaml();
  let tokens = 0;
  for (const _token of new Lexer().lex(text)) {
    if (++tokens > limits.maxTokens) {
      throw badInput(
        field,
        `is too large to read here (over ${limits.maxTokens} YAML tokens)`,
        'Split it into smaller calls.',
      );
    }
  }
  const lines = new LineCounter();
  const composer = new Composer();
  const values: unknown[] = [];
  const take = (doc: Document.Parsed): void => {
    if (doc.contents === null) return;
    const error = doc.errors[0];
    if (error) {
      const { line, col } = lines.linePos(error.pos[0]);
      const where = ` at line ${line}, column ${col}`;
      throw badInput(field, `is not valid YAML${where}: ${error.message.split('\n')[0]}`);
    }
    try {
      const value: unknown = doc.toJS({ maxAliasCount: limits.maxAliasCount ?? 100 });
      if (value !== null && value !== undefined) values.push(value); // `---` with nothing after it
    } catch (error) {
      // the yaml library refuses excessive alias expansion with a ReferenceError
      throw badInput(field, `cannot be read: ${(error as Error).message.split('\n')[0]}`);
    }
    if (values.length > limits.maxDocuments) {
      throw badInput(
        field,
        `holds more than ${limits.maxDocuments} document${limits.maxDocuments === 1 ? '' : 's'}`,
        'Split it into smaller calls.',
      );
    }
  };
  for (const cst of new Parser(lines.addNewLine).parse(text)) for (const doc of composer.next(cst)) take(doc);
  for (const doc of composer.end()) take(doc);
  return values;
}
