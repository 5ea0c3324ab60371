import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCloudekaSim } from 'cloudeka-sim';
import { connect, heading, step } from './session.mjs';

/** Exchange the cldkctl token, look around a project, turn a VM off, and fall back to staging. */
export async function cloudekaScene() {
  heading('Cloudeka — cloudeka-mcp against cloudeka-sim (production and staging)');
  const production = await startCloudekaSim({ environment: 'production' });
  const staging = await startCloudekaSim({ environment: 'staging' });
  const cache = mkdtempSync(join(tmpdir(), 'cloudmcp-demo-'));
  const project = production.ids.projectIds[0];
  const env = {
    CLDKCTL_TOKEN: production.tokens.owner,
    CLDKCTL_BASE_URL: production.url,
    CLDKCTL_STAGING_URL: staging.url,
    CLDKCTL_DEFAULT_PROJECT_ID: project,
    XDG_CACHE_HOME: cache,
  };
  const client = await connect('apps/cloudeka/dist/cli.js', env);
  try {
    await step(client, 'auth', {});
    await step(client, 'project_list', {});
    const vms = await step(client, 'vm_list', {});
    const running = vms.items.find((vm) =>
      String(vm.status ?? vm.state)
        .toLowerCase()
        .includes('run'),
    );
    await step(client, 'vm_turn_off', { vm_id: running.id ?? running.vm_id });
    await step(client, 'kubernetes_list', { kind: 'pod', namespace: 'default' });
  } finally {
    await client.close();
  }
  // The seed's fallback: production's token table is missing, so `auto` moves to staging and says so.
  production.setAuthDbError(true);
  const fallback = await connect('apps/cloudeka/dist/cli.js', {
    ...env,
    XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'cloudmcp-demo-')),
  });
  try {
    await step(fallback, 'project_list', {});
    await step(fallback, 'status', {});
  } finally {
    await fallback.close();
    await production.close();
    await staging.close();
    rmSync(cache, { recursive: true, force: true });
  }
}
