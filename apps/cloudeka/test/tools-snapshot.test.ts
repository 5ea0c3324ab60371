import type { CloudekaSim } from 'cloudeka-sim';
import { toolListSnapshot, toolListSnapshotHint, toolsetsByName } from 'mcp-test-kit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cloudekaTools } from '../src/server.js';
import { startServer, withSim } from './harness.js';

// The tools/list a model reads, checked in with its o200k token totals, so a change that grows it shows up
// as a diff in review: by default (what a session starts with) and with every toolset on, superadmin too
// (what scripts/tool-tables.mjs builds the README's tool table from).
const toolsets = toolsetsByName(cloudekaTools);
let sim: CloudekaSim;

beforeAll(async () => {
  sim = await withSim({ environment: 'production' });
});

afterAll(async () => {
  await sim?.close();
});

it.each([
  { file: 'tools-snapshot.json', args: [] },
  { file: 'tools-snapshot-all.json', args: ['--toolsets', 'all'] },
])('tools/list with [$args] matches test/$file', async ({ file, args }) => {
  const server = await startServer(sim, { args, defaultToolsets: true });
  try {
    const { tools } = await server.client.listTools();
    await expect(
      toolListSnapshot(tools, toolsets),
      toolListSnapshotHint('@cloudmcp/cloudeka', `test/${file}`),
    ).toMatchFileSnapshot(`./${file}`);
  } finally {
    await server.close();
  }
});
