// Starts lib/oci-sim-child.mjs and resolves with { url, configFile, compartments, clusters, pid, ask(), close() }.
import { forkSim } from './sim-process.mjs';

/** oci-sim in its own process; its OCI config (API key of the admin, profile DEFAULT) is written to `dir`. */
export function startOciSimProcess(options, dir) {
  return forkSim(new URL('./oci-sim-child.mjs', import.meta.url), [JSON.stringify(options), dir], 'oci-sim');
}

/** Distinct OKE cluster tokens each cluster's API server has accepted so far, by cluster OCID. */
export function clusterTokenChecks(sim) {
  return sim.ask('clusterTokenChecks');
}

/** How many requests of each OCI operation oci-sim has answered so far, by operation name. */
export function ociOperations(sim) {
  return sim.ask('operations');
}
