#!/usr/bin/env node
// The first Kubernetes call of a session, with and without the warm-up that loads @kubernetes/client-node
// after the first tools/list. Usage:
//   node bench/kubernetes-first-call.mjs <cli.js with warm-up> <cli.js without>
// The second build is apps/kubernetes/dist copied elsewhere with the warm-up removed:
//   cp -r apps/kubernetes/dist /tmp/k8s-nowarm
//   sed -i 's/warm: (deps) => deps.kube.warm()/warm: void 0/' /tmp/k8s-nowarm/chunk-*.js
// For each build, 5 sessions × {0, 1000} ms between tools/list and the first call (a host lists the tools
// long before a model calls one); the call is namespace_list against kube-sim (1 cluster, 50 pods).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { startKubeSimProcess } from './lib/kube-sim.mjs';

const dir = mkdtempSync(join(tmpdir(), 'fc-'));
const kubeconfig = join(dir, 'kubeconfig');
const sim = await startKubeSimProcess({ clusters: 1, pods: 50 }, kubeconfig);
const [warm, nowarm] = process.argv.slice(2);
if (!warm || !nowarm) {
  console.error('usage: node bench/kubernetes-first-call.mjs <cli.js with warm-up> <cli.js without>');
  process.exit(2);
}
const builds = { warm, nowarm };
const out = {};
for (let run = 0; run < 5; run++) {
  for (const [name, cli] of Object.entries(builds)) {
    for (const wait of [0, 1000]) {
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [cli],
        env: { PATH: process.env.PATH, HOME: dir, KUBECONFIG: kubeconfig },
        stderr: 'ignore',
      });
      const client = new Client({ name: 'probe', version: '1' });
      await client.connect(transport);
      await client.listTools();
      await new Promise((r) => setTimeout(r, wait));
      const t = performance.now();
      await client.callTool({ name: 'namespace_list', arguments: {} });
      const ms = performance.now() - t;
      const key = `${name} wait ${wait}`;
      out[key] = [...(out[key] ?? []), Math.round(ms)];
      await client.close();
    }
  }
}
for (const [k, v] of Object.entries(out)) {
  const sorted = [...v].sort((a, b) => a - b);
  console.log(k.padEnd(20), 'median', sorted[2], 'all', v.join(' '));
}
await sim.close();
