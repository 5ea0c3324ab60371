import { toolListSnapshot, toolListSnapshotHint } from 'mcp-test-kit';
import { expect, it } from 'vitest';
import { startServer, tempDir } from './harness.js';

// The default tools/list, checked in with its o200k token totals: a change that grows what a model reads
// shows up as a diff in review. scripts/tool-tables.mjs builds the README's tool table from the same file.
// PATH is an empty directory and no --cli-dirs is given, so the list does not depend on which CLIs
// (kubectl, helm, istioctl, argocd) the machine running the test has.
it('the default tools/list matches test/tools-snapshot.json', async () => {
  const server = await startServer({ env: { PATH: tempDir('k8s-no-clis-') } });
  try {
    const { tools } = await server.client.listTools();
    await expect(toolListSnapshot(tools), toolListSnapshotHint('@cloudmcp/kubernetes')).toMatchFileSnapshot(
      './tools-snapshot.json',
    );
  } finally {
    await server.close();
  }
});
