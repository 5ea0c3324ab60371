import type { CloudStackSim } from 'cloudstack-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandsSent, rows, type Started, startServer, structured, text, withSim } from './harness.js';

// vm_deploy without `zone`: the only zone of a one-zone cloud; in a cloud of several, an error that names
// them and sends nothing. The seed took the first zone CloudStack listed.

const sims: CloudStackSim[] = [];
const servers: Started[] = [];
afterAll(async () => {
  for (const server of servers) await server.close();
  for (const sim of sims) await sim.close();
});

async function start(zones: number, env: (sim: CloudStackSim) => Record<string, string> = () => ({})) {
  const sim = await withSim({ zones });
  sims.push(sim);
  const server = await startServer(sim, { args: ['--confirm', 'never'], env: env(sim) });
  servers.push(server);
  return { sim, server };
}

describe('vm_deploy without a zone', () => {
  let three: { sim: CloudStackSim; server: Started };
  let one: { sim: CloudStackSim; server: Started };
  beforeAll(async () => {
    [three, one] = await Promise.all([start(3), start(1)]);
  });

  it('in a cloud of three zones names each with its id and says to pass `zone`, sending nothing', async () => {
    const zones = rows(await three.server.client.callTool({ name: 'zone_list', arguments: {} }));
    expect(zones.map((z) => z.name)).toEqual(['AMS1', 'FRA1', 'SIN1']);
    const result = await three.server.client.callTool({
      name: 'vm_deploy',
      arguments: { template: 'Debian 12', service_offering: 'Tiny', name: 'nowhere-1' },
    });
    expect(result.isError).toBe(true);
    const listed = zones.map((z) => `${z.name} (${z.id})`).join(', ');
    expect(text(result)).toContain(`No \`zone\` given, and there are 3 zones: ${listed}.`);
    expect(text(result)).toContain('Pass `zone` with one of them, by name or id (`zone_list` lists them).');
    expect(commandsSent(three.sim, 'deployVirtualMachine')).toBe(0);
  });

  it('in a cloud of one zone deploys there', async () => {
    const result = await one.server.client.callTool({
      name: 'vm_deploy',
      arguments: { template: 'Debian 12', service_offering: 'Tiny', name: 'only-zone-1' },
    });
    expect(result.isError, text(result)).toBeFalsy();
    const vm = structured<{ vm: { name: string; zonename: string; state: string } }>(result).vm;
    expect(vm).toMatchObject({ name: 'only-zone-1', zonename: 'AMS1', state: 'Running' });
    const [zone] = rows(await one.server.client.callTool({ name: 'zone_list', arguments: {} }));
    const deploys = one.sim.log.filter((e) => e.command === 'deployVirtualMachine');
    expect(deploys.map((e) => e.params['zoneid'])).toEqual([zone!.id]);
  });

  it('with a zone given resolves it as before, in any cloud', async () => {
    const result = await three.server.client.callTool({
      name: 'vm_deploy',
      arguments: { zone: 'fra1', template: 'Debian 12', service_offering: 'Tiny', name: 'fra-1' },
    });
    expect(result.isError, text(result)).toBeFalsy();
    expect(structured<{ vm: { zonename: string } }>(result).vm.zonename).toBe('FRA1');
  });
});

describe('the wire format', () => {
  it('every request the server sends asks for JSON (CloudStack answers XML otherwise), keys and sessions alike', async () => {
    const session = await start(3, (sim) => ({
      CLOUDSTACK_API_KEY: '',
      CLOUDSTACK_SECRET_KEY: '',
      CLOUDSTACK_USERNAME: sim.credentials.user.username,
      CLOUDSTACK_PASSWORD: sim.credentials.user.password,
    }));
    for (const name of ['zone_list', 'template_list', 'vm_list', 'network_list', 'api_list']) {
      const result = await session.server.client.callTool({ name, arguments: {} });
      expect(result.isError, text(result)).toBeFalsy();
    }
    expect(commandsSent(session.sim, 'login')).toBe(1);
    for (const sim of sims) {
      expect(sim.log.length).toBeGreaterThan(0);
      const notJson = sim.log.filter((e) => e.params['response'] !== 'json');
      expect(notJson.map((e) => e.command)).toEqual([]);
    }
  });
});
