#!/usr/bin/env node
// Two builds of the Kubernetes server side by side: cold start (spawn → initialize → tools/list), the first
// `kubectl get pods` through the CLI tool, and a warm `kubectl get pods`. Usage:
//   node bench/kubernetes-compare.mjs <before cli.js> <after cli.js>
// e.g. a build of an older commit in a git worktree against apps/kubernetes/dist/cli.js. The runs alternate
// between the builds (10 sessions each) so both see the same load. kubectl comes from .bin-cache
// (`bash scripts/fetch-kubectl.sh`); kube-sim runs in its own process (1 cluster, 50 pods).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { startKubeSimProcess } from './lib/kube-sim.mjs';

const [before, after] = process.argv.slice(2);
if (!before || !after) {
  console.error('usage: node bench/kubernetes-compare.mjs <before cli.js> <after cli.js>');
  process.exit(2);
}
const binDir = join(dirname(fileURLToPath(import.meta.url)), '..', '.bin-cache');
const dir = mkdtempSync(join(tmpdir(), 'cmp-'));
const kubeconfig = join(dir, 'kubeconfig');
const sim = await startKubeSimProcess({ clusters: 1, pods: 50 }, kubeconfig);
const runs = 10;
const times = {};
const note = (key, ms) => {
  times[key] = [...(times[key] ?? []), ms];
};

for (let run = 0; run < runs; run++) {
  for (const [name, cli] of Object.entries({ before, after })) {
    const t0 = performance.now();
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [cli, '--cli-dirs', binDir],
      env: { PATH: process.env.PATH, HOME: dir, KUBECONFIG: kubeconfig },
      stderr: 'ignore',
    });
    const client = new Client({ name: 'compare', version: '1' });
    await client.connect(transport);
    await client.listTools();
    note(`${name}: spawn → tools/list`, performance.now() - t0);
    for (const which of ['first', 'warm']) {
      const t = performance.now();
      const result = await client.callTool({ name: 'kubectl', arguments: { command: 'get pods -A' } });
      if (result.isError) throw new Error(`${name}: ${result.content[0].text}`);
      note(`${name}: ${which} kubectl get pods -A`, performance.now() - t);
    }
    await client.close();
  }
}
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
for (const [key, v] of Object.entries(times)) {
  console.log(
    `${key.padEnd(36)} median ${Math.round(median(v))} ms  min ${Math.round(Math.min(...v))}  max ${Math.round(Math.max(...v))}`,
  );
}
await sim.close();
