import { parseArgs } from 'node:util';
import { count, type CliCommand as SimCliCommand } from 'sim-kit';
import type { OcmSim, OcmSimOptions } from './types.js';

export const USAGE = `Usage: ocm-sim [options]

An Open Cluster Management hub and its managed clusters, each a kube-sim cluster (HTTPS, bearer tokens,
RBAC), with the OCM agents running as controllers that act only through the Kubernetes API.

Options:
  --managed N             managed clusters cluster1..clusterN (default 3)
  --kubeconfig-out FILE   write the hub's kubeconfig (context hub, mode 0600)
  --user ROLE             whose token that kubeconfig carries: admin (default), view or edit
  --host ADDR             interface to bind (default 127.0.0.1)
  --help                  show this help`;

export interface CliOptions extends OcmSimOptions {
  kubeconfigOut?: string;
  user?: 'admin' | 'view' | 'edit';
}

export type CliCommand = SimCliCommand<CliOptions>;

const USERS = ['admin', 'view', 'edit'];

export function parseCliArgs(argv: string[]): CliCommand {
  const { values: v } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      managed: { type: 'string' },
      'kubeconfig-out': { type: 'string' },
      user: { type: 'string' },
      host: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (v.help) return { help: true };
  const options: CliOptions = {};
  const managed = count('managed', v.managed);
  if (managed !== undefined) options.managed = managed;
  if (v.host !== undefined) options.host = v.host;
  if (v['kubeconfig-out'] !== undefined) options.kubeconfigOut = v['kubeconfig-out'];
  if (v.user !== undefined) {
    if (!USERS.includes(v.user)) throw new Error(`--user must be admin, view or edit, got "${v.user}"`);
    options.user = v.user as CliOptions['user'];
  }
  return { help: false, options };
}

/** What the CLI prints once running: the clusters and where the hub's kubeconfig is (never a token). */
export function banner(sim: OcmSim, kubeconfigOut: string | undefined): string {
  return [
    `OCM hub listening on ${sim.hub.url}`,
    ...sim.managed.map((m) => `  managed cluster ${m.name.padEnd(12)} ${m.cluster.url}`),
    '',
    kubeconfigOut
      ? `Hub kubeconfig: ${kubeconfigOut}   (KUBECONFIG=${kubeconfigOut} kubectl get managedclusters)`
      : 'No kubeconfig written: pass --kubeconfig-out FILE to get one.',
  ].join('\n');
}
