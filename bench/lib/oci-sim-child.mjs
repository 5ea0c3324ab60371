// oci-sim in its own process (see sim-process.mjs): its signature checks and its kube-sim clusters' TLS are
// not charged to the benchmark client. Writes the OCI config to the directory in argv[3] and reports
// { url, configFile, compartments: [{ id, name }], clusters: [{ id, name, compartmentId }] }; answers
// ask('clusterTokenChecks') with oci-sim's count of distinct cluster tokens accepted per cluster, and
// ask('operations') with how many requests of each OCI operation it has answered (its OCI request log is
// kept for that: a bench run makes a few hundred OCI requests; the kube-sim logs are emptied).
// oci-sim is not a dependency of the bench package, so it is imported from its build.
import { startOciSim } from 'oci-sim';
import { serveSimInChild } from './sim-process.mjs';

const sim = await startOciSim(JSON.parse(process.argv[2] ?? '{}'));
const { configFile } = sim.writeConfig(process.argv[3], { auth: 'api_key', user: 'admin' });
serveSimInChild(
  {
    url: sim.url,
    configFile,
    compartments: sim.compartments.map(({ id, name }) => ({ id, name })),
    clusters: sim.clusters.map(({ id, name, compartmentId }) => ({ id, name, compartmentId })),
  },
  {
    logs: () => sim.clusters.map((c) => c.kube.log),
    close: () => sim.close(),
    answers: {
      clusterTokenChecks: () => Object.fromEntries(sim.clusterTokenChecks),
      operations: () => {
        const counts = {};
        for (const { operation } of sim.log) counts[operation] = (counts[operation] ?? 0) + 1;
        return counts;
      },
    },
  },
);
