import { count, parseSimArgs, type CliCommand as SimCliCommand } from 'sim-kit';
import type { CloudStackSim, SimOptions } from './types.js';

export const USAGE = `Usage: cloudstack-sim [options]

A faithful Apache CloudStack API simulator (signed requests, sessions, async jobs, real error bodies).

Options:
  --port N          TCP port (default 8080; 0 picks a free one)
  --host ADDR       interface to bind (default 127.0.0.1)
  --seed KIND       realistic (default) or empty
  --zones N         how many of the zones AMS1, FRA1, SIN1 exist (default 3)
  --vms N           extra generated VMs vm-0001.. owned by admin (default 0)
  --job-steps N     queryAsyncJobResult polls answered "pending" before a job finishes (default 2)
  --help            show this help`;

export type CliCommand = SimCliCommand<SimOptions>;

export function parseCliArgs(argv: string[]): CliCommand {
  const args = parseSimArgs(argv, {
    defaultPort: 8080,
    options: { vms: { type: 'string' }, zones: { type: 'string' }, 'job-steps': { type: 'string' } },
  });
  if (args.help) return args;
  const options: SimOptions = { port: args.port, host: args.host };
  if (args.seed !== undefined) options.seed = args.seed;
  const vms = count('vms', args.values.vms as string | undefined);
  if (vms !== undefined) options.vms = vms;
  const zones = count('zones', args.values.zones as string | undefined);
  if (zones !== undefined) options.zones = zones;
  const steps = count('job-steps', args.values['job-steps'] as string | undefined);
  if (steps !== undefined) options.jobSteps = steps;
  return { help: false, options };
}

/** What the CLI prints once listening: where it is, who can log in, and shell lines to point a client at it. */
export function banner(sim: CloudStackSim): string {
  const { admin, user, keyless } = sim.credentials;
  const base = sim.url.replace(/\/client\/api$/, '');
  return [
    `CloudStack simulator listening on ${sim.url}`,
    '',
    'Credentials (domain /):',
    `  admin   ${admin.username} / ${admin.password}`,
    `          apiKey    ${admin.apiKey}`,
    `          secretKey ${admin.secretKey}`,
    `  user    ${user.username} / ${user.password}`,
    `          apiKey    ${user.apiKey}`,
    `          secretKey ${user.secretKey}`,
    `  keyless ${keyless.username} / ${keyless.password} (no API keys: log in, then registerUserKeys)`,
    '',
    `Test-only admin endpoints: ${base}/__sim/{log,faults,config,release-jobs,credentials}`,
    '',
    '# admin:',
    `export CLOUDSTACK_API_URL=${sim.url}`,
    `export CLOUDSTACK_API_KEY=${admin.apiKey}`,
    `export CLOUDSTACK_SECRET_KEY=${admin.secretKey}`,
    '# or as alice (normal user):',
    `export CLOUDSTACK_API_URL=${sim.url}`,
    `export CLOUDSTACK_API_KEY=${user.apiKey}`,
    `export CLOUDSTACK_SECRET_KEY=${user.secretKey}`,
  ].join('\n');
}
