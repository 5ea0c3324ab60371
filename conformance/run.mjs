#!/usr/bin/env node
// The official MCP conformance suite against every built server, in both protocol eras, judged against
// conformance/expected.json. Prints a table of counts per server and era, then every problem; exits 1 on
// any problem. See conformance/README.md.
//
//   node conformance/run.mjs [--server cloudstack,cloudeka,kubernetes,oke] [--era legacy,modern] [--observed]
//
// --observed also prints each run's results in expected.json's shape (failures with a TODO reason), for
// re-baselining by hand.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { compare, failingChecks } from './compare.mjs';
import { ERAS, RUN_BUDGET_MS, runSuite } from './suite.mjs';
import { startTarget, TARGETS } from './targets.mjs';

const here = import.meta.dirname;
const root = join(here, '..');
const out = (line = '') => process.stdout.write(`${line}\n`);

const { values } = parseArgs({
  options: {
    server: { type: 'string', default: TARGETS.map((t) => t.server).join(',') },
    era: { type: 'string', default: Object.keys(ERAS).join(',') },
    observed: { type: 'boolean', default: false },
  },
});
const pick = (list, known, what) => {
  const names = list.split(',').filter(Boolean);
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length) {
    console.error(`conformance: unknown ${what} ${unknown.join(', ')}; known: ${known.join(', ')}`);
    process.exit(2);
  }
  return names;
};
const targets = pick(
  values.server,
  TARGETS.map((t) => t.server),
  'server',
).map((name) => TARGETS.find((t) => t.server === name));
const eras = pick(values.era, Object.keys(ERAS), 'era');

const setup = spawnSync('bash', [join(here, 'setup.sh')], { stdio: 'inherit' });
if (setup.status !== 0) process.exit(1);
for (const { server } of targets) {
  if (!existsSync(join(root, 'apps', server, 'dist', 'cli.js'))) {
    console.error(`conformance: apps/${server} is not built; run \`pnpm build\` first`);
    process.exit(1);
  }
}

const expected = JSON.parse(readFileSync(join(here, 'expected.json'), 'utf8'));
const outDir = join(root, '.conformance-cache', 'results', new Date().toISOString().replace(/[:.]/g, '-'));
mkdirSync(outDir, { recursive: true });

const rows = [];
for (const target of targets) {
  const started = await startTarget(target);
  try {
    for (const era of eras) {
      const run = await runSuite({ url: started.url, era, outDir });
      const { counts, problems } = compare(run.scenarios, expected[era], target.server);
      if (run.overran) {
        counts.problems++;
        problems.push(`the suite did not finish within ${RUN_BUDGET_MS / 1000} s and was stopped`);
      }
      if (run.scenarios.size === 0) {
        counts.problems++;
        problems.push(
          `the suite ran no scenario (exit ${run.code}): ${run.output.trim().split('\n').slice(-5).join(' | ')}`,
        );
      }
      rows.push({ server: target.server, era, run, counts, problems });
    }
    if (started.exitedEarly()) {
      const last = rows.at(-1);
      last.counts.problems++;
      last.problems.push(
        `the server exited during the run: ${started.stderr().trim().split('\n').slice(-5).join(' | ')}`,
      );
    }
  } finally {
    await started.close();
  }
}

const header = ['server', 'era', 'revision', 'scenarios', 'pass', 'expected fail', 'problems'];
const table = [
  header,
  ...rows.map(({ server, era, run, counts }) => [
    server,
    era,
    ERAS[era],
    run.scenarios.size,
    counts.passed,
    counts.expectedFailures,
    counts.problems,
  ]),
].map((cells) => cells.map(String));
const widths = header.map((_, i) => Math.max(...table.map((cells) => cells[i].length)));
out();
for (const cells of table) out(cells.map((cell, i) => cell.padEnd(widths[i])).join('  '));

for (const { server, era, problems } of rows) {
  if (problems.length === 0) continue;
  out();
  out(`${server} / ${era} (${ERAS[era]}):`);
  for (const line of problems) out(`  ${line}`);
}

if (values.observed) {
  for (const { server, era, run } of rows) {
    const observed = Object.fromEntries(
      [...run.scenarios].map(([scenario, checks]) => {
        const failing = failingChecks(checks);
        if (failing.length === 0) return [scenario, 'pass'];
        const why = failing[0].errorMessage ?? failing[0].id;
        return [scenario, { fail: `TODO: ${why}`, checks: [...new Set(failing.map((c) => c.id))] }];
      }),
    );
    out();
    out(`observed ${server} / ${era}:`);
    out(JSON.stringify(observed, null, 2));
  }
}

const problems = rows.reduce((sum, row) => sum + row.counts.problems, 0);
out();
out(`conformance: ${problems === 0 ? 'ok' : `${problems} problem(s)`}; results in ${outDir}`);
process.exit(problems === 0 ? 0 : 1);
