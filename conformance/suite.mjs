// Runs the official conformance suite (on the Node 22 from setup.sh) against one MCP endpoint in one era,
// and reads back what each scenario's checks said.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const cache = join(root, '.conformance-cache');
const SUITE_NODE = join(cache, 'node', 'bin', 'node');
const SUITE_CLI = join(cache, 'suite', 'node_modules', '.bin', 'conformance');

/**
 * Our two protocol eras, each run as the suite's frozen requirement set of one revision: exactly the
 * scenarios that revision requires, plus the ones it runs without scoring, on that revision's wire
 * (the initialize handshake for 2025-11-25, stateless per-request `_meta` for 2026-07-28).
 */
export const ERAS = { legacy: '2025-11-25', modern: '2026-07-28' };

/** Per scenario (the suite's default is 30 s); each takes milliseconds against a healthy server. */
const SCENARIO_TIMEOUT_MS = 15_000;
/** For one era's whole run against one server; a healthy run takes a few seconds. */
export const RUN_BUDGET_MS = 180_000;

/** `server-<scenario>-<ISO time with : and . as ->`, the directory the suite writes per scenario. */
const RESULT_DIR = /^server-(.+)-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/;

/**
 * Runs every scenario of the era's requirement set against `url`. Resolves with the suite's exit code,
 * its output, and per scenario the checks it reported ({ id, status, errorMessage }).
 */
export async function runSuite({ url, era, outDir }) {
  const resultsDir = mkdtempSync(join(outDir, `${era}-`));
  const args = [SUITE_CLI, 'server', '--url', url, '--requirements', ERAS[era], '--output-dir', resultsDir];
  args.push('--timeout', String(SCENARIO_TIMEOUT_MS));
  const child = spawn(SUITE_NODE, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  // A budget for CI, not a verdict on speed: a server that hangs every scenario would otherwise hold
  // the step for scenarios x timeout. The scenarios that finished are still judged; the rest are missing.
  let overran = false;
  const budget = setTimeout(() => {
    overran = true;
    child.kill('SIGTERM');
  }, RUN_BUDGET_MS);
  const code = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  }).finally(() => clearTimeout(budget));
  return { code, output, overran, resultsDir, scenarios: readResults(resultsDir) };
}

const NO_CHECKS = { id: 'checks.json', status: 'FAILURE', errorMessage: 'the suite wrote no checks for it' };

/** Scenario name → its checks, from the `checks.json` of each result directory. */
export function readResults(resultsDir) {
  const scenarios = new Map();
  for (const entry of readdirSync(resultsDir, { withFileTypes: true })) {
    const match = entry.isDirectory() ? RESULT_DIR.exec(entry.name) : null;
    if (!match) continue;
    const file = join(resultsDir, entry.name, 'checks.json');
    const checks = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : [NO_CHECKS];
    scenarios.set(
      match[1],
      checks.map(({ id, status, errorMessage }) => ({ id, status, errorMessage })),
    );
  }
  return scenarios;
}
