// Runs kube-sim in its own process, so that its CPU work (TLS, list encoding, Tables) is not charged to
// the benchmark client's event loop. Started with child_process.fork; writes the kubeconfig to the path
// given in argv[3] and reports { clusters: [{ name, url, caPem, token }] } over IPC (the admin token, for
// the benchmark's own raw requests).
import { startKubeSim } from 'kube-sim';

const options = JSON.parse(process.argv[2] ?? '{}');
const kubeconfigPath = process.argv[3];
const sim = await startKubeSim(options);
for (const cluster of sim.clusters) await cluster.settle?.();
sim.writeKubeconfig(kubeconfigPath, { user: 'admin' });
// The request log grows by one entry per request for the whole run; the benchmark does not read it.
const trim = setInterval(() => {
  for (const cluster of sim.clusters) if (Array.isArray(cluster.log)) cluster.log.length = 0;
}, 1000);
trim.unref();
process.send({
  clusters: sim.clusters.map((c) => ({ name: c.name, url: c.url, caPem: c.caPem, token: c.tokens.admin })),
});
process.on('message', async (message) => {
  if (message === 'close') {
    await sim.close();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
