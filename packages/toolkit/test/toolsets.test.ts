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
import { connectServer } from './harness.js';

// Toolsets on demand over stdio, served by the SDK's own stdio entry (the one serveStdio uses) on an
// in-memory transport, in both protocol eras.

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
    tool('vm_delete', 'vm', ANNOTATIONS.destroy),
    tool('volume_list', 'volume'),
    tool('volume_create', 'volume', ANNOTATIONS.create),
    tool('admin_list', 'admin'),
  ],
  defaultToolsets: ['vm'],
  toolsets: { volume: 'Block volumes: list and create' },
};

type Era = 'legacy' | 'modern';
const ERAS: readonly Era[] = ['legacy', 'modern'];

const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of open.splice(0)) await close();
});

/** A stdio server (the SDK's entry, in memory) and a client on `era` that records tool-list changes. */
async function stdio(era: Era, policy: Partial<Policy> = {}, served: ServerSpec<unknown> = spec) {
  const factory = createToolServer(served, {
    deps: {},
    policy: { ...DEFAULT_POLICY, confirm: 'never', ...policy },
    render: { maxTokens: 20_000, allowSecrets: false },
    logger: createLogger({ name: 'test', level: 'error', write: () => {} }),
  });
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  const handle = serveStdio((context) => factory(context), { transport: serverSide });
  const client = new Client(
    { name: 't', version: '1' },
    era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
  );
  let changes = 0;
  let waiting: (() => void) | undefined;
  client.setNotificationHandler('notifications/tools/list_changed', () => {
    changes++;
    waiting?.();
  });
  await client.connect(clientSide);
  expect(client.getProtocolEra()).toBe(era);
  // 2026-07-28 has no unsolicited notifications: a client listens for them on a subscription stream
  if (era === 'modern') await client.listen({ toolsListChanged: true });
  open.push(async () => {
    await client.close();
    await handle.close();
  });
  return {
    client,
    changes: () => changes,
    /** Resolves at the next tools/list_changed (or at once if one came since the last wait). */
    changed: (seen: number) =>
      new Promise<void>((resolve) => {
        if (changes > seen) resolve();
        else waiting = resolve;
      }),
  };
}

const names = async (client: Client) => (await client.listTools()).tools.map((t) => t.name);
const text = (r: unknown) => (r as { content: Array<{ text: string }> }).content[0]!.text;

describe.each(ERAS)('toolsets on demand over stdio (%s)', (era) => {
  it('starts with the default toolsets and the two meta tools, and says its list can change', async () => {
    const { client } = await stdio(era);
    expect(client.getServerCapabilities()?.tools).toEqual({ listChanged: true });
    expect(await names(client)).toEqual(['vm_list', 'vm_delete', 'toolset_list', 'toolset_enable']);
  });

  it('toolset_list says what each toolset holds, whether it is on, and what it costs', async () => {
    const { client } = await stdio(era);
    const result = await client.callTool({ name: 'toolset_list', arguments: {} });
    const structured = result.structuredContent as { columns: string[]; rows: string[][] };
    expect(structured.columns).toEqual(['name', 'on', 'tools', 'tokens', 'holds']);
    expect(structured.rows.map(([name, on, tools, , holds]) => [name, on, tools, holds])).toEqual([
      ['vm', 'true', '2', 'vm_list, vm_delete'],
      ['volume', 'false', '2', 'Block volumes: list and create'],
      ['admin', 'false', '1', 'admin_list'],
    ]);
    for (const row of structured.rows) expect(Number(row[3])).toBeGreaterThan(10);
    expect(text(result).split('\n')[0]).toMatch(/^NAME +ON +TOOLS +TOKENS +HOLDS$/);
  });

  it('toolset_enable lists the toolset, tells the client, and answers what was added', async () => {
    const { client, changes, changed } = await stdio(era);
    const off = await client.callTool({ name: 'volume_list', arguments: {} });
    expect(off.isError).toBe(true);
    expect(text(off)).toContain('volume_list is in the toolset volume, which is off');
    expect(text(off)).toContain('toolset_enable');

    const seen = changes();
    const result = await client.callTool({ name: 'toolset_enable', arguments: { toolsets: ['volume'] } });
    expect(text(result)).toBe('Enabled: volume.\nTools added: volume_list, volume_create.');
    expect(result.structuredContent).toEqual({
      enabled: ['volume'],
      already: [],
      added: ['volume_list', 'volume_create'],
    });
    await changed(seen);
    expect(changes()).toBe(seen + 1);
    expect(await names(client)).toEqual([
      'vm_list',
      'vm_delete',
      'volume_list',
      'volume_create',
      'toolset_list',
      'toolset_enable',
    ]);
    expect(text(await client.callTool({ name: 'volume_list', arguments: {} }))).toBe('ran volume_list');

    // enabling it again changes nothing and tells nobody
    const again = await client.callTool({
      name: 'toolset_enable',
      arguments: { toolsets: ['volume', 'vm'] },
    });
    expect(text(again)).toBe('Already on: volume, vm.\nNo tools added.');
    expect(changes()).toBe(seen + 1);
  });

  it('refuses an unknown toolset, naming the field and the toolsets there are', async () => {
    const { client } = await stdio(era);
    const result = await client.callTool({ name: 'toolset_enable', arguments: { toolsets: ['nope'] } });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('`toolsets`');
    expect(text(result)).toContain('vm, volume, admin');
  });

  it("keeps the operator's bounds: a tool the operator left out is never enabled", async () => {
    const { client } = await stdio(era, { readOnly: true, disableTools: ['admin_list'] });
    expect(await names(client)).toEqual(['vm_list', 'toolset_list', 'toolset_enable']);
    const all = await client.callTool({ name: 'toolset_enable', arguments: { toolsets: ['all'] } });
    expect(text(all)).toBe('Enabled: volume.\nAlready on: vm.\nTools added: volume_list.');
    expect(await names(client)).toEqual(['vm_list', 'volume_list', 'toolset_list', 'toolset_enable']);
    // admin_list was disabled, so its toolset is not one a model may name
    const admin = await client.callTool({ name: 'toolset_enable', arguments: { toolsets: ['admin'] } });
    expect(admin.isError).toBe(true);
    for (const name of ['admin_list', 'vm_delete', 'volume_create']) {
      await expect(client.callTool({ name, arguments: {} }), name).rejects.toThrow(`Tool ${name} not found`);
    }
  });

  it('an explicit --toolsets (all included) serves exactly those, with no meta tools and a fixed list', async () => {
    const all = await stdio(era, { toolsets: ['all'] });
    expect(all.client.getServerCapabilities()?.tools).toEqual({ listChanged: false });
    expect(await names(all.client)).toEqual([
      'vm_list',
      'vm_delete',
      'volume_list',
      'volume_create',
      'admin_list',
    ]);
    const some = await stdio(era, { toolsets: ['volume'] });
    expect(await names(some.client)).toEqual(['volume_list', 'volume_create']);
  });

  it('--enable-tools adds a tool of an off toolset up front', async () => {
    const { client } = await stdio(era, { enableTools: ['admin_list'] });
    expect(await names(client)).toEqual([
      'vm_list',
      'vm_delete',
      'admin_list',
      'toolset_list',
      'toolset_enable',
    ]);
  });

  it('a server without default toolsets has no meta tools and a fixed list', async () => {
    const { client } = await stdio(era, {}, { ...spec, defaultToolsets: undefined });
    expect(client.getServerCapabilities()?.tools).toEqual({ listChanged: false });
    expect(await names(client)).not.toContain('toolset_list');
  });
});

describe('toolsets over HTTP', () => {
  for (const via of ['legacy-http', 'modern'] as const) {
    it(`${via}: one process serves many users: the defaults (or --toolsets) alone, no meta tools`, async () => {
      const { client } = await connectServer(spec, {}, {}, { via });
      expect(client.getServerCapabilities()?.tools).toEqual({ listChanged: false });
      expect(await names(client)).toEqual(['vm_list', 'vm_delete']);
      await expect(
        client.callTool({ name: 'toolset_enable', arguments: { toolsets: ['volume'] } }),
      ).rejects.toThrow('Tool toolset_enable not found');
    });

    it(`${via}: a spec's httpToolsets are what HTTP serves without --toolsets, since none can be enabled later`, async () => {
      const { client } = await connectServer({ ...spec, httpToolsets: ['vm', 'volume'] }, {}, {}, { via });
      expect(await names(client)).toEqual(['vm_list', 'vm_delete', 'volume_list', 'volume_create']);
    });
  }
});
