import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCloudStackSim } from 'cloudstack-sim';
import { connect, heading, step } from './session.mjs';

/** List zones, deploy a VM with progress, show its status. */
export async function cloudstackScene() {
  heading('Apache CloudStack — cloudstack-mcp against cloudstack-sim');
  const sim = await startCloudStackSim({ jobSteps: 3 });
  const cache = mkdtempSync(join(tmpdir(), 'cloudmcp-demo-'));
  const { admin } = sim.credentials;
  const client = await connect('apps/cloudstack/dist/cli.js', {
    CLOUDSTACK_API_URL: sim.url,
    CLOUDSTACK_API_KEY: admin.apiKey,
    CLOUDSTACK_SECRET_KEY: admin.secretKey,
    CLOUDSTACK_JOB_POLL_MS: '150',
    XDG_CACHE_HOME: cache,
  });
  try {
    const zones = await step(client, 'zone_list', {});
    const zone = zones.items[0].name;
    const templates = await step(client, 'template_list', { zone, limit: 5 });
    const offerings = await step(client, 'service_offering_list', {});
    const deployed = await step(client, 'vm_deploy', {
      zone,
      template: templates.items[0].name,
      service_offering: offerings.items[0].name,
      name: 'demo-web-1',
    });
    await step(client, 'vm_status', { vm: deployed.vm.id });
    await step(client, 'vm_list', { zone, limit: 8 });
  } finally {
    await client.close();
    await sim.close();
    rmSync(cache, { recursive: true, force: true });
  }
}
