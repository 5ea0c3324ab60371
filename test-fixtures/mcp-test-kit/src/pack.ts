import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';

const run = promisify(execFile);

/** pnpm as the test runner was started with (pnpm test), else from PATH. */
function pnpm(args: string[], cwd: string) {
  const execPath = process.env['npm_execpath'];
  return execPath?.includes('pnpm')
    ? run(process.execPath, [execPath, ...args], { cwd })
    : run('pnpm', args, { cwd });
}

export interface PackOptions {
  /** The app's directory (holding its package.json). */
  app: string;
  /** The one bin the manifest must declare, as `bin/<bin>.js` (which imports `../dist/cli.js`). */
  bin: string;
  /** Prefix of the temporary directory the tarball is packed and unpacked into. */
  tmpPrefix?: string;
  /** Arguments to run the unpacked bin with. */
  args: string[];
  /** Environment of that run, over PATH; may depend on the unpack directory. */
  env?: Record<string, string> | ((out: string) => Record<string, string>);
}

export interface Packed {
  /** The directory the tarball was packed and unpacked in (the cwd of the run). */
  out: string;
  /** The unpacked package. */
  root: string;
  /** Its dist directory. */
  dist: string;
  /** What the bin printed. */
  stdout: string;
}

/**
 * Packs the app with pnpm and unpacks the tarball; checks the manifest has no dependencies, no
 * `workspace:` and just the bin, and that nothing shipped imports anything but Node built-ins and
 * relative chunks; then runs the unpacked bin with nothing else installed.
 */
export async function packAndRun(opts: PackOptions): Promise<Packed> {
  const out = mkdtempSync(join(tmpdir(), opts.tmpPrefix ?? 'mcp-pack-'));
  await pnpm(['pack', '--pack-destination', out], opts.app);
  const tarball = readdirSync(out).find((f) => f.endsWith('.tgz'))!;
  await run('tar', ['-xzf', join(out, tarball), '-C', out]);
  const root = join(out, 'package');

  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  expect(manifest.dependencies ?? {}).toEqual({});
  expect(JSON.stringify(manifest)).not.toContain('workspace:');
  expect(manifest.bin).toEqual({ [opts.bin]: `bin/${opts.bin}.js` });

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

  const env = typeof opts.env === 'function' ? opts.env(out) : (opts.env ?? {});
  const { stdout } = await run(process.execPath, [join(root, manifest.bin[opts.bin]), ...opts.args], {
    cwd: out,
    env: { PATH: process.env['PATH'] ?? '', ...env },
  });
  return { out, root, dist, stdout };
}
