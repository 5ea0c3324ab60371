import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeSim, startKubeSim } from '../src/index.js';
import { call, type Json, sleep, watch } from './helpers.js';

let sim: KubeSim;
beforeAll(async () => {
  sim = await startKubeSim({ clusters: 2 });
});
afterAll(async () => {
  await sim?.close();
});
const c1 = () => sim.clusters[0]!;

describe('clusters, TLS and kubeconfig', () => {
  it('runs each cluster on its own port with its own CA', () => {
    const [a, b] = sim.clusters;
    expect(a!.name).toBe('sim-1');
    expect(b!.name).toBe('sim-2');
    expect(a!.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(a!.url).not.toBe(b!.url);
    expect(a!.caPem).not.toBe(b!.caPem);
    expect(a!.tokens.admin).not.toBe(b!.tokens.admin);
  });

  it('serves a certificate for 127.0.0.1 and localhost signed by the cluster CA', async () => {
    const ca = new X509Certificate(c1().caPem);
    expect(ca.ca).toBe(true);
    const { connect } = await import('node:tls');
    const port = c1().port;
    const peer = await new Promise<X509Certificate>((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port, ca: c1().caPem, servername: 'localhost' }, () => {
        const cert = s.getPeerX509Certificate()!;
        s.end();
        resolve(cert);
      });
      s.on('error', reject);
    });
    expect(peer.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(peer.subjectAltName).toContain('DNS:localhost');
    expect(peer.verify(ca.publicKey)).toBe(true);
    expect(peer.checkIssued(ca)).toBe(true);
  });

  it('rejects another cluster CA', async () => {
    const other = { ...c1(), caPem: sim.clusters[1]!.caPem };
    await expect(call(other, '/version')).rejects.toThrow(/self-signed|unable to verify|certificate/i);
  });

  it('writes a kubeconfig with one context per cluster', () => {
    const kc = sim.kubeconfig({ user: 'view' });
    expect(kc).toContain('current-context: sim-1');
    expect(kc).toContain('name: sim-2');
    expect(kc).toContain(`token: ${sim.clusters[1]!.tokens.view}`);
    expect(kc).toContain('certificate-authority-data:');
  });
});

describe('authentication and Status errors', () => {
  it('answers 401 Unauthorized for an unknown token', async () => {
    const r = await call(c1(), '/api/v1/namespaces', { token: 'nope' });
    expect(r.status).toBe(401);
    expect(r.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
  });

  it('lets anonymous read /version but not resources', async () => {
    expect((await call(c1(), '/version', { user: 'none' })).body.gitVersion).toBe('v1.35.0');
    const r = await call(c1(), '/api/v1/pods', { user: 'none' });
    expect(r.status).toBe(403);
    expect(r.body.message).toBe(
      'pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" at the cluster scope',
    );
  });

  it('answers 404 NotFound with details', async () => {
    const r = await call(c1(), '/api/v1/namespaces/default/pods/nginx');
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({
      reason: 'NotFound',
      message: 'pods "nginx" not found',
      details: { name: 'nginx', kind: 'pods' },
      code: 404,
    });
    const g = await call(c1(), '/apis/apps/v1/namespaces/default/deployments/nope');
    expect(g.body.message).toBe('deployments.apps "nope" not found');
    expect(g.body.details).toEqual({ name: 'nope', group: 'apps', kind: 'deployments' });
    const p = await call(c1(), '/apis/nope.example.com/v1/things');
    expect(p.status).toBe(404);
    expect(p.body.message).toBe('the server could not find the requested resource');
  });

  it('answers 409 AlreadyExists and 409 Conflict on a stale resourceVersion', async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dup' }, data: { a: '1' } };
    expect(
      (await call(c1(), '/api/v1/namespaces/default/configmaps', { method: 'POST', body: cm })).status,
    ).toBe(201);
    const again = await call(c1(), '/api/v1/namespaces/default/configmaps', { method: 'POST', body: cm });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ reason: 'AlreadyExists', message: 'configmaps "dup" already exists' });
    const cur = (await call(c1(), '/api/v1/namespaces/default/configmaps/dup')).body;
    const ok = await call(c1(), '/api/v1/namespaces/default/configmaps/dup', {
      method: 'PUT',
      body: { ...cur, data: { a: '2' } },
    });
    expect(ok.status).toBe(200);
    expect(Number(ok.body.metadata.resourceVersion)).toBeGreaterThan(Number(cur.metadata.resourceVersion));
    const stale = await call(c1(), '/api/v1/namespaces/default/configmaps/dup', {
      method: 'PUT',
      body: { ...cur, data: { a: '3' } },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.message).toBe(
      'Operation cannot be fulfilled on configmaps "dup": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('answers 422 Invalid with causes', async () => {
    const r = await call(c1(), '/apis/apps/v1/namespaces/default/deployments', {
      method: 'POST',
      body: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'bad' },
        spec: { template: { spec: { containers: [{ name: 'x' }] } } },
      },
    });
    expect(r.status).toBe(422);
    expect(r.body.reason).toBe('Invalid');
    expect(r.body.message).toMatch(/^Deployment\.apps "bad" is invalid: \[spec\.selector: Required value/);
    expect(r.body.details.causes).toContainEqual({
      reason: 'FieldValueRequired',
      message: 'Required value',
      field: 'spec.template.spec.containers[0].image',
    });
    const name = await call(c1(), '/api/v1/namespaces/default/configmaps', {
      method: 'POST',
      body: { metadata: { name: 'Bad_Name' } },
    });
    expect(name.status).toBe(422);
    expect(name.body.details.causes[0].field).toBe('metadata.name');
  });

  it('rejects unknown fields with fieldValidation=Strict and warns by default', async () => {
    const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'strict' }, data: {}, bogus: 1 };
    const strict = await call(c1(), '/api/v1/namespaces/default/configmaps?fieldValidation=Strict', {
      method: 'POST',
      body,
    });
    expect(strict.status).toBe(400);
    expect(strict.body.message).toBe('strict decoding error: unknown field "bogus"');
    const warn = await call(c1(), '/api/v1/namespaces/default/configmaps', { method: 'POST', body });
    expect(warn.status).toBe(201);
    expect(warn.headers.warning).toContain('unknown field \\"bogus\\"');
    expect(warn.body.bogus).toBeUndefined();
  });
});

describe('discovery and OpenAPI', () => {
  it('serves legacy discovery with plain application/json', async () => {
    const api = await call(c1(), '/api', {
      accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
    });
    expect(api.headers['content-type']).toBe('application/json');
    expect(api.body.kind).toBe('APIVersions');
    const apis = (await call(c1(), '/apis')).body;
    const names = apis.groups.map((g: Json) => g.name);
    for (const g of [
      'apps',
      'batch',
      'rbac.authorization.k8s.io',
      'networking.k8s.io',
      'storage.k8s.io',
      'apiextensions.k8s.io',
      'metrics.k8s.io',
    ]) {
      expect(names).toContain(g);
    }
    const v1 = (await call(c1(), '/api/v1')).body;
    const pods = v1.resources.find((r: Json) => r.name === 'pods');
    expect(pods).toMatchObject({ kind: 'Pod', namespaced: true, shortNames: ['po'], categories: ['all'] });
    expect(pods.verbs).toContain('watch');
    expect(v1.resources.find((r: Json) => r.name === 'pods/log')).toMatchObject({
      kind: 'Pod',
      verbs: ['get'],
    });
    const apps = (await call(c1(), '/apis/apps/v1')).body;
    expect(apps.resources.find((r: Json) => r.name === 'deployments/scale')).toMatchObject({
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
    });
    expect(apps.resources.find((r: Json) => r.name === 'deployments').verbs).toContain('watch');
  });

  it('serves OpenAPI v3 with the fieldValidation parameter on PATCH', async () => {
    const idx = (await call(c1(), '/openapi/v3')).body;
    const url = idx.paths['apis/apps/v1'].serverRelativeURL;
    expect(url).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]+$/);
    const doc = (await call(c1(), url)).body;
    const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({
      group: 'apps',
      kind: 'Deployment',
      version: 'v1',
    });
    expect(patch.parameters.map((p: Json) => p.name)).toContain('fieldValidation');
    const schema = doc.components.schemas['io.k8s.api.apps.v1.Deployment'];
    expect(
      schema.properties.spec.properties.template.properties.spec.properties.containers[
        'x-kubernetes-list-map-keys'
      ],
    ).toEqual(['name']);
    const v2 = await call(c1(), '/openapi/v2');
    expect(v2.headers['content-type']).toContain('protobuf');
  });
});

describe('lists, selectors and continue tokens', () => {
  it('lists with label and field selectors', async () => {
    const web = (
      await call(c1(), '/api/v1/namespaces/team-a/pods?labelSelector=app%3Dweb,tier%20in%20(frontend)')
    ).body;
    expect(web.kind).toBe('PodList');
    expect(web.items).toHaveLength(3);
    expect(web.items[0].kind).toBeUndefined();
    const notWeb = (await call(c1(), '/api/v1/namespaces/team-a/pods?labelSelector=app!%3Dweb')).body;
    expect(notWeb.items.every((p: Json) => p.metadata.labels.app !== 'web')).toBe(true);
    const node = (await call(c1(), '/api/v1/pods?fieldSelector=spec.nodeName%3Dsim-1-control-plane')).body;
    expect(node.items.length).toBeGreaterThanOrEqual(5);
    expect(node.items.every((p: Json) => p.spec.nodeName === 'sim-1-control-plane')).toBe(true);
    const phase = (await call(c1(), '/api/v1/pods?fieldSelector=status.phase%3DSucceeded')).body;
    expect(phase.items.map((p: Json) => p.metadata.namespace)).toEqual(['team-b']);
    const bad = await call(c1(), '/api/v1/pods?fieldSelector=spec.foo%3Dx');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('field label not supported: spec.foo');
    const badLabel = await call(c1(), '/api/v1/pods?labelSelector=a%3D%3D%3Db');
    expect(badLabel.status).toBe(400);
  });

  it('pages with limit/continue over a consistent snapshot and expires stale tokens with 410', async () => {
    const first = (await call(c1(), '/api/v1/pods?limit=5')).body;
    expect(first.items).toHaveLength(5);
    expect(first.metadata.continue).toBeTruthy();
    const total = (await call(c1(), '/api/v1/pods')).body.items.length;
    expect(first.metadata.remainingItemCount).toBe(total - 5);
    // A pod created after the first page does not show up in the rest of the snapshot.
    await call(c1(), '/api/v1/namespaces/default/pods', {
      method: 'POST',
      body: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'aaa-late' },
        spec: { containers: [{ name: 'c', image: 'busybox' }] },
      },
    });
    const names: string[] = first.items.map((p: Json) => `${p.metadata.namespace}/${p.metadata.name}`);
    let token = first.metadata.continue;
    while (token) {
      const page = (await call(c1(), `/api/v1/pods?limit=5&continue=${encodeURIComponent(token)}`)).body;
      names.push(...page.items.map((p: Json) => `${p.metadata.namespace}/${p.metadata.name}`));
      token = page.metadata.continue;
    }
    expect(names).toHaveLength(total);
    expect(names).not.toContain('default/aaa-late');
    expect([...names].sort()).toEqual(names);
    c1().store.compact();
    const stale = await call(
      c1(),
      `/api/v1/pods?limit=5&continue=${encodeURIComponent(first.metadata.continue)}`,
    );
    expect(stale.status).toBe(410);
    expect(stale.body).toMatchObject({ reason: 'Expired', code: 410 });
    expect(stale.body.message).toMatch(/^The provided continue parameter is too old/);
  });
});

describe('server-side Table', () => {
  const TABLE =
    'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

  it('renders pods like the real printer', async () => {
    const r = await call(c1(), '/api/v1/namespaces/team-a/pods', { accept: TABLE });
    expect(r.headers['content-type']).toBe('application/json;as=Table;v=v1;g=meta.k8s.io');
    expect(r.body.kind).toBe('Table');
    expect(r.body.columnDefinitions.map((col: Json) => col.name)).toEqual([
      'Name',
      'Ready',
      'Status',
      'Restarts',
      'Age',
      'IP',
      'Node',
      'Nominated Node',
      'Readiness Gates',
    ]);
    const crash = r.body.rows.find((row: Json) => row.cells[2] === 'CrashLoopBackOff');
    expect(crash.cells[1]).toBe('0/1');
    expect(crash.cells[3]).toMatch(/^14 \(\d+m\d*s? ago\)$/);
    expect(crash.object).toMatchObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1' });
    const web = r.body.rows.filter((row: Json) => String(row.cells[0]).startsWith('web-'));
    expect(web.map((row: Json) => row.cells.slice(1, 3))).toEqual([
      ['1/1', 'Running'],
      ['1/1', 'Running'],
      ['1/1', 'Running'],
    ]);
  });

  it('uses CRD printer columns and includeObject=Object', async () => {
    const r = await call(c1(), '/apis/apps/v1/namespaces/team-a/deployments/web?includeObject=Object', {
      accept: TABLE,
    });
    expect(r.body.columnDefinitions.map((col: Json) => col.name).slice(0, 5)).toEqual([
      'Name',
      'Ready',
      'Up-to-date',
      'Available',
      'Age',
    ]);
    expect(r.body.rows[0].cells.slice(0, 4)).toEqual(['web', '3/3', 3, 3]);
    expect(r.body.rows[0].object.kind).toBe('Deployment');
  });
});

describe('watch', () => {
  it('streams events after a resourceVersion and ends at timeoutSeconds', async () => {
    const list = (await call(c1(), '/api/v1/namespaces/team-b/configmaps')).body;
    const rv = list.metadata.resourceVersion;
    const started = Date.now();
    const stream = watch(
      c1(),
      `/api/v1/namespaces/team-b/configmaps?watch=true&resourceVersion=${rv}&timeoutSeconds=1`,
    );
    await sleep(100);
    await call(c1(), '/api/v1/namespaces/team-b/configmaps', {
      method: 'POST',
      body: { metadata: { name: 'w1' }, data: { a: '1' } },
    });
    await call(c1(), '/api/v1/namespaces/team-b/configmaps/w1', {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { data: { a: '2' } },
    });
    await call(c1(), '/api/v1/namespaces/team-b/configmaps/w1', { method: 'DELETE' });
    const events = await stream;
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect(events[1].object.data).toEqual({ a: '2' });
    expect(Number(events[2].object.metadata.resourceVersion)).toBeGreaterThan(
      Number(events[1].object.metadata.resourceVersion),
    );
  });

  it('replays history from an older resourceVersion and answers 410 in an ERROR event when compacted', async () => {
    const rv = c1().store.resourceVersion;
    await call(c1(), '/api/v1/namespaces/team-b/configmaps', {
      method: 'POST',
      body: { metadata: { name: 'w2' } },
    });
    const replay = await watch(
      c1(),
      `/api/v1/namespaces/team-b/configmaps?watch=1&resourceVersion=${rv}&timeoutSeconds=1`,
      { max: 1 },
    );
    expect(replay[0]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'w2' } } });
    c1().store.compact();
    const gone = await watch(c1(), `/api/v1/namespaces/team-b/configmaps?watch=1&resourceVersion=${rv}`);
    expect(gone).toHaveLength(1);
    expect(gone[0].type).toBe('ERROR');
    expect(gone[0].object).toMatchObject({ kind: 'Status', reason: 'Expired', code: 410 });
    expect(gone[0].object.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
  });

  it('sends initial events and a bookmark with sendInitialEvents', async () => {
    const ev = await watch(
      c1(),
      '/api/v1/namespaces/team-a/pods?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&labelSelector=app%3Dweb&timeoutSeconds=1',
    );
    expect(ev.slice(0, 3).map((e) => e.type)).toEqual(['ADDED', 'ADDED', 'ADDED']);
    expect(ev[3]).toMatchObject({
      type: 'BOOKMARK',
      object: { metadata: { annotations: { 'k8s.io/initial-events-end': 'true' } } },
    });
  });
});

describe('subresources, logs, events and metrics', () => {
  it('serves and updates the scale subresource', async () => {
    const s = (await call(c1(), '/apis/apps/v1/namespaces/team-a/deployments/web/scale')).body;
    expect(s).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      spec: { replicas: 3 },
      status: { replicas: 3, selector: 'app=web,tier=frontend' },
    });
    const r = await call(c1(), '/apis/apps/v1/namespaces/team-a/deployments/web/scale', {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { spec: { replicas: 5 } },
    });
    expect(r.body.spec.replicas).toBe(5);
    await c1().settle();
    const pods = (await call(c1(), '/api/v1/namespaces/team-a/pods?labelSelector=app%3Dweb')).body.items;
    expect(pods.filter((p: Json) => p.status.phase === 'Running')).toHaveLength(5);
    const d = (await call(c1(), '/apis/apps/v1/namespaces/team-a/deployments/web')).body;
    expect(d.status).toMatchObject({
      replicas: 5,
      readyReplicas: 5,
      updatedReplicas: 5,
      availableReplicas: 5,
      observedGeneration: d.metadata.generation,
    });
    expect(d.metadata.generation).toBe(2);
  });

  it('keeps status out of main-resource updates and spec out of status updates', async () => {
    const d = (await call(c1(), '/apis/apps/v1/namespaces/team-a/deployments/api')).body;
    const r = await call(c1(), '/apis/apps/v1/namespaces/team-a/deployments/api', {
      method: 'PUT',
      body: { ...d, status: { replicas: 99 } },
    });
    expect(r.body.status.replicas).toBe(d.status.replicas);
    expect(r.body.metadata.generation).toBe(d.metadata.generation);
  });

  it('serves pod logs with tailLines, limitBytes, previous and container errors', async () => {
    const pods = (await call(c1(), '/api/v1/namespaces/team-a/pods?labelSelector=app%3Dapi')).body.items;
    const crash = pods.find((p: Json) => p.status.containerStatuses[0].state.waiting);
    const base = `/api/v1/namespaces/team-a/pods/${crash.metadata.name}/log`;
    const prev = await call(c1(), `${base}?previous=true`);
    expect(prev.headers['content-type']).toBe('text/plain');
    expect(prev.text).toContain('panic: failed to initialise storage');
    expect(prev.text.trim().split('\n').pop()).toBe('exit status 2');
    expect((await call(c1(), `${base}?tailLines=2`)).text).toBe(
      'main.main()\n\t/src/cmd/api/main.go:58 +0x2a5\n',
    );
    expect((await call(c1(), `${base}?limitBytes=10`)).text).toHaveLength(10);
    const ts = (await call(c1(), `${base}?tailLines=1&timestamps=true`)).text;
    expect(ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z \t\/src/);
    const healthy = pods.find((p: Json) => p !== crash);
    const noPrev = await call(
      c1(),
      `/api/v1/namespaces/team-a/pods/${healthy.metadata.name}/log?previous=true`,
    );
    expect(noPrev.status).toBe(400);
    expect(noPrev.body.message).toBe(
      `previous terminated container "api" in pod "${healthy.metadata.name}" not found`,
    );
    const wrong = await call(c1(), `${base}?container=nope`);
    expect(wrong.body.message).toBe(`container nope is not valid for pod ${crash.metadata.name}`);
  });

  it('finds events by involvedObject field selectors', async () => {
    const pod = (await call(c1(), '/api/v1/namespaces/team-b/pods?labelSelector=app%3Dcheckout')).body
      .items[0];
    const ev = (
      await call(
        c1(),
        `/api/v1/namespaces/team-b/events?fieldSelector=involvedObject.name%3D${pod.metadata.name},involvedObject.uid%3D${pod.metadata.uid}`,
      )
    ).body.items;
    expect(ev[0]).toMatchObject({ type: 'Warning', reason: 'Unhealthy', count: 42 });
    expect(ev[0].message).toBe('Readiness probe failed: HTTP probe failed with statuscode: 503');
    const v1 = (await call(c1(), '/apis/events.k8s.io/v1/namespaces/team-b/events')).body.items;
    expect(v1.find((e: Json) => e.reason === 'Unhealthy')).toMatchObject({
      note: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
      regarding: { name: pod.metadata.name },
    });
  });

  it('serves metrics.k8s.io for nodes and pods', async () => {
    const nodes = (await call(c1(), '/apis/metrics.k8s.io/v1beta1/nodes')).body;
    expect(nodes.kind).toBe('NodeMetricsList');
    expect(nodes.items).toHaveLength(3);
    expect(nodes.items[0].usage.cpu).toMatch(/^\d+n$/);
    expect(nodes.items[0].usage.memory).toMatch(/^\d+Ki$/);
    const pods = (await call(c1(), '/apis/metrics.k8s.io/v1beta1/namespaces/team-a/pods')).body;
    expect(pods.items.length).toBeGreaterThan(3);
    expect(pods.items[0].containers[0].usage.cpu).toMatch(/^\d+n$/);
  });
});

describe('RBAC and access reviews', () => {
  it('lets the view token read but not delete (403 Status)', async () => {
    expect((await call(c1(), '/api/v1/namespaces/team-a/pods', { user: 'view' })).status).toBe(200);
    expect((await call(c1(), '/api/v1/namespaces/team-a/secrets', { user: 'view' })).status).toBe(403);
    const r = await call(c1(), '/api/v1/namespaces/team-b/pods/debug-shell', {
      user: 'view',
      method: 'DELETE',
    });
    expect(r.status).toBe(403);
    expect(r.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'pods "debug-shell" is forbidden: User "viewer" cannot delete resource "pods" in API group "" in the namespace "team-b"',
      reason: 'Forbidden',
      details: { name: 'debug-shell', kind: 'pods' },
      code: 403,
    });
  });

  it('scopes the team admin to team-a', async () => {
    expect((await call(c1(), '/api/v1/namespaces/team-a/secrets', { user: 'teamAdmin' })).status).toBe(200);
    expect(
      (await call(c1(), '/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/roles', { user: 'teamAdmin' }))
        .status,
    ).toBe(200);
    expect((await call(c1(), '/api/v1/namespaces/team-b/pods', { user: 'teamAdmin' })).status).toBe(403);
    expect((await call(c1(), '/api/v1/nodes', { user: 'teamAdmin' })).status).toBe(403);
  });

  it('answers SelfSubjectAccessReview and SubjectAccessReview', async () => {
    const ssar = (verb: string, user: 'view' | 'edit') =>
      call(c1(), '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
        user,
        method: 'POST',
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: { resourceAttributes: { namespace: 'team-a', verb, resource: 'pods' } },
        },
      });
    const denied = await ssar('delete', 'view');
    expect(denied.status).toBe(201);
    expect(denied.body.status).toEqual({ allowed: false });
    const allowed = await ssar('delete', 'edit');
    expect(allowed.body.status).toEqual({
      allowed: true,
      reason: 'RBAC: allowed by ClusterRoleBinding "sim-editor" of ClusterRole "edit" to User "editor"',
    });
    const sar = await call(c1(), '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      method: 'POST',
      body: {
        kind: 'SubjectAccessReview',
        apiVersion: 'authorization.k8s.io/v1',
        spec: {
          user: 'team-a-admin',
          resourceAttributes: {
            namespace: 'team-a',
            verb: 'create',
            group: 'rbac.authorization.k8s.io',
            resource: 'rolebindings',
          },
        },
      },
    });
    expect(sar.body.status.allowed).toBe(true);
    expect(sar.body.status.reason).toContain('RoleBinding "team-a-admins/team-a" of ClusterRole "admin"');
    const byViewer = await call(c1(), '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      user: 'view',
      method: 'POST',
      body: sar.body,
    });
    expect(byViewer.status).toBe(403);
  });

  it('enforces new Roles and RoleBindings at once', async () => {
    const rbac = '/apis/rbac.authorization.k8s.io/v1/namespaces/team-b';
    await call(c1(), `${rbac}/roles`, {
      method: 'POST',
      body: {
        metadata: { name: 'cm-reader' },
        rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'], resourceNames: [] }],
      },
    });
    expect((await call(c1(), '/api/v1/namespaces/team-b/configmaps', { user: 'teamAdmin' })).status).toBe(
      403,
    );
    await call(c1(), `${rbac}/rolebindings`, {
      method: 'POST',
      body: {
        metadata: { name: 'cm-reader' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm-reader' },
        subjects: [{ kind: 'User', name: 'team-a-admin' }],
      },
    });
    expect((await call(c1(), '/api/v1/namespaces/team-b/configmaps', { user: 'teamAdmin' })).status).toBe(
      200,
    );
    expect((await call(c1(), '/api/v1/namespaces/team-b/secrets', { user: 'teamAdmin' })).status).toBe(403);
  });
});

describe('faults', () => {
  it('injects status, latency, reset, malformed and hang per cluster', async () => {
    c1().addFault({ kind: 'status', status: 503, resource: 'pods', times: 1 });
    const f = await call(c1(), '/api/v1/pods');
    expect(f.status).toBe(503);
    expect(f.body).toMatchObject({ kind: 'Status', reason: 'ServiceUnavailable', code: 503 });
    expect(f.headers['retry-after']).toBe('1');
    expect((await call(c1(), '/api/v1/pods')).status).toBe(200);
    expect((await call(sim.clusters[1]!, '/api/v1/pods')).status).toBe(200);
    c1().addFault({ kind: 'latency', ms: 300, path: '/api/v1/namespaces' });
    const t0 = Date.now();
    await call(c1(), '/api/v1/namespaces');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    c1().addFault({ kind: 'reset' });
    await expect(call(c1(), '/version')).rejects.toThrow(/socket hang up|ECONNRESET/);
    c1().addFault({ kind: 'malformed', path: '/version' });
    const bad = await call(c1(), '/version');
    expect(bad.status).toBe(200);
    expect(() => JSON.parse(bad.text)).toThrow();
    c1().addFault({ kind: 'hang', verb: 'list' });
    const hung = await Promise.race([
      call(c1(), '/api/v1/pods').then(() => 'answered'),
      sleep(300).then(() => 'hung'),
    ]);
    expect(hung).toBe('hung');
    c1().clearFaults();
    const entry = c1().log.find((e) => e.fault === 'status');
    expect(entry).toMatchObject({
      method: 'GET',
      path: '/api/v1/pods',
      verb: 'list',
      resource: 'pods',
      status: 503,
    });
    expect(entry?.user).toBeUndefined();
  });

  it('records each request with user, verb and status', async () => {
    await call(c1(), '/api/v1/namespaces/team-a/pods', { user: 'view' });
    const last = c1().log[c1().log.length - 1]!;
    expect(last).toMatchObject({
      method: 'GET',
      user: 'viewer',
      verb: 'list',
      resource: 'pods',
      namespace: 'team-a',
      status: 200,
    });
  });
});

describe('CRDs', () => {
  it('loads every OCM CRD and serves its kinds with printer columns', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { parseAllDocuments } = await import('yaml');
    const dir = new URL('./fixtures/ocm-crds/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(10);
    const c2 = sim.clusters[1]!;
    for (const f of files) {
      for (const doc of parseAllDocuments(readFileSync(new URL(f, dir), 'utf8'))) {
        const crd = doc.toJS();
        if (!crd) continue;
        const r = await call(
          c2,
          `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}?fieldManager=test`,
          {
            method: 'PATCH',
            contentType: 'application/apply-patch+yaml',
            body: JSON.stringify(crd),
          },
        );
        expect([200, 201], `${f}: ${r.text.slice(0, 300)}`).toContain(r.status);
      }
    }
    const groups = (await call(c2, '/apis')).body.groups.map((g: Json) => g.name);
    expect(groups).toEqual(
      expect.arrayContaining([
        'cluster.open-cluster-management.io',
        'work.open-cluster-management.io',
        'addon.open-cluster-management.io',
      ]),
    );
    const res = (await call(c2, '/apis/cluster.open-cluster-management.io/v1')).body.resources;
    expect(res.find((r: Json) => r.name === 'managedclusters')).toMatchObject({
      kind: 'ManagedCluster',
      namespaced: false,
      shortNames: ['mcl', 'mcls'],
    });
    expect(res.find((r: Json) => r.name === 'managedclusters/status')).toBeTruthy();
    const mc = await call(c2, '/apis/cluster.open-cluster-management.io/v1/managedclusters', {
      method: 'POST',
      body: {
        apiVersion: 'cluster.open-cluster-management.io/v1',
        kind: 'ManagedCluster',
        metadata: { name: 'east' },
        spec: { hubAcceptsClient: true },
      },
    });
    expect(mc.status).toBe(201);
    expect(mc.body.spec.leaseDurationSeconds).toBe(60);
    const table = await call(c2, '/apis/cluster.open-cluster-management.io/v1/managedclusters', {
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
    });
    expect(table.body.columnDefinitions.map((col: Json) => col.name)).toEqual([
      'Name',
      'Hub Accepted',
      'Managed Cluster URLs',
      'Joined',
      'Available',
      'Age',
    ]);
    expect(table.body.rows[0].cells.slice(0, 2)).toEqual(['east', true]);
    const smp = await call(c2, '/apis/cluster.open-cluster-management.io/v1/managedclusters/east', {
      method: 'PATCH',
      contentType: 'application/strategic-merge-patch+json',
      body: { spec: { hubAcceptsClient: false } },
    });
    expect(smp.status).toBe(415);
    const del = await call(c2, '/apis/cluster.open-cluster-management.io/v1/managedclusters/east', {
      method: 'DELETE',
    });
    expect(del.body.kind).toBe('ManagedCluster');
    const unknown = await call(
      c2,
      '/apis/cluster.open-cluster-management.io/v1/managedclusters?fieldValidation=Strict',
      {
        method: 'POST',
        body: {
          apiVersion: 'cluster.open-cluster-management.io/v1',
          kind: 'ManagedCluster',
          metadata: { name: 'x' },
          spec: { bogus: true },
        },
      },
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toBe('strict decoding error: unknown field "spec.bogus"');
  });
});

describe('protobuf request bodies', () => {
  it('decodes a v1 Secret sent as application/vnd.kubernetes.protobuf', async () => {
    const str = (n: number, s: string | Buffer) => {
      const b = Buffer.isBuffer(s) ? s : Buffer.from(s);
      return Buffer.concat([Buffer.from([(n << 3) | 2, b.length]), b]);
    };
    const entry = (field: number, k: string, v: string) => str(field, Buffer.concat([str(1, k), str(2, v)]));
    const meta = Buffer.concat([str(1, 'pb-secret'), entry(11, 'owner', 'helm')]);
    const secret = Buffer.concat([str(1, meta), entry(2, 'release', 'H4sI'), str(3, 'helm.sh/release.v1')]);
    const unknown = Buffer.concat([str(1, Buffer.concat([str(1, 'v1'), str(2, 'Secret')])), str(2, secret)]);
    const body = Buffer.concat([Buffer.from('k8s\0', 'binary'), unknown]);
    const r = await call(c1(), '/api/v1/namespaces/default/secrets', {
      method: 'POST',
      body,
      contentType: 'application/vnd.kubernetes.protobuf',
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      kind: 'Secret',
      type: 'helm.sh/release.v1',
      metadata: { name: 'pb-secret', labels: { owner: 'helm' } },
      data: { release: Buffer.from('H4sI').toString('base64') },
    });
  });
});
