// kube-sim in its own process (see sim-process.mjs): its TLS, list encoding and Tables are not charged to
// the benchmark client. Writes the kubeconfig to the path given in argv[3] and reports
// { clusters: [{ name, url, caPem, token }] } (the admin token, for the benchmark's own raw requests).
import { startKubeSim } from 'kube-sim';
import { serveSimInChild } from './sim-process.mjs';

const sim = await startKubeSim(JSON.parse(process.argv[2] ?? '{}'));
for (const cluster of sim.clusters) await cluster.settle?.();
sim.writeKubeconfig(process.argv[3], { user: 'admin' });
serveSimInChild(
  {
    clusters: sim.clusters.map((c) => ({ name: c.name, url: c.url, caPem: c.caPem, token: c.tokens.admin })),
  },
  { logs: () => sim.clusters.map((c) => c.log), close: () => sim.close() },
);
