import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { packAndRun } from 'mcp-test-kit';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const app = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('the published package', () => {
  it('packs into a self-contained tarball whose bin runs with nothing else installed', async () => {
    const { out, root, dist, stdout } = await packAndRun({
      app,
      bin: 'kubernetes-mcp',
      tmpPrefix: 'k8s-pack-',
      args: ['--list-tools'],
      env: (out) => ({ HOME: out }),
    });
    expect(readdirSync(join(root, 'dist')).some((f) => f.endsWith('.map'))).toBe(false);
    expect(stdout).toMatch(/^pod_list\s+workloads\s+read\s+List pods$/m);
    expect(stdout).toMatch(/^kubectl\s+cli\s+destructive\s+Run kubectl$/m);

    // client-node, bundled, loads from the unpacked package alone (the first call to a cluster needs it)
    const probe = `
      const { createDeps, kubernetesConfigSchema, createLogger } = await import(${JSON.stringify(join(dist, 'index.js'))});
      const deps = createDeps(kubernetesConfigSchema.parse({}), createLogger({ name: 'p', level: 'error' }));
      await deps.kube.warm();
      console.log('warm', deps.kube.size);
    `;
    const warmed = await run(process.execPath, ['--input-type=module', '-e', probe], {
      cwd: out,
      env: { PATH: process.env['PATH'] ?? '', HOME: out },
    });
    expect(warmed.stdout.trim()).toBe('warm 0');
  }, 120_000);
});
