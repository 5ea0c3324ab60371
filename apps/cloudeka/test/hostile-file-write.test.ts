import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudekaSim } from 'cloudeka-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Started, startServer, text, withSim } from './harness.js';

// Hostile input, issue 7 ("file write"): the tools that hand out files in the portal — kubeconfig, registry
// certificate, console sessions — and arguments shaped like paths write nothing on the server's disk. The
// only file the server ever writes is its JWT cache entry (0600, in a 0700 directory, without the cldkctl
// token); HOME holds nothing new.

let sim: CloudekaSim;
let server: Started;
let sandbox: string;

beforeAll(async () => {
  sandbox = mkdtempSync(join(tmpdir(), 'cldk-hostile-files-'));
  mkdirSync(join(sandbox, 'home', '.kube'), { recursive: true });
  sim = await withSim();
  server = await startServer(sim, {
    cacheDir: join(sandbox, 'cache'),
    env: { HOME: join(sandbox, 'home'), KUBECONFIG: join(sandbox, 'home', '.kube', 'config') },
    args: ['--confirm', 'never'],
  });
});
afterAll(async () => {
  await server?.close();
  await sim?.close();
});

function files(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of readdirSync(sandbox, { recursive: true }) as string[]) {
    const st = lstatSync(join(sandbox, rel));
    out[rel] = `${st.isDirectory() ? 'dir' : 'file'} ${(st.mode & 0o777).toString(8)}`;
  }
  return out;
}

describe('hostile input (file write): nothing but the JWT cache entry lands on disk', () => {
  it('kubeconfig, certificate, dashboard and path-shaped arguments write no file', async () => {
    const project = sim.ids.projectIds[0]!;
    const paths = ['../../../../tmp/x', join(sandbox, 'home', '.kube', 'config'), '~/.ssh/authorized_keys'];
    const calls: Array<[string, Record<string, unknown>]> = [
      ['kubernetes_kubeconfig_get', { project_id: project }],
      ['registry_certificate_get', {}],
      ['kubernetes_dashboard_get', { project_id: project }],
      ...paths.flatMap(
        (path): Array<[string, Record<string, unknown>]> => [
          ['kubernetes_kubeconfig_get', { project_id: path }],
          ['kubernetes_get', { project_id: project, namespace: 'default', kind: 'configmap', name: path }],
          ['registry_get', { registry_id: path }],
        ],
      ),
    ];
    for (const [name, args] of calls) await server.call(name, args);
    const first = await server.call('kubernetes_kubeconfig_get', { project_id: project });
    expect(first.isError, text(first)).toBeFalsy();

    const written = files();
    const cacheFiles = Object.entries(written).filter(([, kind]) => kind.startsWith('file'));
    expect(cacheFiles).toHaveLength(1);
    const [cacheFile, mode] = cacheFiles[0]!;
    expect(cacheFile).toMatch(/^cache\/cloudmcp\/cloudeka\/[0-9a-f]+\.json$/);
    expect(mode).toBe('file 600');
    expect(written['cache/cloudmcp/cloudeka']).toBe('dir 700');
    expect(readFileSync(join(sandbox, cacheFile), 'utf8')).not.toContain(sim.tokens.owner);
    expect(Object.keys(written).filter((rel) => rel.startsWith('home'))).toEqual(['home', 'home/.kube']);
  });
});
