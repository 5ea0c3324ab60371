#!/usr/bin/env node
// One fleet question through an OCM hub (issue 10): ocm-sim runs a hub and 50 managed clusters (realistic seed
// each, agents included) in its own process; the built OCM server gets the hub's kubeconfig alone.
// Measured: connecting to every managed cluster (ManagedServiceAccount + ManifestWork + token per cluster,
// least privilege `view`), then "which pods are not ready?" asked of one cluster and of the whole fleet
// (`pods_not_ready` with `cluster: "*"`, one call), 5 times each after a warm-up; latency, rows, and the
// text the model reads (bytes, tokens at 3.6 characters each).
//
//   node bench/ocm.mjs        # writes bench/results/ocm.json
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { machineInfo } from './lib/machine.mjs';
import { startOcmSimProcess } from './lib/ocm-sim.mjs';
import { int, ms, table } from './lib/report.mjs';
import { msSince, now, summarize } from './lib/stats.mjs';
import { estimateTokens } from './lib/tokens.mjs';

const MANAGED = Number(process.env.OCM_BENCH_CLUSTERS ?? 50);
const RUNS = 5;
const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ocm-bench-'));
const machine = machineInfo();

let t = now();
const sim = await startOcmSimProcess({ managed: MANAGED }, join(dir, 'hub.yaml'));
const simStartMs = msSince(t);
const transport = new StdioClientTransport({
  command: process.execPath,
  args: [join(root, 'apps/ocm/dist/cli.js'), '--connect-timeout', '600'],
  env: { PATH: process.env.PATH ?? '', HOME: dir, KUBECONFIG: sim.kubeconfig },
  stderr: 'ignore',
});
const client = new Client({ name: 'cloudmcp-bench', version: '0.0.0' });
await client.connect(transport);
await client.listTools();

async function call(name, args) {
  const result = await client.callTool({ name, arguments: args });
  const text = result.content.map((c) => c.text ?? '').join('\n');
  if (result.isError) throw new Error(`${name}: ${text}`);
  return { text, out: result.structuredContent };
}

// Every managed cluster connected, all at once (as a host running parallel tool calls would).
t = now();
await Promise.all(sim.managed.map((cluster) => call('connect_cluster', { cluster })));
const connectAllMs = msSince(t);

const ways = {
  'one cluster': () => call('pods_not_ready', { cluster: sim.managed[0], limit: 1000 }),
  [`the fleet: cluster "*" (hub + ${MANAGED})`]: () => call('pods_not_ready', { cluster: '*', limit: 1000 }),
};
const results = {};
for (const run of Object.values(ways)) await run(); // warm clients and connections
for (let i = 0; i < RUNS; i++) {
  for (const [name, run] of Object.entries(ways)) {
    t = now();
    const { text, out } = await run();
    const times = [...(results[name]?.times ?? []), msSince(t)];
    results[name] = {
      rows: out.items.length,
      unreachable: out.unreachable?.length ?? 0,
      bytes: Buffer.byteLength(text),
      tokens: estimateTokens(text),
      times,
    };
  }
}
await client.close();
await sim.close();

console.log(
  `OCM fleet question, ${MANAGED} managed clusters — ${new Date().toISOString()}, node ${process.version}, ${machine.nproc} cores\n` +
    `ocm-sim up (hub, ${MANAGED} clusters, agents) in ${ms(simStartMs)} ms; ` +
    `connect_cluster × ${MANAGED} at once: ${ms(connectAllMs)} ms`,
);
const rows = Object.entries(results).map(([name, r]) => {
  const s = summarize(r.times);
  return [name, r.rows, r.unreachable, ms(s.median), ms(s.p95), int(r.bytes), int(r.tokens)];
});
console.log(
  table(['question', 'rows', 'unreachable', 'median ms', 'p95 ms', 'text bytes', '≈ tokens'], rows),
);
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(
  join(root, 'bench/results/ocm.json'),
  `${JSON.stringify({ at: new Date().toISOString(), machine, managed: MANAGED, runs: RUNS, simStartMs, connectAllMs, results }, null, 2)}\n`,
);
