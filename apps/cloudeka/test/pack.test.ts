import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packAndRun } from 'mcp-test-kit';
import { describe, expect, it } from 'vitest';

const app = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('the published package', () => {
  it('packs into a self-contained tarball whose bin runs with nothing else installed', async () => {
    const { stdout } = await packAndRun({
      app,
      bin: 'cloudeka-mcp',
      tmpPrefix: 'cldk-pack-',
      args: ['--list-tools'],
      env: { CLDKCTL_TOKEN: 'cldkctl_0123456789abcdefghij' },
    });
    expect(stdout).toMatch(/^project_list\s+project\s+read\s+List projects$/m);
    expect(stdout).toMatch(/^vm_delete\s+vm\s+destructive\s+Delete a VM$/m);
  });
});
