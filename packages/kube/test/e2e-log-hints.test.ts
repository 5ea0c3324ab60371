import type { KubeSim } from 'kube-sim';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Connected, connect, credentialLeaks, items, startSim } from './harness.js';

let sim: KubeSim;
let viewer: Connected;

beforeAll(async () => {
  sim = await startSim();
  viewer = await connect(sim, { user: 'view' });
});

afterEach(() => {
  for (const c of sim.clusters) c.clearFaults();
});

afterAll(async () => {
  expect(credentialLeaks(sim)).toEqual([]);
  await viewer?.close();
  await sim?.close();
});

async function webPod(): Promise<{ name: string; node: string; ip: string }> {
  const [pod] = items(await viewer.call('pod_list', { namespace: 'team-a', label_selector: 'app=web' }));
  const stored = sim.clusters[0]!.store.get('v1', 'Pod', 'team-a', String(pod!['name']))!;
  return { name: stored.metadata.name, node: stored.spec.nodeName, ip: stored.status.hostIP };
}

describe('pod_logs hints', () => {
  it('when the API server cannot reach the kubelet, names the node, port 10250 and where to look', async () => {
    const pod = await webPod();
    // What kube-apiserver answers when its dial to the kubelet fails (the Go error as the Status message).
    const message =
      `Get "https://${pod.ip}:10250/containerLogs/team-a/${pod.name}/nginx?limitBytes=131072&tailLines=200": ` +
      `dial tcp ${pod.ip}:10250: connect: connection refused`;
    sim.clusters[0]!.addFault({ kind: 'status', status: 500, path: '/log', message, times: Infinity });
    const r = await viewer.call('pod_logs', { name: pod.name, namespace: 'team-a' });
    expect(r.isError).toBe(true);
    expect(r.text.split('\n')).toEqual([
      `Error: The API server could not reach the kubelet on node ${pod.node} (${pod.ip}:10250) to read the ` +
        `logs of pod team-a/${pod.name}.`,
      `Upstream: 500 InternalError ${message}`,
      expect.stringMatching(
        new RegExp(
          `^Next: The pod may well be running \\(\`pod_get\`\\).*Check that ${pod.node} is Ready \\(\`node_list\`\\)` +
            '.*on OKE, an ingress rule for TCP 10250 .* security list or network security group\\.$',
        ),
      ),
    ]);
  });

  it('other log failures keep the usual message', async () => {
    const pod = await webPod();
    sim.clusters[0]!.addFault({ kind: 'status', status: 503, path: '/log', times: Infinity, retryAfter: 0 });
    const r = await viewer.call('pod_logs', { name: pod.name, namespace: 'team-a' });
    expect(r.text).toMatch(/^Error: The API server of context "sim-1" failed \(503 ServiceUnavailable\)\./);
    expect(r.text).not.toContain('10250');
  });

  it('a pod name that does not exist gets the close names of that namespace', async () => {
    const pod = await webPod();
    const typo = `${pod.name.slice(0, -1)}${pod.name.endsWith('x') ? 'y' : 'x'}`;
    const r = await viewer.call('pod_logs', { name: typo, namespace: 'team-a' });
    expect(r.isError).toBe(true);
    expect(r.text).toContain(`Not found: pods "${typo}" in namespace "team-a"`);
    expect(r.text).toMatch(new RegExp(`Next: Did you mean .*"${pod.name}"`));
  });
});
