import { join } from 'node:path';
import { startStdioServer, toolListSnapshot, toolListSnapshotHint, toolsetsByName } from 'mcp-test-kit';
import type { OcmSim } from 'ocm-sim';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ocmTools } from '../src/server.js';
import { CLI, startSim, tempDir } from './harness.js';

// The tools/list a model reads, checked in with its o200k token totals, so a change that grows it shows up
// as a diff in review: by default (what a session starts with) and with every toolset on (what
// scripts/tool-tables.mjs builds the README's tool table from). Started as the e2e tests start it, but
// with PATH an empty directory and no --cli-dirs, so the list does not depend on which CLIs the machine
// running the test has.
const toolsets = toolsetsByName(ocmTools());
// the every-toolset list names istioctl and argocd too (listed where found or configured), for the README
const EVERY_CLI = ['--istioctl-path', 'istioctl', '--argocd-path', 'argocd'];
let sim: OcmSim;
let kubeconfig: string;

beforeAll(async () => {
  sim = await startSim();
  kubeconfig = join(tempDir('ocm-kubeconfig-'), 'hub.yaml');
  sim.writeHubKubeconfig(kubeconfig, { user: 'admin' });
});

afterAll(async () => {
  await sim?.close();
});

it.each([
  { file: 'tools-snapshot.json', args: [] },
  { file: 'tools-snapshot-all.json', args: ['--toolsets', 'all', ...EVERY_CLI] },
])('tools/list with [$args] matches test/$file', async ({ file, args }) => {
  const server = await startStdioServer({
    cli: CLI,
    args,
    env: { HOME: tempDir('ocm-home-'), PATH: tempDir('ocm-no-clis-'), KUBECONFIG: kubeconfig },
    clientName: 'ocm-e2e',
  });
  try {
    const { tools } = await server.client.listTools();
    await expect(
      toolListSnapshot(tools, toolsets),
      toolListSnapshotHint('@cloudmcp/ocm', `test/${file}`),
    ).toMatchFileSnapshot(`./${file}`);
  } finally {
    await server.close();
  }
});
