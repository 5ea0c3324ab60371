// Starts lib/ocm-sim-child.mjs and resolves with { hub, managed, kubeconfig, pid, close() }.
import { forkSim } from './sim-process.mjs';

export async function startOcmSimProcess(options, kubeconfig) {
  const url = new URL('./ocm-sim-child.mjs', import.meta.url);
  return { ...(await forkSim(url, [JSON.stringify(options), kubeconfig], 'ocm-sim')), kubeconfig };
}
