import { parseArgs } from 'node:util';
import type { CloudStackSim, SimOptions } from './types.js';

export const USAGE = `Usage: cloudstack-sim [options]

A faithful Apache CloudStack API simulator (signed requests, sessions, async jobs, real error bodies).

Options:
  --port N          TCP port (default 8080; 0 picks a free one)
  --host ADDR       interface to bind (default 127.0.0.1)
  --seed KIND       realistic (default) or empty
  --vms N           extra generated VMs vm-0001.. owned by admin (default 0)
  --job-steps N     queryAsyncJobResult polls answered "pending" before a job finishes (default 2)
  --help            show this help`;

export type CliCommand = { help: true } | { help: false; options: SimOptions };

function count(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new Error(`--${name} must be a non-negative integer, got "${value}"`);
  return Number(value);
}

export function parseCliArgs(argv: string[]): CliCommand {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      vms: { type: 'string' },
      'job-steps': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { help: true };
  if (values.seed !== undefined && values.seed !== 'realistic' && values.seed !== 'empty') {
    throw new Error(`--seed must be realistic or empty, got "${values.seed}"`);
  }
  const port = count('port', values.port) ?? 8080;
  if (port > 65535) throw new Error(`--port must be at most 65535, got ${port}`);
  const options: SimOptions = { port, host: values.host ?? '127.0.0.1' };
  if (values.seed !== undefined) options.seed = values.seed;
  const vms = count('vms', values.vms);
  if (vms !== undefined) options.vms = vms;
  const steps = count('job-steps', values['job-steps']);
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
