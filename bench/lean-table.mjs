#!/usr/bin/env node
// Two results of bench/lean.mjs side by side, as the Markdown tables of bench/README.md ("Lean"): ours
// before and after, the peers from the after run, our servers' tools/list, and issue 12's goals. Usage:
//   node bench/lean-table.mjs bench/results/lean-before.json bench/results/lean.json
import { readFileSync } from 'node:fs';
import { kubeFigures, onDemandCell, ourToolLists, summarizeLean } from './lib/lean-report.mjs';
import { int, markdownTable } from './lib/report.mjs';

const [beforeFile, afterFile] = process.argv.slice(2);
if (!beforeFile || !afterFile) {
  console.error('usage: node bench/lean-table.mjs <before.json> <after.json>');
  process.exit(2);
}
const read = (file) => summarizeLean(JSON.parse(readFileSync(file, 'utf8')));
const before = read(beforeFile);
const after = read(afterFile);

const when = (r) =>
  `${r.date.slice(0, 16).replace('T', ' ')} UTC, load average ${r.machine.loadavgBefore.join(' ')} at the ` +
  `start and ${r.machine.loadavgAfter.join(' ')} at the end, ${r.config.runs} runs`;
const m = after.machine;
console.log(`Machine: ${m.nproc} cores (${m.cpu}), ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node}.`);
console.log(`Before: ${when(before)}. After: ${when(after)}.\n`);

const peers = Object.keys(after.kubernetes).filter((id) => id !== 'ours');
console.log(
  markdownTable(
    ['', 'ours before', '**ours after**', ...peers.map((id) => after.kubernetes[id].label)],
    kubeFigures(after).map(([label, cell]) => [
      label,
      cell(before.kubernetes.ours),
      `**${cell(after.kubernetes.ours)}**`,
      ...peers.map((id) => cell(after.kubernetes[id])),
    ]),
  ),
);

console.log('');
const beforeLists = Object.fromEntries(ourToolLists(before));
const size = (o) => (o ? `${int(o.modelFacing)} + ${int(o.outputSchemas)} (${o.tools})` : '–');
console.log(
  markdownTable(
    ['tools/list: model reads + output schemas (tools)', 'before', 'after', 'after enabling one toolset'],
    ourToolLists(after).map(([id, o]) => [id, size(beforeLists[id]), size(o), onDemandCell(o.onDemand)]),
  ),
);

console.log('');
console.log(
  markdownTable(
    ['issue 12 goal (medians)', 'before', 'after', 'limit (after)', 'met'],
    after.goals.map((g, i) => [
      g.goal,
      int(before.goals[i].value),
      int(g.value),
      int(g.limit),
      g.met ? '**yes**' : 'no',
    ]),
  ),
);
