import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CloudekaSim, startCloudekaSim } from '../src/index.js';
import { type CallOptions, call, jwtFor, ok } from './helpers.js';

// What a client nobody here wrote might send, and the failure the real API answers: every route takes one
// shape (see the README's route table), so arguments in the wrong place, another `*_data` layout or the
// table's other path change nothing and say what is missing.

let sim: CloudekaSim;
let jwt: string;
let ml: string;
beforeAll(async () => {
  sim = await startCloudekaSim();
  jwt = await jwtFor(sim, 'owner');
  ml = sim.ids.projectIds[0]!;
});
afterAll(() => sim.close());

async function refused(method: string, path: string, opts: CallOptions, status: number, message: string) {
  const r = await call(sim, method, path, { jwt, ...opts });
  expect({ status: r.status, body: r.body }).toEqual({
    status,
    body: { code: status, status: 'error', message },
  });
}

const vmStatus = async (id: string) =>
  (await ok(sim, jwt, 'POST', '/core/virtual-machine/detail-vm', { body: { vm_id: id } })).status;

describe('arguments in the wrong place', () => {
  it('a POST reads its body only: arguments in the query string are missing, and nothing changes', async () => {
    const vm = sim.ids.vmIds[0]!;
    expect(await vmStatus(vm)).toBe('running');
    await refused(
      'POST',
      '/core/virtual-machine/turn-off/vm',
      { query: { vm_id: vm } },
      400,
      'vm_id is required',
    );
    await refused(
      'POST',
      '/core/billing/monthly-cost/history',
      { query: { project_id: ml, start: '2025-01-01', end: '2025-06-30' } },
      400,
      'project_id is required',
    );
    // Half in the body, half in the query: the query half is still missing.
    await refused(
      'POST',
      '/core/deka-notebook/stop',
      { query: { namespace: 'ml-training' }, body: { project_id: ml, name: 'research-nb' } },
      400,
      'namespace is required',
    );
    expect(await vmStatus(vm)).toBe('running');
  });

  it('a GET reads its query only: arguments in a JSON body are missing', async () => {
    // fetch refuses a GET with a body; Python's requests (the seed's library) sends one.
    for (const [path, body] of [
      ['/core/virtual-machine/list/all', { project_id: ml, limit: '10' }],
      ['/core/deka-notebook', { project_id: ml }],
    ] as const) {
      const r = await getWithBody(path, body);
      expect(r).toEqual({
        status: 400,
        body: { code: 400, status: 'error', message: 'project_id is required' },
      });
    }
  });
});

function getWithBody(path: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${sim.url}${path}`,
      {
        method: 'GET',
        headers: {
          authorization: `Bearer ${jwt}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe("the seed's live-tested required arguments", () => {
  it('GET /core/virtual-machine/list/all needs project_id and limit (the seed tool without them got 400)', async () => {
    await refused('GET', '/core/virtual-machine/list/all', {}, 400, 'project_id is required');
    await refused(
      'GET',
      '/core/virtual-machine/list/all',
      { query: { project_id: ml } },
      400,
      'limit is required',
    );
    const vms = await ok(sim, jwt, 'GET', '/core/virtual-machine/list/all', {
      query: { project_id: ml, limit: '-1' },
    });
    expect(vms.map((v: { name: string }) => v.name)).toEqual(['gpu-worker-01', 'jupyter-host']);
  });
});

describe('another `*_data` layout', () => {
  it('VM power and delete take vm_id at the top level, not inside vm_*_data', async () => {
    const vm = sim.ids.vmIds[0]!;
    await refused(
      'POST',
      '/core/virtual-machine/turn-off/vm',
      { body: { vm_turn_off_data: { vm_id: vm } } },
      400,
      'vm_id is required',
    );
    await refused(
      'POST',
      '/core/virtual-machine/delete',
      { body: { vm_delete_data: { vm_id: vm } } },
      400,
      'vm_id is required',
    );
    expect(await vmStatus(vm)).toBe('running');
  });

  it('a Kubernetes `*_data` holds {project_id, namespace, manifest}, not the manifest with them beside it', async () => {
    await refused(
      'POST',
      '/core/deployment',
      {
        body: {
          deployment_data: { project_id: ml, namespace: 'default', metadata: { name: 'web' }, spec: {} },
        },
      },
      400,
      'deployment_data.manifest is required',
    );
    await refused(
      'POST',
      '/core/deployment',
      { body: { project_id: ml, deployment_data: { manifest: { metadata: { name: 'web' } } } } },
      400,
      'deployment_data.project_id is required',
    );
    // Pods: the seed's k8s_pod_create, `spec` holding the manifest; create_pod's pod_data is not read.
    await refused(
      'POST',
      '/core/pods',
      { body: { pod_data: { project_id: ml, namespace: 'default', metadata: { name: 'p' } } } },
      400,
      'project_id is required',
    );
    const pods = await ok(sim, jwt, 'GET', '/core/pods', { query: { project_id: ml, namespace: 'default' } });
    expect(pods.map((p: { metadata: { name: string } }) => p.metadata.name)).not.toContain('p');
  });

  it('each other `*_data` takes one set of field names', async () => {
    const labels = `/core/dekaregistry/v1/registry/updatelabels/${sim.ids.organizationId}/${sim.ids.ownerUserId}/${ml}/${sim.ids.registryIds[0]}`;
    await refused(
      'PUT',
      labels,
      { body: { labels_data: { label_id: sim.ids.labelIds[0], color: '#000000' } } },
      400,
      'labels_data.id is required',
    );
    await refused(
      'POST',
      '/core/user/voucher-credit/claim',
      { body: { claim_data: { code: 'CLDK-WELCOME-100K', project_id: ml } } },
      400,
      'claim_data.voucher_code is required',
    );
    await refused(
      'POST',
      '/core/pods/console',
      { body: { console_data: { project_id: ml, namespace: 'ml-training', pod: 'trainer-0' } } },
      400,
      'console_data.name is required',
    );
    await refused(
      'POST',
      '/core/dekaregistry/v2/registry',
      { body: { project_id: ml, registry_data: { name: 'loose' } } },
      400,
      'registry_data.project_id is required',
    );
    await refused(
      'POST',
      '/core/virtual-machine/yaml',
      { body: { project_id: ml, vm_yaml_data: { manifest: { kind: 'VirtualMachine' } } } },
      400,
      'vm_yaml_data.project_id is required',
    );
    await refused(
      'POST',
      '/core/virtual-machine',
      {
        body: {
          vm_data: { project_id: ml, name: 'v', flavor: 'x', image: 'y', network: 'default', storage: '20' },
        },
      },
      400,
      'project_id is required',
    );
  });
});

describe("the table's other path", () => {
  it('ConfigMaps and Secrets list on the plural paths the live test used; the singular is no resource', async () => {
    const query = { project_id: ml, namespace: 'default' };
    for (const singular of ['configmap', 'secret']) {
      await refused(
        'GET',
        `/core/kubernetes/${singular}`,
        { query },
        404,
        'the server could not find the requested resource',
      );
    }
    const configmaps = await ok(sim, jwt, 'GET', '/core/kubernetes/configmaps', { query });
    expect(configmaps.map((c: { metadata: { name: string } }) => c.metadata.name)).toEqual([
      'inference-config',
    ]);
    await refused(
      'GET',
      '/core/kubernetes/secrets',
      { query: { project_id: ml } },
      400,
      'namespace is required',
    );
  });
});
