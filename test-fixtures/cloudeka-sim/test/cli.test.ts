import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spawnCli } from 'sim-kit';
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../src/cli-options.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

describe('CLI arguments', () => {
  it('defaults to port 8081 on 127.0.0.1', () => {
    expect(parseCliArgs([])).toEqual({ help: false, options: { port: 8081, host: '127.0.0.1' } });
  });

  it('parses every option', () => {
    const argv = [
      '--port',
      '0',
      '--host',
      '0.0.0.0',
      '--environment',
      'staging',
      '--jwt-ttl',
      '60',
      '--seed',
      'empty',
    ];
    expect(parseCliArgs([...argv, '--auth-db-error', '--kube-server', 'http://127.0.0.1:6443'])).toEqual({
      help: false,
      options: {
        port: 0,
        host: '0.0.0.0',
        environment: 'staging',
        jwtTtlSeconds: 60,
        seed: 'empty',
        authDbError: true,
        kubeServer: 'http://127.0.0.1:6443',
      },
    });
    expect(parseCliArgs(['--help'])).toEqual({ help: true });
  });

  it('rejects bad values and unknown options', () => {
    expect(() => parseCliArgs(['--jwt-ttl', 'soon'])).toThrow('--jwt-ttl must be a non-negative integer');
    expect(() => parseCliArgs(['--environment', 'dev'])).toThrow(
      '--environment must be production or staging',
    );
    expect(() => parseCliArgs(['--seed', 'huge'])).toThrow('--seed must be realistic or empty');
    expect(() => parseCliArgs(['--port', '70000'])).toThrow('--port must be at most 65535');
    expect(() => parseCliArgs(['--verbose'])).toThrow();
  });
});

describe('cloudeka-sim binary', () => {
  it('is built (run `pnpm --filter cloudeka-sim build` first)', () => {
    expect(existsSync(CLI)).toBe(true);
  });

  it('prints the URL, tokens and export lines that work, and stops on SIGTERM', async () => {
    const cli = await spawnCli(
      CLI,
      ['--port', '0', '--environment', 'staging'],
      (out) => /export CLDKCTL_TOKEN=\S+\n$/.test(out) && out.includes('# or as the member'),
    );
    const { out } = cli;
    const env = (name: string) => new RegExp(`export ${name}=(\\S+)`).exec(out)![1]!;
    const url = env('CLDKCTL_BASE_URL');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(out).toContain('Cloudeka simulator (staging) listening on');
    expect(out).toMatch(/revoked {5}cldkctl_\S+ {3}\(answers 401\)/);

    const res = await fetch(`${url}/core/cldkctl/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: env('CLDKCTL_TOKEN') }),
    });
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: { role: string; token: string } };
    expect(data.role).toBe('Owner');
    const profile = await fetch(`${url}/core/user/project/detail/${env('CLDKCTL_DEFAULT_PROJECT_ID')}`, {
      headers: { authorization: `Bearer ${data.token}` },
    });
    expect(((await profile.json()) as { data: { name: string } }).data.name).toBe('ml-platform');

    const code = await cli.stop();
    expect(code).toBe(0);
  });
});
