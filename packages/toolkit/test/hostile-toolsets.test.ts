import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ANNOTATIONS,
  createLogger,
  createToolServer,
  DEFAULT_POLICY,
  defineTool,
  type Policy,
  type ServerSpec,
  type ToolAnnotations,
} from '../src/index.js';

// toolset_enable as a model would attack it: what the operator took away stays away, and odd names
// (prototype keys, thousands of names, `all` mixed with unknown ones) change nothing they should not.

function tool(name: string, toolset: string, annotations: ToolAnnotations = ANNOTATIONS.read) {
  return defineTool({
    name,
    title: name,
    description: `The ${name} tool.`,
    toolset,
    input: z.object({}),
    output: z.object({ name: z.string() }),
    annotations,
    render: { kind: 'text', text: (o) => `ran ${o.name}` },
    handler: async () => ({ name }),
  });
}

const spec: ServerSpec<unknown> = {
  name: 'sets',
  version: '1',
  tools: [
    tool('vm_list', 'vm'),
    tool('volume_list', 'volume'),
    tool('volume_create', 'volume', ANNOTATIONS.create),
    tool('volume_delete', 'volume', ANNOTATIONS.destroy),
    tool('secret_list', 'secret'),
  ],
  defaultToolsets: ['vm'],
};

const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of open.splice(0)) await close();
});

async function stdio(policy: Partial<Policy> = {}, served: ServerSpec<unknown> = spec) {
  const factory = createToolServer(served, {
    deps: {},
    policy: { ...DEFAULT_POLICY, confirm: 'never', ...policy },
    render: { maxTokens: 20_000, allowSecrets: false },
    logger: createLogger({ name: 'test', level: 'error', write: () => {} }),
  });
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  const handle = serveStdio((context) => factory(context), { transport: serverSide });
  const client = new Client({ name: 't', version: '1' });
  await client.connect(clientSide);
  open.push(async () => {
    await client.close();
    await handle.close();
  });
  return client;
}

const names = async (client: Client) => (await client.listTools()).tools.map((t) => t.name);
const text = (r: unknown) => (r as { content: Array<{ text: string }> }).content[0]!.text;
const enable = (client: Client, toolsets: unknown) =>
  client.callTool({ name: 'toolset_enable', arguments: { toolsets } });

describe('toolset_enable against the operator', () => {
  it('"all" brings back no tool --disable-tools, --read-only or --disable-destructive took away', async () => {
    const cases: Array<[Partial<Policy>, string[]]> = [
      [{ disableTools: ['secret_list', 'volume_create'] }, ['secret_list', 'volume_create']],
      [{ readOnly: true }, ['volume_create', 'volume_delete']],
      [{ disableDestructive: true }, ['volume_delete']],
    ];
    for (const [policy, gone] of cases) {
      const client = await stdio(policy);
      await enable(client, ['all']);
      const listed = await names(client);
      for (const name of gone) {
        expect(listed, name).not.toContain(name);
        // not registered at all: the SDK answers that no such tool exists
        await expect(client.callTool({ name, arguments: {} }), name).rejects.toThrow(/not found/);
      }
    }
  });

  it('a toolset the operator left nothing of is unknown to it, and enabling it enables nothing', async () => {
    const client = await stdio({ disableTools: ['secret_list'] });
    const result = await enable(client, ['secret']);
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/no toolset secret here/);
    expect(await names(client)).toEqual(['vm_list', 'toolset_list', 'toolset_enable']);
  });
});

describe('toolsets only the operator turns on', () => {
  it('"all" and the name itself leave them off, and toolset_list does not offer them', async () => {
    const client = await stdio({}, { ...spec, operatorToolsets: ['secret'] });
    const named = await enable(client, ['secret']);
    expect(named.isError).toBe(true);
    expect(text(named)).toMatch(/no toolset secret here/);
    await enable(client, ['all']);
    expect(await names(client)).not.toContain('secret_list');
    expect(text(await client.callTool({ name: 'toolset_list', arguments: {} }))).not.toContain('secret');
  });

  it('the operator still can: --toolsets names them', async () => {
    const client = await stdio({ toolsets: ['vm', 'secret'] }, { ...spec, operatorToolsets: ['secret'] });
    expect(await names(client)).toEqual(['vm_list', 'secret_list']);
  });
});

describe('toolset_enable with odd names', () => {
  it('refuses prototype keys and names no toolset has, enabling nothing', async () => {
    const client = await stdio();
    for (const odd of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'vm ', 'VM', 'toolsets']) {
      const result = await enable(client, [odd]);
      expect(result.isError, odd).toBe(true);
    }
    expect(await names(client)).toEqual(['vm_list', 'toolset_list', 'toolset_enable']);
  });

  it('refuses 10 000 names, an empty list and non-strings before anything is enabled', async () => {
    const client = await stdio();
    for (const toolsets of [Array.from({ length: 10_000 }, () => 'volume'), [], [''], [42], 'volume', null]) {
      const result = await enable(client, toolsets);
      expect(result.isError, JSON.stringify(toolsets).slice(0, 40)).toBe(true);
    }
    expect(await names(client)).toEqual(['vm_list', 'toolset_list', 'toolset_enable']);
  });

  it('"all" beside other names turns on every allowed toolset; unknown names beside it are ignored', async () => {
    const client = await stdio({ readOnly: true });
    const result = await enable(client, ['all', 'volume', '__proto__']);
    expect(result.isError).toBeFalsy();
    expect(await names(client)).toEqual([
      'vm_list',
      'volume_list',
      'secret_list',
      'toolset_list',
      'toolset_enable',
    ]);
  });
});
