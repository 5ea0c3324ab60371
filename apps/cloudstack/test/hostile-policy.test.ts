import type { CloudStackSim } from 'cloudstack-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, type Started, startServer, text, withSim } from './harness.js';

// Hostile input, issue 7 ("policy"): under --read-only a prompt-injected model tries to make the generic
// API tools change something — a write named as a read, a command smuggled in through a parameter name,
// the signing parameters overridden. Each is refused, and the simulator's log shows no command beyond the
// catalog lookup and the reads themselves: nothing registered, nothing deleted, the keys unchanged.

let sim: CloudStackSim;
let server: Started;

beforeAll(async () => {
  sim = await withSim();
  server = await startServer(sim, { args: ['--read-only'] });
});
afterAll(async () => {
  await server?.close();
  await sim?.close();
});

const WRITES = /^(?!list|get|query)/i;
const writesSent = () => sim.log.filter((e) => WRITES.test(e.command) && e.command !== 'login');

describe('hostile input (policy): --read-only reaches no CloudStack write through the API tools', () => {
  it('lists api_list and api_query, not api_call', async () => {
    const names = (await server.client.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['api_list', 'api_query']));
    expect(names).not.toContain('api_call');
    // A tool the server does not list is a protocol error (-32602), not a tool result.
    const called = server.client.callTool({
      name: 'api_call',
      arguments: { command: 'deleteSSHKeyPair', params: { name: 'x' } },
    });
    await expect(called).rejects.toThrow('Tool api_call not found');
    expect(writesSent()).toEqual([]);
  });

  it.each([
    ['registerUserKeys', { id: 'whatever' }],
    ['deleteSSHKeyPair', { name: 'x' }],
    ['getUploadParamsForTemplate', { name: 't', format: 'QCOW2', hypervisor: 'KVM', zoneid: 'z' }],
    ['GETUPLOADPARAMSFORVOLUME', { name: 'v', format: 'QCOW2', zoneid: 'z' }],
    ['deployVirtualMachine', { zoneid: 'z', templateid: 't', serviceofferingid: 's' }],
  ])('api_query refuses %s before sending anything', async (command, params) => {
    const before = sim.log.length;
    const result = await server.client.callTool({ name: 'api_query', arguments: { command, params } });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('`command`');
    expect(sim.log.slice(before)).toEqual([]);
  });

  it('a parameter name carrying another command or the signing fields changes nothing', async () => {
    const keys = { ...sim.credentials.admin };
    const pairs = async () =>
      rows(await server.client.callTool({ name: 'ssh_key_list', arguments: {} })).length;
    const pairsBefore = await pairs();
    const smuggled = [
      { 'name[0]&command=registerUserKeys&id=x': 'a' },
      { 'keyword[0]&command=deleteSSHKeyPair&name=x': 'a' },
      { 'name[0]\r\ncommand': 'registerUserKeys' },
    ];
    // Accepted (the base name is a listZones parameter) or refused: either way only listZones is sent.
    for (const params of smuggled) {
      const before = sim.log.length;
      await server.client.callTool({ name: 'api_query', arguments: { command: 'listZones', params } });
      const sent = sim.log.slice(before).map((e) => e.command);
      expect(sent.filter((c) => c !== 'listApis' && c !== 'listZones')).toEqual([]);
    }
    for (const name of [
      'command',
      'COMMAND',
      'apiKey',
      'Signature',
      'sessionkey',
      'response',
      'Response',
      'expires',
    ]) {
      const before = sim.log.length;
      const result = await server.client.callTool({
        name: 'api_query',
        arguments: { command: 'listZones', params: { [name]: 'registerUserKeys' } },
      });
      expect(result.isError).toBe(true);
      expect(text(result)).toContain('set by this server');
      expect(sim.log.slice(before)).toEqual([]);
    }
    expect(writesSent()).toEqual([]);
    expect(sim.credentials.admin).toEqual(keys);
    expect(await pairs()).toBe(pairsBefore);
    expect(sim.log.filter((e) => e.command === 'listZones').every((e) => e.auth === 'signature')).toBe(true);
  });
});
