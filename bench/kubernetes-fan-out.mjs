#!/usr/bin/env node
// One question across 50 clusters (DESIGN.md, Performance: fan-out). kube-sim serves 50 clusters (realistic
// seed each) from its own process; the built Kubernetes server gets a kubeconfig with their 50 contexts.
// The question: "which pods are not ready, anywhere?" — `pods_not_ready` with `context: "*"` (one call),
// against what a host must do without it: one call per context, sequentially (a model's tool calls usually
// are), or all 50 at once (hosts that run parallel tool calls). Each way 5 times after one warm-up round;
// latency, calls, and the text the model reads (bytes, tokens at 3.6 characters each).
//
//   node bench/kubernetes-fan-out.mjs        # ~1 min on 2 cores; writes bench/results/kubernetes-fan-out.json
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { startKubeSimProcess } from './lib/kube-sim.mjs';
import { int, ms, table } from './lib/report.mjs';
import { msSince, now, summarize } from './lib/stats.mjs';
import { estimateTokens } from './lib/tokens.mjs';

const CLUSTERS = 50;
const RUNS = 5;
const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'fan-out-'));
const kubeconfig = join(dir, 'kubeconfig');

const sim = await startKubeSimProcess({ clusters: CLUSTERS }, kubeconfig);
const contexts = sim.clusters.map((c) => c.name);
const transport = new StdioClientTransport({
  command: process.execPath,
  args: [join(root, 'apps/kubernetes/dist/cli.js')],
  env: { PATH: process.env.PATH ?? '', HOME: dir, KUBECONFIG: kubeconfig },
  stderr: 'ignore',
});
const client = new Client({ name: 'cloudmcp-bench', version: '0.0.0' });
await client.connect(transport);
await client.listTools();

async function ask(args) {
  const result = await client.callTool({ name: 'pods_not_ready', arguments: args });
  if (result.isError) throw new Error(result.content[0]?.text);
  const text = result.content.map((c) => c.text ?? '').join('\n');
  return { text, rows: result.structuredContent.rows.length }; // the table's rows (structuredContent)
}

const ways = {
  'one call, context "*"': async () => {
    const r = await ask({ context: '*', limit: 1000 });
    return { calls: 1, rows: r.rows, text: r.text };
  },
  [`${CLUSTERS} calls, one after another`]: async () => {
    let rows = 0;
    let text = '';
    for (const context of contexts) {
      const r = await ask({ context, limit: 1000 });
      rows += r.rows;
      text += r.text;
    }
    return { calls: CLUSTERS, rows, text };
  },
  [`${CLUSTERS} calls at once`]: async () => {
    const all = await Promise.all(contexts.map((context) => ask({ context, limit: 1000 })));
    return {
      calls: CLUSTERS,
      rows: all.reduce((n, r) => n + r.rows, 0),
      text: all.map((r) => r.text).join(''),
    };
  },
};

const results = {};
for (const run of Object.values(ways)) await run(); // warm every client and connection
for (let i = 0; i < RUNS; i++) {
  for (const [name, run] of Object.entries(ways)) {
    const t = now();
    const out = await run();
    const times = [...(results[name]?.times ?? []), msSince(t)];
    const { text, ...counts } = out;
    results[name] = { ...counts, bytes: Buffer.byteLength(text), tokens: estimateTokens(text), times };
  }
}
await client.close();
await sim.close();

const rows = Object.entries(results).map(([name, r]) => {
  const s = summarize(r.times);
  return [name, r.calls, r.rows, ms(s.median), ms(s.p95), int(r.bytes), int(r.tokens)];
});
console.log(
  `pods_not_ready across ${CLUSTERS} kube-sim clusters — ${new Date().toISOString()}, node ${process.version}`,
);
console.log(table(['way', 'calls', 'rows', 'median ms', 'p95 ms', 'text bytes', '≈ tokens'], rows));
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(
  join(root, 'bench/results/kubernetes-fan-out.json'),
  `${JSON.stringify({ at: new Date().toISOString(), clusters: CLUSTERS, runs: RUNS, results }, null, 2)}\n`,
);
