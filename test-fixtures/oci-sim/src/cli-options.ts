import { count, parseSimArgs, type CliCommand as SimCliCommand } from 'sim-kit';
import type { OciSim, OciSimOptions } from './types.js';

export const USAGE = `Usage: oci-sim [options]

A faithful OCI Container Engine (OKE) and Identity simulator: signed requests (API keys and security
tokens), clusters backed by kube-sim that accept OKE cluster tokens, node pools, work requests, compartments.

Options:
  --port N          TCP port of the OCI API (default 9000; 0 picks a free one)
  --host ADDR       interface to bind (default 127.0.0.1)
  --clusters N      OKE clusters, each a kube-sim cluster (default 2)
  --region R        region of the tenancy (default us-ashburn-1)
  --step-ms N       how long each work-request phase lasts (default 150)
  --page-limit N    page size of lists called without limit (default 100)
  --max-nodes N     node pool size beyond which a scale fails with LimitExceeded (default 10)
  --config-dir DIR  write an OCI config there: profiles DEFAULT (admin API key), READER (reader API key)
                    and SESSION (admin security token, one hour), key files mode 0600
  --help            show this help`;

export interface CliOptions extends OciSimOptions {
  configDir?: string;
}

export type CliCommand = SimCliCommand<CliOptions>;

export function parseCliArgs(argv: string[]): CliCommand {
  const args = parseSimArgs(argv, {
    defaultPort: 9000,
    options: {
      clusters: { type: 'string' },
      region: { type: 'string' },
      'step-ms': { type: 'string' },
      'page-limit': { type: 'string' },
      'max-nodes': { type: 'string' },
      'config-dir': { type: 'string' },
    },
    check: (v) => {
      if (v.seed !== undefined) throw new Error('oci-sim has one seed; --seed is not an option');
    },
  });
  if (args.help) return args;
  const v = args.values;
  const options: CliOptions = { port: args.port, host: args.host };
  const clusters = count('clusters', v.clusters as string | undefined);
  if (clusters !== undefined) options.clusters = clusters;
  if (v.region !== undefined) options.region = v.region as string;
  const step = count('step-ms', v['step-ms'] as string | undefined);
  if (step !== undefined) options.workRequestStepMs = step;
  const pageLimit = count('page-limit', v['page-limit'] as string | undefined);
  if (pageLimit !== undefined) options.pageLimitDefault = pageLimit;
  const maxNodes = count('max-nodes', v['max-nodes'] as string | undefined);
  if (maxNodes !== undefined) options.maxNodesPerPool = maxNodes;
  if (v['config-dir'] !== undefined) options.configDir = v['config-dir'] as string;
  return { help: false, options };
}

/** Writes the CLI's config profiles; returns the config file. */
export function writeCliConfig(sim: OciSim, dir: string): string {
  sim.writeConfig(dir, { auth: 'api_key', user: 'admin', profile: 'DEFAULT' });
  sim.writeConfig(dir, { auth: 'api_key', user: 'reader', profile: 'READER' });
  return sim.writeConfig(dir, { auth: 'security_token', user: 'admin', profile: 'SESSION' }).configFile;
}

/** What the CLI prints once listening: where it is, what it holds, and how to point a client at it. */
export function banner(sim: OciSim, configFile: string | undefined): string {
  const compartment = (id: string) => sim.compartments.find((c) => c.id === id)?.name ?? 'root';
  return [
    `OCI simulator listening on ${sim.url} (region ${sim.region})`,
    `  Container Engine: ${sim.url}/20180222   Identity: ${sim.url}/20160918`,
    '',
    `Tenancy ${sim.tenancyId}`,
    ...sim.compartments.map((c) => `  compartment ${c.name.padEnd(12)} ${c.id}`),
    '',
    'Users (API keys):',
    `  admin  ${sim.users.admin.userId}  ${sim.users.admin.fingerprint}`,
    `  reader ${sim.users.reader.userId}  ${sim.users.reader.fingerprint}  (read-only; Kubernetes view)`,
    '',
    'Clusters:',
    ...sim.clusters.map(
      (c) => `  ${c.name.padEnd(12)} ${c.id}  [${compartment(c.compartmentId)}]  kube-sim ${c.kube.url}`,
    ),
    '',
    `Test-only admin endpoints: ${sim.url}/__sim/{log,faults,advance}`,
    ...(configFile
      ? [
          '',
          `OCI config written to ${configFile} (profiles DEFAULT, READER, SESSION):`,
          `export OCI_CONFIG_FILE=${configFile}`,
          `export OCI_ENDPOINT=${sim.url}`,
        ]
      : ['', 'Pass --config-dir DIR to get a ready-to-use OCI config and keys.']),
  ].join('\n');
}
