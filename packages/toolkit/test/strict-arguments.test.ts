import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { cursorOffset, defineTool, type Policy, page, pageInput, pageOutput } from '../src/index.js';
import { connectServer } from './harness.js';

interface Deps {
  calls: Array<Record<string, unknown>>;
}

const podList = defineTool({
  name: 'pod_list',
  title: 'List pods',
  description: 'Lists pods.',
  toolset: 'pods',
  input: z.object({
    namespace: z.string().default('default').describe('Namespace'),
    ...pageInput({ defaultLimit: 2, maxLimit: 10 }),
  }),
  output: z.object(pageOutput(z.object({ name: z.string() }))),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  render: { kind: 'list', noun: 'pods', columns: [{ header: 'name', value: (p) => p.name }] },
  async handler(input, ctx: { deps: Deps }) {
    ctx.deps.calls.push(input);
    const offset = cursorOffset(input.cursor);
    const pods = ['a', 'b', 'c', 'd'].map((name) => ({ name: `${input.namespace}/${name}` }));
    return page(pods.slice(offset, offset + input.limit), { offset, total: pods.length });
  },
});

const serviceApply = defineTool({
  name: 'service_apply',
  title: 'Apply a service',
  description: 'Creates or replaces a service.',
  toolset: 'pods',
  input: z.object({
    name: z.string().describe('Service name'),
    selector: z.object({ app: z.string().describe('App label') }).describe('Pods to route to'),
    ports: z
      .array(
        z.object({
          port: z.number().int().describe('Port'),
          protocol: z.string().optional().describe('TCP/UDP'),
        }),
      )
      .default([])
      .describe('Ports'),
    labels: z.record(z.string(), z.string()).optional().describe('Any labels'),
    extra: z
      .looseObject({ kind: z.string().describe('Kind') })
      .optional()
      .describe('Passed on as given'),
  }),
  output: z.object({ applied: z.string() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  render: { kind: 'text', text: (o) => `applied ${o.applied}` },
  async handler(input, ctx: { deps: Deps }) {
    ctx.deps.calls.push(input);
    return { applied: input.name };
  },
});

const spec = { name: 'strict', version: '1', tools: [podList, serviceApply] };

// `confirm` is an argument only where the operator lets a model confirm for a client that cannot ask
async function connect(policy: Partial<Policy> = { allowModelConfirm: true }) {
  const deps: Deps = { calls: [] };
  return { ...(await connectServer(spec, deps, policy)), deps };
}

/** Enough of JSON Schema to walk into properties and items. */
type JsonSchema = Record<string, unknown> & { properties: Record<string, JsonSchema>; items: JsonSchema };

const text = (r: unknown) => (r as { content: Array<{ text: string }> }).content[0]!.text;
const apply = { name: 'web', selector: { app: 'web' }, confirm: true };

describe('strict tool arguments', () => {
  it('rejects an unknown argument, naming it and the arguments the tool takes; the handler never runs', async () => {
    const { client, deps } = await connect();
    const result = await client.callTool({ name: 'pod_list', arguments: { namepsace: 'prod' } });
    expect(result.isError).toBe(true);
    expect(text(result)).toBe(
      'Error: Invalid input `namepsace`: not an argument of pod_list; its arguments are namespace, limit, cursor\n' +
        'Next: Call pod_list again with only the names it takes (check the spelling).',
    );
    expect(deps.calls).toEqual([]);
  });

  it('names unknown fields of nested objects and of objects in arrays, and every other problem', async () => {
    const { client, deps } = await connect();
    const nested = await client.callTool({
      name: 'service_apply',
      arguments: { ...apply, selector: { app: 'web', tier: 'front' }, ports: [{ port: 80, protcol: 'TCP' }] },
    });
    expect(text(nested).split('\n')[0]).toBe(
      'Error: Invalid input `selector.tier`: not a field of `selector`; its fields are app. ' +
        'Invalid input `ports[0].protcol`: not a field of `ports[0]`; its fields are port, protocol',
    );
    const several = await client.callTool({
      name: 'service_apply',
      arguments: { ...apply, nmae: 'x', zone: 'y', ports: [{ port: 'eighty' }] },
    });
    expect(text(several).split('\n')[0]).toBe(
      'Error: Invalid input `ports[0].port`: expected number, received string. ' +
        'Invalid input `nmae`, `zone`: not arguments of service_apply; ' +
        'its arguments are name, selector, ports, labels, extra, confirm',
    );
    expect(deps.calls).toEqual([]);
  });

  it('keeps records and objects the author made loose open to any key', async () => {
    const { client, deps } = await connect();
    const result = await client.callTool({
      name: 'service_apply',
      arguments: { ...apply, labels: { team: 'a', 'any/key': 'b' }, extra: { kind: 'Service', spec: {} } },
    });
    expect(text(result)).toBe('applied web');
    expect(deps.calls[0]).toMatchObject({
      labels: { team: 'a', 'any/key': 'b' },
      extra: { kind: 'Service', spec: {} },
    });
  });

  it('accepts the runtime’s own paging and confirm arguments, and what the SDK client sends in params', async () => {
    const { client, deps } = await connect();
    const first = await client.callTool({ name: 'pod_list', arguments: { namespace: 'prod', limit: 2 } });
    const next = (first.structuredContent as { next_cursor: string }).next_cursor;
    // the SDK client puts `_meta` (and the progress token it adds for onprogress) in params, not arguments
    const second = await client.callTool(
      {
        name: 'pod_list',
        arguments: { namespace: 'prod', cursor: next },
        _meta: { 'example.com/trace': 'x' },
      },
      { onprogress: () => {} },
    );
    expect(second.isError).toBeFalsy();
    expect(second.structuredContent).toMatchObject({ rows: [['prod/c'], ['prod/d']] });
    const confirmed = await client.callTool({ name: 'service_apply', arguments: apply });
    expect(text(confirmed)).toBe('applied web');
    expect(deps.calls.map((c) => Object.keys(c).sort())).toEqual([
      ['limit', 'namespace'],
      ['cursor', 'limit', 'namespace'],
      ['name', 'ports', 'selector'],
    ]);
  });

  it('takes `confirm` only where the policy adds it', async () => {
    const { client, deps } = await connect({ confirm: 'never', allowModelConfirm: true });
    const listed = (await client.listTools()).tools.find((t) => t.name === 'service_apply')!;
    expect(Object.keys(listed.inputSchema.properties ?? {})).not.toContain('confirm');
    const result = await client.callTool({ name: 'service_apply', arguments: apply });
    expect(text(result)).toContain('Invalid input `confirm`: not an argument of service_apply');
    expect(deps.calls).toEqual([]);
  });

  it('says additionalProperties: false in tools/list at every depth, keeping descriptions and defaults', async () => {
    const { client } = await connect();
    const tools = (await client.listTools()).tools;
    const list = tools.find((t) => t.name === 'pod_list')!.inputSchema as unknown as JsonSchema;
    expect(list.additionalProperties).toBe(false);
    expect(list.properties['namespace']!).toEqual({
      type: 'string',
      default: 'default',
      description: 'Namespace',
    });
    expect(list.properties['limit']!).toMatchObject({ default: 2, maximum: 10, description: 'Page size' });
    const svc = tools.find((t) => t.name === 'service_apply')!.inputSchema as unknown as JsonSchema;
    expect(svc.additionalProperties).toBe(false);
    expect(svc.properties['selector']!).toMatchObject({
      additionalProperties: false,
      description: 'Pods to route to',
    });
    expect(svc.properties['ports']!.items.additionalProperties).toBe(false);
    expect(svc.properties['labels']!.additionalProperties).toEqual({ type: 'string' });
    // a loose object: open to any key (`additionalProperties: {}` says nothing more than leaving it out)
    expect(svc.properties['extra']!).not.toHaveProperty('additionalProperties');
    expect(svc.properties['extra']!.type).toBe('object');
    expect(svc.properties['confirm']!).toMatchObject({ type: 'boolean' });
  });
});
