import type { CloudekaSim } from 'cloudeka-sim';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  column,
  hits,
  ok,
  type Started,
  startServer,
  structured,
  type Table,
  text,
  withSim,
} from './harness.js';

// Policy (read-only, confirmation), bad input, upstream errors and faults, over stdio.

let sim: CloudekaSim;
const servers: Started[] = [];

beforeAll(async () => {
  sim = await withSim();
});
afterEach(async () => {
  sim.clearFaults();
  while (servers.length) await servers.pop()!.close();
});
afterAll(async () => {
  await sim?.close();
});

async function start(options: Parameters<typeof startServer>[1] = {}) {
  const server = await startServer(sim, options);
  servers.push(server);
  return server;
}

const ml = () => sim.ids.projectIds[0]!;

describe('tools/list', () => {
  it('every tool has a title, a description for a model, all four annotations and an output schema', async () => {
    const before = sim.log.length;
    const server = await start({ args: ['--toolsets', 'all'] });
    const { tools } = await server.client.listTools();
    // Starting and listing touched no network.
    expect(sim.log.length).toBe(before);
    expect(tools.length).toBeGreaterThanOrEqual(90);
    for (const tool of tools) {
      expect(tool.name).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect(tool.name.startsWith('cldkctl')).toBe(false);
      // a sentence of its own, short: what it returns or does (the name and the schema say the rest)
      expect(tool.description).toMatch(/^\S.{14,}\.$/);
      expect(tool.description).not.toBe(tool.title);
      expect(tool.title).toBeTruthy();
      expect(Object.keys(tool.annotations ?? {}).sort()).toEqual(
        ['destructiveHint', 'idempotentHint', 'openWorldHint', 'readOnlyHint', 'title'].sort(),
      );
      expect(tool.outputSchema).toBeTruthy();
      for (const [field, schema] of Object.entries(tool.inputSchema.properties ?? {})) {
        expect((schema as { description?: string }).description, `${tool.name}.${field}`).toBeTruthy();
      }
    }
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    for (const name of [
      'vm_delete',
      'project_delete',
      'member_delete',
      'token_regenerate',
      'token_delete',
      'kubernetes_delete',
    ]) {
      expect(byName[name]!.annotations, name).toMatchObject({ readOnlyHint: false, destructiveHint: true });
      // The model cannot confirm for the user: `confirm` exists only under --allow-model-confirm (see policy).
      expect(byName[name]!.inputSchema.properties, name).not.toHaveProperty('confirm');
    }
    expect(byName['vm_list']!.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(byName['vm_create']!.annotations).toMatchObject({ readOnlyHint: false, idempotentHint: false });
    // Kubernetes manifests are typed: an object or YAML text, never an untyped blob.
    const manifest = byName['kubernetes_create']!.inputSchema.properties!['manifest'] as {
      anyOf?: unknown[];
    };
    expect(manifest.anyOf).toHaveLength(2);
  });
});

describe('policy', () => {
  it('--read-only exposes only read tools (status stays; switch_environment, which changes the server, goes)', async () => {
    const server = await start({ args: ['--read-only'] });
    const { tools } = await server.client.listTools();
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    const names = tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['status', 'auth', 'project_list', 'kubernetes_list']));
    expect(names).not.toContain('switch_environment');
    expect(names).not.toContain('vm_delete');
    expect(names).not.toContain('vm_turn_off');
    // A tool the server does not list is a protocol error (-32602), not a tool result.
    await expect(server.call('vm_turn_off', { vm_id: sim.ids.vmIds[0] })).rejects.toThrow(
      'Tool vm_turn_off not found',
    );
    expect(hits(sim, 'POST', '/core/virtual-machine/turn-off/vm')).toBe(0);
  });

  it('a destructive call from a client that cannot be asked is refused, and the model cannot confirm for the user', async () => {
    const server = await start();
    const vm = sim.ids.vmIds[1]!;
    if (server.era === 'legacy') {
      const refused = await server.call('vm_delete', { vm_id: vm });
      expect(refused.isError).toBe(true);
      expect(text(refused)).toContain(
        `Refused: Delete VM ${vm} and its disks. Your MCP client cannot ask you to confirm`,
      );
      expect(text(refused)).toContain('Nothing was changed.');
      expect(text(refused)).toContain('--allow-model-confirm');
    } else {
      // 2026-07-28 names it: the call needs a capability (elicitation) the client did not declare.
      await expect(server.call('vm_delete', { vm_id: vm })).rejects.toMatchObject({
        code: -32021,
        message: expect.stringContaining('elicitation'),
      });
    }
    // Without --allow-model-confirm, `confirm` is no argument at all.
    const modelSaysYes = await server.call('vm_delete', { vm_id: vm, confirm: true });
    expect(modelSaysYes.isError).toBe(true);
    expect(text(modelSaysYes)).toContain(
      'Invalid input `confirm`: not an argument of vm_delete; its arguments are vm_id',
    );
    expect(hits(sim, 'POST', '/core/virtual-machine/delete')).toBe(0);
    expect(text(await server.call('vm_get', { vm_id: vm }))).toContain('name: jupyter-host');
  });

  it('with --allow-model-confirm, a client that cannot be asked goes ahead on the model’s confirm: true only', async () => {
    const server = await start({ args: ['--allow-model-confirm'] });
    const { tools } = await server.client.listTools();
    const roleDelete = tools.find((t) => t.name === 'role_delete')!;
    expect(roleDelete.inputSchema.properties).toHaveProperty('confirm');
    const role = await ok<{ role: { id: string } }>(server, 'role_create', { name: 'Model-confirmed role' });
    const route = '/core/user/organization/role/:role_id';
    const before = hits(sim, 'DELETE', route);
    const unconfirmed = await server.call('role_delete', { role_id: role.role.id });
    expect(unconfirmed.isError).toBe(true);
    expect(text(unconfirmed)).toContain(
      `Confirmation needed: Delete role ${role.role.id}. Nothing was changed.`,
    );
    expect(text(unconfirmed)).toContain('call role_delete again with the same arguments and `confirm: true`');
    expect(hits(sim, 'DELETE', route)).toBe(before);
    const confirmed = await server.call('role_delete', { role_id: role.role.id, confirm: true });
    expect(confirmed.isError, text(confirmed)).toBeFalsy();
    expect(hits(sim, 'DELETE', route)).toBe(before + 1);
  });

  it('with elicitation the user decides: decline changes nothing, accept deletes', async () => {
    // Even where the model may confirm, a user who can be asked has the last word over its confirm: true.
    const declining = await start({ elicit: 'decline', args: ['--allow-model-confirm'] });
    const { owner } = sim.ids.roleIds;
    const route = '/core/user/organization/role/:role_id';
    const role = await ok<{ role: { id: string } }>(declining, 'role_create', { name: 'Temp role' });
    const before = hits(sim, 'DELETE', route);
    const declined = await declining.call('role_delete', { role_id: role.role.id, confirm: true });
    expect(declined.isError).toBe(true);
    expect(text(declined)).toContain('the user did not confirm role_delete');
    expect(hits(sim, 'DELETE', route)).toBe(before);
    const accepting = await start({ elicit: 'accept' });
    const accepted = await accepting.call('role_delete', { role_id: role.role.id });
    expect(accepted.isError, text(accepted)).toBeFalsy();
    expect(hits(sim, 'DELETE', route)).toBe(before + 1);
    // The built-in Owner role cannot go: Cloudeka says why.
    const builtin = await accepting.call('role_delete', { role_id: owner });
    expect(text(builtin)).toContain('Upstream: 400 default role Owner cannot be deleted');
  });
});

describe('input', () => {
  it('bad input names the field', async () => {
    const server = await start();
    const missing = await server.call('vm_get', {});
    expect(missing.isError).toBe(true);
    expect(text(missing)).toMatch(/vm_id/);
    const wrongType = await server.call('vm_list', { project_id: ml(), limit: 'many' });
    expect(text(wrongType)).toMatch(/limit/);
    const noProject = await server.call('vm_list', {});
    expect(text(noProject)).toBe(
      'Error: Invalid input `project_id`: required: pass `project_id` or set CLDKCTL_DEFAULT_PROJECT_ID\n' +
        'Next: list projects with `project_list`',
    );
    const yaml = await server.call('kubernetes_create', {
      project_id: ml(),
      kind: 'pod',
      namespace: 'default',
      manifest: 'metadata: [unclosed',
    });
    expect(text(yaml)).toMatch(/^Error: Invalid input `manifest`: is not valid YAML at line 1/);
    const noKind = await server.call('kubernetes_list', { project_id: ml() });
    expect(text(noKind)).toMatch(/^Error: Invalid input `kind`: required: pass `kind`/);
    const badEnum = await server.call('switch_environment', { environment: 'dev' });
    expect(text(badEnum)).toMatch(/environment/);
    const history = await server.call('billing_cost_get', {
      project_id: ml(),
      period: 'history',
      start: '2025-01-01',
    });
    expect(text(history)).toMatch(/^Error: Invalid input `end`: required with period history/);
    // Nothing reached Cloudeka for any of these.
    expect(sim.log.filter((e) => e.route === '/core/virtual-machine/list/all')).toHaveLength(0);
  });

  it('CLDKCTL_DEFAULT_PROJECT_ID fills project_id when omitted', async () => {
    const server = await start({ env: { CLDKCTL_DEFAULT_PROJECT_ID: ml() } });
    const vms = await ok<Table>(server, 'vm_list');
    expect(column(vms, 'name')).toEqual(['gpu-worker-01', 'jupyter-host']);
    const last = sim.log.filter((e) => e.route === '/core/virtual-machine/list/all').at(-1)!;
    expect(last.query['project_id']).toBe(ml());
    expect(text(await server.call('status'))).toContain(`Default project: ${ml()}.`);
    // An explicit project_id wins.
    const web = await ok<Table>(server, 'vm_list', {
      project_id: sim.ids.projectIds[1],
    });
    expect(column(web, 'name')).toEqual(['web-01', 'web-02']);
  });

  it('path parameters are URL-encoded and never leak into the query or the body', async () => {
    const server = await start();
    const odd = 'a/b?c=d&e#f';
    const result = await server.call('project_get', { project_id: odd });
    expect(text(result)).toContain(`Upstream: 404 project ${odd} not found`);
    const entry = sim.log.filter((e) => e.route === '/core/user/project/detail/:project_id').at(-1)!;
    expect(entry.params).toEqual({ project_id: odd });
    expect(entry.query).toEqual({});
    await server.call('kubernetes_update', {
      project_id: ml(),
      kind: 'deployment',
      namespace: 'default',
      name: 'inference-api',
      manifest: { metadata: { name: 'inference-api' }, spec: { replicas: 1 } },
    });
    const put = sim.log.filter((e) => e.route === '/core/deployment/:project_id/:namespace/:name').at(-1)!;
    expect(put.params).toEqual({ project_id: ml(), namespace: 'default', name: 'inference-api' });
    expect(put.query).toEqual({});
    expect(Object.keys(put.body as object)).toEqual(['deployment_data']);
    expect(Object.keys((put.body as { deployment_data: object }).deployment_data)).toEqual(['manifest']);
  });
});

describe('upstream errors', () => {
  it('404 and 400 bodies reach the model with the status and Cloudeka’s message', async () => {
    const server = await start({ args: ['--confirm', 'never'] });
    const notFound = await server.call('vm_get', { vm_id: 'no-such-vm' });
    expect(text(notFound)).toBe(
      'Error: Cloudeka refused POST /core/virtual-machine/detail-vm.\n' +
        'Upstream: 404 virtual machine no-such-vm not found\n' +
        'Next: Check the id (and project_id); list what exists with the matching *_list tool.',
    );
    const badRequest = await server.call('vm_create', {
      project_id: ml(),
      name: 'tiny',
      flavor: 'gp.small',
      image: sim.ids.imageIds[0],
      storage: '5Gi',
      network: 'default',
    });
    expect(text(badRequest)).toContain('Upstream: 400 storage must be at least 10 GiB');
    const invalid = await server.call('kubernetes_create', {
      project_id: ml(),
      kind: 'deployment',
      namespace: 'default',
      manifest: { metadata: { name: 'no-selector' }, spec: {} },
    });
    expect(text(invalid)).toContain(
      'Upstream: 400 Deployment "no-selector" is invalid: spec.selector: Required value',
    );
    const conflict = await server.call('registry_create', { project_id: ml(), name: 'ml-models' });
    expect(text(conflict)).toContain('Upstream: 409 registry "ml-models" already exists');
    // The user agrees; Cloudeka still says no.
    const member = await start({ token: 'member', elicit: 'accept' });
    const forbidden = await member.call('member_delete', { user_id: sim.ids.ownerUserId });
    expect(text(forbidden)).toContain(
      'Upstream: 403 role Member is not allowed to manage organization members',
    );
    for (const result of [notFound, badRequest, invalid, conflict, forbidden]) {
      expect(result.isError).toBe(true);
      expect(text(result)).not.toMatch(/Upstream: \d+ (Bad Request|Not Found|Forbidden|Conflict)$/m);
    }
  });

  it('retries a read on 503, never a change', async () => {
    const server = await start();
    await ok(server, 'project_list');
    const reads = hits(sim, 'GET', '/core/user/organization/projects/byOrg');
    sim.addFault({
      route: 'GET /core/user/organization/projects/byOrg',
      kind: 'status',
      status: 503,
      times: 1,
    });
    await ok(server, 'project_list');
    expect(hits(sim, 'GET', '/core/user/organization/projects/byOrg')).toBe(reads + 2);
    sim.addFault({ route: 'PUT /core/user/projects/:project_id', kind: 'status', status: 503, times: 1 });
    const before = hits(sim, 'PUT', '/core/user/projects/:project_id');
    const failed = await server.call('project_update', { project_id: ml(), description: 'x' });
    expect(text(failed)).toContain('Upstream: 503 503 Service Unavailable (an HTML error page, not the API)');
    expect(hits(sim, 'PUT', '/core/user/projects/:project_id')).toBe(before + 1);
  });

  it('a reset while sending a change is reported as an unknown outcome, sent once', async () => {
    const server = await start();
    await ok(server, 'project_list');
    sim.addFault({ route: 'POST /core/virtual-machine/turn-off/vm', kind: 'reset', times: 1 });
    const result = await server.call('vm_turn_off', { vm_id: sim.ids.vmIds[2] });
    expect(text(result)).toMatch(/may or may not have been applied/);
    expect(hits(sim, 'POST', '/core/virtual-machine/turn-off/vm')).toBe(1);
  });

  it('a malformed body and a hanging upstream are clear errors, not crashes', async () => {
    const server = await start({ env: { CLDKCTL_TIMEOUT: '0.5' } });
    await ok(server, 'project_list');
    sim.addFault({ route: 'GET /core/user/organization', kind: 'malformed', times: 1 });
    const malformed = await server.call('organization_get');
    expect(text(malformed)).toMatch(/not valid JSON/);
    sim.addFault({ route: 'GET /core/user/organization', kind: 'hang', times: 1 });
    const hung = await server.call('organization_get');
    expect(text(hung)).toContain('did not answer in time');
    expect(structured(await server.call('status'))).toMatchObject({ authenticated: true });
  });
});
