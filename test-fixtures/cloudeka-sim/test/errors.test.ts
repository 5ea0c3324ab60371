import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CloudekaSim, startCloudekaSim } from '../src/index.js';
import { call, jwtFor } from './helpers.js';

let sim: CloudekaSim;
let jwt: string;
beforeAll(async () => {
  sim = await startCloudekaSim();
  jwt = await jwtFor(sim, 'owner');
});
afterAll(() => sim.close());

const err = (code: number, message: string) => ({ code, status: 'error', message });

async function expectError(
  method: string,
  path: string,
  opts: { query?: Record<string, string>; body?: unknown; raw?: string },
  code: number,
  message: string,
) {
  const r = await call(sim, method, path, { jwt, ...opts });
  expect({ route: `${method} ${path}`, status: r.status, body: r.body }).toEqual({
    route: `${method} ${path}`,
    status: code,
    body: err(code, message),
  });
}

describe('400: missing arguments and bad types name the field', () => {
  it('required arguments from endpoints.json', async () => {
    const [ml] = sim.ids.projectIds;
    await expectError(
      'GET',
      '/core/kubernetes/configmaps',
      { query: { project_id: ml! } },
      400,
      'namespace is required',
    );
    await expectError(
      'POST',
      '/core/billing/monthly-cost/history',
      { body: { project_id: ml, start: '2025-01-01' } },
      400,
      'end is required',
    );
    await expectError('POST', '/core/virtual-machine/detail-vm', { body: {} }, 400, 'vm_id is required');
    await expectError(
      'POST',
      '/core/kubernetes/services',
      { body: { service_data: { project_id: ml } } },
      400,
      'service_data.manifest is required',
    );
    await expectError('POST', '/core/pods', { body: {} }, 400, 'project_id is required');
    await expectError(
      'POST',
      '/core/deka-notebook',
      { body: { project_id: ml, name: 'n' } },
      400,
      'namespace is required',
    );
    await expectError(
      'PUT',
      `/core/user/projects/${ml}`,
      { body: { description: '' } },
      400,
      'description is required',
    );
    await expectError(
      'POST',
      '/core/dekaregistry/v2/registry',
      { body: { registry_data: { project_id: ml } } },
      400,
      'registry_data.name is required',
    );
    await expectError('GET', '/core/pods', {}, 400, 'project_id is required');
  });

  it('types from endpoints.json and from the API', async () => {
    const [ml] = sim.ids.projectIds;
    await expectError(
      'POST',
      '/core/pods',
      { body: { project_id: ml, namespace: 'default', spec: 'apiVersion: v1' } },
      400,
      'spec must be an object',
    );
    await expectError(
      'POST',
      `/core/cldkctl/token/regenerate/${sim.ids.tokenIds.owner}`,
      { body: { expiration_days: '30' } },
      400,
      'expiration_days must be an integer',
    );
    await expectError(
      'POST',
      '/core/deka-notebook',
      {
        body: {
          project_id: ml,
          name: 'n',
          namespace: 'default',
          image: 'x',
          cpu: 2,
          memory: '1Gi',
          storage: '1Gi',
        },
      },
      400,
      'cpu must be a string',
    );
    await expectError(
      'GET',
      '/core/virtual-machine/list/all',
      { query: { project_id: ml!, limit: 'ten' } },
      400,
      'limit must be an integer',
    );
    await expectError(
      'POST',
      '/core/billing/monthly-cost/history',
      { body: { project_id: ml, start: '2025/01/01', end: '2025-06-30' } },
      400,
      'start must be a date in YYYY-MM-DD format',
    );
    await expectError('POST', '/core/virtual-machine', { raw: '{"project_id":' }, 400, 'invalid JSON body');
    await expectError(
      'POST',
      '/core/virtual-machine',
      { raw: '[1,2]' },
      400,
      'request body must be a JSON object',
    );
  });

  it('Kubernetes validation answers the API server messages', async () => {
    const [ml] = sim.ids.projectIds;
    await expectError(
      'POST',
      '/core/pods',
      { body: { project_id: ml, namespace: 'default', spec: { metadata: { name: 'p' }, spec: {} } } },
      400,
      'Pod "p" is invalid: spec.containers: Required value',
    );
    await expectError(
      'POST',
      '/core/kubernetes/services',
      {
        body: {
          service_data: {
            project_id: ml,
            manifest: { metadata: { name: 'Bad_Name' }, spec: { ports: [{ port: 80 }] } },
          },
        },
      },
      400,
      'Service "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character',
    );
  });
});

describe('404: unknown ids name what was not found', () => {
  it('answers per domain', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    await expectError('GET', `/core/user/project/detail/${id}`, {}, 404, `project ${id} not found`);
    await expectError(
      'POST',
      '/core/virtual-machine/detail-vm',
      { body: { vm_id: id } },
      404,
      `virtual machine ${id} not found`,
    );
    await expectError('GET', `/core/dekaregistry/v2/registry/${id}`, {}, 404, `registry ${id} not found`);
    await expectError('GET', `/core/dekaregistry/v2/artifact/${id}`, {}, 404, `artifact ${id} not found`);
    await expectError(
      'GET',
      `/core/balance/history/invoice/detail/${id}`,
      {},
      404,
      `invoice ${id} not found`,
    );
    await expectError(
      'GET',
      `/core/balance/history/invoice/detail/${sim.ids.invoiceIds.enterprise[0]}`,
      {},
      404,
      `invoice ${sim.ids.invoiceIds.enterprise[0]} not found`,
    );
    await expectError('GET', `/core/user/organization/role/${id}`, {}, 404, `role ${id} not found`);
    await expectError('GET', `/core/virtual-machine/flavor/${id}`, {}, 404, `flavor type ${id} not found`);
    await expectError('DELETE', `/core/dekaregistry/v2/tag/detail/${id}`, {}, 404, `tag ${id} not found`);
    await expectError('GET', '/core/pods/console/nope', {}, 404, 'console session not found');
    const [ml] = sim.ids.projectIds;
    await expectError('DELETE', `/core/pods/${ml}/default/ghost`, {}, 404, 'pods "ghost" not found');
    await expectError(
      'GET',
      '/core/kubernetes/widgets',
      { query: { project_id: ml! } },
      404,
      'the server could not find the requested resource',
    );
    await expectError(
      'POST',
      '/core/deka-notebook/start',
      { body: { project_id: ml, namespace: 'ml-training', name: 'ghost' } },
      404,
      'notebook ml-training/ghost not found',
    );
  });

  it("an unmatched path or method answers Go's plain-text 404", async () => {
    for (const [method, path] of [
      ['GET', '/core/nothing'],
      ['GET', '/core/user/profile/'],
      ['PATCH', '/core/user/profile'],
      ['GET', '/'],
    ]) {
      const r = await call(sim, method!, path!, { jwt });
      expect({ path, status: r.status, text: r.text, type: r.headers.get('content-type') }).toEqual({
        path,
        status: 404,
        text: '404 page not found',
        type: 'text/plain; charset=utf-8',
      });
    }
    expect(sim.log.at(-1)).toMatchObject({ route: '', status: 404 });
  });
});

describe('409 conflicts', () => {
  it('answers for names in use', async () => {
    const [ml] = sim.ids.projectIds;
    await expectError(
      'POST',
      '/core/kubernetes/configmaps',
      {
        body: {
          resource_data: {
            project_id: ml,
            namespace: 'default',
            manifest: { metadata: { name: 'inference-config' } },
          },
        },
      },
      409,
      'configmaps "inference-config" already exists',
    );
    await expectError(
      'POST',
      '/core/user/organization/member',
      { body: { user_id: sim.ids.memberUserId, role_id: sim.ids.roleIds.member, project_id: ml } },
      409,
      `user ${sim.ids.memberUserId} is already a member of this organization`,
    );
  });
});
