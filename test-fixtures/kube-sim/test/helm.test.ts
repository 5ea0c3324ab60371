import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeSim, startKubeSim } from '../src/index.js';
import { BinaryEnv, CHART, call, HELM, missingBinary } from './helpers.js';

const missing = missingBinary(HELM);
if (missing) console.warn(`helm tests skipped: ${missing}`);

describe.skipIf(!!missing)(missing ? `helm 4 (skipped: ${missing})` : 'helm 4 against kube-sim', () => {
  let sim: KubeSim;
  let env: BinaryEnv;
  const helm = (...args: string[]) => env.helm(args, { timeoutMs: 60_000 });
  const c = () => sim.clusters[0]!;

  beforeAll(async () => {
    sim = await startKubeSim({ seed: 'empty' });
    env = new BinaryEnv(sim);
    await call(c(), '/api/v1/namespaces', { method: 'POST', body: { metadata: { name: 'apps' } } });
  });
  afterAll(async () => {
    await sim?.close();
    env?.cleanup();
  });

  it('installs a local chart with --wait (server-side apply, release Secret in protobuf)', async () => {
    const r = await helm('install', 'demo', CHART, '-n', 'apps', '--wait', '--timeout', '30s');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('STATUS: deployed');
    expect(r.stdout).toContain('REVISION: 1');
    const d = (await call(c(), '/apis/apps/v1/namespaces/apps/deployments/demo')).body;
    expect(d.status.readyReplicas).toBe(1);
    expect(d.metadata.managedFields.find((m: { manager: string }) => m.manager === 'helm').operation).toBe(
      'Apply',
    );
    const cm = (await call(c(), '/api/v1/namespaces/apps/configmaps/demo-config')).body;
    expect(cm.data.message).toBe('hello from kube-sim');
    const secrets = (
      await call(c(), '/api/v1/namespaces/apps/secrets?labelSelector=owner%3Dhelm,name%3Ddemo')
    ).body.items;
    expect(secrets.map((s: { metadata: { name: string } }) => s.metadata.name)).toEqual([
      'sh.helm.release.v1.demo.v1',
    ]);
    expect(secrets[0].type).toBe('helm.sh/release.v1');
    expect(
      c().log.some(
        (e) => e.contentType === 'application/vnd.kubernetes.protobuf' && e.resource === 'secrets',
      ),
    ).toBe(true);
  });

  it('lists the release', async () => {
    const r = await helm('list', '-n', 'apps', '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    const releases = JSON.parse(r.stdout);
    expect(releases).toHaveLength(1);
    expect(releases[0]).toMatchObject({
      name: 'demo',
      namespace: 'apps',
      revision: '1',
      status: 'deployed',
      chart: 'hello-0.1.0',
      app_version: '1.27',
    });
  });

  it('upgrades with new values', async () => {
    const r = await helm(
      'upgrade',
      'demo',
      CHART,
      '-n',
      'apps',
      '--set',
      'replicaCount=2',
      '--set',
      'message=upgraded',
      '--wait',
      '--timeout',
      '30s',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('REVISION: 2');
    const d = (await call(c(), '/apis/apps/v1/namespaces/apps/deployments/demo')).body;
    expect(d.spec.replicas).toBe(2);
    expect(d.status.readyReplicas).toBe(2);
    const svc = (await call(c(), '/api/v1/namespaces/apps/services/demo')).body;
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }]);
    expect((await call(c(), '/api/v1/namespaces/apps/configmaps/demo-config')).body.data.message).toBe(
      'upgraded',
    );
    const list = JSON.parse((await helm('list', '-n', 'apps', '-o', 'json')).stdout);
    expect(list[0]).toMatchObject({ revision: '2', status: 'deployed' });
    const history = await helm('history', 'demo', '-n', 'apps', '-o', 'json');
    expect(JSON.parse(history.stdout).map((h: { status: string }) => h.status)).toEqual([
      'superseded',
      'deployed',
    ]);
  });

  it('uninstalls and removes everything it created', async () => {
    const r = await helm('uninstall', 'demo', '-n', 'apps', '--wait', '--timeout', '30s');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('release "demo" uninstalled');
    await c().settle();
    expect((await call(c(), '/apis/apps/v1/namespaces/apps/deployments/demo')).status).toBe(404);
    expect((await call(c(), '/api/v1/namespaces/apps/services/demo')).status).toBe(404);
    expect((await call(c(), '/api/v1/namespaces/apps/secrets')).body.items).toEqual([]);
    expect((await call(c(), '/api/v1/namespaces/apps/pods')).body.items).toEqual([]);
    expect(JSON.parse((await helm('list', '-A', '-o', 'json')).stdout)).toEqual([]);
  });
});
