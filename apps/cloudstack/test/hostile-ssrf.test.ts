import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CloudStackSim } from 'cloudstack-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Started, startServer, withSim } from './harness.js';

// Hostile input, issue 7 ("SSRF"): URLs a model puts into tool arguments — API parameters CloudStack itself
// would fetch (template and ISO URLs), keys, keywords, names — are handed to the configured API endpoint as
// data and never fetched by the server: a listener on loopback sees no connection at all.

let sim: CloudStackSim;
let server: Started;
let listener: Server;
let target: string;
const connections: string[] = [];

beforeAll(async () => {
  listener = createServer((req, res) => {
    connections.push(`${req.method} ${req.url}`);
    res.end('{}');
  });
  listener.on('connection', () => connections.push('connection'));
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  target = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  sim = await withSim();
  server = await startServer(sim, { args: ['--confirm', 'never'] });
});
afterAll(async () => {
  await server?.close();
  await sim?.close();
  await new Promise((resolve) => listener?.close(resolve));
});

describe('hostile input (SSRF): the server fetches no URL a model names', () => {
  it('URLs in any argument reach CloudStack as values and nothing else', async () => {
    const url = `${target}/latest/meta-data/`;
    const calls: Array<[string, Record<string, unknown>]> = [
      ['api_query', { command: 'listTemplates', params: { templatefilter: 'all', keyword: url } }],
      ['api_query', { command: 'listZones', params: { name: url, id: url } }],
      ['api_call', { command: 'registerSSHKeyPair', params: { name: 'from-url', publickey: url } }],
      ['ssh_key_register', { name: 'from-url-2', public_key: url }],
      ['template_list', { keyword: url }],
      ['vm_deploy', { zone: url, template: url, service_offering: url, name: 'from-url' }],
    ];
    for (const [name, args] of calls) {
      const before = sim.log.length;
      await server.client.callTool({ name, arguments: args });
      // Whatever was sent went to the simulator, carrying the URL as a value.
      for (const entry of sim.log.slice(before)) expect(entry.command).toMatch(/^[a-zA-Z]+$/);
    }
    expect(sim.log.some((e) => Object.values(e.params).includes(url))).toBe(true);
    expect(connections).toEqual([]);
  });
});
