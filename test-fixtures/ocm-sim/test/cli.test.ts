import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnCli } from 'sim-kit';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseCliArgs } from '../src/cli-options.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

describe('CLI arguments', () => {
  it('parses every option', () => {
    expect(
      parseCliArgs(['--managed', '5', '--kubeconfig-out', '/tmp/k', '--user', 'view', '--host', '0.0.0.0']),
    ).toEqual({
      help: false,
      options: { managed: 5, kubeconfigOut: '/tmp/k', user: 'view', host: '0.0.0.0' },
    });
    expect(parseCliArgs([])).toEqual({ help: false, options: {} });
    expect(parseCliArgs(['--help'])).toEqual({ help: true });
  });

  it('refuses what it does not know', () => {
    expect(() => parseCliArgs(['--managed', 'three'])).toThrow('--managed must be a non-negative integer');
    expect(() => parseCliArgs(['--user', 'root'])).toThrow('--user must be admin, view or edit');
    expect(() => parseCliArgs(['--clusters', '2'])).toThrow();
  });
});

describe('ocm-sim CLI (built)', () => {
  it('starts the hub and clusters, writes the hub kubeconfig 0600, prints no token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocm-sim-cli-'));
    const out = join(dir, 'hub.yaml');
    const cli = await spawnCli(CLI, ['--managed', '2', '--kubeconfig-out', out], (s) =>
      s.includes('Hub kubeconfig'),
    );
    try {
      expect(cli.out).toMatch(/OCM hub listening on https:\/\/127\.0\.0\.1:\d+/);
      expect(cli.out).toMatch(/managed cluster cluster1 +https:\/\/127\.0\.0\.1:\d+/);
      expect(cli.out).toMatch(/managed cluster cluster2 /);
      expect(statSync(out).mode & 0o777).toBe(0o600);
      const kubeconfig = parse(readFileSync(out, 'utf8'));
      expect(kubeconfig['current-context']).toBe('hub');
      expect(cli.out).not.toContain(kubeconfig.users[0].user.token);
    } finally {
      expect(await cli.stop()).toBe(0);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
