import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudStackSim, LogEntry } from 'cloudstack-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  commandsSent,
  rows,
  type Started,
  startServer,
  structured,
  type ToolResult,
  text,
  withSim,
} from './harness.js';
import { md5Fingerprint, sshLine } from './ssh-wire.js';

// One simulator for the file, three server processes: admin (default confirmation policy, its user says yes
// to every destructive call below, at debug log level so a leak would show on stderr), alice with write
// tools (her user says yes too), and alice with --read-only. Refusals where no one can be asked, and the
// model confirming under --allow-model-confirm, are in e2e-safety.test.ts.
let sim: CloudStackSim;
let admin: Started;
let alice: Started;
let aliceRo: Started;
/** The admin server's --ssh-key-dir. */
const keyDir = mkdtempSync(join(tmpdir(), 'cs-ssh-'));

beforeAll(async () => {
  sim = await withSim();
  const user = sim.credentials.user;
  const asAlice = { CLOUDSTACK_API_KEY: user.apiKey, CLOUDSTACK_SECRET_KEY: user.secretKey };
  [admin, alice, aliceRo] = await Promise.all([
    startServer(sim, {
      args: ['--log-level', 'debug', '--ssh-key-dir', keyDir],
      logLevel: 'debug',
      elicit: 'accept',
    }),
    startServer(sim, { env: asAlice, elicit: 'accept' }),
    startServer(sim, { args: ['--read-only'], env: asAlice }),
  ]);
});
afterAll(async () => {
  await Promise.all([admin?.close(), alice?.close(), aliceRo?.close()]);
  await sim?.close();
});

interface Listed {
  total?: number;
  next_cursor?: string;
}
interface Volume {
  id: string;
  name: string;
  type: string;
  state: string;
  size: number;
  vmname?: string;
  virtualmachineid?: string;
  zonename: string;
}
interface Job {
  job_id: string;
  job_status: string;
  resource_id?: string;
  resume?: string;
}

const GB = 2 ** 30;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function call(server: Started, name: string, args: Record<string, unknown> = {}): Promise<ToolResult> {
  return server.client.callTool({ name, arguments: args });
}

/** A call that must succeed; the failure message shows the tool's text. */
async function ok(server: Started, name: string, args: Record<string, unknown> = {}): Promise<ToolResult> {
  const result = await call(server, name, args);
  expect(result.isError, `${name}: ${text(result)}`).toBeFalsy();
  return result;
}

/** Table lines: header first, one line per row, then any footer. */
const lines = (result: ToolResult) => text(result).split('\n');
/** The table row whose first column is `first`. */
const row = (result: ToolResult, first: string) => lines(result).find((l) => l.split(/\s{2,}/)[0] === first);

/** What the simulator received for `command`, in order (secrets already masked by the simulator). */
const sent = (command: string): LogEntry[] => sim.log.filter((e) => e.command === command);
const lastSent = (command: string): LogEntry => {
  const all = sent(command);
  expect(all.length, `${command} was never sent`).toBeGreaterThan(0);
  return all[all.length - 1]!;
};

/** The parameters a caller chose (drops what the client adds to every request). */
function ownParams(entry: LogEntry): Record<string, string> {
  const { command, response, apikey, signature, signatureversion, expires, ...rest } = entry.params;
  return rest;
}

describe('storage tools', () => {
  it('volume_list filtered by a VM name lists only that VM’s volumes, with the table columns', async () => {
    const vm = rows(await ok(admin, 'vm_list', { keyword: 'db-01' })).find((v) => v.name === 'db-01')!;
    const result = await ok(admin, 'volume_list', { vm: 'db-01' });
    expect(lines(result)[0]).toMatch(/^NAME\s+TYPE\s+STATE\s+SIZE_GB\s+VM\s+ZONE\s+ID$/);
    const volumes = rows(result);
    expect(volumes.map((v) => v.name).sort()).toEqual(['ROOT-103', 'db-01-data']);
    expect(vm.id).toMatch(UUID);
    expect(volumes.every((v) => v.vm === 'db-01')).toBe(true);
    expect(row(result, 'db-01-data')).toMatch(
      /^db-01-data\s+DATADISK\s+Ready\s+100\s+db-01\s+FRA1\s+[0-9a-f-]{36}$/,
    );
    expect(row(result, 'ROOT-103')).toMatch(/^ROOT-103\s+ROOT\s+Ready\s+\d+\s+db-01\s+FRA1\s/);
    expect(text(result)).not.toContain('backup-vault');
    // The name was resolved to the VM's id, and that id is what filtered the list.
    expect(ownParams(lastSent('listVolumes'))).toMatchObject({ virtualmachineid: vm.id, listall: 'true' });
  });

  it('volume_create needs size_gb for a custom offering, then creates, waits and lists the volume', async () => {
    const before = commandsSent(sim, 'createVolume');
    const noSize = await call(admin, 'volume_create', {
      name: 'e2e-data',
      zone: 'FRA1',
      disk_offering: 'Custom',
    });
    expect(noSize.isError).toBe(true);
    expect(text(noSize)).toContain('Upstream: 431 This disk offering requires a custom size specified');
    expect(commandsSent(sim, 'createVolume')).toBe(before + 1);

    const created = await ok(admin, 'volume_create', {
      name: 'e2e-data',
      zone: 'FRA1',
      disk_offering: 'Custom',
      size_gb: 20,
    });
    const out = structured<Job & { volume: Volume }>(created);
    expect(out.job_status).toBe('succeeded');
    expect(out.volume).toMatchObject({ name: 'e2e-data', type: 'DATADISK', size: 20 * GB, zonename: 'FRA1' });
    expect(out.volume.virtualmachineid).toBeUndefined();
    expect(out.resource_id).toBe(out.volume.id);
    expect(text(created)).toMatch(
      new RegExp(
        `^Done \\(job ${out.job_id}\\): volume e2e-data \\(${out.volume.id}\\) is \\w+, 20 GB, not attached\\.$`,
      ),
    );
    const req = ownParams(lastSent('createVolume'));
    expect(req).toMatchObject({ name: 'e2e-data', size: '20' });
    expect(req['zoneid']).toMatch(UUID);
    expect(req['diskofferingid']).toMatch(UUID);
    expect(commandsSent(sim, 'createVolume')).toBe(before + 2);

    const listed = await ok(admin, 'volume_list', { zone: 'FRA1', type: 'DATADISK', keyword: 'e2e-data' });
    expect(row(listed, 'e2e-data')).toMatch(
      new RegExp(`^e2e-data\\s+DATADISK\\s+\\w+\\s+20\\s+FRA1\\s+${out.volume.id}$`),
    );
  });

  it('volume_attach then volume_detach move the volume on and off the VM, as volume_list shows', async () => {
    const attached = await ok(admin, 'volume_attach', { volume: 'e2e-data', vm: 'db-01' });
    const a = structured<Job & { volume: Volume }>(attached);
    expect(a.volume).toMatchObject({ name: 'e2e-data', vmname: 'db-01', state: 'Ready' });
    expect(text(attached)).toContain('20 GB, attached to db-01.');
    expect(ownParams(lastSent('attachVolume'))).toEqual({
      id: a.volume.id,
      virtualmachineid: a.volume.virtualmachineid,
    });
    const onVm = await ok(admin, 'volume_list', { vm: 'db-01' });
    expect(row(onVm, 'e2e-data')).toMatch(/^e2e-data\s+DATADISK\s+Ready\s+20\s+db-01\s+FRA1\s/);

    const detached = await ok(admin, 'volume_detach', { volume: 'e2e-data' });
    const d = structured<Job & { volume: Volume }>(detached);
    expect(d.volume.virtualmachineid).toBeUndefined();
    expect(text(detached)).toContain('20 GB, not attached.');
    expect(ownParams(lastSent('detachVolume'))).toEqual({ id: a.volume.id });
    const after = await ok(admin, 'volume_list', { vm: 'db-01' });
    expect(row(after, 'e2e-data')).toBeUndefined();
    expect(
      rows(after)
        .map((v) => v.name)
        .sort(),
    ).toEqual(['ROOT-103', 'db-01-data']);
  });

  it('volume_delete refuses an attached volume (says detach first, deletes nothing) and deletes a detached one', async () => {
    const before = commandsSent(sim, 'deleteVolume');
    const refused = await call(admin, 'volume_delete', { volume: 'db-01-data' });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toBe(
      'Error: Volume db-01-data is attached to db-01; it cannot be deleted while attached.\n' +
        'Upstream: 431 Please specify a volume that is not attached to any VM.\n' +
        'Next: Detach it with `volume_detach` (volume: "db-01-data"), then delete it again.',
    );
    expect(commandsSent(sim, 'deleteVolume')).toBe(before + 1);
    expect(lastSent('deleteVolume').status).toBe(431);
    const still = await ok(admin, 'volume_list', { vm: 'db-01' });
    expect(row(still, 'db-01-data')).toMatch(/^db-01-data\s+DATADISK\s+Ready\s+100\s+db-01\s/);

    const id = rows(await ok(admin, 'volume_list', { keyword: 'e2e-data' }))[0]!.id;
    const deleted = await ok(admin, 'volume_delete', { volume: 'e2e-data' });
    expect(structured(deleted)).toEqual({ volume_id: id, deleted: true });
    expect(text(deleted)).toBe(`Deleted volume ${id}.`);
    expect(ownParams(lastSent('deleteVolume'))).toEqual({ id });
    const gone = await ok(admin, 'volume_list', { keyword: 'e2e-data' });
    expect(rows(gone)).toEqual([]);
    expect(text(gone)).not.toContain('e2e-data');
  });

  it('snapshot_list filters by volume and by VM', async () => {
    const byVolume = await ok(admin, 'snapshot_list', { volume: 'db-01-data' });
    expect(lines(byVolume)[0]).toMatch(/^NAME\s+STATE\s+VOLUME\s+TYPE\s+CREATED\s+ID$/);
    const snaps = rows(byVolume);
    expect(snaps.map((s) => s.name)).toEqual(['db-01_db-01-data_20240315140000']);
    expect(row(byVolume, snaps[0]!.name!)).toMatch(
      /\s+BackedUp\s+db-01-data\s+MANUAL\s+2024-03-15T14:00:00\+0000\s+/,
    );
    expect(ownParams(lastSent('listSnapshots'))['volumeid']).toMatch(UUID);

    const byVm = await ok(admin, 'snapshot_list', { vm: 'db-01' });
    const vmSnaps = rows(byVm);
    expect(vmSnaps.map((s) => s.volume).sort()).toEqual(['ROOT-103', 'db-01-data']);
    expect(text(byVm)).not.toContain('alice-api-data');
    expect(structured<Listed>(byVm).total).toBe(2);
  });

  it('snapshot_create snapshots a volume and waits; snapshot_delete removes it', async () => {
    const notReady = await call(admin, 'snapshot_create', { volume: 'alice-scratch' });
    expect(notReady.isError).toBe(true);
    expect(text(notReady)).toMatch(
      /Upstream: 431 VolumeId: [0-9a-f-]{36} is not in Ready state but Allocated\./,
    );

    const created = await ok(admin, 'snapshot_create', { volume: 'backup-vault', name: 'e2e-snap' });
    const out = structured<
      Job & { snapshot: { id: string; name: string; state: string; volumename: string } }
    >(created);
    expect(out).toMatchObject({ job_status: 'succeeded', snapshot: { name: 'e2e-snap', state: 'BackedUp' } });
    expect(out.snapshot.volumename).toBe('backup-vault');
    expect(text(created)).toBe(
      `Done (job ${out.job_id}): snapshot e2e-snap (${out.snapshot.id}) of volume backup-vault is BackedUp.`,
    );
    expect(ownParams(lastSent('createSnapshot'))).toMatchObject({ name: 'e2e-snap' });

    const listed = await ok(admin, 'snapshot_list', { volume: 'backup-vault' });
    expect(rows(listed).map((s) => s.id)).toEqual([out.snapshot.id]);
    expect(row(listed, 'e2e-snap')).toMatch(/^e2e-snap\s+BackedUp\s+backup-vault\s+MANUAL\s/);

    const deleted = await ok(admin, 'snapshot_delete', { snapshot: 'e2e-snap' });
    expect(structured<Job>(deleted)).toMatchObject({ job_status: 'succeeded', resource_id: out.snapshot.id });
    expect(ownParams(lastSent('deleteSnapshot'))).toEqual({ id: out.snapshot.id });
    const gone = await ok(admin, 'snapshot_list', { volume: 'backup-vault' });
    expect(rows(gone)).toEqual([]);
  });
});

describe('network tools', () => {
  it('network_list filters by zone and type', async () => {
    const isolated = await ok(admin, 'network_list', { zone: 'AMS1', type: 'Isolated' });
    expect(lines(isolated)[0]).toMatch(/^NAME\s+TYPE\s+STATE\s+CIDR\s+ZONE\s+ID$/);
    expect(rows(isolated).map((n) => n.name)).toEqual(['admin-net-ams1', 'alice-net-ams1']);
    expect(row(isolated, 'admin-net-ams1')).toMatch(
      /^admin-net-ams1\s+Isolated\s+Implemented\s+10\.1\.0\.0\/16\s+AMS1\s/,
    );
    const req = ownParams(lastSent('listNetworks'));
    expect(req).toMatchObject({ type: 'Isolated', listall: 'true' });
    expect(req['zoneid']).toMatch(UUID);

    const shared = await ok(admin, 'network_list', { zone: 'AMS1', type: 'Shared' });
    expect(rows(shared).map((n) => n.name)).toEqual(['shared-ams1']);
    const fra = await ok(admin, 'network_list', { zone: 'FRA1' });
    expect(
      rows(fra)
        .map((n) => n.name)
        .sort(),
    ).toEqual(['admin-net-fra1', 'alice-net-fra1', 'shared-fra1']);
  });

  it('public_ip_list shows addresses with their network, NAT VM and source NAT flag', async () => {
    const result = await ok(admin, 'public_ip_list');
    expect(lines(result)[0]).toMatch(/^IP\s+STATE\s+ZONE\s+NETWORK\s+VM\s+SOURCE_NAT\s+ID$/);
    const ips = rows(result);
    // A source NAT address per isolated network (6), static NAT on web-01, alice's spare.
    expect(ips.filter((ip) => ip.source_nat === 'true')).toHaveLength(6);
    const nat = ips.find((ip) => ip.vm === 'web-01')!;
    expect(row(result, nat.ip!)).toMatch(/\s+Allocated\s+AMS1\s+admin-net-ams1\s+web-01\s+false\s+/);

    const byNetwork = await ok(admin, 'public_ip_list', { network: 'alice-net-ams1' });
    const aliceIps = rows(byNetwork);
    expect(aliceIps.length).toBe(2);
    expect(aliceIps.every((ip) => ip.network === 'alice-net-ams1')).toBe(true);
    expect(ownParams(lastSent('listPublicIpAddresses'))['associatednetworkid']).toMatch(UUID);
  });

  it('public_ip_acquire by network, then public_ip_release by address removes it from the list', async () => {
    const acquired = await ok(admin, 'public_ip_acquire', { network: 'admin-net-fra1' });
    const out = structured<Job & { ip: { id: string; ipaddress: string; associatednetworkname: string } }>(
      acquired,
    );
    expect(out.job_status).toBe('succeeded');
    expect(out.ip.associatednetworkname).toBe('admin-net-fra1');
    expect(out.ip.ipaddress).toMatch(/^198\.51\.100\.\d+$/);
    expect(text(acquired)).toBe(
      `Done (job ${out.job_id}): acquired ${out.ip.ipaddress} (${out.ip.id}) for network admin-net-fra1 in zone FRA1.`,
    );
    const assoc = ownParams(lastSent('associateIpAddress'));
    expect(Object.keys(assoc)).toEqual(['networkid']);
    expect(assoc['networkid']).toMatch(UUID);
    const listed = await ok(admin, 'public_ip_list', { network: 'admin-net-fra1' });
    expect(row(listed, out.ip.ipaddress)).toMatch(/\s+Allocated\s+FRA1\s+admin-net-fra1\s+false\s+/);

    const released = await ok(admin, 'public_ip_release', { ip: out.ip.ipaddress });
    expect(structured<Job>(released)).toMatchObject({ job_status: 'succeeded', resource_id: out.ip.id });
    expect(text(released)).toBe(
      `Done (job ${structured<Job>(released).job_id}): public IP ${out.ip.id} released.`,
    );
    expect(ownParams(lastSent('disassociateIpAddress'))).toEqual({ id: out.ip.id });
    const after = await ok(admin, 'public_ip_list', { network: 'admin-net-fra1' });
    expect(text(after)).not.toContain(out.ip.ipaddress);
    expect(rows(after).map((ip) => ip.source_nat)).toEqual(['true']);
  });

  it('public_ip_release of a source NAT address reports the failed job, and the address stays', async () => {
    const sourceNat = rows(await ok(admin, 'public_ip_list', { network: 'admin-net-sin1' })).find(
      (ip) => ip.source_nat === 'true',
    )!;
    const refused = await call(admin, 'public_ip_release', { ip: sourceNat.ip });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toMatch(/^Error: CloudStack job [0-9a-f-]{36} \(DisassociateIPAddrCmd\) failed\./);
    expect(text(refused)).toContain(
      'Upstream: 530 ip address is used for source nat purposes and can not be disassociated.',
    );
    const still = await ok(admin, 'public_ip_list', { network: 'admin-net-sin1' });
    expect(row(still, sourceNat.ip!)).toMatch(/\s+true\s+/);
  });
});

describe('ssh tools', () => {
  it('ssh_key_list lists the seeded key pairs with fingerprints and owners', async () => {
    const result = await ok(admin, 'ssh_key_list');
    expect(lines(result)[0]).toMatch(/^NAME\s+FINGERPRINT\s+ACCOUNT$/);
    for (const [name, account] of [
      ['admin-key', 'admin'],
      ['deploy-key', 'admin'],
      ['alice-laptop', 'alice'],
    ]) {
      expect(row(result, name!)).toMatch(
        new RegExp(`^${name}\\s+([0-9a-f]{2}:){15}[0-9a-f]{2}\\s+${account}$`),
      );
    }
  });

  it('ssh_key_register takes real ed25519 and RSA public keys, with CloudStack’s fingerprint', async () => {
    for (const type of ['ed25519', 'rsa'] as const) {
      const { publicKey } =
        type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ed25519');
      const name = `e2e-${type}`;
      const line = sshLine(publicKey, `${name}@e2e`);
      const result = await ok(admin, 'ssh_key_register', { name, public_key: line });
      const key = structured<{ key: { name: string; fingerprint: string; account: string } }>(result).key;
      expect(key).toMatchObject({ name, fingerprint: md5Fingerprint(publicKey), account: 'admin' });
      expect(text(result)).toContain(`fingerprint: ${md5Fingerprint(publicKey)}`);
      expect(ownParams(lastSent('registerSSHKeyPair'))).toEqual({ name, publickey: line });
    }
    const listed = await ok(admin, 'ssh_key_list', { keyword: 'e2e-' });
    expect(
      rows(listed)
        .map((k) => k.name)
        .sort(),
    ).toEqual(['e2e-ed25519', 'e2e-rsa']);
  });

  it('ssh_key_register reports an invalid key with CloudStack’s 431 and refuses a private key unsent', async () => {
    const invalid = await call(admin, 'ssh_key_register', {
      name: 'e2e-bad',
      public_key: 'ssh-rsa AAAAB3Nz e2e',
    });
    expect(invalid.isError).toBe(true);
    expect(text(invalid)).toMatch(
      /^Error: CloudStack refused registerSSHKeyPair\.\nUpstream: 431 Public key is invalid\n/,
    );

    const before = commandsSent(sim, 'registerSSHKeyPair');
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const refused = await call(admin, 'ssh_key_register', { name: 'e2e-private', public_key: pem });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toContain('Invalid input `public_key`: this is a private key; nothing was sent');
    expect(commandsSent(sim, 'registerSSHKeyPair')).toBe(before);
    const listed = await ok(admin, 'ssh_key_list', { keyword: 'e2e-' });
    expect(text(listed)).not.toMatch(/e2e-bad|e2e-private/);
  });

  it('ssh_key_create writes the private key to a new 0600 file in --ssh-key-dir and never shows it', async () => {
    const file = join(keyDir, 'e2e-made');
    const result = await ok(admin, 'ssh_key_create', { name: 'e2e-made', private_key_file: 'e2e-made' });

    expect(statSync(file).mode & 0o777).toBe(0o600);
    const pem = readFileSync(file, 'utf8');
    expect(pem).toMatch(
      /^-----BEGIN RSA PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END RSA PRIVATE KEY-----\n$/,
    );
    // The file holds the private half of the pair CloudStack registered.
    const fingerprint = md5Fingerprint(createPublicKey(pem));
    expect(structured(result)).toEqual({ name: 'e2e-made', fingerprint, private_key_file: file });
    expect(text(result)).toBe(
      `Created SSH key pair e2e-made (fingerprint ${fingerprint}); its private key is in ${file} (mode 0600), the only copy.`,
    );
    const listed = await ok(admin, 'ssh_key_list', { keyword: 'e2e-made' });
    expect(row(listed, 'e2e-made')).toMatch(new RegExp(`^e2e-made\\s+${fingerprint}\\s+admin$`));

    // Not a line of the key body anywhere the model or an operator could read it.
    const body = pem.split('\n').filter((l) => l && !l.startsWith('-----'));
    const seen = [JSON.stringify(result), admin.stderr(), JSON.stringify(admin.logs)];
    for (const where of seen) {
      expect(where).not.toContain('PRIVATE KEY');
      for (const part of body) expect(where).not.toContain(part);
    }
  });

  it('ssh_key_create never overwrites a file and then creates nothing', async () => {
    const file = join(keyDir, 'taken');
    writeFileSync(file, 'keep me\n');
    const before = commandsSent(sim, 'createSSHKeyPair');
    const refused = await call(admin, 'ssh_key_create', { name: 'e2e-taken', private_key_file: 'taken' });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toContain(
      'Invalid input `private_key_file`: a file of that name exists in the SSH key directory; nothing was created',
    );
    expect(readFileSync(file, 'utf8')).toBe('keep me\n');
    expect(commandsSent(sim, 'createSSHKeyPair')).toBe(before);
  });

  it('ssh_key_delete removes a key pair', async () => {
    const deleted = await ok(admin, 'ssh_key_delete', { name: 'e2e-rsa' });
    expect(structured(deleted)).toEqual({ name: 'e2e-rsa', deleted: true });
    expect(text(deleted)).toBe('Deleted SSH key pair e2e-rsa.');
    expect(ownParams(lastSent('deleteSSHKeyPair'))).toEqual({ name: 'e2e-rsa' });
    const listed = await ok(admin, 'ssh_key_list', { keyword: 'e2e-' });
    expect(
      rows(listed)
        .map((k) => k.name)
        .sort(),
    ).toEqual(['e2e-ed25519', 'e2e-made']);

    const missing = await call(admin, 'ssh_key_delete', { name: 'e2e-rsa' });
    expect(missing.isError).toBe(true);
    expect(text(missing)).toContain(
      "Upstream: 431 A key pair with name 'e2e-rsa' does not exist for account admin in specified domain id",
    );
  });
});

describe('job tools', () => {
  it('job_list and job_status follow a vm_deploy started with wait: false, pending then succeeded', async () => {
    sim.setJobSteps(Number.POSITIVE_INFINITY);
    try {
      const started = await ok(admin, 'vm_deploy', {
        zone: 'AMS1',
        template: 'Debian 12',
        service_offering: 'Tiny',
        name: 'e2e-async',
        wait: false,
      });
      const job = structured<Job>(started);
      expect(job.job_status).toBe('pending');
      // Not waited for: the job was never polled.
      expect(sent('queryAsyncJobResult').filter((e) => e.params['jobid'] === job.job_id)).toEqual([]);

      const list = await ok(admin, 'job_list', { limit: 500 });
      expect(lines(list)[0]).toMatch(/^JOB_ID\s+COMMAND\s+STATUS\s+RESOURCE\s+RESOURCE_ID\s+CREATED$/);
      expect(row(list, job.job_id)).toMatch(
        new RegExp(
          `^${job.job_id}\\s+DeployVMCmd\\s+pending\\s+VirtualMachine\\s+${job.resource_id}\\s+\\d{4}-`,
        ),
      );

      const pending = await ok(admin, 'job_status', { job_id: job.job_id });
      expect(structured(pending)).toMatchObject({
        job_id: job.job_id,
        job_status: 'pending',
        command: 'DeployVMCmd',
        resource_type: 'VirtualMachine',
        resource_id: job.resource_id,
      });
      expect(structured(pending)).not.toHaveProperty('result');
      expect(text(pending)).toContain('job_status: pending');

      sim.releaseJobs();
      const done = await ok(admin, 'job_status', { job_id: job.job_id });
      const out = structured<{ job_status: string; result: { virtualmachine: Record<string, unknown> } }>(
        done,
      );
      expect(out.job_status).toBe('succeeded');
      expect(out.result.virtualmachine).toMatchObject({
        id: job.resource_id,
        name: 'e2e-async',
        state: 'Running',
        zonename: 'AMS1',
        templatename: 'Debian 12',
        serviceofferingname: 'Tiny',
      });
      expect(text(done)).toContain('job_status: succeeded');
      expect(text(done)).toContain('name: e2e-async');
      expect(ownParams(lastSent('queryAsyncJobResult'))).toEqual({ jobid: job.job_id });
      const after = await ok(admin, 'job_list', { limit: 500 });
      expect(row(after, job.job_id)).toMatch(/\s+DeployVMCmd\s+succeeded\s+VirtualMachine\s+/);
    } finally {
      sim.setJobSteps(2);
    }
  });

  it('job_status with wait: true polls until the job ends', async () => {
    const started = structured<Job>(await ok(admin, 'vm_stop', { vm: 'web-02', wait: false }));
    const polls = commandsSent(sim, 'queryAsyncJobResult');
    const done = await ok(admin, 'job_status', { job_id: started.job_id, wait: true });
    expect(
      structured<{ job_status: string; result: { virtualmachine: { name: string; state: string } } }>(done),
    ).toMatchObject({
      job_status: 'succeeded',
      result: { virtualmachine: { name: 'web-02', state: 'Stopped' } },
    });
    // jobSteps is 2: two pending answers, then the finished one.
    expect(commandsSent(sim, 'queryAsyncJobResult')).toBe(polls + 3);
  });

  it('job_list with start_date lists only jobs started on or after it', async () => {
    const job = structured<Job>(await ok(admin, 'vm_stop', { vm: 'monitoring' }));
    const all = rows(await ok(admin, 'job_list', { limit: 500 }));
    expect(all.map((j) => j.job_id)).toContain(job.job_id);
    const past = rows(await ok(admin, 'job_list', { start_date: '2000-01-01', limit: 500 }));
    expect(past.map((j) => j.job_id)).toEqual(all.map((j) => j.job_id));
    const future = await ok(admin, 'job_list', { start_date: '2999-01-01' });
    expect(ownParams(lastSent('listAsyncJobs'))).toMatchObject({ startdate: '2999-01-01' });
    expect(rows(future).map((j) => j.job_id)).toEqual([]);
    expect(text(future)).toBe('No jobs found.');
  });

  it('a job that fails is an error for vm_destroy and a failed answer for job_status (530, CloudStack’s text)', async () => {
    const vm = rows(await ok(alice, 'vm_list', { keyword: 'alice-test' })).find(
      (v) => v.name === 'alice-test',
    )!;
    const before = commandsSent(sim, 'destroyVirtualMachine');
    const destroyed = await call(alice, 'vm_destroy', { vm: 'alice-test', expunge: true });
    expect(destroyed.isError).toBe(true);
    const failed = destroyed._meta?.['cloudmcp/error'] as { job_id: string };
    expect(failed.job_id).toMatch(UUID);
    expect(text(destroyed)).toBe(
      `Error: CloudStack job ${failed.job_id} (DestroyVMCmd) failed.\n` +
        'Upstream: 530 Parameter expunge can be passed by Admin only\n' +
        'Next: CloudStack failed while doing it; the message says why. Check the resource, then try again or ask an admin.',
    );
    expect(commandsSent(sim, 'destroyVirtualMachine')).toBe(before + 1);
    expect(ownParams(lastSent('destroyVirtualMachine'))).toEqual({ id: vm.id, expunge: 'true' });

    const status = await ok(alice, 'job_status', { job_id: failed.job_id });
    expect(structured(status)).toMatchObject({
      job_id: failed.job_id,
      job_status: 'failed',
      command: 'DestroyVMCmd',
      error: { code: 530, text: 'Parameter expunge can be passed by Admin only' },
    });
    expect(structured(status)).not.toHaveProperty('result');
    expect(text(status)).toContain('job_status: failed');
    expect(text(status)).toContain('text: Parameter expunge can be passed by Admin only');

    const list = await ok(alice, 'job_list');
    expect(row(list, failed.job_id)).toMatch(/\s+DestroyVMCmd\s+failed\s+VirtualMachine\s+/);
    // Nothing happened to the VM.
    expect(text(await ok(alice, 'vm_status', { vm: 'alice-test' }))).toContain(
      `alice-test (${vm.id}) is Stopped`,
    );
  });
});

describe('api tools', () => {
  it('api_list filters by name and marks async commands', async () => {
    const result = await ok(admin, 'api_list', { name: 'VirtualMachine' });
    expect(lines(result)[0]).toMatch(/^NAME\s+ASYNC\s+REQUIRED$/);
    expect(row(result, 'deployVirtualMachine')).toMatch(
      /^deployVirtualMachine\s+true\s+serviceofferingid templateid zoneid$/,
    );
    expect(row(result, 'listVirtualMachines')).toMatch(/^listVirtualMachines\s+false$/);
    expect(row(result, 'stopVirtualMachine')).toMatch(/^stopVirtualMachine\s+true\s+id$/);
    const apis = rows(result);
    expect(apis.every((a) => a.name?.toLowerCase().includes('virtualmachine'))).toBe(true);
    expect(apis.map((a) => a.name)).not.toContain('listZones');
    const deploy = apis.find((a) => a.name === 'deployVirtualMachine')!;
    expect(deploy).toEqual({
      name: 'deployVirtualMachine',
      async: 'true',
      required: 'serviceofferingid templateid zoneid',
    });
  });

  it('api_query runs a read command with its parameters, sent as given', async () => {
    const result = await ok(admin, 'api_query', { command: 'listZones', params: { name: 'FRA1' } });
    const out = structured<{ count: number; zone: Array<{ name: string; id: string }> }>(result);
    expect(out.count).toBe(1);
    expect(out.zone.map((z) => z.name)).toEqual(['FRA1']);
    expect(text(result)).toMatch(/^count: 1\nzone:\n {2}- id: [0-9a-f-]{36}\n {4}name: FRA1\n/);
    expect(ownParams(lastSent('listZones'))).toEqual({ name: 'FRA1' });
  });

  it('api_query redacts keys in what it returns', async () => {
    const { apiKey, secretKey } = sim.credentials.admin;
    const users = structured<{ user: Array<{ id: string; username: string }> }>(
      await ok(admin, 'api_query', { command: 'listUsers', params: { listall: true } }),
    ).user;
    const adminId = users.find((u) => u.username === 'admin')!.id;
    const keys = await ok(admin, 'api_query', { command: 'getUserKeys', params: { id: adminId } });
    expect(structured(keys)).toEqual({
      userkeys: { apikey: '[REDACTED]', secretkey: '[REDACTED]', accounttype: 1 },
    });
    expect(JSON.stringify(keys)).not.toContain(secretKey);
    expect(JSON.stringify(keys)).not.toContain(apiKey);
  });

  it('api_call runs an async command, waits for its job and returns the result', async () => {
    const vm = rows(await ok(admin, 'vm_list', { keyword: 'web-01' })).find((v) => v.name === 'web-01')!;
    expect(vm['state']).toBe('Running');
    const before = commandsSent(sim, 'stopVirtualMachine');
    const result = await ok(admin, 'api_call', {
      command: 'stopVirtualMachine',
      params: { id: vm.id },
    });
    const out = structured<Job & { result: { virtualmachine: { id: string; state: string } } }>(result);
    expect(out.job_status).toBe('succeeded');
    expect(out.result.virtualmachine).toMatchObject({ id: vm.id, state: 'Stopped' });
    expect(text(result)).toMatch(new RegExp(`^job_id: ${out.job_id}\\njob_status: succeeded\\nresult:\\n`));
    expect(commandsSent(sim, 'stopVirtualMachine')).toBe(before + 1);
    expect(ownParams(lastSent('stopVirtualMachine'))).toEqual({ id: vm.id });
    expect(text(await ok(admin, 'vm_status', { vm: vm.id }))).toContain(`web-01 (${vm.id}) is Stopped`);
  });

  it('api_call asks the user naming the command, and a no changes nothing', async () => {
    const declining = await startServer(sim, { elicit: 'decline' });
    const asked: string[] = [];
    declining.client.setRequestHandler('elicitation/create', async (request) => {
      asked.push(request.params.message);
      return { action: 'decline' };
    });
    try {
      const before = commandsSent(sim, 'startVirtualMachine');
      const declined = await call(declining, 'api_call', {
        command: 'startVirtualMachine',
        params: { id: 'x' },
      });
      expect(asked).toEqual([
        'Run CloudStack API command startVirtualMachine with id=x. This cannot be undone. Proceed?',
      ]);
      expect(declined.isError).toBe(true);
      expect(text(declined)).toContain('Not done: the user did not confirm api_call. Nothing was changed.');
      expect(commandsSent(sim, 'startVirtualMachine')).toBe(before);
    } finally {
      await declining.close();
    }
  });
});

describe('read-only, as the normal user alice', () => {
  it('exposes api_query but not api_call nor any tool that writes', async () => {
    const names = (await aliceRo.client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('api_query');
    expect(names).toContain('api_list');
    expect(names).not.toContain('api_call');
    for (const write of [
      'vm_deploy',
      'volume_create',
      'volume_delete',
      'ssh_key_create',
      'public_ip_acquire',
    ]) {
      expect(names).not.toContain(write);
    }
    const before = commandsSent(sim, 'listZones');
    // A tool the server does not list is a protocol error (-32602), not a tool result.
    await expect(call(aliceRo, 'api_call', { command: 'listZones', params: {} })).rejects.toThrow(
      'Tool api_call not found',
    );
    expect(commandsSent(sim, 'listZones')).toBe(before);
  });

  it('vm_list shows only alice’s VMs', async () => {
    const result = await ok(aliceRo, 'vm_list');
    const vms = rows(result);
    expect(vms.map((v) => v.name).sort()).toEqual([
      'alice-api',
      'alice-batch',
      'alice-dev',
      'alice-test',
      'alice-worker',
    ]);
    const shown = lines(result).slice(1);
    expect(shown).toHaveLength(5);
    for (const line of shown) expect(line).toMatch(/^alice-/);
  });

  it('api_query works, and refuses a command that changes something, naming the `command` field', async () => {
    const zones = structured<{ zone: Array<{ name: string }> }>(
      await ok(aliceRo, 'api_query', { command: 'listZones', params: { name: 'SIN1' } }),
    ).zone;
    expect(zones.map((z) => z.name)).toEqual(['SIN1']);

    const deploys = commandsSent(sim, 'deployVirtualMachine');
    const refused = await call(aliceRo, 'api_query', {
      command: 'deployVirtualMachine',
      params: { zoneid: 'z', templateid: 't', serviceofferingid: 's' },
    });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toBe(
      'Error: Invalid input `command`: deployVirtualMachine is not a read command (list*, get*, query*, except getUploadParamsFor*)\n' +
        'Next: use `api_call` for commands that change something',
    );
    expect(commandsSent(sim, 'deployVirtualMachine')).toBe(deploys);
  });

  it('api_query of an admin-only command is refused, and listHosts is never sent', async () => {
    const before = commandsSent(sim, 'listHosts');
    const refused = await call(aliceRo, 'api_query', { command: 'listHosts', params: {} });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toContain(
      "listHosts is not in this account's API catalog: it does not exist, or the account's role may not call it",
    );
    expect(commandsSent(sim, 'listHosts')).toBe(before);
  });
});
