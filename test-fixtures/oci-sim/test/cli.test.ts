import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as common from 'oci-common';
import { spawnCli } from 'sim-kit';
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../src/cli-options.js';
import { clients } from './helpers.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

describe('CLI arguments', () => {
  it('defaults to port 9000 on 127.0.0.1', () => {
    expect(parseCliArgs([])).toEqual({ help: false, options: { port: 9000, host: '127.0.0.1' } });
  });

  it('parses every option', () => {
    expect(
      parseCliArgs([
        '--port',
        '0',
        '--clusters',
        '3',
        '--region',
        'eu-frankfurt-1',
        '--step-ms',
        '20',
        '--page-limit',
        '5',
        '--max-nodes',
        '4',
        '--config-dir',
        '/tmp/x',
      ]),
    ).toEqual({
      help: false,
      options: {
        port: 0,
        host: '127.0.0.1',
        clusters: 3,
        region: 'eu-frankfurt-1',
        workRequestStepMs: 20,
        pageLimitDefault: 5,
        maxNodesPerPool: 4,
        configDir: '/tmp/x',
      },
    });
    expect(parseCliArgs(['--help'])).toEqual({ help: true });
  });

  it('rejects bad values and unknown options', () => {
    expect(() => parseCliArgs(['--clusters', 'two'])).toThrow('--clusters must be a non-negative integer');
    expect(() => parseCliArgs(['--seed', 'empty'])).toThrow('oci-sim has one seed');
    expect(() => parseCliArgs(['--verbose'])).toThrow();
  });
});

describe('oci-sim binary', () => {
  it('is built (run `pnpm --filter oci-sim build` first)', () => {
    expect(existsSync(CLI)).toBe(true);
  });

  it('writes a config the SDK uses against the printed endpoint, and stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oci-sim-cli-'));
    try {
      const cli = await spawnCli(
        CLI,
        ['--port', '0', '--clusters', '1', '--config-dir', dir],
        (out) => out.includes('export OCI_ENDPOINT=') && out.endsWith('\n'),
      );
      const env = (name: string) => new RegExp(`export ${name}=(\\S+)`).exec(cli.out)![1]!;
      const configFile = env('OCI_CONFIG_FILE');
      const endpoint = env('OCI_ENDPOINT');
      expect(configFile).toBe(join(dir, 'config'));
      expect(cli.out).toMatch(/OCI simulator listening on http:\/\/127\.0\.0\.1:\d+ \(region us-ashburn-1\)/);
      expect(cli.out).toMatch(
        /oke-prod +ocid1\.cluster\.oc1\.iad\.\S+ +\[production\] +kube-sim https:\/\/127\.0\.0\.1:\d+/,
      );
      expect(cli.out).not.toContain('PRIVATE KEY');
      expect(readFileSync(configFile, 'utf8')).toMatch(/\[DEFAULT\][\s\S]*\[READER\][\s\S]*\[SESSION\]/);

      const sim = { url: endpoint } as Parameters<typeof clients>[0];
      for (const provider of [
        new common.ConfigFileAuthenticationDetailsProvider(configFile, 'READER'),
        new common.SessionAuthDetailProvider(configFile, 'SESSION'),
      ]) {
        const { identity } = clients(sim, provider);
        const res = await identity.listCompartments({ compartmentId: provider.getTenantId() });
        expect(res.items.map((c) => c.name)).toEqual(['production', 'development']);
      }
      expect(await cli.stop()).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
