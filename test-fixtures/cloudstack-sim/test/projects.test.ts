import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CloudStackSim, startCloudStackSim } from '../src/index.js';
import { call, type Json, ok, runJob } from './helpers.js';

let sim: CloudStackSim;
beforeAll(async () => {
  sim = await startCloudStackSim({ jobSteps: 0 });
});
afterAll(() => sim.close());

const project = async (name: string) =>
  (await ok(sim, { command: 'listProjects', listall: 'true', name })).project[0];
const names = (items: Json[] | undefined) => (items ?? []).map((i: Json) => i.name).sort();

describe('listProjects', () => {
  it('carries the limits, counts and availability of the project account, as CloudStack 4.19 does', async () => {
    const platform = await project('platform');
    expect(platform).toMatchObject({
      owner: [{ account: 'admin' }],
      projectaccountname: 'PrjAcct-platform-2',
      state: 'Active',
      // max.project.* defaults; limits and availability are strings, counts numbers
      vmlimit: '20',
      vmtotal: 2,
      vmavailable: '18',
      vmrunning: 1,
      vmstopped: 1,
      cpulimit: '40',
      cputotal: 2, // Small Instance + Tiny, one vCPU each; a stopped VM still counts
      cpuavailable: '38',
      memorylimit: '40960',
      memorytotal: 1536,
      memoryavailable: '39424',
      volumelimit: '20',
      volumetotal: 2,
      volumeavailable: '18',
      primarystoragelimit: '200',
      primarystoragetotal: 18, // the two root disks, 10 + 8 GiB
      primarystorageavailable: '182',
      secondarystoragelimit: '400',
      secondarystoragetotal: 0,
      secondarystorageavailable: '400.0',
      iplimit: '20',
      iptotal: 0,
      ipavailable: '20',
      networklimit: '20',
      networktotal: 0,
      networkavailable: '20',
      vpclimit: '20',
      snapshotlimit: '20',
      templatelimit: '20',
    });
    expect(platform).not.toHaveProperty('account');
    const research = await project('research');
    expect(research).toMatchObject({
      vmlimit: '5',
      vmtotal: 0,
      vmavailable: '5',
      cpulimit: '10',
      memorylimit: '10240',
      iplimit: 'Unlimited',
      ipavailable: 'Unlimited',
      iptotal: 0,
    });
  });
});

describe('project resources', () => {
  it('are listed only with projectid, naming the project instead of an account', async () => {
    const all = await ok(sim, { command: 'listVirtualMachines', listall: 'true' });
    expect(names(all.virtualmachine)).not.toContain('platform-api');
    const platform = await project('platform');
    const inProject = await ok(sim, { command: 'listVirtualMachines', projectid: platform.id });
    expect(names(inProject.virtualmachine)).toEqual(['platform-api', 'platform-cache']);
    const vm = inProject.virtualmachine.find((v: Json) => v.name === 'platform-api');
    expect(vm).toMatchObject({ projectid: platform.id, project: 'platform', username: 'alice' });
    expect(vm).not.toHaveProperty('account');
    const volumes = await ok(sim, { command: 'listVolumes', projectid: platform.id });
    expect(volumes.volume.map((v: Json) => [v.vmname, v.project]).sort()).toEqual([
      ['platform-api', 'platform'],
      ['platform-cache', 'platform'],
    ]);
  });

  it('are the member’s with projectid=-1, and refused to others', async () => {
    const platform = await project('platform');
    const research = await project('research');
    const mine = await ok(sim, { command: 'listVirtualMachines', projectid: '-1' }, { who: 'user' });
    expect(names(mine.virtualmachine)).toEqual(['platform-api', 'platform-cache']);
    const vm = mine.virtualmachine.find((v: Json) => v.name === 'platform-api');
    const stop = await runJob(sim, { command: 'stopVirtualMachine', id: vm.id }, 'user');
    expect(stop.jobresult.virtualmachine.state).toBe('Stopped');

    const refused = await call(
      sim,
      { command: 'listVirtualMachines', projectid: research.id },
      { who: 'user' },
    );
    expect(refused.status).toBe(531);
    expect(refused.body.listvirtualmachinesresponse).toMatchObject({ errorcode: 531, cserrorcode: 4365 });
    expect(refused.body.listvirtualmachinesresponse.errortext).toMatch(
      new RegExp(`^Account Acct\\[[0-9a-f-]+-alice\\] can't access project id=${research.id}$`),
    );
    const unknown = await call(sim, { command: 'listVirtualMachines', projectid: '77' });
    expect(unknown.status).toBe(431);
    expect(unknown.body.listvirtualmachinesresponse.errortext).toBe('Unable to find project by id 77');
    // A project's member list does not leak through the plain listing either.
    expect(
      names((await ok(sim, { command: 'listVirtualMachines' }, { who: 'user' })).virtualmachine),
    ).not.toContain('platform-api');
    expect(platform.id).not.toBe(research.id);
  });
});

describe('project counts', () => {
  it('follow the project’s VMs', async () => {
    const cache = (await ok(sim, { command: 'listVirtualMachines', name: 'platform-cache', projectid: '-1' }))
      .virtualmachine[0];
    const before = await project('platform');
    const done = await runJob(sim, { command: 'destroyVirtualMachine', id: cache.id, expunge: 'true' });
    expect(done.jobstatus).toBe(1);
    const after = await project('platform');
    expect(after).toMatchObject({
      vmtotal: before.vmtotal - 1,
      vmavailable: String(20 - before.vmtotal + 1),
      vmstopped: before.vmstopped - 1,
      cputotal: before.cputotal - 1,
      memorytotal: before.memorytotal - 512, // Tiny
      volumetotal: before.volumetotal - 1,
      primarystoragetotal: before.primarystoragetotal - 8, // Debian 12's root disk
    });
  });
});
