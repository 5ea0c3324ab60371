// The servers under test: each built server's bin, the simulator it talks to, and the environment that
// points one at the other (as in the apps' test/harness.ts). The suite only speaks HTTP, so each server is
// started with `--http 127.0.0.1:0` and no token: loopback needs none, and the suite cannot send one.
// oci-sim runs as its CLI (it writes the OCI config the server reads); the others in-process.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCloudekaSim } from 'cloudeka-sim';
import { startCloudStackSim } from 'cloudstack-sim';
import { startKubeSim } from 'kube-sim';
import { startOcmSim } from 'ocm-sim';

const root = join(import.meta.dirname, '..');
const scratch = (prefix) => mkdtempSync(join(tmpdir(), `conformance-${prefix}-`));

/**
 * oci-sim as a person runs it: its built CLI on a free port, writing a ready-to-use OCI config into a
 * scratch directory. Resolves, once its banner is out, with the config file, the endpoint and a close().
 */
async function startOciSimCli() {
  const cli = join(root, 'test-fixtures', 'oci-sim', 'dist', 'cli.js');
  const child = spawn(process.execPath, [cli, '--port', '0', '--config-dir', scratch('oci-config')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk) => {
    err += chunk.toString();
  });
  const exported = (name) => new RegExp(`^export ${name}=(\\S+)$`, 'm').exec(out)?.[1];
  try {
    await new Promise((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        out += chunk.toString();
        if (exported('OCI_CONFIG_FILE') && exported('OCI_ENDPOINT')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`oci-sim exited ${code} before serving: ${err}`)));
      child.once('error', reject);
    });
  } catch (err) {
    await close();
    throw err;
  }
  return { configFile: exported('OCI_CONFIG_FILE'), url: exported('OCI_ENDPOINT'), close };
}

export const TARGETS = [
  {
    server: 'cloudstack',
    sim: 'cloudstack-sim',
    async start() {
      const sim = await startCloudStackSim({ jobSteps: 2 });
      const { admin } = sim.credentials;
      return {
        sim,
        env: {
          XDG_CACHE_HOME: scratch('cloudstack'),
          CLOUDSTACK_API_URL: sim.url,
          CLOUDSTACK_API_KEY: admin.apiKey,
          CLOUDSTACK_SECRET_KEY: admin.secretKey,
          CLOUDSTACK_JOB_POLL_MS: '20',
        },
      };
    },
  },
  {
    server: 'cloudeka',
    sim: 'cloudeka-sim',
    async start() {
      const sim = await startCloudekaSim();
      return {
        sim,
        env: {
          XDG_CACHE_HOME: scratch('cloudeka'),
          CLDKCTL_TOKEN: sim.tokens.owner,
          CLDKCTL_BASE_URL: sim.url,
          // Never the real staging host: the run stays offline.
          CLDKCTL_STAGING_URL: sim.url,
        },
      };
    },
  },
  {
    server: 'kubernetes',
    sim: 'kube-sim',
    async start() {
      const sim = await startKubeSim({ clusters: 1 });
      const kubeconfig = join(scratch('kubeconfig'), 'config');
      sim.writeKubeconfig(kubeconfig, { user: 'admin' });
      return { sim, env: { HOME: scratch('kubernetes-home'), KUBECONFIG: kubeconfig } };
    },
  },
  {
    server: 'oke',
    sim: 'oci-sim',
    async start() {
      const sim = await startOciSimCli();
      return {
        sim,
        env: {
          HOME: scratch('oke-home'),
          TMPDIR: scratch('oke-tmp'),
          OCI_CONFIG_FILE: sim.configFile,
          OCI_CLI_PROFILE: 'DEFAULT',
          OCI_ENDPOINT: sim.url,
        },
      };
    },
  },
  {
    server: 'ocm',
    sim: 'ocm-sim',
    async start() {
      const sim = await startOcmSim({ managed: 1 });
      const kubeconfig = join(scratch('ocm-kubeconfig'), 'hub.yaml');
      sim.writeHubKubeconfig(kubeconfig);
      return { sim, env: { HOME: scratch('ocm-home'), TMPDIR: scratch('ocm-tmp'), KUBECONFIG: kubeconfig } };
    },
  },
];

/**
 * Starts a target's simulator and its built server over HTTP; resolves with the MCP endpoint once the
 * server says "serving MCP on URL" on stderr, its stderr so far, whether it has exited on its own, and a
 * close() that stops both.
 */
export async function startTarget(target) {
  const { sim, env } = await target.start();
  const cli = join(root, 'apps', target.server, 'dist', 'cli.js');
  const child = spawn(process.execPath, [cli, '--http', '127.0.0.1:0'], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let stderr = '';
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await sim.close();
  };
  try {
    const url = await new Promise((resolve, reject) => {
      child.stderr.on('data', (chunk) => {
        stderr += chunk.toString();
        const match = /serving MCP on (http:\/\/[^\s"]+)/.exec(stderr);
        if (match) resolve(match[1]);
      });
      child.once('exit', (code) =>
        reject(new Error(`${target.server} exited ${code} before serving: ${stderr}`)),
      );
      child.once('error', reject);
    });
    const exitedEarly = () => child.exitCode !== null || child.signalCode !== null;
    return { url, stderr: () => stderr, exitedEarly, close };
  } catch (err) {
    await close();
    throw err;
  }
}
