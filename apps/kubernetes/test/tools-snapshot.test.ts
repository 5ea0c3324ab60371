import { toolListSnapshot, toolListSnapshotHint, toolsetsByName } from 'mcp-test-kit';
import { expect, it } from 'vitest';
import { kubernetesTools } from '../src/server.js';
import { startServer, tempDir } from './harness.js';

// The tools/list a model reads, checked in with its o200k token totals, so a change that grows it shows up
// as a diff in review: by default (what a session starts with) and with every toolset on (what
// scripts/tool-tables.mjs builds the README's tool table from). PATH is an empty directory and no
// --cli-dirs is given, so the list does not depend on which CLIs the machine running the test has.
const toolsets = toolsetsByName(kubernetesTools());

it.each([
  { file: 'tools-snapshot.json', args: [] },
  { file: 'tools-snapshot-all.json', args: ['--toolsets', 'all'] },
])('tools/list with [$args] matches test/$file', async ({ file, args }) => {
  const server = await startServer({ args, env: { PATH: tempDir('k8s-no-clis-') } });
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
