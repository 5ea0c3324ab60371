import type { KubeSim } from 'kube-sim';
import { toolListSnapshot, toolListSnapshotHint, toolsetsByName } from 'mcp-test-kit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { kubernetesTools } from '../src/server.js';
import { startServer, startSim, tempDir, writeKubeconfig } from './harness.js';

// The tools/list a model reads, checked in with its o200k token totals, so a change that grows it shows up
// as a diff in review: by default (what a session starts with) and with every toolset on (what
// scripts/tool-tables.mjs builds the README's tool table from). The kubeconfig has kube-sim's two contexts,
// as the e2e tests' has (a kubeconfig of several contexts adds a `context` argument to the tools). PATH is
// an empty directory and no --cli-dirs is given, so the list does not depend on which CLIs the machine
// running the test has.
const toolsets = toolsetsByName(kubernetesTools());
// the every-toolset list names istioctl and argocd too (listed where found or configured), for the README
const EVERY_CLI = ['--istioctl-path', 'istioctl', '--argocd-path', 'argocd'];
let sim: KubeSim;
let kubeconfig: string;

beforeAll(async () => {
  sim = await startSim();
  kubeconfig = writeKubeconfig(sim);
});

afterAll(async () => {
  await sim?.close();
});

it.each([
  { file: 'tools-snapshot.json', args: [] },
  { file: 'tools-snapshot-all.json', args: ['--toolsets', 'all', ...EVERY_CLI] },
])('tools/list with [$args] matches test/$file', async ({ file, args }) => {
  const server = await startServer({ args, kubeconfig, env: { PATH: tempDir('k8s-no-clis-') } });
  try {
    const { tools } = await server.client.listTools();
    await expect(
      toolListSnapshot(tools, toolsets),
      toolListSnapshotHint('@cloudmcp/kubernetes', `test/${file}`),
    ).toMatchFileSnapshot(`./${file}`);
  } finally {
    await server.close();
  }
});
