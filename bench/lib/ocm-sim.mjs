// Starts lib/ocm-sim-child.mjs and resolves with { hub, managed, kubeconfig, pid, close() }.
import { forkSim } from './sim-process.mjs';

export async function startOcmSimProcess(options, kubeconfig) {
  const url = new URL('./ocm-sim-child.mjs', import.meta.url);
  // a hub and its agents join every managed cluster before the child reports: minutes for 50 on 2 cores
  const started = await forkSim(url, [JSON.stringify(options), kubeconfig], 'ocm-sim', 600_000);
  return { ...started, kubeconfig };
}
