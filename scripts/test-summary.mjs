#!/usr/bin/env node
// Reads the output of `pnpm test` (turbo replaying each package's vitest summary) on stdin and prints
// one closing line for the whole repository: "tests: N passed, N failed, N skipped".
import { text } from 'node:stream/consumers';
import { stripVTControlCharacters } from 'node:util';

const output = stripVTControlCharacters(await text(process.stdin));
const totals = { passed: 0, failed: 0, skipped: 0 };
for (const line of output.split('\n')) {
  const summary = /\bTests\s+(.*)\(\d+\)\s*$/.exec(line);
  if (!summary) continue;
  for (const [, count, kind] of summary[1].matchAll(/(\d+)\s+(passed|failed|skipped)/g)) {
    totals[kind] += Number(count);
  }
}
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
