import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthCache } from '@cloudmcp/auth-cache';
import {
  createLogger,
  createToolServer,
  DEFAULT_POLICY,
  DEFAULT_RENDER,
  type HttpClient,
  type HttpRequest,
} from '@cloudmcp/toolkit';
import { connectInProcess } from 'mcp-test-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { CloudStackClient } from '../src/client/client.js';
import type { KeyDir } from '../src/key-dir.js';
import { cloudstackServer } from '../src/server.js';

// Unit tests of the storage, network, ssh, jobs and api tools against a scripted CloudStack: each test
// says what every command answers and checks what the tools send and render. End-to-end tests against
// the simulator live elsewhere.

type Answer = { status?: number; body: unknown } | unknown;
type Handler = (params: Record<string, string>) => Answer;

const VOL = '11111111-1111-4111-8111-111111111111';
const VM = '22222222-2222-4222-8222-222222222222';
const ZONE = '33333333-3333-4333-8333-333333333333';
const OFFERING = '44444444-4444-4444-8444-444444444444';
const PEM =
  '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAlMDlCrzlmEBwmPmQ\n-----END RSA PRIVATE KEY-----';

interface Harness {
  call(
    name: string,
    args?: Record<string, unknown>,
  ): Promise<{ text: string; isError: boolean; data: unknown }>;
  sent: Array<{ method: string; params: Record<string, string> }>;
}

/** One column's cells of a list tool's structuredContent (the table its text shows). */
function cells(data: unknown, column: string): string[] {
  const table = data as { columns: string[]; rows: string[][]; uniform?: Record<string, string> };
  const same = table.uniform?.[column];
  if (same !== undefined) return table.rows.map(() => same);
  const index = table.columns.indexOf(column);
  return table.rows.map((row) => row[index]!);
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** `keyDir`: where ssh_key_create saves keys; by default saving is off, as over HTTP without --ssh-key-dir. */
async function harness(
  handlers: Record<string, Handler>,
  keyDir: KeyDir = { create: false },
): Promise<Harness> {
  const sent: Harness['sent'] = [];
  const http = {
    async request(req: HttpRequest) {
      const query = req.method === 'GET' ? String(req.url).split('?')[1] : String(req.body);
      const params = Object.fromEntries(new URLSearchParams(query));
      const command = params['command']!;
      sent.push({ method: req.method, params });
      const handler = handlers[command];
      let status = 200;
      let body: unknown;
      if (!handler) {
        status = 432;
        body = {
          errorresponse: { errorcode: 432, errortext: `The given command:${command} does not exist` },
        };
      } else {
        const answer = handler(params) as { status?: number; body?: unknown };
        if (answer && typeof answer === 'object' && 'body' in answer) {
          status = answer.status ?? 200;
          body = answer.body;
        } else {
          body = { [`${command.toLowerCase()}response`]: answer };
        }
      }
      const text = JSON.stringify(body);
      return {
        status,
        ok: status < 400,
        headers: new Headers(),
        url: String(req.url),
        text,
        attempts: 1,
        json: () => JSON.parse(text),
      };
    },
  } as unknown as HttpClient;
  const logger = createLogger({ name: 'test', level: 'error', write: () => {} });
  const client = new CloudStackClient({
    apiUrl: 'http://cloud.test/client/api',
    auth: { kind: 'keys', apiKey: 'k', secretKey: 's' },
    http,
    cache: {} as AuthCache,
    logger,
  });
  const factory = createToolServer(cloudstackServer, {
    deps: { client, jobs: { timeoutMs: 2000, pollIntervalMs: 1 }, sshKeyDir: keyDir },
    logger,
    policy: { ...DEFAULT_POLICY, confirm: 'never' },
    render: DEFAULT_RENDER,
  });
  const { client: mcp, close } = await connectInProcess(factory, { clientName: 'unit' });
  closers.push(close);
  return {
    sent,
    async call(name, args = {}) {
      const result = await mcp.callTool({ name, arguments: args });
      const content = result.content as Array<{ text: string }>;
      return {
        text: content.map((c) => c.text).join('\n'),
        isError: Boolean(result.isError),
        data: result.isError ? (result._meta?.['cloudmcp/error'] as unknown) : result.structuredContent,
      };
    },
  };
}

const error = (command: string, code: number, text: string) => ({
  status: code,
  body: { [`${command.toLowerCase()}response`]: { uuidList: [], errorcode: code, errortext: text } },
});

const doneJob = (jobresult: unknown) => () => ({
  jobstatus: 1,
  jobresultcode: 0,
  jobresult,
  cmd: 'x.y.SomeCmd',
});

describe('storage tools', () => {
  it('volume_list resolves a VM name and renders the columns a person reads', async () => {
    const h = await harness({
      listVirtualMachines: () => ({
        count: 1,
        virtualmachine: [{ id: VM, name: 'web-1', state: 'Running' }],
      }),
      listVolumes: () => ({
        count: 1,
        volume: [
          {
            id: VOL,
            name: 'ROOT-7',
            type: 'ROOT',
            state: 'Ready',
            size: 53687091200,
            vmname: 'web-1',
            zonename: 'z1',
          },
        ],
      }),
    });
    const r = await h.call('volume_list', { vm: 'web-1' });
    expect(r.isError).toBe(false);
    expect(r.text).toMatch(/NAME\s+TYPE\s+STATE\s+SIZE_GB\s+VM\s+ZONE\s+ID/);
    expect(r.text).toMatch(/ROOT-7\s+ROOT\s+Ready\s+50\s+web-1\s+z1/);
    const list = h.sent.find((s) => s.params['command'] === 'listVolumes')!;
    expect(list.params).toMatchObject({ virtualmachineid: VM, listall: 'true', page: '1', pagesize: '100' });
  });

  it('volume_create waits for the job and returns the volume', async () => {
    const h = await harness({
      listZones: () => ({ count: 1, zone: [{ id: ZONE, name: 'z1' }] }),
      listDiskOfferings: () => ({ count: 1, diskoffering: [{ id: OFFERING, name: 'Custom' }] }),
      createVolume: () => ({ id: VOL, jobid: 'job-1' }),
      queryAsyncJobResult: doneJob({
        volume: { id: VOL, name: 'data', state: 'Allocated', size: 10737418240 },
      }),
    });
    const r = await h.call('volume_create', {
      name: 'data',
      zone: 'z1',
      disk_offering: 'Custom',
      size_gb: 10,
    });
    expect(r.isError).toBe(false);
    expect(r.text).toBe(`Done (job job-1): volume data (${VOL}) is Allocated, 10 GB, not attached.`);
    expect(r.data).toMatchObject({
      job_id: 'job-1',
      job_status: 'succeeded',
      resource_id: VOL,
      volume: { id: VOL },
    });
    const create = h.sent.find((s) => s.params['command'] === 'createVolume')!;
    expect(create.method).toBe('POST');
    expect(create.params).toMatchObject({ name: 'data', zoneid: ZONE, diskofferingid: OFFERING, size: '10' });
  });

  it('volume_delete of an attached volume says to detach first', async () => {
    const h = await harness({
      deleteVolume: () =>
        error('deleteVolume', 536, 'Please specify a volume that is not attached to any VM.'),
    });
    const r = await h.call('volume_delete', { volume: VOL });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('attached');
    expect(r.text).toContain('volume_detach');
    expect(r.text).toContain('536');
  });

  it('volume_delete succeeds on the sync answer', async () => {
    const h = await harness({ deleteVolume: () => ({ success: 'true' }) });
    const r = await h.call('volume_delete', { volume: VOL });
    expect(r).toMatchObject({ isError: false, data: { volume_id: VOL, deleted: true } });
  });

  it('a failed job becomes an error result with the job id', async () => {
    const h = await harness({
      attachVolume: () => ({ jobid: 'job-9' }),
      listVirtualMachines: () => ({ count: 1, virtualmachine: [{ id: VM, name: 'web-1' }] }),
      queryAsyncJobResult: () => ({
        jobstatus: 2,
        jobresultcode: 530,
        cmd: 'org.apache.cloudstack.api.command.user.volume.AttachVolumeCmd',
        jobresult: { errorcode: 431, errortext: 'Volume is in the wrong zone' },
      }),
    });
    const r = await h.call('volume_attach', { volume: VOL, vm: 'web-1' });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('job-9');
    expect(r.text).toContain('431 Volume is in the wrong zone');
    expect(r.data).toMatchObject({ job_id: 'job-9' });
  });
});

describe('snapshot_list', () => {
  it('filters by VM through its volumes (listSnapshots has no VM filter)', async () => {
    const h = await harness({
      listVirtualMachines: () => ({ count: 1, virtualmachine: [{ id: VM, name: 'web-1' }] }),
      listVolumes: () => ({
        count: 2,
        volume: [
          { id: 'v1', name: 'ROOT-1' },
          { id: 'v2', name: 'DATA-1' },
        ],
      }),
      listSnapshots: (p) => ({
        count: 1,
        snapshot: [{ id: `s-${p['volumeid']}`, name: `snap-${p['volumeid']}`, volumename: p['volumeid'] }],
      }),
    });
    const r = await h.call('snapshot_list', { vm: 'web-1', limit: 1 });
    expect(cells(r.data, 'id')).toEqual(['s-v1']);
    expect(r.data).toMatchObject({ total: 2 });
    const next = await h.call('snapshot_list', {
      vm: 'web-1',
      limit: 1,
      cursor: (r.data as { next_cursor: string }).next_cursor,
    });
    expect(cells(next.data, 'id')).toEqual(['s-v2']);
    expect(next.data).toMatchObject({ total: 2 });
    expect(
      h.sent.some((s) => s.params['command'] === 'listSnapshots' && 'virtualmachineid' in s.params),
    ).toBe(false);
  });
});

describe('job tools', () => {
  it('job_status reports a failed job as a normal result', async () => {
    const h = await harness({
      queryAsyncJobResult: () => ({
        jobstatus: 2,
        jobresultcode: 530,
        cmd: 'org.apache.cloudstack.api.command.user.vm.DestroyVMCmd',
        jobresult: { errorcode: 530, errortext: 'Parameter expunge can be passed by Admin only' },
      }),
    });
    const r = await h.call('job_status', { job_id: 'j1' });
    expect(r.isError).toBe(false);
    expect(r.data).toEqual({
      job_id: 'j1',
      job_status: 'failed',
      command: 'DestroyVMCmd',
      error: { code: 530, text: 'Parameter expunge can be passed by Admin only' },
    });
  });

  it('job_status waits for a pending job when asked', async () => {
    let polls = 0;
    const h = await harness({
      queryAsyncJobResult: () =>
        ++polls < 3
          ? { jobstatus: 0, cmd: 'a.CreateVolumeCmd', jobinstancetype: 'Volume', jobinstanceid: VOL }
          : { jobstatus: 1, cmd: 'a.CreateVolumeCmd', jobresult: { volume: { id: VOL } } },
    });
    const pending = await h.call('job_status', { job_id: 'j2' });
    expect(pending.data).toMatchObject({ job_status: 'pending', resource_type: 'Volume', resource_id: VOL });
    const done = await h.call('job_status', { job_id: 'j2', wait: true });
    expect(done.data).toMatchObject({
      job_status: 'succeeded',
      command: 'CreateVolumeCmd',
      result: { volume: { id: VOL } },
    });
  });

  it('job_status of an unknown job points at job_list', async () => {
    const h = await harness({
      queryAsyncJobResult: () => error('queryAsyncJobResult', 431, 'Unable to find a job by id j3'),
    });
    const r = await h.call('job_status', { job_id: 'j3' });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('job_list');
  });
});

describe('ssh tools', () => {
  const created = () => ({ keypair: { name: 'k1', fingerprint: 'aa:bb', privatekey: PEM } });

  const keyDir = async (): Promise<KeyDir> => ({
    path: await mkdtemp(join(tmpdir(), 'cs-ssh-')),
    create: false,
  });

  it('ssh_key_create writes the private key 0600 in the key directory and never returns it', async () => {
    const dir = await keyDir();
    const h = await harness({ createSSHKeyPair: created }, dir);
    const r = await h.call('ssh_key_create', { name: 'k1', private_key_file: 'k1.pem' });
    expect(r.isError).toBe(false);
    const file = join(dir.path!, 'k1.pem');
    expect(r.data).toEqual({ name: 'k1', fingerprint: 'aa:bb', private_key_file: file });
    expect(JSON.stringify(r)).not.toContain('MIIE');
    expect(await readFile(file, 'utf8')).toBe(`${PEM}\n`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('ssh_key_create refuses an existing file before creating anything, naming no path', async () => {
    const dir = await keyDir();
    await writeFile(join(dir.path!, 'id'), 'keep me');
    const h = await harness({ createSSHKeyPair: created }, dir);
    const r = await h.call('ssh_key_create', { name: 'k1', private_key_file: 'id' });
    expect(r.isError).toBe(true);
    expect(r.text).toBe(
      'Error: Invalid input `private_key_file`: a file of that name exists in the SSH key directory; nothing was created\n' +
        'Next: pass another file name',
    );
    expect(await readFile(join(dir.path!, 'id'), 'utf8')).toBe('keep me');
    expect(h.sent).toHaveLength(0);
  });

  it('ssh_key_create refuses a path before asking CloudStack', async () => {
    const dir = await keyDir();
    const h = await harness({ createSSHKeyPair: created }, dir);
    const r = await h.call('ssh_key_create', { name: 'k1', private_key_file: join(dir.path!, 'id_rsa') });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('must be a file name, not a path');
    expect(h.sent).toHaveLength(0);
    expect(await readdir(dir.path!)).toEqual([]);
  });

  it('ssh_key_create with saving off (HTTP without --ssh-key-dir) asks CloudStack nothing', async () => {
    const h = await harness({ createSSHKeyPair: created });
    const r = await h.call('ssh_key_create', { name: 'k1', private_key_file: 'k1' });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('Saving private keys is off');
    expect(r.text).toContain('ssh_key_register');
    expect(h.sent).toHaveLength(0);
  });

  it('ssh_key_create deletes the pair again and removes the file when no private key comes back', async () => {
    const dir = await keyDir();
    const h = await harness(
      {
        createSSHKeyPair: () => ({ keypair: { name: 'k1', fingerprint: 'aa:bb' } }),
        deleteSSHKeyPair: () => ({ success: true }),
      },
      dir,
    );
    const r = await h.call('ssh_key_create', { name: 'k1', private_key_file: 'k1' });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('CloudStack returned no private key; the new pair was deleted again');
    expect(h.sent.map((s) => s.params['command'])).toEqual(['createSSHKeyPair', 'deleteSSHKeyPair']);
    expect(await readdir(dir.path!)).toEqual([]);
  });

  it('ssh_key_create removes the reserved file when CloudStack refuses the pair', async () => {
    const dir = await keyDir();
    const h = await harness(
      { createSSHKeyPair: () => error('createSSHKeyPair', 431, 'A key pair with name k1 already exists') },
      dir,
    );
    const r = await h.call('ssh_key_create', { name: 'k1', private_key_file: 'k1' });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('A key pair with name k1 already exists');
    expect(await readdir(dir.path!)).toEqual([]);
  });

  it('ssh_key_register refuses a private key', async () => {
    const h = await harness({});
    const r = await h.call('ssh_key_register', { name: 'k', public_key: PEM });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('public_key');
    expect(r.text).not.toContain('MIIE');
    expect(h.sent).toHaveLength(0);
  });
});

describe('network tools', () => {
  it('public_ip_release takes an address and releases its id', async () => {
    const h = await harness({
      listPublicIpAddresses: () => ({
        count: 1,
        publicipaddress: [{ id: 'ip-1', ipaddress: '203.0.113.7' }],
      }),
      disassociateIpAddress: () => ({ jobid: 'job-5' }),
      queryAsyncJobResult: doneJob({ success: true }),
    });
    const r = await h.call('public_ip_release', { ip: '203.0.113.7' });
    expect(r.isError).toBe(false);
    expect(r.data).toMatchObject({ job_status: 'succeeded', resource_id: 'ip-1' });
    expect(h.sent.find((s) => s.params['command'] === 'disassociateIpAddress')!.params['id']).toBe('ip-1');
  });

  it('public_ip_acquire needs a network or a zone', async () => {
    const h = await harness({});
    const r = await h.call('public_ip_acquire', {});
    expect(r.isError).toBe(true);
    expect(r.text).toContain('`network`');
  });
});

describe('api tools', () => {
  const listApis = () => ({
    count: 3,
    api: [
      {
        name: 'listVolumes',
        isasync: false,
        description: 'Lists volumes',
        params: [
          { name: 'id', required: false, type: 'uuid' },
          { name: 'tags', required: false, type: 'map' },
        ],
      },
      {
        name: 'deleteNetwork',
        isasync: true,
        description: 'Deletes a network',
        params: [{ name: 'id', required: true, type: 'uuid' }],
      },
      {
        name: 'getDiagnosticsData',
        isasync: true,
        params: [{ name: 'targetid', required: true, type: 'uuid' }],
      },
    ],
  });

  it('api_list filters by name and shows required parameters', async () => {
    const h = await harness({ listApis });
    const r = await h.call('api_list', { name: 'NETWORK' });
    expect(r.text).toMatch(/deleteNetwork\s+true\s+id/);
    expect(r.text).not.toContain('listVolumes');
    await h.call('api_list', {});
    expect(h.sent.filter((s) => s.params['command'] === 'listApis')).toHaveLength(1);
  });

  it('api_query runs read commands, fixing the case of names', async () => {
    const h = await harness({ listApis, listVolumes: () => ({ count: 0 }) });
    const r = await h.call('api_query', { command: 'listvolumes', params: { ID: VOL, 'tags[0].key': 'a' } });
    expect(r).toMatchObject({ isError: false, data: { count: 0 } });
    const sent = h.sent.find((s) => s.params['command'] === 'listVolumes')!;
    expect(sent.method).toBe('GET');
    expect(sent.params).toMatchObject({ id: VOL, 'tags[0].key': 'a' });
  });

  it('api_query refuses commands that change something, naming the field', async () => {
    const h = await harness({ listApis });
    const r = await h.call('api_query', { command: 'deleteNetwork', params: { id: 'n' } });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('`command`');
    expect(r.text).toContain('api_call');
    expect(h.sent).toHaveLength(0);
  });

  it('api_query refuses an async get* (it starts a job on the cloud), sending nothing but the catalog read', async () => {
    const h = await harness({ listApis });
    const r = await h.call('api_query', { command: 'getDiagnosticsData', params: { targetid: VOL } });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('getDiagnosticsData runs as an async job on the cloud, so it is not a read');
    expect(r.text).toContain('api_call');
    expect(h.sent.map((s) => s.params['command'])).toEqual(['listApis']);
  });

  it('api_query refuses parameters the client sets and unknown ones', async () => {
    const h = await harness({ listApis });
    const reserved = await h.call('api_query', { command: 'listVolumes', params: { apiKey: 'x' } });
    expect(reserved.isError).toBe(true);
    expect(reserved.text).toContain('`params`');
    const unknown = await h.call('api_query', { command: 'listVolumes', params: { vmid: 'x' } });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toContain('vmid');
  });

  it('api_call points at api_list for an unknown command and runs async ones as jobs', async () => {
    const h = await harness({
      listApis,
      deleteNetwork: () => ({ jobid: 'job-7' }),
      queryAsyncJobResult: doneJob({ success: true }),
    });
    const unknown = await h.call('api_call', { command: 'fooBar' });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toContain('api_list');
    const missing = await h.call('api_call', { command: 'deleteNetwork' });
    expect(missing.isError).toBe(true);
    expect(missing.text).toContain('needs id');
    const r = await h.call('api_call', { command: 'deleteNetwork', params: { id: 'n1' } });
    expect(r).toMatchObject({ isError: false, data: { job_id: 'job-7', job_status: 'succeeded' } });
    expect(h.sent.find((s) => s.params['command'] === 'deleteNetwork')!.method).toBe('POST');
  });

  it('api_call is destructive and confirms naming the command', async () => {
    const tool = cloudstackServer.tools.find((t) => t.name === 'api_call')!;
    expect(tool.annotations).toEqual({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
      openWorldHint: true,
    });
    expect(
      tool.confirmMessage!({ command: 'deleteNetwork', params: { id: 'n1', password: 'p' }, wait: true }),
    ).toBe('Run CloudStack API command deleteNetwork with id=n1, password=[REDACTED]');
  });
});

describe('error mapping', () => {
  it('a CloudStack error from any tool is an error result with its code and a next step', async () => {
    const h = await harness({
      listZones: () => error('listZones', 401, 'unable to verify user credentials'),
    });
    const r = await h.call('zone_list', {});
    expect(r.isError).toBe(true);
    expect(r.text).toContain('401 unable to verify user credentials');
    expect(r.text).toContain('Next:');
    expect(r.text).not.toContain('bug');
  });
});
