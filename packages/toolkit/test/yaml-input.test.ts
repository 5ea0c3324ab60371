import { loadYaml } from '@cloudmcp/format';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseYamlInput, ToolError } from '../src/index.js';

// renderYaml and parseYamlInput use the yaml library, which loads on demand
beforeAll(() => loadYaml());

// Hostile input, exhaustion: YAML from a model or tenant is read with a bounded cost, and every refusal is
// bad input naming the field (never "failed unexpectedly").

function refusal(text: string, limits?: Parameters<typeof parseYamlInput>[2]): string {
  try {
    parseYamlInput(text, 'manifest', limits);
  } catch (error) {
    expect(error).toBeInstanceOf(ToolError);
    return (error as ToolError).message;
  }
  throw new Error('not refused');
}

describe('parseYamlInput', () => {
  it('reads YAML and JSON documents, skipping empty ones', () => {
    expect(parseYamlInput('a: 1\n---\n---\nb: [x, y]\n', 'manifest')).toEqual([{ a: 1 }, { b: ['x', 'y'] }]);
    expect(parseYamlInput('{"kind": "Pod", "n": [1, 2]}', 'manifest')).toEqual([{ kind: 'Pod', n: [1, 2] }]);
    expect(parseYamlInput('', 'manifest')).toEqual([]);
  });

  it.each([
    ['4 MB of empty documents', '---\n'.repeat(999_000)],
    ['one huge flow list', `a: [${'1,'.repeat(2_000_000)}1]`],
    ['a deep flow nesting', `${'['.repeat(200_000)}${']'.repeat(200_000)}`],
  ])('refuses %s by its token count, before composing anything', (_what, text) => {
    expect(refusal(text)).toBe(
      'Invalid input `manifest`: is too large to read here (over 100000 YAML tokens)',
    );
  });

  it('stops at the document cap', () => {
    const text = Array.from({ length: 60 }, (_, i) => `n: ${i}`).join('\n---\n');
    expect(refusal(text)).toBe('Invalid input `manifest`: holds more than 50 documents');
    expect(parseYamlInput(text, 'manifest', { maxDocuments: 60, maxTokens: 100_000 })).toHaveLength(60);
  });

  it('refuses an alias bomb as bad input', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
    ].join('\n');
    expect(refusal(bomb)).toMatch(/^Invalid input `manifest`: cannot be read: /);
  });

  it('says where a syntax error is', () => {
    expect(refusal('a: [1, 2\nb: 3\n')).toMatch(
      /^Invalid input `manifest`: is not valid YAML at line \d+, column \d+: /,
    );
  });
});
