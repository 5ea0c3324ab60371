import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packAndRun } from 'mcp-test-kit';
import { describe, expect, it } from 'vitest';

const app = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('the published package', () => {
  it('packs into a self-contained tarball whose bin runs with nothing else installed', async () => {
    const { stdout } = await packAndRun({
      app,
      bin: 'cloudstack-mcp',
      tmpPrefix: 'cs-pack-',
      args: ['--list-tools'],
      env: {
        CLOUDSTACK_API_URL: 'https://cloud.example.com/client/api',
        CLOUDSTACK_API_KEY: 'k',
        CLOUDSTACK_SECRET_KEY: 's',
      },
    });
    expect(stdout).toMatch(/^zone_list\s+catalog\s+read\s+List zones$/m);
    expect(stdout).toMatch(/^vm_destroy\s+vm\s+destructive\s+Destroy a VM$/m);
  });
});
