import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contractTable } from '../src/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** Table rows with their cells trimmed: the README is formatted (padded), the generated table is not. */
function rows(table: string): string[] {
  return table
    .trim()
    .split('\n')
    .map((line) =>
      line
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim())
        .map((cell) => (/^-+$/.test(cell) ? '---' : cell))
        .join('|'),
    );
}

describe('README', () => {
  it('holds the route table as contractTable() prints it', () => {
    const [, after] = readme.split(/<!-- contract-table:[^>]*-->/);
    const [table] = (after ?? '').split('<!-- /contract-table -->');
    expect(rows(table ?? '')).toEqual(rows(contractTable()));
  });
});
