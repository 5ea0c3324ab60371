import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from './harness.js';

const run = promisify(execFile);
const app = join(dirname(fileURLToPath(import.meta.url)), '..');

/** pnpm as the test runner was started with (pnpm test), else from PATH. */
function pnpm(args: string[], cwd: string) {
  const execPath = process.env['npm_execpath'];
  return execPath?.includes('pnpm')
    ? run(process.execPath, [execPath, ...args], { cwd })
    : run('pnpm', args, { cwd });
}

describe('the published package', () => {
  it('packs into a self-contained tarball whose bin runs with nothing else installed', async () => {
    const out = tempDir('k8s-pack-');
    await pnpm(['pack', '--pack-destination', out], app);
    const tarball = readdirSync(out).find((f) => f.endsWith('.tgz'))!;
    await run('tar', ['-xzf', join(out, tarball), '-C', out]);
    const root = join(out, 'package');

    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(JSON.stringify(manifest)).not.toContain('workspace:');
    expect(manifest.bin).toEqual({ 'kubernetes-mcp': './dist/cli.js' });
    expect(readdirSync(join(root, 'dist')).some((f) => f.endsWith('.map'))).toBe(false);

    // Nothing but Node built-ins and relative chunks may be imported by what ships.
    const dist = join(root, 'dist');
    for (const file of readdirSync(dist).filter((f) => f.endsWith('.js'))) {
      const code = readFileSync(join(dist, file), 'utf8');
      const specifiers = [
        ...code.matchAll(/^(?:import|export|\})[^\n]*\bfrom\s*["']([^"']+)["']/gm),
        ...code.matchAll(/^import\s*["']([^"']+)["']/gm),
        ...code.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
      ].map((m) => m[1]!);
      const bare = specifiers
        .filter((s) => !s.startsWith('.'))
        .filter((s) => !s.startsWith('node:') && !builtinModules.includes(s));
      expect(bare, file).toEqual([]);
    }

    const { stdout } = await run(process.execPath, [join(dist, 'cli.js'), '--list-tools'], {
      cwd: out,
      env: { PATH: process.env['PATH'] ?? '', HOME: out },
    });
    expect(stdout).toMatch(/^pod_list\s+workloads\s+read\s+List pods$/m);
    expect(stdout).toMatch(/^kubectl\s+cli\s+write\s+Run kubectl$/m);

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
