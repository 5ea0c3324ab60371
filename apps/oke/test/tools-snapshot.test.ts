import { toolListSnapshot, toolListSnapshotHint } from 'mcp-test-kit';
import type { OciSim } from 'oci-sim';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type OkeServer, startOke, startSim, tempDir } from './harness.js';

// The default tools/list, checked in with its o200k token totals: a change that grows what a model reads
// shows up as a diff in review. scripts/tool-tables.mjs builds the README's tool table from the same file.
// PATH is an empty directory, so the list does not depend on which CLIs the machine running the test has.
let sim: OciSim;
let oke: OkeServer;

beforeAll(async () => {
  sim = await startSim();
  oke = await startOke(sim, { env: { PATH: tempDir('oke-no-clis-') } });
});

afterAll(async () => {
  await oke?.close();
  await sim?.close();
});

it('the default tools/list matches test/tools-snapshot.json', async () => {
  const { tools } = await oke.server.client.listTools();
  await expect(toolListSnapshot(tools), toolListSnapshotHint('@cloudmcp/oke')).toMatchFileSnapshot(
    './tools-snapshot.json',
  );
});
