// The three servers that bench/sdk-v2.mjs compares across builds: the simulator each one runs against, the
// server's environment, and a cheap read tool (one small upstream round trip) to time calls with.
import { join } from 'node:path';
import { startCloudekaSimProcess } from './cloudeka-sim.mjs';
import { startKubeSimProcess } from './kube-sim.mjs';
import { startSimProcess } from './sim.mjs';

const common = (home) => ({
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: home,
  XDG_CACHE_HOME: home,
  CLOUDMCP_LOG_LEVEL: 'warn',
});

/**
 * Each target: `app` (apps/<app>/dist/cli.js in a build), `tool` and `arguments` for the timed call, and
 * `start(dir)` that starts the simulator (files in `dir`) and resolves with { env(home), close() }.
 */
export const TARGETS = [
  {
    app: 'cloudstack',
    tool: 'zone_list',
    arguments: {},
    async start() {
      const sim = await startSimProcess({});
      const { apiKey, secretKey } = sim.credentials.admin;
      return {
        env: (home) => ({
          ...common(home),
          CLOUDSTACK_API_URL: sim.url,
          CLOUDSTACK_API_KEY: apiKey,
          CLOUDSTACK_SECRET_KEY: secretKey,
        }),
        close: sim.close,
      };
    },
  },
  {
    app: 'kubernetes',
    tool: 'namespace_list',
    arguments: {},
    async start(dir) {
      const sim = await startKubeSimProcess({ clusters: 1 }, join(dir, 'kubeconfig'));
      return { env: (home) => ({ ...common(home), KUBECONFIG: sim.kubeconfig }), close: sim.close };
    },
  },
  {
    app: 'cloudeka',
    tool: 'project_list',
    arguments: {},
    async start() {
      const sim = await startCloudekaSimProcess({ environment: 'production' });
      return {
        env: (home) => ({
          ...common(home),
          CLDKCTL_TOKEN: sim.tokens.owner,
          CLDKCTL_BASE_URL: sim.url,
          CLDKCTL_ENVIRONMENT: 'production',
          CLDKCTL_DEFAULT_PROJECT_ID: sim.ids.projectIds[0],
        }),
        close: sim.close,
      };
    },
  },
];
