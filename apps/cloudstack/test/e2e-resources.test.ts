import type { CloudStackSim } from 'cloudstack-sim';
import { afterAll, beforeAll, it } from 'vitest';
import { type Started, startServer, text, withSim } from './harness.js';

let sim: CloudStackSim;
let server: Started;
beforeAll(async () => {
  sim = await withSim();
  server = await startServer(sim, { args: ['--confirm', 'never'] });
});
afterAll(async () => {
  await server?.close();
  await sim?.close();
});
const call = (name: string, args: Record<string, unknown> = {}) =>
  server.client.callTool({ name, arguments: args });
const show = async (name: string, args: Record<string, unknown> = {}) => {
  const r = await call(name, args);
  console.log(
    `=== ${name} ${JSON.stringify(args)} isError=${r.isError}\n${text(r)}\n--- structured: ${String(JSON.stringify(r.structuredContent)).slice(0, 600)}`,
  );
  return r;
};
it('explore', async () => {
  const { generateKeyPairSync } = await import('node:crypto');
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const str = (b: Buffer) => {
    const l = Buffer.alloc(4);
    l.writeUInt32BE(b.length);
    return Buffer.concat([l, b]);
  };
  const { publicKey } = generateKeyPairSync('ed25519');
  const x = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const line = `ssh-ed25519 ${Buffer.concat([str(Buffer.from('ssh-ed25519')), str(x)]).toString('base64')} e2e@test`;
  await show('ssh_key_register', { name: 'e2e-ed', public_key: line });
  await show('ssh_key_register', { name: 'e2e-bad', public_key: 'ssh-rsa AAAAnotakey e2e' });
  const dir = mkdtempSync(join(tmpdir(), 'k-'));
  await show('ssh_key_create', { name: 'e2e-made', private_key_file: join(dir, 'sub', 'id') });
  await show('ssh_key_delete', { name: 'e2e-made' });
  await show('ssh_key_delete', { name: 'nope' });
  sim.setJobSteps(Number.POSITIVE_INFINITY);
  const d = await show('vm_deploy', {
    zone: 'AMS1',
    template: 'Debian 12',
    service_offering: 'Tiny',
    name: 'e2e-async',
    wait: false,
  });
  const jid = (d.structuredContent as any).job_id;
  await show('job_list', {});
  await show('job_status', { job_id: jid });
  sim.releaseJobs();
  sim.setJobSteps(2);
  await show('job_status', { job_id: jid });
  await show('job_status', { job_id: '00000000-0000-0000-0000-000000000000' });
  await show('public_ip_release', { ip: '203.0.113.13' });
  await show('public_ip_release', { ip: '203.0.113.10' });
  await show('api_call', {
    command: 'stopVirtualMachine',
    params: { id: '30b97eb1-2d4c-4ec7-92fd-5b06e3da4105' },
  });
  await show('api_query', { command: 'deployVirtualMachine', params: {} });
  const u = sim.credentials.user;
  const alice = await startServer(sim, {
    args: ['--confirm', 'never'],
    env: { CLOUDSTACK_API_KEY: u.apiKey, CLOUDSTACK_SECRET_KEY: u.secretKey },
  });
  const ashow = async (name: string, args: Record<string, unknown> = {}) => {
    const r = await alice.client.callTool({ name, arguments: args });
    console.log(
      `=== ALICE ${name} ${JSON.stringify(args)} isError=${r.isError}\n${text(r)}\n--- structured: ${String(JSON.stringify(r.structuredContent)).slice(0, 600)}`,
    );
    return r;
  };
  await ashow('vm_list');
  await ashow('vm_destroy', { vm: 'alice-test', expunge: true });
  await ashow('job_list');
  await ashow('api_query', { command: 'listHosts', params: {} });
  await alice.close();
  const ro = await startServer(sim, { args: ['--read-only'] });
  console.log((await ro.client.listTools()).tools.map((t) => t.name).join(' '));
  const r = await ro.client.callTool({ name: 'api_query', arguments: { command: 'deployVirtualMachine' } });
  console.log(text(r));
  await ro.close();
  console.log(
    sim.log
      .slice(-12)
      .map((e) => `${e.command} ${JSON.stringify(e.params)} ${e.status}`)
      .join('\n'),
  );
});
