import { count, parseSimArgs, type CliCommand as SimCliCommand } from 'sim-kit';
import type { CloudekaSim, CloudekaSimOptions, Environment } from './types.js';

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

export type CliCommand = SimCliCommand<CloudekaSimOptions>;

export function parseCliArgs(argv: string[]): CliCommand {
  const args = parseSimArgs(argv, {
    defaultPort: 8081,
    options: {
      environment: { type: 'string' },
      'jwt-ttl': { type: 'string' },
      'auth-db-error': { type: 'boolean' },
      'kube-server': { type: 'string' },
    },
    check: ({ environment }) => {
      if (environment !== undefined && environment !== 'production' && environment !== 'staging') {
        throw new Error(`--environment must be production or staging, got "${String(environment)}"`);
      }
    },
  });
  if (args.help) return args;
  const { values } = args;
  const options: CloudekaSimOptions = { port: args.port, host: args.host };
  if (values.environment !== undefined) options.environment = values.environment as Environment;
  const ttl = count('jwt-ttl', values['jwt-ttl'] as string | undefined);
  if (ttl !== undefined) options.jwtTtlSeconds = ttl;
  if (args.seed !== undefined) options.seed = args.seed;
  if (values['auth-db-error']) options.authDbError = true;
  if (values['kube-server'] !== undefined) options.kubeServer = values['kube-server'] as string;
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
    `  owner's 2nd ${t.ownerScript}   (the owner's deploy-script token)`,
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
