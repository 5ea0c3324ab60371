import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulated } from '../sims.mjs';
import { connect, rowsOf, staged, step } from './session.mjs';

export const title = 'Cloudeka — cloudeka-mcp against cloudeka-sim (production and staging)';

/** Exchange the cldkctl token, look around a project, turn a VM off, and fall back to staging. */
export async function cloudekaScene() {
  const { sim: production, env, args, close } = await simulated.cloudeka();
  const client = await connect('apps/cloudeka/dist/cli.js', env, args);
  try {
    await step(client, 'auth', {});
    await step(client, 'project_list', {});
    const vms = await step(client, 'vm_list', {});
    const running = rowsOf(vms).find((vm) =>
      String(vm.status ?? vm.state)
        .toLowerCase()
        .includes('run'),
    );
    await step(client, 'vm_turn_off', { vm_id: running.id ?? running.vm_id });
    await step(client, 'kubernetes_list', { kind: 'pod', namespace: 'default' });
  } finally {
    await client.close();
  }
  staged(
    "A simulated fault, on purpose: production's token exchange now answers the Postgres error the real " +
      'Cloudeka answers when its token table is missing (pq: relation "cldkctl_tokens" does not exist). ' +
      'The server starts again with an empty cache; `auto` falls back to staging and says so.',
  );
  production.setAuthDbError(true);
  const cache = mkdtempSync(join(tmpdir(), 'cloudmcp-demo-'));
  const fallback = await connect(
    'apps/cloudeka/dist/cli.js',
    { ...env, XDG_CACHE_HOME: cache },
    args,
    'server restarted, production failing',
  );
  try {
    await step(fallback, 'project_list', {});
    await step(fallback, 'status', {});
    staged(
      'The Postgres error above is the simulated fault, answered by production on purpose: nothing is broken.',
    );
  } finally {
    await fallback.close();
    await close();
    rmSync(cache, { recursive: true, force: true });
  }
}
