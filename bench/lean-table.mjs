#!/usr/bin/env node
// A result of bench/lean.mjs as the Markdown tables of bench/README.md ("Lean"): ours before and after, the
// peers, our servers' tools/lists, and issue 12's goals. Usage:
//   node bench/lean-table.mjs bench/results/lean.json                   # a run with --before
//   node bench/lean-table.mjs bench/results/lean-before.json bench/results/lean.json   # two runs
import { readFileSync } from 'node:fs';
import { K_BEFORE, kubeFigures, onDemandCell, ourToolLists, summarizeLean } from './lib/lean-report.mjs';
import { int, markdownTable } from './lib/report.mjs';

const files = process.argv.slice(2);
if (files.length < 1 || files.length > 2) {
  console.error('usage: node bench/lean-table.mjs <run with --before>.json | <before>.json <after>.json');
  process.exit(2);
}
const read = (file) => JSON.parse(readFileSync(file, 'utf8'));
const runs = files.map(read);
const results = runs.at(-1);
if (runs.length === 2) {
  // The before run's ours beside the after run's servers, as one run with --before would hold them.
  results.kubernetes = {
    [K_BEFORE]: { ...runs[0].kubernetes.ours, label: 'ours before' },
    ...results.kubernetes,
  };
  results.otherBefore = runs[0].other;
} else if (!(K_BEFORE in results.kubernetes)) {
  console.error(`${files[0]} has no before build (run lean.mjs with --before), and no second file was given`);
  process.exit(2);
}
summarizeLean(results);

const when = (r) =>
  `${r.date.slice(0, 16).replace('T', ' ')} UTC, load average ${r.machine.loadavgBefore.join(' ')} at the ` +
  `start and ${r.machine.loadavgAfter.join(' ')} at the end, ${r.config.runs} runs`;
const m = results.machine;
console.log(`Machine: ${m.nproc} cores (${m.cpu}), ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node}.`);
console.log(
  runs.length === 2
    ? `Before: ${when(runs[0])}. After: ${when(results)}.\n`
    : `${when(results)}; before and after interleaved in the one run.\n`,
);

const peers = Object.keys(results.kubernetes).filter((id) => id !== 'ours' && id !== K_BEFORE);
const K = results.kubernetes;
console.log(
  markdownTable(
    ['', 'ours before', '**ours after**', ...peers.map((id) => K[id].label)],
    kubeFigures(results).map(([label, cell]) => [
      label,
      cell(K[K_BEFORE]),
      `**${cell(K.ours)}**`,
      ...peers.map((id) => cell(K[id])),
    ]),
  ),
);

console.log('');
const beforeLists = Object.fromEntries(ourToolLists(results, true));
const size = (o) => (o ? `${int(o.modelFacing)} + ${int(o.outputSchemas)} (${o.tools})` : '–');
console.log(
  markdownTable(
    ['tools/list: model reads + output schemas (tools)', 'before', 'after', 'after enabling one toolset'],
    ourToolLists(results).map(([id, o]) => [id, size(beforeLists[id]), size(o), onDemandCell(o.onDemand)]),
  ),
);

console.log('');
console.log(
  markdownTable(
    ['issue 12 goal (medians)', 'before', 'after', 'limit (after)', 'met'],
    results.goals.map((g, i) => [
      g.goal,
      int(results.goalsBefore[i].value),
      int(g.value),
      int(g.limit),
      g.met ? '**yes**' : 'no',
    ]),
  ),
);
