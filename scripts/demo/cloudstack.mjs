import { simulated } from '../sims.mjs';
import { connect, rowsOf, step } from './session.mjs';

export const title = 'Apache CloudStack — cloudstack-mcp against cloudstack-sim';

/** List zones, deploy a VM with progress, show its status. */
export async function cloudstackScene() {
  const { env, args, close } = await simulated.cloudstack({ jobSteps: 3 });
  const client = await connect('apps/cloudstack/dist/cli.js', env, args);
  try {
    const zones = await step(client, 'zone_list', {});
    const zone = rowsOf(zones)[0].name;
    const templates = await step(client, 'template_list', { zone, limit: 5 });
    const offerings = await step(client, 'service_offering_list', {});
    const deployed = await step(client, 'vm_deploy', {
      zone,
      template: rowsOf(templates)[0].name,
      service_offering: rowsOf(offerings)[0].name,
      name: 'demo-web-1',
    });
    await step(client, 'vm_status', { vm: deployed.vm.id });
    await step(client, 'vm_list', { zone, limit: 8 });
  } finally {
    await client.close();
    await close();
  }
}
