import type { CloudStackSim } from 'cloudstack-sim';
import { toolListSnapshot, toolListSnapshotHint } from 'mcp-test-kit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Started, startServer, withSim } from './harness.js';

// The default tools/list, checked in with its o200k token totals: a change that grows what a model reads
// shows up as a diff in review. scripts/tool-tables.mjs builds the README's tool table from the same file.
let sim: CloudStackSim;
let server: Started;

beforeAll(async () => {
  sim = await withSim();
  server = await startServer(sim);
});

afterAll(async () => {
  await server?.close();
  await sim?.close();
});

it('the default tools/list matches test/tools-snapshot.json', async () => {
  const { tools } = await server.client.listTools();
  await expect(toolListSnapshot(tools), toolListSnapshotHint('@cloudmcp/cloudstack')).toMatchFileSnapshot(
    './tools-snapshot.json',
  );
});
