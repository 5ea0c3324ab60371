import { simulated } from '../sims.mjs';
import { connect, rowsOf, say, step } from './session.mjs';

export const title = 'Kubernetes — kubernetes-mcp against kube-sim (two clusters)';

/** Two clusters: find what is broken in both at once, read its previous logs, list deployments, ask kubectl. */
export async function kubernetesScene() {
  const { env, args, close } = await simulated.kubernetes({ clusters: 2 });
  const client = await connect('apps/kubernetes/dist/cli.js', env, args);
  try {
    await step(client, 'context_list', {});
    const crashing = await step(client, 'pods_crashlooping', { context: '*' });
    const [pod] = rowsOf(crashing);
    if (pod) {
      await step(client, 'pod_logs', {
        context: pod.context,
        namespace: pod.namespace,
        name: pod.pod ?? pod.name,
        previous: true,
        tail_lines: 10,
      });
    }
    await step(client, 'probe_failures', { context: 'sim-1' });
    await step(client, 'deployment_list', { context: 'sim-2', namespace: 'team-a' });
    try {
      await step(client, 'kubectl', { command: 'get pods -n team-a', context: 'sim-2' });
    } catch {
      say('(kubectl is not installed here: bash scripts/fetch-kubectl.sh puts it in .bin-cache/)');
    }
  } finally {
    await client.close();
    await close();
  }
}
