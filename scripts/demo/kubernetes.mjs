import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeSim } from 'kube-sim';
import { connect, heading, root, say, step } from './session.mjs';

/** Two clusters: find what is broken in both at once, read its previous logs, list deployments, ask kubectl. */
export async function kubernetesScene() {
  heading('Kubernetes — kubernetes-mcp against kube-sim (two clusters)');
  const sim = await startKubeSim({ clusters: 2 });
  const dir = mkdtempSync(join(tmpdir(), 'cloudmcp-demo-'));
  const kubeconfig = join(dir, 'kubeconfig');
  sim.writeKubeconfig(kubeconfig);
  const client = await connect('apps/kubernetes/dist/cli.js', {
    KUBECONFIG: kubeconfig,
    HOME: dir,
    CLOUDMCP_CLI_DIRS: join(root, '.bin-cache'),
  });
  try {
    await step(client, 'context_list', {});
    const crashing = await step(client, 'pods_crashlooping', { context: '*' });
    const pod = crashing.items?.[0];
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
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
