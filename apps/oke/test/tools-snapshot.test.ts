import { toolListSnapshot, toolListSnapshotHint, toolsetsByName } from 'mcp-test-kit';
import type { OciSim } from 'oci-sim';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { okeTools } from '../src/server.js';
import { startOke, startSim, tempDir } from './harness.js';

// The tools/list a model reads, checked in with its o200k token totals, so a change that grows it shows up
// as a diff in review: by default (what a session starts with) and with every toolset on (what
// scripts/tool-tables.mjs builds the README's tool table from). PATH is an empty directory, so the list
// does not depend on which CLIs the machine running the test has.
const toolsets = toolsetsByName(okeTools());
// the every-toolset list names istioctl and argocd too (listed where found or configured), for the README
const EVERY_CLI = ['--istioctl-path', 'istioctl', '--argocd-path', 'argocd'];
let sim: OciSim;

beforeAll(async () => {
  sim = await startSim();
});

afterAll(async () => {
  await sim?.close();
});

it.each([
  { file: 'tools-snapshot.json', args: [] },
  { file: 'tools-snapshot-all.json', args: ['--toolsets', 'all', ...EVERY_CLI] },
])('tools/list with [$args] matches test/$file', async ({ file, args }) => {
  const oke = await startOke(sim, { args, env: { PATH: tempDir('oke-no-clis-') } });
  try {
    const { tools } = await oke.server.client.listTools();
    await expect(
      toolListSnapshot(tools, toolsets),
      toolListSnapshotHint('@cloudmcp/oke', `test/${file}`),
    ).toMatchFileSnapshot(`./${file}`);
  } finally {
    await oke.close();
  }
});
