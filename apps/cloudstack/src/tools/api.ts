import { isSecretKey, REDACTED } from '@cloudmcp/format';
import {
  ANNOTATIONS,
  badInput,
  cursorOffset,
  defineTool,
  page,
  pageInput,
  pageOutput,
} from '@cloudmcp/toolkit';
import * as z from 'zod';
import { type ApiInfo, apiCatalog, findApi } from '../api-catalog.js';
import { isReadCommand, type Params } from '../client/client.js';
import { runAsync } from '../client/jobs.js';
import { waitInput } from '../schemas.js';
import type { Ctx } from '../tool-common.js';

/** Set by the client on every request; a caller must not override them. */
const RESERVED = new Set([
  'apikey',
  'signature',
  'sessionkey',
  'command',
  'response',
  'signatureversion',
  'expires',
]);

const commandInput = z
  .string()
  .max(100)
  .regex(/^[a-zA-Z][a-zA-Z0-9]*$/, 'a CloudStack API command name such as listVirtualMachines')
  .describe('API command name');

const paramsInput = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
  .optional()
  .describe('Parameters, e.g. {"zoneid": "…", "tags[0].key": "k"}');

const responseOutput = z
  .looseObject({})
  .describe(
    'The command’s inner response object; for an async command the job (job_id, job_status, result, resume)',
  );

/** `tags[0].key` → `tags`: the parameter listApis declares. */
const baseName = (name: string) => name.replace(/\[.*$/, '').toLowerCase();

/**
 * Finds the command in the account's API catalog and checks the parameters against it (reserved names,
 * unknown names, missing required ones), so a typo is an error rather than a parameter CloudStack ignores.
 * Returns the command and the parameters spelled as the catalog spells them.
 */
async function prepare(
  ctx: Ctx,
  command: string,
  params: Record<string, string | number | boolean>,
): Promise<{ api: ApiInfo; params: Params }> {
  const reserved = Object.keys(params).filter((name) => RESERVED.has(name.toLowerCase()));
  if (reserved.length) {
    throw badInput(
      'params',
      `${reserved.join(', ')} ${reserved.length > 1 ? 'are' : 'is'} set by this server`,
      'leave it out',
    );
  }
  const api = await findApi(ctx.deps.client, command, { signal: ctx.signal });
  if (!api) {
    throw badInput(
      'command',
      `${command} is not in this account's API catalog: it does not exist, or the account's role may not call it`,
      'check the name with `api_list` (e.g. name: "volume"); a command missing there is not allowed for this role',
    );
  }
  const declared = new Map(api.params.map((p) => [p.name.toLowerCase(), p.name]));
  const unknown = Object.keys(params).filter((name) => !declared.has(baseName(name)));
  if (unknown.length) {
    throw badInput(
      'params',
      `${api.name} has no parameter ${unknown.join(', ')}`,
      `its parameters: ${api.params.map((p) => p.name).join(', ') || 'none'}`,
    );
  }
  const given = new Set(Object.keys(params).map(baseName));
  const missing = api.params.filter((p) => p.required && !given.has(p.name.toLowerCase()));
  if (missing.length) {
    throw badInput(
      'params',
      `${api.name} needs ${missing.map((p) => p.name).join(', ')}`,
      `see its parameters with \`api_list\` (name: "${api.name}")`,
    );
  }
  const spelled: Params = {};
  for (const [name, value] of Object.entries(params)) {
    spelled[name.includes('[') ? name : (declared.get(name.toLowerCase()) ?? name)] = value;
  }
  return { api, params: spelled };
}

/** Sends the command; an async one goes through the job poller, honouring `wait`. */
async function execute(
  ctx: Ctx,
  api: ApiInfo,
  params: Params,
  wait: boolean,
): Promise<Record<string, unknown>> {
  const { client, jobs } = ctx.deps;
  if (api.isasync) return { ...(await runAsync(client, api.name, params, ctx, { wait, ...jobs })) };
  return client.call(api.name, params, { signal: ctx.signal });
}

const apiSchema = z.object({
  name: z.string().describe('Command name'),
  description: z.string().optional(),
  isasync: z.boolean().describe('Runs as an async job'),
  params: z.array(
    z.object({
      name: z.string(),
      required: z.boolean(),
      type: z.string().optional().describe('uuid, string, integer, boolean, map, list, date …'),
    }),
  ),
});

export const apiList = defineTool({
  name: 'api_list',
  title: 'List API commands',
  description: 'API commands this account may call, with required parameters (all in structuredContent).',
  toolset: 'api',
  input: z.object({
    name: z.string().optional().describe('Command name contains'),
    ...pageInput({ defaultLimit: 100, maxLimit: 1000 }),
  }),
  output: z.object(pageOutput(apiSchema)),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'API commands',
    narrowHint: 'filter by name',
    columns: [
      { header: 'name', value: (api) => api.name },
      { header: 'async', value: (api) => api.isasync },
      {
        header: 'required',
        value: (api) =>
          api.params
            .filter((p) => p.required)
            .map((p) => p.name)
            .join(' '),
      },
    ],
  },
  async handler(input, ctx: Ctx) {
    const offset = cursorOffset(input.cursor);
    const wanted = input.name?.toLowerCase();
    const apis = (await apiCatalog(ctx.deps.client, { signal: ctx.signal })).filter(
      (api) => !wanted || api.name.toLowerCase().includes(wanted),
    );
    return page(apis.slice(offset, offset + input.limit), { offset, total: apis.length });
  },
});

export const apiQuery = defineTool({
  name: 'api_query',
  title: 'Run a read-only API command',
  description: 'Runs a read command (list*, get*, query*). Lists take page, pagesize and listall.',
  toolset: 'api',
  input: z.object({
    command: commandInput.describe('Read command name'),
    params: paramsInput,
  }),
  output: responseOutput,
  annotations: ANNOTATIONS.read,
  render: { kind: 'object' },
  async handler(input, ctx: Ctx) {
    if (!isReadCommand(input.command)) {
      throw badInput(
        'command',
        `${input.command} is not a read command (list*, get*, query*, except getUploadParamsFor*)`,
        'use `api_call` for commands that change something',
      );
    }
    const { api, params } = await prepare(ctx, input.command, input.params ?? {});
    // A read is never a job: an async `get*` starts work on the cloud (getDiagnosticsData runs scripts on a
    // system VM and stores an archive), so the name alone does not make it a read.
    if (api.isasync) {
      throw badInput(
        'command',
        `${api.name} runs as an async job on the cloud, so it is not a read`,
        'use `api_call` (it asks the user first)',
      );
    }
    return ctx.deps.client.call(api.name, params, { signal: ctx.signal });
  },
});

function clip(value: string): string {
  return value.length > 60 ? `${value.slice(0, 59)}…` : value;
}

export const apiCall = defineTool({
  name: 'api_call',
  title: 'Run any API command',
  description: 'Runs any API command, following an async one; prefer a dedicated tool or `api_query`.',
  toolset: 'api',
  input: z.object({ command: commandInput, params: paramsInput, wait: waitInput }),
  output: responseOutput,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  render: { kind: 'object' },
  confirmMessage: (input) => {
    const args = Object.entries(input.params ?? {})
      .map(([name, value]) => `${name}=${isSecretKey(name) ? REDACTED : clip(String(value))}`)
      .join(', ');
    return `Run CloudStack API command ${input.command}${args ? ` with ${args}` : ''}`;
  },
  async handler(input, ctx: Ctx) {
    const { api, params } = await prepare(ctx, input.command, input.params ?? {});
    return execute(ctx, api, params, input.wait);
  },
});

export const apiTools = [apiList, apiQuery, apiCall];
