// Starts lib/kube-sim-child.mjs and resolves with { clusters, kubeconfig, pid, close() }.
import { forkSim } from './sim-process.mjs';

export async function startKubeSimProcess(options, kubeconfig) {
  const url = new URL('./kube-sim-child.mjs', import.meta.url);
  return { ...(await forkSim(url, [JSON.stringify(options), kubeconfig], 'kube-sim')), kubeconfig };
}
