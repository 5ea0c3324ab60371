import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CloudStackSim, startCloudStackSim } from '../src/index.js';
import { call, idOf, ok, pollJob, runJob } from './helpers.js';

let sim: CloudStackSim;
let zone: string;
let offering: string;
let template: string;
beforeAll(async () => {
  sim = await startCloudStackSim();
  zone = await idOf(sim, 'listZones', 'zone', 'AMS1');
  offering = await idOf(sim, 'listServiceOfferings', 'serviceoffering', 'Small Instance');
  template = await idOf(sim, 'listTemplates', 'template', 'Ubuntu 22.04 LTS', { templatefilter: 'featured' });
});
afterAll(() => sim.close());

const vmByName = async (name: string, who: 'admin' | 'user' = 'admin') =>
  (await ok(sim, { command: 'listVirtualMachines', name, listall: 'true' }, { who })).virtualmachine?.[0];

describe('deployVirtualMachine validation', () => {
  it('names the first missing required parameter', async () => {
    const r = await call(sim, { command: 'deployVirtualMachine', templateid: template });
    expect(r.status).toBe(431);
    expect(r.body).toEqual({
      deployvirtualmachineresponse: {
        uuidList: [],
        errorcode: 431,
        cserrorcode: 9999,
        errortext: 'Unable to execute API command deployvirtualmachine due to missing parameter zoneid',
      },
    });
    expect(r.headers.get('x-description')).toBe(r.body.deployvirtualmachineresponse.errortext);
    const next = await call(sim, { command: 'deployVirtualMachine', zoneid: zone, templateid: template });
    expect(next.body.deployvirtualmachineresponse.errortext).toBe(
      'Unable to execute API command deployvirtualmachine due to missing parameter serviceofferingid',
    );
  });

  it('rejects ids that do not exist the way CloudStack does', async () => {
    const unknown = '6f0b5d3a-0000-4000-8000-000000000000';
    const r = await call(sim, {
      command: 'deployVirtualMachine',
      zoneid: zone,
      serviceofferingid: unknown,
      templateid: template,
    });
    expect(r.status).toBe(431);
    expect(r.body.deployvirtualmachineresponse.errortext).toBe(
      `Unable to execute API command deployvirtualmachine due to invalid value. Invalid parameter serviceofferingid value=${unknown} due to incorrect long value format, or entity does not exist or due to incorrect parameter annotation for the field in api cmd class.`,
    );
    // A numeric (internal) id passes translation and fails in the manager, as in the libcloud fixture.
    const numeric = await call(sim, {
      command: 'deployVirtualMachine',
      zoneid: zone,
      serviceofferingid: '104',
      templateid: template,
    });
    expect(numeric.body).toEqual({
      deployvirtualmachineresponse: {
        uuidList: [],
        errorcode: 431,
        cserrorcode: 4350,
        errortext: 'Unable to find service offering: 104',
      },
    });
  });

  it('requires a size for custom disk offerings and an existing key pair', async () => {
    const custom = await idOf(sim, 'listDiskOfferings', 'diskoffering', 'Custom');
    const base = {
      command: 'deployVirtualMachine',
      zoneid: zone,
      serviceofferingid: offering,
      templateid: template,
    };
    const noSize = await call(sim, { ...base, diskofferingid: custom });
    expect(noSize.body.deployvirtualmachineresponse).toMatchObject({
      errorcode: 431,
      cserrorcode: 4350,
      errortext: 'This disk offering requires a custom size specified',
    });
    const noKey = await call(sim, { ...base, keypair: 'missing' });
    expect(noKey.body.deployvirtualmachineresponse.errortext).toBe(
      "A key pair with name 'missing' was not found.",
    );
    const badName = await call(sim, { ...base, name: '1-bad_name' });
    expect(badName.body.deployvirtualmachineresponse.errortext).toMatch(
      /^Invalid name\. Vm name can contain/,
    );
  });

  it("does not let a user deploy from another account's private template", async () => {
    const golden = await idOf(sim, 'listTemplates', 'template', 'golden-image-2024', {
      templatefilter: 'all',
    });
    const fra = await idOf(sim, 'listZones', 'zone', 'FRA1');
    const r = await call(
      sim,
      { command: 'deployVirtualMachine', zoneid: fra, serviceofferingid: offering, templateid: golden },
      { who: 'user' },
    );
    expect(r.status).toBe(531);
    expect(r.body.deployvirtualmachineresponse.cserrorcode).toBe(4365);
  });
});

describe('async VM lifecycle', () => {
  it('deploys: jobid, pending polls, then a Running VM', async () => {
    const started = await ok(sim, {
      command: 'deployVirtualMachine',
      zoneid: zone,
      serviceofferingid: offering,
      templateid: template,
      name: 'deploy-test',
      keypair: 'admin-key',
    });
    expect(Object.keys(started).sort()).toEqual(['id', 'jobid']);

    const during = await vmByName('deploy-test');
    expect(during).toMatchObject({ id: started.id, state: 'Starting', jobid: started.jobid, jobstatus: 0 });

    const polls = await pollJob(sim, started.jobid);
    expect(polls.map((p) => p.jobstatus)).toEqual([0, 0, 1]);
    expect(polls[0]).not.toHaveProperty('jobresult');
    expect(polls[0]).toMatchObject({
      jobprocstatus: 0,
      jobresultcode: 0,
      cmd: 'org.apache.cloudstack.api.command.user.vm.DeployVMCmd',
      jobinstancetype: 'VirtualMachine',
      jobinstanceid: started.id,
    });
    const done = polls[2];
    expect(done).toMatchObject({ jobresultcode: 0, jobresulttype: 'object' });
    expect(done.jobresult.virtualmachine).toMatchObject({
      id: started.id,
      name: 'deploy-test',
      state: 'Running',
      zonename: 'AMS1',
      serviceofferingname: 'Small Instance',
      keypairs: 'admin-key',
    });

    const listed = await vmByName('deploy-test');
    expect(listed.state).toBe('Running');
    expect(listed).not.toHaveProperty('jobid');
    expect(listed.nic[0].ipaddress).toMatch(/^10\.1\.\d+\.\d+$/);
    const root = await ok(sim, { command: 'listVolumes', virtualmachineid: started.id });
    expect(root.volume).toEqual([
      expect.objectContaining({ type: 'ROOT', state: 'Ready', vmstate: 'Running' }),
    ]);
  });

  it('stops with a transitional state and fails to start a running VM', async () => {
    const vm = await vmByName('web-02');
    const stop = await ok(sim, { command: 'stopVirtualMachine', id: vm.id });
    expect((await vmByName('web-02')).state).toBe('Stopping');
    const stopped = (await pollJob(sim, stop.jobid)).at(-1);
    expect(stopped.jobresult.virtualmachine.state).toBe('Stopped');
    expect(stopped.jobresult.virtualmachine).not.toHaveProperty('hostid');

    const web01 = await vmByName('web-01');
    const failed = await runJob(sim, { command: 'startVirtualMachine', id: web01.id });
    expect(failed).toMatchObject({
      jobstatus: 2,
      jobresultcode: 431,
      jobresult: { errorcode: 431, errortext: `The virtual machine ${web01.id} (web-01) is already running` },
    });
    const reboot = await runJob(sim, { command: 'rebootVirtualMachine', id: vm.id });
    expect(reboot.jobresult).toEqual({ errorcode: 530, errortext: 'Failed to reboot vm instance' });
  });

  it("fails a user's destroy with expunge=true inside the job, with the real payload", async () => {
    const vm = await vmByName('alice-test', 'user');
    const job = await runJob(sim, { command: 'destroyVirtualMachine', id: vm.id, expunge: 'true' }, 'user');
    expect(job).toMatchObject({
      cmd: 'org.apache.cloudstack.api.command.user.vm.DestroyVMCmd',
      jobstatus: 2,
      jobprocstatus: 0,
      jobresultcode: 530,
      jobresulttype: 'object',
      jobresult: { errorcode: 530, errortext: 'Parameter expunge can be passed by Admin only' },
    });
    expect((await vmByName('alice-test', 'user')).state).toBe('Stopped');
  });

  it('destroys, hides destroyed VMs from users, recovers and expunges', async () => {
    const vm = await vmByName('alice-worker', 'user');
    const destroyed = await runJob(sim, { command: 'destroyVirtualMachine', id: vm.id }, 'user');
    expect(destroyed.jobresult.virtualmachine.state).toBe('Destroyed');
    expect(await vmByName('alice-worker', 'user')).toBeUndefined();
    expect((await vmByName('alice-worker')).state).toBe('Destroyed');

    const userRecover = await call(sim, { command: 'recoverVirtualMachine', id: vm.id }, { who: 'user' });
    expect(userRecover.status).toBe(531);
    const recovered = await ok(sim, { command: 'recoverVirtualMachine', id: vm.id });
    expect(recovered.virtualmachine.state).toBe('Stopped');

    const early = await runJob(sim, { command: 'expungeVirtualMachine', id: vm.id });
    expect(early.jobresult.errortext).toBe('Please specify a VM that is in Destroyed or Expunging state');
    await runJob(sim, { command: 'destroyVirtualMachine', id: vm.id });
    const expunged = await runJob(sim, { command: 'expungeVirtualMachine', id: vm.id });
    expect(expunged.jobresult).toEqual({ success: true });
    // Removed rows still translate: filtering by the old id gives an empty list, not a 431.
    const gone = await call(sim, { command: 'listVirtualMachines', id: vm.id, listall: 'true' });
    expect(gone.body).toEqual({ listvirtualmachinesresponse: {} });
  });

  it('holds jobs with jobSteps=Infinity until released', async () => {
    sim.setJobSteps(Number.POSITIVE_INFINITY);
    try {
      const vm = await vmByName('ci-runner');
      const start = await ok(sim, { command: 'startVirtualMachine', id: vm.id });
      for (let i = 0; i < 5; i++) {
        expect((await ok(sim, { command: 'queryAsyncJobResult', jobid: start.jobid })).jobstatus).toBe(0);
      }
      expect((await vmByName('ci-runner')).state).toBe('Starting');
      // The simulator does not queue a second operation on a busy VM: that job fails.
      const stop = await ok(sim, { command: 'stopVirtualMachine', id: vm.id });
      sim.releaseJobs();
      expect((await vmByName('ci-runner')).state).toBe('Running');
      const done = await ok(sim, { command: 'queryAsyncJobResult', jobid: start.jobid });
      expect(done.jobstatus).toBe(1);
      expect(done.jobresult.virtualmachine.state).toBe('Running');
      const busy = await ok(sim, { command: 'queryAsyncJobResult', jobid: stop.jobid });
      expect(busy).toMatchObject({ jobstatus: 2, jobresultcode: 530 });
      expect(busy.jobresult.errortext).toContain('has another operation in progress');
    } finally {
      sim.setJobSteps(2);
    }
  });

  it('keeps jobs private to their account', async () => {
    const vm = await vmByName('monitoring');
    const job = await ok(sim, { command: 'rebootVirtualMachine', id: vm.id });
    const r = await call(sim, { command: 'queryAsyncJobResult', jobid: job.jobid }, { who: 'user' });
    expect(r.status).toBe(531);
    const mine = await ok(sim, { command: 'listAsyncJobs' }, { who: 'user' });
    expect(mine.asyncjobs.every((j: { jobid: string }) => j.jobid !== job.jobid)).toBe(true);
    const admin = await ok(sim, { command: 'listAsyncJobs' });
    expect(admin.asyncjobs.some((j: { jobid: string }) => j.jobid === job.jobid)).toBe(true);
  });
});

describe('passwords of password-enabled templates', () => {
  it('come back once, in the deploy job’s result, as PasswordGenerator makes them', async () => {
    const windows = await ok(sim, {
      command: 'listTemplates',
      templatefilter: 'featured',
      name: 'Windows Server 2022',
      zoneid: zone,
    });
    expect(windows.template[0].passwordenabled).toBe(true);
    const done = await runJob(sim, {
      command: 'deployVirtualMachine',
      zoneid: zone,
      serviceofferingid: offering,
      templateid: windows.template[0].id,
      name: 'win-pw',
    });
    const vm = done.jobresult.virtualmachine;
    expect(vm.passwordenabled).toBe(true);
    // vm.password.length 6: a lower-case letter, an upper-case letter and a digit, no look-alikes.
    expect(vm.password).toMatch(/^(?=.*[a-z])(?=.*[A-Z])(?=.*[2-9])[A-HJKMNP-Za-km-z2-9O]{6}$/);
    expect(await vmByName('win-pw')).not.toHaveProperty('password');

    const linux = await runJob(sim, {
      command: 'deployVirtualMachine',
      zoneid: zone,
      serviceofferingid: offering,
      templateid: template,
      name: 'no-pw',
    });
    expect(linux.jobresult.virtualmachine.passwordenabled).toBe(false);
    expect(linux.jobresult.virtualmachine).not.toHaveProperty('password');
  });
});
