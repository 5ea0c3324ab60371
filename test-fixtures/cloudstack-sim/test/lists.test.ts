import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CloudStackSim, startCloudStackSim } from '../src/index.js';
import { call, ok } from './helpers.js';

let sim: CloudStackSim;
beforeAll(async () => {
  sim = await startCloudStackSim();
});
afterAll(() => sim.close());

const ids = (items: { id: string }[] | undefined) => (items ?? []).map((i) => i.id);

describe('pagination', () => {
  it('pages with count = total and disjoint pages', async () => {
    const all = await ok(sim, { command: 'listVirtualMachines', listall: 'true' });
    expect(all.count).toBe(12);
    const pages = [];
    for (const page of ['1', '2', '3']) {
      const r = await ok(sim, { command: 'listVirtualMachines', listall: 'true', page, pagesize: '5' });
      expect(r.count).toBe(12);
      pages.push(ids(r.virtualmachine));
    }
    expect(pages.map((p) => p.length)).toEqual([5, 5, 2]);
    expect(new Set(pages.flat()).size).toBe(12);
    expect(pages.flat()).toEqual(ids(all.virtualmachine));

    const past = await call(sim, {
      command: 'listVirtualMachines',
      listall: 'true',
      page: '4',
      pagesize: '5',
    });
    expect(past.body).toEqual({ listvirtualmachinesresponse: { count: 12 } });
  });

  it('rejects pagesize above 500 and page and pagesize alone', async () => {
    const big = await call(sim, { command: 'listZones', page: '1', pagesize: '501' });
    expect(big.status).toBe(431);
    expect(big.body.listzonesresponse).toMatchObject({
      cserrorcode: 4350,
      errortext: "Page size can't exceed max allowed page size value: 500",
    });
    const pageOnly = await call(sim, { command: 'listZones', page: '1' });
    expect(pageOnly.status).toBe(431);
    expect(pageOnly.body.listzonesresponse.errortext).toBe(
      '"pagesize" parameter is required when "page" is specified',
    );
    const sizeOnly = await call(sim, { command: 'listZones', pagesize: '2' });
    expect(sizeOnly.status).toBe(431);
    expect(sizeOnly.body.listzonesresponse.errortext).toBe(
      '"page" parameter is required when "pagesize" is specified',
    );
    const badNumber = await call(sim, { command: 'listZones', page: 'one', pagesize: '2' });
    expect(badNumber.body.listzonesresponse.errortext).toBe(
      'Unable to execute API command listzones due to invalid value one for parameter page',
    );
  });

  it('answers an empty result as an empty object', async () => {
    const r = await call(sim, { command: 'listSSHKeyPairs', name: 'no-such-key' });
    expect(r.text).toBe('{"listsshkeypairsresponse":{}}');
    const empty = await startCloudStackSim({ seed: 'empty' });
    try {
      expect((await call(empty, { command: 'listVirtualMachines', listall: 'true' })).text).toBe(
        '{"listvirtualmachinesresponse":{}}',
      );
      expect((await ok(empty, { command: 'listZones' })).count).toBe(3);
      expect((await ok(empty, { command: 'listNetworks', listall: 'true' })).count).toBe(9);
    } finally {
      await empty.close();
    }
  });

  it('lists 1000 generated VMs across pages, 500 at most per page', async () => {
    const big = await startCloudStackSim({ vms: 1000 });
    try {
      const first = await ok(big, { command: 'listVirtualMachines' });
      expect(first.count).toBe(1007);
      expect(first.virtualmachine).toHaveLength(500);
      const seen: string[] = [];
      for (const page of ['1', '2', '3']) {
        const r = await ok(big, { command: 'listVirtualMachines', page, pagesize: '500' });
        expect(r.count).toBe(1007);
        seen.push(...r.virtualmachine.map((v: { name: string }) => v.name));
      }
      expect(seen).toHaveLength(1007);
      expect(new Set(seen).size).toBe(1007);
      expect(seen).toEqual(expect.arrayContaining(['vm-0001', 'vm-0500', 'vm-1000', 'web-01']));
      const stopped = await ok(big, { command: 'listVirtualMachines', state: 'Stopped', pagesize: '-1' });
      expect(stopped.count).toBeGreaterThan(100);
      expect(stopped.virtualmachine).toHaveLength(stopped.count);
    } finally {
      await big.close();
    }
  });
});

describe('account scoping', () => {
  it('shows users their own resources, and admins others only with listall', async () => {
    const alice = await ok(sim, { command: 'listVirtualMachines', listall: 'true' }, { who: 'user' });
    expect(alice.virtualmachine.every((v: { account: string }) => v.account === 'alice')).toBe(true);
    expect(alice.count).toBe(5);
    const admin = await ok(sim, { command: 'listVirtualMachines' });
    expect(admin.virtualmachine.every((v: { account: string }) => v.account === 'admin')).toBe(true);
    expect(admin.count).toBe(7);
    expect(
      (await ok(sim, { command: 'listVolumes' }, { who: 'user' })).volume.every(
        (v: { account: string }) => v.account === 'alice',
      ),
    ).toBe(true);
    const nets = await ok(sim, { command: 'listNetworks' }, { who: 'user' });
    expect(nets.network.map((n: { name: string }) => n.name).sort()).toEqual([
      'alice-net-ams1',
      'alice-net-fra1',
      'alice-net-sin1',
      'shared-ams1',
      'shared-fra1',
      'shared-sin1',
    ]);
  });

  it('filters by id, zone, state and keyword, and rejects unknown ids', async () => {
    const fra = (await ok(sim, { command: 'listZones', name: 'FRA1' })).zone[0].id;
    const inFra = await ok(sim, { command: 'listVirtualMachines', listall: 'true', zoneid: fra });
    expect(inFra.virtualmachine.every((v: { zonename: string }) => v.zonename === 'FRA1')).toBe(true);
    const running = await ok(sim, { command: 'listVirtualMachines', listall: 'true', state: 'running' });
    expect(running.virtualmachine.every((v: { state: string }) => v.state === 'Running')).toBe(true);
    const web = await ok(sim, { command: 'listVirtualMachines', keyword: 'WEB' });
    expect(web.virtualmachine.map((v: { name: string }) => v.name)).toEqual(['web-01', 'web-02']);
    const one = await ok(sim, { command: 'listVirtualMachines', id: web.virtualmachine[0].id });
    expect(one.count).toBe(1);

    const unknown = await call(sim, {
      command: 'listVirtualMachines',
      id: 'c0ffee00-0000-4000-8000-000000000000',
    });
    expect(unknown.status).toBe(431);
    expect(unknown.body.listvirtualmachinesresponse.errortext).toContain(
      'Invalid parameter id value=c0ffee00',
    );
  });
});

describe('templates', () => {
  it('requires templatefilter and applies it per caller', async () => {
    const missing = await call(sim, { command: 'listTemplates' });
    expect(missing.body.listtemplatesresponse.errortext).toBe(
      'Unable to execute API command listtemplates due to missing parameter templatefilter',
    );
    const bad = await call(sim, { command: 'listTemplates', templatefilter: 'bogus' });
    expect(bad.status).toBe(431);
    const all = await call(sim, { command: 'listTemplates', templatefilter: 'all' }, { who: 'user' });
    expect(all.body.listtemplatesresponse.errortext).toBe('Filter all can be specified by admin only');

    const self = await ok(sim, { command: 'listTemplates', templatefilter: 'self' }, { who: 'user' });
    expect(self.template.map((t: { name: string }) => t.name)).toEqual(['alice-app-image']);
    const community = await ok(sim, { command: 'listTemplates', templatefilter: 'community' });
    expect(new Set(community.template.map((t: { name: string }) => t.name))).toEqual(
      new Set(['AlmaLinux 9']),
    );
  });

  it('lists a template once per zone it is available in', async () => {
    const win = await ok(sim, {
      command: 'listTemplates',
      templatefilter: 'featured',
      name: 'Windows Server 2022',
    });
    expect(win.count).toBe(2);
    expect(win.template[0].id).toBe(win.template[1].id);
    expect(win.template.map((t: { zonename: string }) => t.zonename)).toEqual(['AMS1', 'FRA1']);
    expect(win.template[0].downloaddetails).toEqual([
      { downloadState: 'DOWNLOADED', datastore: 'sec-ams1-01', downloadPercent: '100' },
    ]);
    const featured = await ok(sim, { command: 'listTemplates', templatefilter: 'featured' });
    expect(new Set(featured.template.map((t: { id: string }) => t.id)).size).toBe(6);
  });
});

describe('seed', () => {
  it('with fewer zones puts every seeded VM and template in the zones that exist', async () => {
    const one = await startCloudStackSim({ zones: 1 });
    try {
      const zones = await ok(one, { command: 'listZones' });
      expect(zones.zone.map((z: { name: string }) => z.name)).toEqual(['AMS1']);
      const vms = await ok(one, { command: 'listVirtualMachines', listall: 'true' });
      const full = await ok(sim, { command: 'listVirtualMachines', listall: 'true' });
      expect(vms.count).toBe(full.count);
      expect(new Set(vms.virtualmachine.map((v: { zonename: string }) => v.zonename))).toEqual(
        new Set(['AMS1']),
      );
      const windows = await ok(one, {
        command: 'listTemplates',
        templatefilter: 'featured',
        name: 'Windows Server 2022',
      });
      expect(windows.count).toBe(1);
    } finally {
      await one.close();
    }
    await expect(startCloudStackSim({ zones: 4 })).rejects.toThrow('zones must be 1, 2 or 3');
  });

  it('is deterministic across runs and shares the catalog between seeds', async () => {
    const [a, b] = await Promise.all([startCloudStackSim(), startCloudStackSim({ seed: 'empty', vms: 3 })]);
    try {
      expect(a.credentials.admin.apiKey).toBe(sim.credentials.admin.apiKey);
      expect(b.credentials.user.secretKey).toBe(sim.credentials.user.secretKey);
      const zones = async (s: CloudStackSim) => ids((await ok(s, { command: 'listZones' })).zone);
      expect(await zones(a)).toEqual(await zones(sim));
      expect(await zones(b)).toEqual(await zones(sim));
      const vms = async (s: CloudStackSim) =>
        ids((await ok(s, { command: 'listVirtualMachines', name: 'db-01' })).virtualmachine);
      expect(await vms(a)).toEqual(await vms(sim));
      expect(
        (await ok(b, { command: 'listVirtualMachines' })).virtualmachine.map((v: { name: string }) => v.name),
      ).toEqual(['vm-0001', 'vm-0002', 'vm-0003']);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
