// Each server against its simulator, as `pnpm demo` and the pack check start them: the simulator (from the
// workspace's build), the environment and arguments the server needs to talk to it, and how to stop both.
// Every start gets its own 0700 temporary directory (caches, kubeconfigs, the OCI config and key).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCloudekaSim } from 'cloudeka-sim';
import { startCloudStackSim } from 'cloudstack-sim';
import { startKubeSim } from 'kube-sim';
import { startOciSim } from 'oci-sim';
import { startOcmSim } from 'ocm-sim';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** kubectl and helm from scripts/fetch-kubectl.sh, for the servers' CLI tools. */
const CLI_DIRS = join(root, '.bin-cache');

function scratch() {
  return mkdtempSync(join(tmpdir(), 'cloudmcp-sim-'));
}

/** Stops the simulators and removes the directory, whatever happened. */
function closer(dir, ...sims) {
  return async () => {
    try {
      await Promise.all(sims.map((sim) => sim.close()));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

export const simulated = {
  /** cloudstack-sim with its admin's keys. */
  async cloudstack({ jobSteps } = {}) {
    const sim = await startCloudStackSim(jobSteps ? { jobSteps } : {});
    const dir = scratch();
    const { admin } = sim.credentials;
    const env = {
      CLOUDSTACK_API_URL: sim.url,
      CLOUDSTACK_API_KEY: admin.apiKey,
      CLOUDSTACK_SECRET_KEY: admin.secretKey,
      CLOUDSTACK_JOB_POLL_MS: '150',
      XDG_CACHE_HOME: dir,
    };
    return { sim, dir, env, args: [], close: closer(dir, sim) };
  },

  /** cloudeka-sim as production and as staging, with the owner's token and a default project. */
  async cloudeka() {
    const production = await startCloudekaSim({ environment: 'production' });
    const staging = await startCloudekaSim({ environment: 'staging' });
    const dir = scratch();
    const env = {
      CLDKCTL_TOKEN: production.tokens.owner,
      CLDKCTL_BASE_URL: production.url,
      CLDKCTL_STAGING_URL: staging.url,
      CLDKCTL_DEFAULT_PROJECT_ID: production.ids.projectIds[0],
      XDG_CACHE_HOME: dir,
    };
    return { sim: production, staging, dir, env, args: [], close: closer(dir, production, staging) };
  },

  /** kube-sim's clusters in one kubeconfig. */
  async kubernetes({ clusters = 2 } = {}) {
    const sim = await startKubeSim({ clusters });
    const dir = scratch();
    const kubeconfig = join(dir, 'kubeconfig');
    sim.writeKubeconfig(kubeconfig);
    const env = { KUBECONFIG: kubeconfig, HOME: dir, CLOUDMCP_CLI_DIRS: CLI_DIRS };
    return { sim, dir, env, args: [], close: closer(dir, sim) };
  },

  /** oci-sim (signed OCI API, clusters on kube-sim) with an API-key config of its admin, in production. */
  async oke({ clusters = 2, workRequestStepMs = 300 } = {}) {
    const sim = await startOciSim({ clusters, workRequestStepMs });
    const dir = scratch();
    const { configFile } = sim.writeConfig(dir, { auth: 'api_key', user: 'admin' });
    const compartment = (name) => sim.compartments.find((c) => c.name === name).id;
    const env = {
      OCI_CONFIG_FILE: configFile,
      OCI_ENDPOINT: sim.url,
      OKE_COMPARTMENT_ID: compartment('production'),
      HOME: dir,
      CLOUDMCP_CLI_DIRS: CLI_DIRS,
    };
    const args = ['--work-request-poll-ms', '200'];
    return { sim, dir, env, args, compartment, close: closer(dir, sim) };
  },

  /** ocm-sim: a hub and its managed clusters, through the hub's kubeconfig. */
  async ocm({ managed = 3 } = {}) {
    const sim = await startOcmSim({ managed });
    const dir = scratch();
    const kubeconfig = join(dir, 'hub.yaml');
    sim.writeHubKubeconfig(kubeconfig);
    const env = { KUBECONFIG: kubeconfig, HOME: dir, CLOUDMCP_CLI_DIRS: CLI_DIRS };
    return { sim, dir, env, args: [], close: closer(dir, sim) };
  },
};
