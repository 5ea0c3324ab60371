import { createHash, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CloudStackSim, startCloudStackSim } from '../src/index.js';
import { call, idOf, ok, pollJob, runJob } from './helpers.js';

let sim: CloudStackSim;
let ams: string;
beforeAll(async () => {
  sim = await startCloudStackSim();
  ams = await idOf(sim, 'listZones', 'zone', 'AMS1');
});
afterAll(() => sim.close());

const sshString = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, b.length >> 8, b.length & 255]), b]);
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex').match(/../g)!.join(':');

describe('volumes', () => {
  it('creates, attaches, refuses to delete while attached, detaches and deletes', async () => {
    const small = await idOf(sim, 'listDiskOfferings', 'diskoffering', 'Small');
    const created = await ok(
      sim,
      { command: 'createVolume', name: 'alice-extra', zoneid: ams, diskofferingid: small },
      { who: 'user' },
    );
    expect(Object.keys(created).sort()).toEqual(['id', 'jobid']);
    const createJob = (await pollJob(sim, created.jobid, 'user')).at(-1);
    expect(createJob.jobresult.volume).toMatchObject({
      id: created.id,
      name: 'alice-extra',
      type: 'DATADISK',
      state: 'Allocated',
      size: 10 * 1024 ** 3,
      account: 'alice',
    });

    const vm = (await ok(sim, { command: 'listVirtualMachines', name: 'alice-dev' }, { who: 'user' }))
      .virtualmachine[0];
    const attached = await runJob(
      sim,
      { command: 'attachVolume', id: created.id, virtualmachineid: vm.id },
      'user',
    );
    expect(attached.jobresult.volume).toMatchObject({
      state: 'Ready',
      deviceid: 1,
      virtualmachineid: vm.id,
      vmname: 'alice-dev',
    });

    const refused = await call(sim, { command: 'deleteVolume', id: created.id }, { who: 'user' });
    expect(refused.status).toBe(431);
    expect(refused.body.deletevolumeresponse).toMatchObject({
      cserrorcode: 4350,
      errortext: 'Please specify a volume that is not attached to any VM.',
    });
    const again = await runJob(
      sim,
      { command: 'attachVolume', id: created.id, virtualmachineid: vm.id },
      'user',
    );
    expect(again).toMatchObject({ jobstatus: 2, jobresult: { errorcode: 431 } });

    const detached = await runJob(sim, { command: 'detachVolume', id: created.id }, 'user');
    expect(detached.jobresult.volume).not.toHaveProperty('virtualmachineid');
    const deleted = await call(sim, { command: 'deleteVolume', id: created.id }, { who: 'user' });
    expect(deleted.body).toEqual({ deletevolumeresponse: { success: 'true' } });
    expect((await call(sim, { command: 'listVolumes', id: created.id }, { who: 'user' })).body).toEqual({
      listvolumesresponse: {},
    });
  });

  it("keeps users off other accounts' volumes", async () => {
    const adminVol = await idOf(sim, 'listVolumes', 'volume', 'backup-vault');
    const r = await call(sim, { command: 'deleteVolume', id: adminVol }, { who: 'user' });
    expect(r.status).toBe(531);
    expect(r.body.deletevolumeresponse.cserrorcode).toBe(4365);
  });
});

describe('snapshots', () => {
  it('snapshots a ready volume and deletes the snapshot', async () => {
    const scratch = await idOf(sim, 'listVolumes', 'volume', 'alice-scratch');
    const refused = await call(sim, { command: 'createSnapshot', volumeid: scratch }, { who: 'user' });
    expect(refused.body.createsnapshotresponse.errortext).toBe(
      `VolumeId: ${scratch} is not in Ready state but Allocated. Cannot take snapshot.`,
    );

    const root = (await ok(sim, { command: 'listVolumes', type: 'ROOT', keyword: 'ROOT' }, { who: 'user' }))
      .volume[0];
    const started = await ok(sim, { command: 'createSnapshot', volumeid: root.id }, { who: 'user' });
    const creating = await ok(sim, { command: 'listSnapshots', id: started.id }, { who: 'user' });
    expect(creating.snapshot[0].state).toBe('Creating');
    const done = (await pollJob(sim, started.jobid, 'user')).at(-1);
    expect(done.jobresult.snapshot).toMatchObject({
      id: started.id,
      volumeid: root.id,
      state: 'BackedUp',
      snapshottype: 'MANUAL',
    });

    const deleted = await runJob(sim, { command: 'deleteSnapshot', id: started.id }, 'user');
    expect(deleted.jobresult).toEqual({ success: true });
    expect((await call(sim, { command: 'listSnapshots', id: started.id }, { who: 'user' })).body).toEqual({
      listsnapshotsresponse: {},
    });
  });
});

describe('SSH key pairs', () => {
  it('creates a real RSA key pair and reports its fingerprint', async () => {
    const { keypair } = await ok(sim, { command: 'createSSHKeyPair', name: 'ci' }, { who: 'user' });
    expect(keypair.privatekey).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    const key = createPrivateKey(keypair.privatekey);
    expect(key.asymmetricKeyType).toBe('rsa');
    const jwk = key.export({ format: 'jwk' });
    const mpint = (v: string) => {
      const b = Buffer.from(v, 'base64url');
      return sshString(b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
    };
    const blob = Buffer.concat([sshString(Buffer.from('ssh-rsa')), mpint(jwk.e!), mpint(jwk.n!)]);
    expect(keypair.fingerprint).toBe(md5(blob));
    expect(keypair).toMatchObject({ name: 'ci', account: 'alice', domain: 'ROOT' });

    const listed = await ok(sim, { command: 'listSSHKeyPairs', name: 'ci' }, { who: 'user' });
    expect(listed.sshkeypair).toEqual([expect.not.objectContaining({ privatekey: expect.anything() })]);
    const dup = await call(sim, { command: 'createSSHKeyPair', name: 'ci' }, { who: 'user' });
    expect(dup.body.createsshkeypairresponse.errortext).toBe("A key pair with name 'ci' already exists.");
    expect((await ok(sim, { command: 'deleteSSHKeyPair', name: 'ci' }, { who: 'user' })).success).toBe(true);
    const missing = await call(sim, { command: 'deleteSSHKeyPair', name: 'ci' }, { who: 'user' });
    expect(missing.status).toBe(431);
  });

  it('registers valid public keys and rejects invalid ones', async () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
    const blob = Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(raw)]);
    const line = `ssh-ed25519 ${blob.toString('base64')} alice@laptop`;
    const reg = await ok(
      sim,
      { command: 'registerSSHKeyPair', name: 'laptop-ed', publickey: line },
      { who: 'user', method: 'POST' },
    );
    expect(reg.keypair.fingerprint).toBe(md5(blob));

    for (const bad of ['not a key', `ssh-rsa ${blob.toString('base64')}`, 'ssh-ed25519 AAAA!!!!']) {
      const r = await call(
        sim,
        { command: 'registerSSHKeyPair', name: 'bad', publickey: bad },
        { who: 'user' },
      );
      expect(r.status).toBe(431);
      expect(r.body.registersshkeypairresponse).toEqual({
        uuidList: [],
        errorcode: 431,
        cserrorcode: 4350,
        errortext: 'Public key is invalid',
      });
    }
  });
});

describe('public IP addresses', () => {
  it('associates and disassociates an address, but never the source NAT one', async () => {
    const started = await ok(sim, { command: 'associateIpAddress', zoneid: ams }, { who: 'user' });
    const during = await ok(sim, { command: 'listPublicIpAddresses', id: started.id }, { who: 'user' });
    expect(during.publicipaddress[0]).toMatchObject({
      state: 'Allocating',
      associatednetworkname: 'alice-net-ams1',
    });
    const done = (await pollJob(sim, started.jobid, 'user')).at(-1);
    expect(done.jobresult.ipaddress).toMatchObject({
      id: started.id,
      state: 'Allocated',
      issourcenat: false,
    });
    expect(done.jobresult.ipaddress.ipaddress).toMatch(/^203\.0\.113\.\d+$/);

    const released = await runJob(sim, { command: 'disassociateIpAddress', id: started.id }, 'user');
    expect(released.jobresult).toEqual({ success: true });

    const snat = (await ok(sim, { command: 'listPublicIpAddresses', issourcenat: 'true' }, { who: 'user' }))
      .publicipaddress[0];
    const refused = await runJob(sim, { command: 'disassociateIpAddress', id: snat.id }, 'user');
    expect(refused).toMatchObject({
      jobstatus: 2,
      jobresultcode: 530,
      jobresult: {
        errorcode: 530,
        errortext: 'ip address is used for source nat purposes and can not be disassociated.',
      },
    });
    const noZone = await call(sim, { command: 'associateIpAddress' }, { who: 'user' });
    expect(noZone.status).toBe(431);
  });

  it('shows static NAT on seeded addresses', async () => {
    const nat = await ok(sim, { command: 'listPublicIpAddresses', isstaticnat: 'true' });
    expect(nat.publicipaddress).toEqual([
      expect.objectContaining({ virtualmachinename: 'web-01', isstaticnat: true }),
    ]);
  });
});

describe('projects', () => {
  it('lists projects to their members', async () => {
    const alice = await ok(sim, { command: 'listProjects' }, { who: 'user' });
    expect(alice.project.map((p: { name: string }) => p.name)).toEqual(['platform']);
    const admin = await ok(sim, { command: 'listProjects', listall: 'true' });
    expect(admin.count).toBe(2);
  });
});
