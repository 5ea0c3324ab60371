import { join } from 'node:path';
import { type StdioServer, startStdioServer, toolListSnapshot, toolListSnapshotHint } from 'mcp-test-kit';
import type { OcmSim } from 'ocm-sim';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CLI, startSim, tempDir } from './harness.js';

// The default tools/list, checked in with its o200k token totals: a change that grows what a model reads
// shows up as a diff in review. scripts/tool-tables.mjs builds the README's tool table from the same file.
// Started as the e2e tests start it, but with PATH an empty directory and no --cli-dirs, so the list does
// not depend on which CLIs the machine running the test has.
let sim: OcmSim;
let server: StdioServer;

beforeAll(async () => {
  sim = await startSim();
  const kubeconfig = join(tempDir('ocm-kubeconfig-'), 'hub.yaml');
  sim.writeHubKubeconfig(kubeconfig, { user: 'admin' });
  server = await startStdioServer({
    cli: CLI,
    env: { HOME: tempDir('ocm-home-'), PATH: tempDir('ocm-no-clis-'), KUBECONFIG: kubeconfig },
    clientName: 'ocm-e2e',
  });
});

afterAll(async () => {
  await server?.close();
  await sim?.close();
});

it('the default tools/list matches test/tools-snapshot.json', async () => {
  const { tools } = await server.client.listTools();
  await expect(toolListSnapshot(tools), toolListSnapshotHint('@cloudmcp/ocm')).toMatchFileSnapshot(
    './tools-snapshot.json',
  );
});
