import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { call } from './helpers.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const missing = existsSync(CLI) ? undefined : `${CLI} not built — run \`pnpm --filter kube-sim build\``;

describe.skipIf(!!missing)(missing ? `kube-sim CLI (skipped: ${missing})` : 'kube-sim CLI', () => {
  it('writes a 0600 kubeconfig with one context per cluster and serves until SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kube-sim-cli-'));
    const out = join(dir, 'kubeconfig');
    const proc = spawn(
      process.execPath,
      [CLI, '--clusters', '2', '--kubeconfig-out', out, '--seed', 'empty', '--pods', '3'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      let stdout = '';
      proc.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
      });
      const t0 = Date.now();
      while (!stdout.includes('written to') && Date.now() - t0 < 15_000)
        await new Promise((r) => setTimeout(r, 50));
      expect(stdout).toContain('kube-sim: 2 cluster(s) up');
      expect(statSync(out).mode & 0o777).toBe(0o600);
      const kc = parse(readFileSync(out, 'utf8'));
      expect(kc['current-context']).toBe('sim-1');
      expect(kc.contexts.map((c: { name: string }) => c.name)).toEqual(['sim-1', 'sim-2']);
      const cluster = kc.clusters[1].cluster;
      const token = kc.users[1].user.token;
      const sim2 = {
        url: cluster.server,
        caPem: Buffer.from(cluster['certificate-authority-data'], 'base64').toString(),
        tokens: { admin: token },
      } as unknown as Parameters<typeof call>[0];
      const pods = await call(sim2, '/api/v1/namespaces/bench/pods');
      expect(pods.status).toBe(200);
      expect(pods.body.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual([
        'bench-pod-0000',
        'bench-pod-0001',
        'bench-pod-0002',
      ]);
      expect((await call(sim2, '/api/v1/namespaces/team-a')).status).toBe(404);
      const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
      proc.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      proc.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad arguments with usage', async () => {
    const proc = spawn(process.execPath, [CLI, '--seed', 'odd'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => proc.on('exit', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(stderr).toContain('--seed must be realistic or empty, got "odd"');
    expect(stderr).toContain('Usage: kube-sim');
  });
});
