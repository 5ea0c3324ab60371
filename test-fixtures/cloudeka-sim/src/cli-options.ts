import { parseArgs } from 'node:util';
import type { CloudekaSim, CloudekaSimOptions } from './types.js';

export const USAGE = `Usage: cloudeka-sim [options]

A faithful Cloudeka (ai.cloudeka.id, cldkctl API) simulator: token exchange, HS256 JWTs, roles, every route
of the seed mcp-cldkctl's table with stateful data.

Options:
  --port N                  TCP port (default 8081; 0 picks a free one)
  --host ADDR               interface to bind (default 127.0.0.1)
  --environment ENV         production (default) or staging
  --jwt-ttl SECONDS         lifetime of issued JWTs (default 86400)
  --seed KIND               realistic (default) or empty
  --auth-db-error           start with the exchange answering the missing-table database error
  --kube-server URL         server written into vcluster kubeconfigs (e.g. a kube-sim URL)
  --help                    show this help`;

export type CliCommand = { help: true } | { help: false; options: CloudekaSimOptions };

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
      environment: { type: 'string' },
      'jwt-ttl': { type: 'string' },
      seed: { type: 'string' },
      'auth-db-error': { type: 'boolean' },
      'kube-server': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { help: true };
  if (values.seed !== undefined && values.seed !== 'realistic' && values.seed !== 'empty') {
    throw new Error(`--seed must be realistic or empty, got "${values.seed}"`);
  }
  if (
    values.environment !== undefined &&
    values.environment !== 'production' &&
    values.environment !== 'staging'
  ) {
    throw new Error(`--environment must be production or staging, got "${values.environment}"`);
  }
  const port = count('port', values.port) ?? 8081;
  if (port > 65535) throw new Error(`--port must be at most 65535, got ${port}`);
  const options: CloudekaSimOptions = { port, host: values.host ?? '127.0.0.1' };
  if (values.environment !== undefined) options.environment = values.environment;
  const ttl = count('jwt-ttl', values['jwt-ttl']);
  if (ttl !== undefined) options.jwtTtlSeconds = ttl;
  if (values.seed !== undefined) options.seed = values.seed;
  if (values['auth-db-error']) options.authDbError = true;
  if (values['kube-server'] !== undefined) options.kubeServer = values['kube-server'];
  return { help: false, options };
}

/** What the CLI prints once listening: where it is, the tokens, and shell lines to point a client at it. */
export function banner(sim: CloudekaSim): string {
  const t = sim.tokens;
  return [
    `Cloudeka simulator (${sim.environment}) listening on ${sim.url}`,
    '',
    'cldkctl tokens (exchange with POST /core/cldkctl/auth):',
    `  owner       ${t.owner}   (Owner of PT Nusantara Data Labs)`,
    `  member      ${t.member}   (Member)`,
    `  superadmin  ${t.superadmin}   (SuperAdmin)`,
    `  revoked     ${t.revoked}   (answers 401)`,
    `Organization ${sim.ids.organizationId}; projects ${sim.ids.projectIds.join(', ')}`,
    '',
    `Test-only admin endpoints: ${sim.url}/__sim/{log,faults,auth-db-error,expire-jwts,exchanges,jwt-ttl,info}`,
    '',
    '# as the owner:',
    `export CLDKCTL_BASE_URL=${sim.url}`,
    `export CLDKCTL_TOKEN=${t.owner}`,
    `export CLDKCTL_DEFAULT_PROJECT_ID=${sim.ids.projectIds[0]}`,
    '# or as the member:',
    `export CLDKCTL_BASE_URL=${sim.url}`,
    `export CLDKCTL_TOKEN=${t.member}`,
  ].join('\n');
}
