import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CliToolsOptions, cliTools, detectClis } from '../src/index.js';

// istioctl and argocd are listed only when the server found their binaries at start-up (a PATH scan through
// the runner's own lookup); kubectl and helm always are. Without what was found (a library user), all four.

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A directory holding an executable file for each of `names` (never run: only found). */
function binDir(...names: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'cli-listing-'));
  dirs.push(dir);
  for (const name of names) {
    writeFileSync(join(dir, name), '#!/bin/sh\nexit 0\n');
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

const OPTIONS: CliToolsOptions = {
  multiTarget: false,
  readOnly: false,
  disableDestructive: false,
  confirm: 'never',
};
const names = (opts: CliToolsOptions) => cliTools(opts).map((tool) => tool.name);

describe('which CLI tools are listed', () => {
  it('lists istioctl and argocd when their binaries are on the PATH', async () => {
    const found = await detectClis({ path: binDir('istioctl', 'argocd') });
    expect(names({ ...OPTIONS, found })).toEqual(['kubectl', 'helm', 'istioctl', 'argocd']);
  });

  it('leaves out the ones not found, and always lists kubectl and helm', async () => {
    expect(names({ ...OPTIONS, found: await detectClis({ path: binDir('argocd') }) })).toEqual([
      'kubectl',
      'helm',
      'argocd',
    ]);
    expect(names({ ...OPTIONS, found: await detectClis({ path: binDir() }) })).toEqual(['kubectl', 'helm']);
  });

  it('counts a configured binary or directory as found (--istioctl-path, --cli-dirs)', async () => {
    const elsewhere = binDir('my-istioctl', 'argocd');
    const found = await detectClis({
      path: binDir(),
      binaries: { istioctl: join(elsewhere, 'my-istioctl') },
      dirs: [elsewhere],
    });
    expect(names({ ...OPTIONS, found })).toEqual(['kubectl', 'helm', 'istioctl', 'argocd']);
  });

  it('lists all four when the caller says nothing about what was found', () => {
    expect(names(OPTIONS)).toEqual(['kubectl', 'helm', 'istioctl', 'argocd']);
  });
});
