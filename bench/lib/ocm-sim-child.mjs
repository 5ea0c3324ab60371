// ocm-sim in its own process (see sim-process.mjs): the hub, its managed clusters and their agents do their
// TLS, watches and list encoding off the benchmark client's event loop. Writes the hub kubeconfig (admin) to
// the path in argv[3] and reports { hub, managed: [names] }.
import { startOcmSim } from 'ocm-sim';
import { serveSimInChild } from './sim-process.mjs';

const sim = await startOcmSim(JSON.parse(process.argv[2] ?? '{}'));
await sim.settle();
sim.writeHubKubeconfig(process.argv[3]);
serveSimInChild(
  { hub: sim.hub.url, managed: sim.managed.map((m) => m.name) },
  {
    logs: () => [sim.hub.log, ...sim.managed.map((m) => m.cluster.log)],
    close: () => sim.close(),
  },
);
