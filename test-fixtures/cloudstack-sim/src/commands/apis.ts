import { internalError } from '../errors.js';
import type { ParamDef } from '../params.js';
import type { CommandDef } from './types.js';

interface ApiInfo {
  name: string;
  description: string;
  isAsync?: boolean;
  since?: string;
  related?: readonly string[];
  params: readonly ParamDef[];
}

/** login and logout are authenticators, not commands, but listApis reports them like any other API. */
const AUTHENTICATORS: ApiInfo[] = [
  {
    name: 'login',
    description:
      'Logs a user into the CloudStack. A successful login attempt will generate a JSESSIONID cookie value that can be passed in subsequent Query command calls until the "logout" command has been issued or the session has expired.',
    related: ['logout'],
    params: [
      { name: 'username', type: 'string', required: true, description: 'Username' },
      { name: 'password', type: 'string', required: true, description: 'Password' },
      {
        name: 'domain',
        type: 'string',
        description:
          'Path of the domain that the user belongs to. Example: domain=/com/cloud/internal. If no domain is passed in, the ROOT (/) domain is assumed.',
      },
      {
        name: 'domainId',
        type: 'long',
        description:
          'The id of the domain that the user belongs to. If both domain and domainId are passed in, "domainId" parameter takes precedence.',
      },
    ],
  },
  { name: 'logout', description: 'Logs out the user', related: ['login'], params: [] },
];

function render(api: ApiInfo): Record<string, unknown> {
  return {
    name: api.name,
    description: api.description,
    isasync: api.isAsync ?? false,
    ...(api.since ? { since: api.since } : {}),
    related: (api.related ?? []).join(','),
    params: api.params.map((p) => ({
      name: p.name,
      description: p.description,
      type: p.type,
      length: p.length ?? 255,
      required: p.required ?? false,
    })),
    response: [],
  };
}

export const apiCommands: CommandDef[] = [
  {
    name: 'listApis',
    description: 'lists all available apis on the server, provided by the Api Discovery plugin',
    since: '4.1.0',
    params: [{ name: 'name', type: 'string', description: 'API name' }],
    handle(ctx) {
      const name = ctx.p.str('name');
      const apis = [
        ...AUTHENTICATORS,
        ...ctx.commands.filter((c) => ctx.caller.isAdmin || !c.adminOnly),
      ].filter((a) => name === undefined || a.name === name);
      if (apis.length === 0) {
        throw internalError(
          'Api Discovery plugin was unable to find an api by that name or process any apis',
        );
      }
      return { count: apis.length, api: apis.map(render) };
    },
  },
];
