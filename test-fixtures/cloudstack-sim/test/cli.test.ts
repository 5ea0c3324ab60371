import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spawnCli } from 'sim-kit';
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../src/cli-options.js';
import { signParams } from './helpers.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

describe('CLI arguments', () => {
  it('defaults to port 8080 on 127.0.0.1', () => {
    expect(parseCliArgs([])).toEqual({ help: false, options: { port: 8080, host: '127.0.0.1' } });
  });

  it('parses every option', () => {
    expect(
      parseCliArgs([
        '--port',
        '0',
        '--host',
        '0.0.0.0',
        '--seed',
        'empty',
        '--vms',
        '1000',
        '--zones',
        '1',
        '--job-steps',
        '0',
      ]),
    ).toEqual({
      help: false,
      options: { port: 0, host: '0.0.0.0', seed: 'empty', vms: 1000, zones: 1, jobSteps: 0 },
    });
    expect(parseCliArgs(['--help'])).toEqual({ help: true });
  });

  it('rejects bad values and unknown options', () => {
    expect(() => parseCliArgs(['--vms', 'many'])).toThrow('--vms must be a non-negative integer');
    expect(() => parseCliArgs(['--seed', 'huge'])).toThrow('--seed must be realistic or empty');
    expect(() => parseCliArgs(['--port', '70000'])).toThrow('--port must be at most 65535');
    expect(() => parseCliArgs(['--verbose'])).toThrow();
  });
});

describe('cloudstack-sim binary', () => {
  it('is built (run `pnpm --filter cloudstack-sim build` first)', () => {
    expect(existsSync(CLI)).toBe(true);
  });

  it('prints credentials and export lines that work, and stops on SIGTERM', async () => {
    const cli = await spawnCli(
      CLI,
      ['--port', '0', '--seed', 'empty'],
      (out) => out.includes('CLOUDSTACK_SECRET_KEY=') && out.endsWith('\n'),
    );
    const { out } = cli;
    const env = (name: string) => new RegExp(`export ${name}=(\\S+)`).exec(out)![1]!;
    const url = env('CLOUDSTACK_API_URL');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/client\/api$/);
    expect(out).toContain('admin / password');
    expect(out).toContain('keyless bob / bob-pass');

    const params = { command: 'listZones', apiKey: env('CLOUDSTACK_API_KEY'), response: 'json' };
    const signature = signParams(params, env('CLOUDSTACK_SECRET_KEY'));
    const res = await fetch(`${url}?${new URLSearchParams({ ...params, signature })}`);
    expect(res.status).toBe(200);

    const code = await cli.stop();
    expect(code).toBe(0);
  });
});
