import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CloudekaSim, startCloudekaSim } from '../src/index.js';
import { call, exchange, type Json, jwtFor, ok } from './helpers.js';

let sim: CloudekaSim;
let jwt: string;
beforeEach(async () => {
  sim = await startCloudekaSim();
  jwt = await jwtFor(sim, 'owner');
});
afterEach(() => sim.close());

const get = (path: string, query?: Record<string, string>) =>
  ok(sim, jwt, 'GET', path, query ? { query } : {});
const send = (method: string, path: string, body: unknown = {}) => ok(sim, jwt, method, path, { body });
const names = (items: Json[]) => items.map((x) => x.name ?? x.metadata?.name);

describe('seed', () => {
  it('is deterministic: same ids and tokens in every instance and environment', async () => {
    const other = await startCloudekaSim({ environment: 'staging' });
    try {
      expect(other.ids).toEqual(sim.ids);
      expect(other.tokens).toEqual(sim.tokens);
    } finally {
      await other.close();
    }
  });

  it('realistic: three projects, VMs in different states, a crash-looping pod, vouchers and billing', async () => {
    const [ml, web] = sim.ids.projectIds;
    expect(names(await get('/core/user/organization/projects/byOrg'))).toEqual([
      'ml-platform',
      'web-services',
      'sandbox',
    ]);
    const vms = await get('/core/virtual-machine/list/all', { project_id: ml!, limit: '-1' });
    expect(vms.map((v: Json) => [v.name, v.status])).toEqual([
      ['gpu-worker-01', 'running'],
      ['jupyter-host', 'off'],
    ]);
    expect(
      (await get('/core/virtual-machine/list/all', { project_id: web!, limit: '1' })).map(
        (v: Json) => v.name,
      ),
    ).toEqual(['web-01']);
    const pods = await get('/core/pods', { project_id: ml!, namespace: 'default' });
    const crash = pods.find((p: Json) => p.metadata.name === sim.ids.crashLoopPod!.name);
    expect(crash.status.containerStatuses[0]).toMatchObject({
      ready: false,
      restartCount: 7,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
    });
    expect(pods.filter((p: Json) => p.status.containerStatuses[0].ready)).toHaveLength(1);
    const balance = await get(`/core/balance/accumulated/${web}`);
    expect(balance).toMatchObject({ balance: 1_250_000, currency: 'IDR', total_voucher_credit: 500_000 });
    const daily = await get(`/core/billing/v2/daily-cost/${ml}`);
    expect(daily).toHaveLength(30);
    expect(daily[0].total).toBe(
      daily[0].virtual_machine +
        daily[0].kubernetes +
        daily[0].registry +
        daily[0].notebook +
        daily[0].storage,
    );
    const monthly = await get(`/core/billing/monthly-cost/total-billed/${ml}`);
    expect(monthly.total_billed).toBe(daily.reduce((s: number, d: Json) => s + d.total, 0));
    expect(await get(`/core/billing/v2/daily-cost/${ml}`)).toEqual(daily);
  });

  it('empty: the organization, its users and one empty project', async () => {
    const empty = await startCloudekaSim({ seed: 'empty' });
    try {
      const e = await jwtFor(empty, 'owner');
      expect(empty.ids.projectIds).toEqual([sim.ids.projectIds[0]]);
      expect(empty.ids.vmIds).toEqual([]);
      expect(
        await ok(empty, e, 'GET', '/core/virtual-machine/list/all', {
          query: { project_id: empty.ids.projectIds[0]!, limit: '-1' },
        }),
      ).toEqual([]);
      expect(
        names(
          await ok(empty, e, 'GET', `/core/user/projects/${empty.ids.projectIds[0]}/vcluster/namespaces`),
        ),
      ).toEqual(['default', 'kube-system']);
      expect((await ok(empty, e, 'GET', '/core/user/organization/member')).length).toBe(3);
    } finally {
      await empty.close();
    }
  });
});

describe('virtual machines', () => {
  it('turn off → detail shows off; turn on → running; invalid transitions answer 400', async () => {
    const vm = sim.ids.vmIds[0]!;
    const off = await send('POST', '/core/virtual-machine/turn-off/vm', { vm_id: vm });
    expect(off.status).toBe('off');
    const detail = await send('POST', '/core/virtual-machine/detail-vm', { vm_id: vm });
    expect(detail).toMatchObject({
      id: vm,
      name: 'gpu-worker-01',
      status: 'off',
      manifest: { spec: { running: false } },
    });
    const again = await call(sim, 'POST', '/core/virtual-machine/turn-off/vm', { jwt, body: { vm_id: vm } });
    expect(again.body).toEqual({
      code: 400,
      status: 'error',
      message: 'virtual machine gpu-worker-01 is already off',
    });
    const reboot = await call(sim, 'POST', '/core/virtual-machine/reboot', {
      jwt,
      body: { vm_id: vm },
    });
    expect(reboot.body.message).toBe('virtual machine gpu-worker-01 is not running');
    expect((await send('POST', '/core/virtual-machine/turn-on/vm', { vm_id: vm })).status).toBe('running');
    expect((await send('POST', '/core/virtual-machine/reboot', { vm_id: vm })).reboot_count).toBe(1);
  });

  it('create → list → delete, with catalog ids checked and GPU quota used and given back', async () => {
    const [ml] = sim.ids.projectIds;
    const gpuFlavor = sim.ids.flavorIds[5]!;
    const created = await send('POST', '/core/virtual-machine', {
      project_id: ml,
      name: 'trainer-vm',
      flavor: gpuFlavor,
      image: sim.ids.imageIds[1],
      network: 'default',
      storage: '100Gi',
    });
    expect(created).toMatchObject({
      name: 'trainer-vm',
      status: 'running',
      flavor: 'gpu.a100.1',
      gpu: 'NVIDIA A100 80GB',
      storage_gb: 100,
    });
    expect(names(await get('/core/virtual-machine/list/all', { project_id: ml!, limit: '-1' }))).toContain(
      'trainer-vm',
    );
    const quota = await get(`/mid/billing/projectdekagpu/quota/${ml}`);
    expect(quota.quota[0]).toMatchObject({ gpu_type: 'NVIDIA A100 80GB', quota: 4, used: 2, available: 2 });
    await send('POST', '/core/virtual-machine/delete', { vm_id: created.id });
    expect(
      names(await get('/core/virtual-machine/list/all', { project_id: ml!, limit: '-1' })),
    ).not.toContain('trainer-vm');
    expect((await get(`/mid/billing/projectdekagpu/quota/${ml}`)).quota[0].used).toBe(1);
    const gone = await call(sim, 'POST', '/core/virtual-machine/detail-vm', {
      jwt,
      body: { vm_id: created.id },
    });
    expect(gone.body).toEqual({
      code: 404,
      status: 'error',
      message: `virtual machine ${created.id} not found`,
    });
    const badFlavor = await call(sim, 'POST', '/core/virtual-machine', {
      jwt,
      body: {
        project_id: ml,
        name: 'x',
        flavor: 'nope',
        image: sim.ids.imageIds[0],
        network: 'default',
        storage: '20',
      },
    });
    expect(badFlavor.body).toEqual({ code: 404, status: 'error', message: 'flavor nope not found' });
  });
});

describe('projects', () => {
  it('refuses to delete a project that still has resources; deletes an empty one', async () => {
    const [ml, , sandbox] = sim.ids.projectIds;
    const check = await ok(sim, jwt, 'DELETE', `/core/user/checking/projects/${ml}`);
    expect(check).toMatchObject({
      can_delete: false,
      resources: { virtual_machines: 2, notebooks: 2, registries: 1 },
    });
    const refused = await call(sim, 'DELETE', `/core/user/projects/${ml}`, { jwt });
    expect(refused.body).toEqual({
      code: 400,
      status: 'error',
      message: 'project still has 2 virtual machines, 2 notebooks, 1 registries; delete them first',
    });
    expect((await ok(sim, jwt, 'DELETE', `/core/user/checking/projects/${sandbox}`)).can_delete).toBe(true);
    await ok(sim, jwt, 'DELETE', `/core/user/projects/${sandbox}`);
    expect(names(await get('/core/user/organization/projects/byOrg'))).toEqual([
      'ml-platform',
      'web-services',
    ]);
    const gone = await call(sim, 'GET', `/core/user/project/detail/${sandbox}`, { jwt });
    expect(gone.body).toEqual({ code: 404, status: 'error', message: `project ${sandbox} not found` });
  });

  it('update changes what detail and list show', async () => {
    const [, web] = sim.ids.projectIds;
    await send('PUT', `/core/user/projects/${web}`, { description: 'Website v2' });
    expect((await get(`/core/user/project/detail/${web}`)).description).toBe('Website v2');
    expect((await get('/core/user/organization/projects/byOrg'))[1].description).toBe('Website v2');
  });
});

describe('registries', () => {
  it('create → list by project-id → detail; the hyphenated query key is the one that filters', async () => {
    const [ml, web] = sim.ids.projectIds;
    const r = await send('POST', '/core/dekaregistry/v2/registry', {
      registry_data: { project_id: web, name: 'api-images', public: true },
    });
    expect(r).toMatchObject({
      name: 'api-images',
      public: true,
      visibility: 'public',
      url: 'dekaregistry.cloudeka.id/api-images',
    });
    const page = await call(sim, 'GET', '/core/dekaregistry/v2/registry', {
      jwt,
      query: { page: '1', 'project-id': web! },
    });
    expect(names(page.body.data)).toEqual(['web-images', 'api-images']);
    expect(page.body.pagination).toEqual({ page: 1, per_page: 10, total: 2, total_pages: 1 });
    const underscore = await get('/core/dekaregistry/v2/registry', { page: '1', project_id: ml! });
    expect(names(underscore)).toEqual(['web-images', 'ml-models', 'api-images']);
    expect((await get(`/core/dekaregistry/v2/registry/${r.id}`)).name).toBe('api-images');
    expect((await get(`/core/dekaregistry/v2/registry/${r.id}/logs`))[0]).toMatchObject({
      operation: 'create',
      resource: 'api-images',
    });
    const dup = await call(sim, 'POST', '/core/dekaregistry/v2/registry', {
      jwt,
      body: { registry_data: { project_id: web, name: 'api-images' } },
    });
    expect(dup.body).toEqual({ code: 409, status: 'error', message: 'registry "api-images" already exists' });
  });

  it('artifact tags, labels and scans stay consistent', async () => {
    const [a0, a1] = sim.ids.artifactIds;
    const [production, experimental] = sim.ids.labelIds;
    expect(
      (await get(`/core/dekaregistry/v2/artifact/${a0}/tag`)).map((t: Json) => [t.name, t.immutable]),
    ).toEqual([
      ['1.4.0', true],
      ['latest', false],
    ]);
    const immutable = await call(sim, 'DELETE', `/core/dekaregistry/v2/artifact/${a0}/tag/1.4.0`, { jwt });
    expect(immutable.status).toBe(412);
    await send('POST', `/core/dekaregistry/v2/tag/detail/${sim.ids.tagIds[0]}/disable`);
    await ok(sim, jwt, 'DELETE', `/core/dekaregistry/v2/artifact/${a0}/tag/1.4.0`);
    expect(names(await get(`/core/dekaregistry/v2/artifact/${a0}/tag`))).toEqual(['latest']);
    await send('POST', `/core/dekaregistry/v2/artifact/${a1}/tag/1.4.0`);
    const taken = await call(sim, 'POST', `/core/dekaregistry/v2/artifact/${a0}/tag/1.4.0`, {
      jwt,
      body: {},
    });
    expect(taken.body.message).toBe('tag "1.4.0" already exists in the repository');

    await send('PATCH', `/core/dekaregistry/v2/artifact/${a1}/assign-label/${experimental}`);
    expect(names((await get(`/core/dekaregistry/v2/artifact/${a1}`)).labels)).toEqual(['experimental']);
    const twice = await call(
      sim,
      'PATCH',
      `/core/dekaregistry/v2/artifact/${a1}/assign-label/${experimental}`,
      { jwt, body: {} },
    );
    expect(twice.status).toBe(409);
    const { ids } = sim;
    const labelPath = `${ids.organizationId}/${ids.ownerUserId}/${ids.projectIds[0]}`;
    await ok(
      sim,
      jwt,
      'DELETE',
      `/core/dekaregistry/v1/registry/deletelabels/${labelPath}/${production}/${ids.registryIds[0]}`,
    );
    expect((await get(`/core/dekaregistry/v2/artifact/${a0}`)).labels).toEqual([]);
    expect(
      names(await get(`/core/dekaregistry/v1/registry/lislabels/${labelPath}/${ids.registryIds[0]}`)),
    ).toEqual(['experimental']);

    expect((await send('POST', `/core/dekaregistry/v2/artifact/${a1}/scan`)).scan_overview.status).toBe(
      'Running',
    );
    expect((await get(`/core/dekaregistry/v2/artifact/${a1}`)).scan_overview.status).toBe('Running');
    expect((await get(`/core/dekaregistry/v2/artifact/${a1}`)).scan_overview).toMatchObject({
      status: 'Success',
      severity: 'Low',
    });
    const notRunning = await call(sim, 'POST', `/core/dekaregistry/v2/artifact/${a1}/stop-scan`, {
      jwt,
      body: {},
    });
    expect(notRunning.body.message).toBe('no scan is running for this artifact');
  });
});

describe('notebooks, vouchers, tokens, members, audit', () => {
  it('notebook create → list → stop → start → delete', async () => {
    const [ml] = sim.ids.projectIds;
    const where = { project_id: ml, namespace: 'ml-training' };
    await send('POST', '/core/deka-notebook', {
      ...where,
      name: 'nb-x',
      image: 'Jupyter Minimal',
      cpu: '1',
      memory: '2Gi',
      storage: '5Gi',
    });
    const list = () => get('/core/deka-notebook', { project_id: ml! });
    expect((await list()).map((n: Json) => [n.name, n.status])).toEqual([
      ['research-nb', 'running'],
      ['eda-nb', 'stopped'],
      ['nb-x', 'running'],
    ]);
    await send('POST', '/core/deka-notebook/stop', { ...where, name: 'nb-x' });
    expect((await list())[2].status).toBe('stopped');
    const stopped = await call(sim, 'POST', '/core/deka-notebook/stop', {
      jwt,
      body: { ...where, name: 'nb-x' },
    });
    expect(stopped.body.message).toBe('notebook nb-x is already stopped');
    await send('POST', '/core/deka-notebook/start', { ...where, name: 'nb-x' });
    await send('POST', '/core/deka-notebook/delete', { ...where, name: 'nb-x' });
    expect(names(await list())).toEqual(['research-nb', 'eda-nb']);
    const missingNs = await call(sim, 'POST', '/core/deka-notebook', {
      jwt,
      body: {
        ...where,
        namespace: 'nope',
        name: 'a',
        image: 'Jupyter Minimal',
        cpu: '1',
        memory: '2Gi',
        storage: '5Gi',
      },
    });
    expect(missingNs.body).toEqual({ code: 404, status: 'error', message: 'namespaces "nope" not found' });
  });

  it('claiming a voucher adds it to the claimed list and to the balance, once', async () => {
    const [ml] = sim.ids.projectIds;
    const before = (await get(`/core/balance/accumulated/${ml}`)).balance;
    const claim = { claim_data: { voucher_code: 'CLDK-WELCOME-100K', project_id: ml } };
    await send('POST', '/core/user/voucher-credit/claim', claim);
    expect((await get('/core/user/voucher-credit/claimed')).map((v: Json) => v.code)).toEqual([
      'CLDK-WELCOME-100K',
      'CLDK-Q1-BONUS',
    ]);
    expect((await get(`/core/balance/accumulated/${ml}`)).balance).toBe(before + 100_000);
    const again = await call(sim, 'POST', '/core/user/voucher-credit/claim', { jwt, body: claim });
    expect(again.body.message).toBe('voucher CLDK-WELCOME-100K has already been claimed');
    const expired = await call(sim, 'POST', '/core/user/voucher-credit/claim', {
      jwt,
      body: { claim_data: { voucher_code: 'CLDK-PROMO-2024', project_id: ml } },
    });
    expect(expired.body.message).toBe('voucher CLDK-PROMO-2024 has expired');
    expect((await get('/core/user/voucher/claimed')).map((v: Json) => v.code)).toEqual([
      'CLDK-TRIAL-STARTER',
    ]);
  });

  it('regenerating a token stops the old value at once; list, rename and delete work on own tokens', async () => {
    const old = sim.tokens.owner;
    const regenerated = await send('POST', `/core/cldkctl/token/regenerate/${sim.ids.tokenIds.owner}`, {
      expiration_days: 7,
    });
    expect(regenerated.token).toMatch(/^cldkctl_/);
    expect(sim.tokens.owner).toBe(regenerated.token);
    expect((await exchange(sim, old)).body.message).toBe('invalid token');
    expect((await exchange(sim, regenerated.token)).status).toBe(200);
    await send('PUT', `/core/cldkctl/token/${sim.ids.tokenIds.owner}`, { name: 'renamed' });
    const mine = await get('/core/cldkctl/token');
    expect(mine.map((t: Json) => [t.name, t.status])).toEqual([
      ['renamed', 'active'],
      ['old-laptop', 'revoked'],
      ['deploy-script', 'active'],
    ]);
    // The owner's other token is untouched.
    expect((await exchange(sim, sim.tokens.ownerScript)).status).toBe(200);
    expect(JSON.stringify(mine)).not.toContain('cldkctl_');
    const foreign = await call(sim, 'PUT', `/core/cldkctl/token/${sim.ids.tokenIds.member}`, {
      jwt,
      body: { name: 'x' },
    });
    expect(foreign.body).toEqual({
      code: 404,
      status: 'error',
      message: `token ${sim.ids.tokenIds.member} not found`,
    });
    await ok(sim, jwt, 'DELETE', `/core/cldkctl/token/${sim.ids.tokenIds.revoked}`);
    expect(await get('/core/cldkctl/token')).toHaveLength(2);
  });

  it('adding, editing and removing a member shows in the member list; the member loses access', async () => {
    const { ids } = sim;
    await send('POST', '/core/user/organization/member', {
      user_id: ids.outsideUserId,
      role_id: ids.roleIds.member,
      project_id: ids.projectIds[1],
    });
    const members = await get('/core/user/organization/member');
    expect(members.map((m: Json) => m.name)).toEqual([
      'Rina Wijaya',
      'Budi Santoso',
      'Sari Putri',
      'Agus Pratama',
    ]);
    await send('PUT', `/core/user/organization/member/${ids.memberUserId}`, {
      role_id: ids.roleIds.billingViewer,
      project_id: ids.projectIds[2],
    });
    const member = (await get('/core/user/organization/member')).find((m: Json) => m.id === ids.memberUserId);
    expect(member.role).toBe('Billing Viewer');
    expect(member.projects.map((p: Json) => p.name)).toEqual(['ml-platform', 'web-services', 'sandbox']);
    const inUse = await call(sim, 'DELETE', `/core/user/organization/role/${ids.roleIds.billingViewer}`, {
      jwt,
    });
    expect(inUse.body.message).toBe('role "Billing Viewer" is assigned to 1 member(s)');
    const memberJwt = await jwtFor(sim, 'member');
    await ok(sim, jwt, 'DELETE', `/core/user/organization/member/${ids.memberUserId}`);
    expect((await get('/core/user/organization/member')).map((m: Json) => m.id)).not.toContain(
      ids.memberUserId,
    );
    const lost = await call(sim, 'GET', `/core/user/project/detail/${ids.projectIds[0]}`, { jwt: memberJwt });
    expect(lost.status).toBe(404);
  });

  it('records mutations in the audit log, newest first, and not reads', async () => {
    const before = (await get('/core/api/v1.1/user/activity/sp/get-auditlog')).length;
    await send('POST', '/core/virtual-machine/detail-vm', { vm_id: sim.ids.vmIds[0] });
    await send('POST', '/core/virtual-machine/turn-off/vm', { vm_id: sim.ids.vmIds[0] });
    await send('PUT', `/core/user/projects/${sim.ids.projectIds[1]}`, { description: 'x' });
    const log = await get('/core/api/v1.1/user/activity/sp/get-auditlog');
    expect(log).toHaveLength(before + 2);
    expect(log.slice(0, 2).map((e: Json) => [e.activity, e.method, e.project_id, e.user_id])).toEqual([
      ['update_project', 'PUT', sim.ids.projectIds[1], sim.ids.ownerUserId],
      ['vm_turn_off', 'POST', null, sim.ids.ownerUserId],
    ]);
  });
});
