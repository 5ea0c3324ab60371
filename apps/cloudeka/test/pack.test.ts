import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const app = join(dirname(fileURLToPath(import.meta.url)), '..');

/** pnpm as the test runner was started with (pnpm test), else from PATH. */
function pnpm(args: string[], cwd: string) {
  const execPath = process.env.npm_execpath;
  return execPath?.includes('pnpm')
    ? run(process.execPath, [execPath, ...args], { cwd })
    : run('pnpm', args, { cwd });
}

describe('the published package', () => {
  it('packs into a self-contained tarball whose bin runs with nothing else installed', async () => {
    const out = mkdtempSync(join(tmpdir(), 'cldk-pack-'));
    await pnpm(['pack', '--pack-destination', out], app);
    const tarball = readdirSync(out).find((f) => f.endsWith('.tgz'))!;
    await run('tar', ['-xzf', join(out, tarball), '-C', out]);
    const root = join(out, 'package');

    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(JSON.stringify(manifest)).not.toContain('workspace:');
    expect(manifest.bin).toEqual({ 'cloudeka-mcp': './dist/cli.js' });

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
      env: { PATH: process.env.PATH ?? '', CLDKCTL_TOKEN: 'cldkctl_0123456789abcdefghij' },
    });
    expect(stdout).toMatch(/^project_list\s+project\s+read\s+List projects$/m);
    expect(stdout).toMatch(/^vm_delete\s+vm\s+destructive\s+Delete a VM$/m);
  });
});
