import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CloudekaSim, startCloudekaSim } from '../src/index.js';
import { call, type Json, jwtFor, ok } from './helpers.js';

let sim: CloudekaSim;
let jwt: string;
let ml: string;
beforeEach(async () => {
  sim = await startCloudekaSim({ kubeServer: 'http://127.0.0.1:6443' });
  jwt = await jwtFor(sim, 'owner');
  ml = sim.ids.projectIds[0]!;
});
afterEach(() => sim.close());

const names = (items: Json[]) => items.map((x) => x.metadata.name);

describe('Kubernetes proxy routes', () => {
  it('pod create → list → edit → delete, in the namespace asked for', async () => {
    const created = await ok(sim, jwt, 'POST', '/core/pods', {
      body: {
        project_id: ml,
        namespace: 'ml-training',
        spec: { metadata: { name: 'debug' }, spec: { containers: [{ name: 'sh', image: 'busybox:1.36' }] } },
      },
    });
    expect(created).toMatchObject({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'debug', namespace: 'ml-training', resourceVersion: expect.any(String) },
      status: { phase: 'Running', containerStatuses: [{ name: 'sh', ready: true, restartCount: 0 }] },
    });
    const list = () =>
      ok(sim, jwt, 'GET', '/core/pods', { query: { project_id: ml, namespace: 'ml-training' } });
    expect(names(await list())).toEqual(['debug', 'trainer-0']);
    const edited = await ok(sim, jwt, 'PUT', `/core/pods/${ml}/ml-training/debug`, {
      body: {
        spec: {
          metadata: { labels: { debug: 'true' } },
          spec: { containers: [{ name: 'sh', image: 'busybox:1.37' }] },
        },
      },
    });
    expect(edited.metadata).toMatchObject({
      uid: created.metadata.uid,
      generation: 2,
      labels: { debug: 'true' },
    });
    expect(edited.spec.containers[0].image).toBe('busybox:1.37');
    await ok(sim, jwt, 'DELETE', `/core/pods/${ml}/ml-training/debug`);
    expect(names(await list())).toEqual(['trainer-0']);
    // The seed's k8s_pods shape: no listing across namespaces.
    const everywhere = await call(sim, 'GET', '/core/pods', { jwt, query: { project_id: ml } });
    expect([everywhere.status, everywhere.body.message]).toEqual([400, 'namespace is required']);
  });

  it('the generic :resource family takes plural resource names, as API paths do, and PATCH merges', async () => {
    const body = {
      resource_data: {
        project_id: ml,
        namespace: 'default',
        manifest: { metadata: { name: 'flags' }, data: { a: '1', b: '2' } },
      },
    };
    for (const name of ['cm', 'configmap', 'ConfigMap']) {
      const r = await call(sim, 'POST', `/core/kubernetes/${name}`, { jwt, body });
      expect([r.status, r.body.message]).toEqual([404, 'the server could not find the requested resource']);
    }
    await ok(sim, jwt, 'POST', '/core/kubernetes/configmaps', { body });
    const patched = await ok(sim, jwt, 'PATCH', `/core/kubernetes/configmaps/${ml}/default/flags`, {
      body: { resource_data: { manifest: { data: { b: null, c: '3' } } } },
    });
    expect(patched.data).toEqual({ a: '1', c: '3' });
    expect(
      names(
        await ok(sim, jwt, 'GET', '/core/kubernetes/configmaps', {
          query: { project_id: ml, namespace: 'default' },
        }),
      ),
    ).toEqual(['flags', 'inference-config']);
    const secret = await ok(sim, jwt, 'POST', '/core/kubernetes/secrets', {
      body: {
        resource_data: {
          project_id: ml,
          namespace: 'default',
          manifest: { metadata: { name: 's' }, stringData: { k: 'v' } },
        },
      },
    });
    expect(secret.data).toEqual({ k: Buffer.from('v').toString('base64') });
    const ns = await ok(sim, jwt, 'POST', '/core/kubernetes/namespaces', {
      body: { resource_data: { project_id: ml, manifest: { metadata: { name: 'team-a' } } } },
    });
    expect(ns.status).toEqual({ phase: 'Active' });
    expect(names(await ok(sim, jwt, 'GET', `/core/user/projects/${ml}/vcluster/namespaces`))).toContain(
      'team-a',
    );
    const svc = await ok(sim, jwt, 'GET', '/core/kubernetes/services', {
      query: { project_id: sim.ids.projectIds[1]!, namespace: 'web' },
    });
    expect(svc[0].status.loadBalancer.ingress[0].ip).toMatch(/^103\.190\./);
  });

  it('a CRD makes its kind servable; deleting it removes its objects', async () => {
    const crd = {
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'] },
        versions: [{ name: 'v1alpha1', served: true, storage: true }],
      },
    };
    await ok(sim, jwt, 'POST', '/core/kubernetes/resource', {
      body: { crd_data: { project_id: ml, manifest: crd } },
    });
    expect(names(await ok(sim, jwt, 'GET', `/core/kubernetes/resource/${ml}`))).toEqual([
      'inferenceservices.serving.kserve.io',
      'widgets.example.com',
    ]);
    const resources = await ok(sim, jwt, 'GET', `/core/kubernetes/apiresources/${ml}`);
    expect(resources.find((r: Json) => r.name === 'widgets')).toMatchObject({
      kind: 'Widget',
      group: 'example.com',
      version: 'v1alpha1',
      namespaced: true,
    });
    const w = await ok(sim, jwt, 'POST', '/core/kubernetes/widgets', {
      body: { resource_data: { project_id: ml, manifest: { metadata: { name: 'w1' }, spec: { size: 3 } } } },
    });
    expect(w).toMatchObject({
      apiVersion: 'example.com/v1alpha1',
      kind: 'Widget',
      metadata: { namespace: 'default' },
    });
    await ok(sim, jwt, 'DELETE', `/core/kubernetes/resource/${ml}/widgets.example.com`);
    const gone = await call(sim, 'GET', '/core/kubernetes/widgets', { jwt, query: { project_id: ml } });
    expect([gone.status, gone.body.message]).toEqual([
      404,
      'the server could not find the requested resource',
    ]);
    expect(
      names(await ok(sim, jwt, 'GET', '/core/kubernetes/inferenceservices', { query: { project_id: ml } })),
    ).toEqual(['llama-3-8b']);
  });

  it('the kubeconfig is YAML for the vcluster with a fake JWT-shaped token', async () => {
    const data = await ok(sim, jwt, 'GET', `/core/user/projects/${ml}/vcluster/kubeconfig`);
    expect(data.vcluster_name).toBe('vc-ml-platform');
    const yaml: string = data.kubeconfig;
    expect(yaml).toContain('kind: Config');
    expect(yaml).toContain('    server: http://127.0.0.1:6443');
    expect(yaml).toContain('current-context: vc-ml-platform');
    const token = /^ {4}token: (\S+)$/m.exec(yaml)![1]!;
    expect(token.split('.')).toHaveLength(3);
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).alg).toBe('RS256');
    const again = await ok(sim, jwt, 'GET', `/core/user/projects/${ml}/vcluster/kubeconfig`);
    expect(again.kubeconfig).toBe(yaml);
  });

  it('console tokens open a session for a running container only', async () => {
    const session = await ok(sim, jwt, 'POST', '/core/pods/console', {
      body: { console_data: { project_id: ml, namespace: 'ml-training', name: 'trainer-0' } },
    });
    expect(session).toMatchObject({
      pod: 'trainer-0',
      container: 'trainer',
      token: expect.stringMatching(/^[0-9a-f]{48}$/),
    });
    const info = await ok(sim, jwt, 'GET', `/core/pods/console/${session.token}`);
    expect(info).toMatchObject({ pod: 'trainer-0', namespace: 'ml-training' });
    const crash = sim.ids.crashLoopPod!;
    const r = await call(sim, 'POST', '/core/pods/console', { jwt, body: { console_data: crash } });
    expect(r.body.message).toBe(`container "inference-api" in pod "${crash.name}" is not running`);
    expect(JSON.stringify(sim.log)).not.toContain(session.token);
  });
});
