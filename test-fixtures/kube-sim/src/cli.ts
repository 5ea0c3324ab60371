#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startKubeSim } from './sim.js';
import type { KubeSimOptions } from './types.js';

const USAGE = `Usage: kube-sim --kubeconfig-out FILE [options]

An in-memory multi-cluster Kubernetes API server (HTTPS, bearer tokens, RBAC) for kubectl, helm and client libraries.

Options:
  --clusters N            number of clusters, each on its own port (default 1)
  --kubeconfig-out FILE   write a kubeconfig (mode 0600) with one context per cluster
  --user ROLE             kubeconfig credentials: admin (default), view, edit or teamAdmin
  --seed KIND             realistic (default) or empty
  --pods N                extra pods bench-pod-0000.. in namespace bench (default 0)
  --host ADDR             interface to bind (default 127.0.0.1)
  --port N                base port; cluster i listens on N+i (default: free ports)
  --help                  show this help`;

function count(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new Error(`--${name} must be a non-negative integer, got "${v}"`);
  return Number(v);
}

let values: Record<string, string | boolean | undefined>;
try {
  values = parseArgs({
    args: process.argv.slice(2),
    strict: true,
    allowPositionals: false,
    options: {
      clusters: { type: 'string' },
      'kubeconfig-out': { type: 'string' },
      user: { type: 'string' },
      seed: { type: 'string' },
      pods: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
  if (values.seed !== undefined && values.seed !== 'realistic' && values.seed !== 'empty') {
    throw new Error(`--seed must be realistic or empty, got "${values.seed}"`);
  }
  if (values.user !== undefined && !['admin', 'view', 'edit', 'teamAdmin'].includes(values.user as string)) {
    throw new Error(`--user must be admin, view, edit or teamAdmin, got "${values.user}"`);
  }
} catch (err) {
  console.error(`kube-sim: ${(err as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const options: KubeSimOptions = {};
try {
  const clusters = count('clusters', values.clusters as string | undefined);
  if (clusters !== undefined) options.clusters = clusters;
  const pods = count('pods', values.pods as string | undefined);
  if (pods !== undefined) options.pods = pods;
  const port = count('port', values.port as string | undefined);
  if (port !== undefined) options.basePort = port;
  if (values.seed) options.seed = values.seed as 'realistic' | 'empty';
  if (values.host) options.host = values.host as string;
} catch (err) {
  console.error(`kube-sim: ${(err as Error).message}\n\n${USAGE}`);
  process.exit(2);
}

const sim = await startKubeSim(options).catch((err: Error) => {
  console.error(`kube-sim: ${err.message}`);
  process.exit(1);
});
const user = (values.user as 'admin' | 'view' | 'edit' | 'teamAdmin' | undefined) ?? 'admin';
const out = values['kubeconfig-out'] as string | undefined;
if (out) sim.writeKubeconfig(out, { user });
console.log(`kube-sim: ${sim.clusters.length} cluster(s) up`);
for (const c of sim.clusters) console.log(`  ${c.name}  ${c.url}`);
if (out) console.log(`kubeconfig (${user}) written to ${out}\n  export KUBECONFIG=${out}`);
else console.log('no --kubeconfig-out given; kubeconfig follows\n' + sim.kubeconfig({ user }));

const stop = () => {
  void sim.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
