import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport, LOG_LEVEL_META_KEY, McpServer } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  confirmField,
  createLogger,
  createToolServer,
  cursorOffset,
  DEFAULT_POLICY,
  definePrompt,
  defineTool,
  type Policy,
  page,
  pageInput,
  pageOutput,
  ToolError,
} from '../src/index.js';
import { portableSchema } from '../src/portable-schema.js';
import { strictInput } from '../src/strict-input.js';
import { type ConnectOptions, connectServer, VIAS } from './harness.js';

interface Deps {
  rows: Array<{ id: string; name: string; note: string }>;
  deleted: string[];
  /** The `limit` each row_list call was given. */
  limits: number[];
}

const listRows = defineTool({
  name: 'row_list',
  title: 'List rows',
  description: 'Lists rows.',
  toolset: 'rows',
  input: z.object({ ...pageInput({ defaultLimit: 50, maxLimit: 1000 }) }),
  output: z.object(pageOutput(z.object({ id: z.string(), name: z.string(), note: z.string() }))),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  render: {
    kind: 'list',
    noun: 'rows',
    narrowHint: 'filter by name',
    columns: [
      { header: 'name', value: (r) => r.name },
      { header: 'note', value: (r) => r.note },
    ],
  },
  async handler(input, ctx: { deps: Deps }) {
    const offset = cursorOffset(input.cursor);
    ctx.deps.limits.push(input.limit);
    const rows = ctx.deps.rows.slice(offset, offset + input.limit);
    return page(rows, { offset, total: ctx.deps.rows.length });
  },
});

const deleteRow = defineTool({
  name: 'row_delete',
  title: 'Delete a row',
  description: 'Deletes a row.',
  toolset: 'rows',
  input: z.object({ id: z.string().describe('Row id') }),
  output: z.object({ deleted: z.string() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  render: { kind: 'text', text: (o) => `deleted ${o.deleted}` },
  confirmMessage: (input) => `Delete row ${input.id}`,
  async handler(input, ctx: { deps: Deps }) {
    if (input.id === 'missing') {
      throw new ToolError('No row missing.', {
        code: 404,
        upstreamMessage: 'not found',
        next: 'list rows with row_list',
        data: { row_id: 'missing' },
      });
    }
    ctx.deps.deleted.push(input.id);
    return { deleted: input.id };
  },
});

const slowJob = defineTool({
  name: 'job_run',
  title: 'Run a job',
  description: 'Runs a job with progress.',
  toolset: 'jobs',
  input: z.object({ steps: z.number().int().describe('How many steps') }),
  output: z.object({ steps: z.number(), token: z.string() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  render: { kind: 'object' },
  async handler(input, ctx) {
    ctx.log.info('running job with Authorization: Bearer abcdef0123456789', { password: 'hunter2' });
    for (let i = 1; i <= input.steps; i++)
      await ctx.progress({ progress: i, total: input.steps, message: `step ${i}` });
    return { steps: input.steps, token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJl' };
  },
});

const longNote = defineTool({
  name: 'note_get',
  title: 'Get a long note',
  description: 'Returns a long note as text.',
  toolset: 'notes',
  input: z.object({}),
  output: z.object({ lines: z.number() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  render: {
    kind: 'text',
    text: (o) => Array.from({ length: o.lines }, (_, i) => `line ${i} ${'x'.repeat(30)}`).join('\n'),
  },
  async handler() {
    return { lines: 1000 };
  },
});

const investigate = definePrompt({
  name: 'row_investigate',
  title: 'Investigate a row',
  description: 'Walks through what is known about one row.',
  args: { id: z.string().describe('Row id') },
  text: ({ id }) => `Look at row ${id} with row_list, then explain it.`,
});

const spec = {
  name: 'test',
  version: '1.0.0',
  tools: [listRows, deleteRow, slowJob],
  prompts: [investigate],
};

async function connect(policy: Partial<Policy> = {}, opts: ConnectOptions = {}) {
  const deps: Deps = {
    rows: Array.from({ length: 300 }, (_, i) => ({ id: `r${i}`, name: `row-${i}`, note: 'x'.repeat(40) })),
    deleted: [],
    limits: [],
  };
  const { client, asked } = await connectServer(spec, deps, policy, opts);
  return { client, deps, asked };
}

const text = (r: unknown) => (r as { content: Array<{ text: string }> }).content[0]!.text;

/** What a list tool's structuredContent holds. */
interface ListStructured {
  columns: string[];
  rows: string[][];
  total?: number;
  next_cursor?: string;
}

describe('tool server', () => {
  it('lists tools with all four annotations, and the confirm field on destructive tools where a model may confirm', async () => {
    expect(
      Object.keys(
        (await (await connect()).client.listTools()).tools.find((t) => t.name === 'row_delete')!.inputSchema
          .properties ?? {},
      ),
    ).toEqual(['id']);
    const { client } = await connect({ allowModelConfirm: true });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['row_list', 'row_delete', 'job_run']);
    const del = tools.find((t) => t.name === 'row_delete')!;
    expect(del.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: true,
    });
    expect(Object.keys(del.inputSchema.properties ?? {})).toEqual(['id', 'confirm']);
    expect(del.outputSchema?.properties).toHaveProperty('deleted');
  });

  it('serves the SDK input schemas made portable, and compact output schemas (converted once, cached)', async () => {
    const { client } = await connect({ allowModelConfirm: true });
    const ours = (await client.listTools()).tools;
    const plain = new McpServer({ name: 'plain', version: '1' });
    for (const tool of [listRows, deleteRow, slowJob]) {
      const input = strictInput(
        tool.annotations.destructiveHint ? tool.input.extend({ confirm: confirmField }) : tool.input,
      );
      plain.registerTool(
        tool.name,
        {
          title: tool.title,
          description: tool.description,
          inputSchema: input,
          annotations: { title: tool.title, ...tool.annotations },
        },
        async () => ({ content: [] }),
      );
    }
    const sdkClient = new Client({ name: 's', version: '1' });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await Promise.all([plain.connect(a), sdkClient.connect(b)]);
    const sdk = (await sdkClient.listTools()).tools;
    expect(ours.map(({ outputSchema: _, ...rest }) => rest)).toEqual(
      sdk.map(({ inputSchema: { $schema: _, ...input }, ...rest }) => ({
        ...rest,
        inputSchema: portableSchema(input),
      })),
    );
    // job_run's steps is z.number().int(): zod's safe-integer bounds carry nothing and are left out
    expect(ours.find((t) => t.name === 'job_run')!.inputSchema.properties).toEqual({
      steps: { type: 'integer', description: 'How many steps' },
    });
    // every list tool shares one schema of what its table shows; objects list their top-level fields
    expect(ours.map((t) => t.outputSchema)).toEqual([
      {
        type: 'object',
        properties: { columns: { type: 'array' }, rows: { type: 'array' } },
        required: ['columns', 'rows'],
      },
      { type: 'object', properties: { deleted: { type: 'string' } }, required: ['deleted'] },
      {
        type: 'object',
        properties: { steps: { type: 'number' }, token: { type: 'string' } },
        required: ['steps', 'token'],
      },
    ]);
    expect((await client.listTools()).tools).toEqual(ours);
  });

  it('offers prompts with described arguments and fills them in', async () => {
    const { client } = await connect({}, { via: 'session' });
    // the lists never change while a process runs, and the server says so
    expect(client.getServerCapabilities()).toMatchObject({
      tools: { listChanged: false },
      prompts: { listChanged: false },
    });
    const { prompts } = await client.listPrompts();
    expect(prompts).toEqual([
      {
        name: 'row_investigate',
        title: 'Investigate a row',
        description: 'Walks through what is known about one row.',
        arguments: [{ name: 'id', description: 'Row id', required: true }],
      },
    ]);
    const got = await client.getPrompt({ name: 'row_investigate', arguments: { id: 'r7' } });
    expect(got.messages).toEqual([
      { role: 'user', content: { type: 'text', text: 'Look at row r7 with row_list, then explain it.' } },
    ]);
  });

  it('applies read-only, disable-destructive and toolsets', async () => {
    expect((await (await connect({ readOnly: true })).client.listTools()).tools.map((t) => t.name)).toEqual([
      'row_list',
    ]);
    const noDestructive = await connect({ disableDestructive: true });
    expect((await noDestructive.client.listTools()).tools.map((t) => t.name)).toEqual([
      'row_list',
      'job_run',
    ]);
    const jobsOnly = await connect({ toolsets: ['jobs'], enableTools: ['row_list'] });
    expect((await jobsOnly.client.listTools()).tools.map((t) => t.name)).toEqual(['row_list', 'job_run']);
  });

  it('renders a page as a table with total and next cursor, and pages on', async () => {
    const { client } = await connect();
    const first = await client.callTool({ name: 'row_list', arguments: { limit: 2 } });
    expect(text(first).split('\n').slice(0, 3)).toEqual([
      `NAME   NOTE`,
      `row-0  ${'x'.repeat(40)}`,
      `row-1  ${'x'.repeat(40)}`,
    ]);
    // structured: the table's own columns and cells, the total and the cursor, not the items
    const structured = first.structuredContent as ListStructured;
    expect(structured).toEqual({
      total: 300,
      next_cursor: structured.next_cursor,
      columns: ['name', 'note'],
      rows: [
        ['row-0', 'x'.repeat(40)],
        ['row-1', 'x'.repeat(40)],
      ],
    });
    const second = await client.callTool({
      name: 'row_list',
      arguments: { limit: 2, cursor: structured.next_cursor },
    });
    expect((second.structuredContent as ListStructured).rows.map(([name]) => name)).toEqual([
      'row-2',
      'row-3',
    ]);
  });

  it('cuts a list at the token budget, cuts structured rows alike, and resumes exactly after the last row shown', async () => {
    const { client } = await connect({}, { maxTokens: 600 });
    const result = await client.callTool({ name: 'row_list', arguments: { limit: 300 } });
    const structured = result.structuredContent as ListStructured;
    const shown = structured.rows.length;
    expect(shown).toBeGreaterThan(5);
    expect(shown).toBeLessThan(300);
    expect(text(result)).toContain('filter by name');
    expect(text(result).length / 3.6).toBeLessThanOrEqual(600);
    // the structured rows are exactly the table rows the text shows
    const lines = text(result).split('\n');
    expect(lines.slice(1, 1 + shown).map((line) => line.split(/ {2,}/))).toEqual(structured.rows);
    expect(lines[1 + shown]).toMatch(/^Output cut at /);
    const next = await client.callTool({
      name: 'row_list',
      arguments: { limit: 5, cursor: structured.next_cursor },
    });
    expect((next.structuredContent as ListStructured).rows[0]![0]).toBe(`row-${shown}`);
  });

  it('after a cut, the next page asks the handler for no more rows than fit, and still skips none', async () => {
    const { client, deps } = await connect({}, { maxTokens: 600 });
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let call = 0; call < 4; call++) {
      const result = await client.callTool({
        name: 'row_list',
        arguments: { limit: 300, ...(cursor ? { cursor } : {}) },
      });
      const page = result.structuredContent as ListStructured;
      seen.push(...page.rows.map(([name]) => name!));
      cursor = page.next_cursor;
    }
    const fit = deps.limits[1]!;
    expect(deps.limits[0]).toBe(300);
    expect(fit).toBeGreaterThan(5);
    expect(fit).toBeLessThan(300);
    expect(deps.limits.slice(1)).toEqual([fit, fit, fit]);
    expect(seen).toEqual(Array.from({ length: seen.length }, (_, i) => `row-${i}`));
    // a smaller limit than what fit is the caller's to keep
    await client.callTool({ name: 'row_list', arguments: { limit: 3, cursor } });
    expect(deps.limits.at(-1)).toBe(3);
  });

  it('keeps text results within the budget too, cut at a line', async () => {
    const factory = createToolServer(
      { name: 'notes', version: '1', tools: [longNote] },
      {
        deps: {},
        policy: DEFAULT_POLICY,
        render: { maxTokens: 600, allowSecrets: false },
        logger: createLogger({ name: 'notes', level: 'error', write: () => {} }),
      },
    );
    const client = new Client({ name: 't', version: '1' });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await Promise.all([factory().connect(a), client.connect(b)]);
    const out = text(await client.callTool({ name: 'note_get', arguments: {} }));
    expect(out.length / 3.6).toBeLessThanOrEqual(600);
    expect(out).toMatch(/^line 0 x+\n/);
    expect(out).toMatch(/\nOutput cut at line \d+ of 1000 to stay within the 600-token budget\.$/);
  });

  it('rejects a forged cursor naming the field', async () => {
    const { client } = await connect();
    const result = await client.callTool({ name: 'row_list', arguments: { cursor: 'bogus' } });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('`cursor`');
  });

  it('names the field on bad input', async () => {
    const { client } = await connect();
    const result = await client.callTool({ name: 'row_delete', arguments: { id: 7 } });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/\bid\b/);
  });

  it('without elicitation, a destructive call is refused; with --allow-model-confirm it needs confirm: true', async () => {
    const { client, deps } = await connect({}, { via: 'session' });
    const refused = await client.callTool({ name: 'row_delete', arguments: { id: 'r1' } });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toContain('Refused: Delete row r1. Your MCP client cannot ask you to confirm');
    expect(deps.deleted).toEqual([]);

    const model = await connect({ allowModelConfirm: true });
    const asked = await model.client.callTool({ name: 'row_delete', arguments: { id: 'r1' } });
    expect(text(asked)).toContain('Confirmation needed: Delete row r1. Nothing was changed.');
    const done = await model.client.callTool({ name: 'row_delete', arguments: { id: 'r1', confirm: true } });
    expect(text(done)).toBe('deleted r1');
    expect(model.deps.deleted).toEqual(['r1']);
  });

  for (const via of ['modern', 'session'] as const) {
    it(`${via}: with elicitation, asks the user and ignores a confirm argument from the model`, async () => {
      const declined = await connect({ allowModelConfirm: true }, { elicit: 'decline', via });
      const result = await declined.client.callTool({
        name: 'row_delete',
        arguments: { id: 'r1', confirm: true },
      });
      expect(result.isError).toBe(true);
      expect(declined.asked).toEqual(['Delete row r1. This cannot be undone. Proceed?']);
      expect(declined.deps.deleted).toEqual([]);
      const accepted = await connect({}, { elicit: 'accept', via });
      const ok = await accepted.client.callTool({ name: 'row_delete', arguments: { id: 'r2' } });
      expect(text(ok)).toBe('deleted r2');
      expect(accepted.deps.deleted).toEqual(['r2']);
    });
  }

  it('--confirm never runs destructive calls at once', async () => {
    const { client, deps } = await connect({ confirm: 'never' });
    await client.callTool({ name: 'row_delete', arguments: { id: 'r3' } });
    expect(deps.deleted).toEqual(['r3']);
  });

  it('turns a ToolError into an error result with upstream code, message and next step', async () => {
    const { client } = await connect({ confirm: 'never' });
    const result = await client.callTool({ name: 'row_delete', arguments: { id: 'missing' } });
    expect(result.isError).toBe(true);
    expect(text(result)).toBe(
      'Error: No row missing.\nUpstream: 404 not found\nNext: list rows with row_list',
    );
  });

  it('an error with data reaches a client that validates output schemas (data in _meta, not structured)', async () => {
    const { client } = await connect({ confirm: 'never' });
    await client.listTools(); // the SDK client now validates structuredContent of every call
    const result = await client.callTool({ name: 'row_delete', arguments: { id: 'missing' } });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    expect(result._meta).toMatchObject({
      'cloudmcp/error': { message: 'No row missing.', row_id: 'missing' },
    });
  });

  for (const via of VIAS) {
    it(`${via}: sends handler logs to the client as MCP logging at the level it asked for, redacted`, async () => {
      const { client } = await connect({}, { via });
      const messages: unknown[] = [];
      client.setNotificationHandler('notifications/message', (n) => {
        messages.push(n.params);
      });
      // 2026-07-28: the level travels with each request (absent: no logs); 2025: logging/setLevel, which
      // over stateless HTTP reaches a server that is gone by the next request (every level is sent then)
      await client.callTool({ name: 'job_run', arguments: { steps: 1 } });
      expect(messages).toHaveLength(via === 'modern' ? 0 : 1);
      messages.length = 0;
      if (via === 'session') await client.setLoggingLevel('error');
      const meta = { [LOG_LEVEL_META_KEY]: via === 'modern' ? 'error' : 'info' };
      await client.callTool({ name: 'job_run', arguments: { steps: 1 }, _meta: meta });
      expect(messages).toHaveLength(via === 'legacy-http' ? 1 : 0);
      messages.length = 0;
      if (via === 'session') await client.setLoggingLevel('info');
      await client.callTool({
        name: 'job_run',
        arguments: { steps: 1 },
        _meta: { [LOG_LEVEL_META_KEY]: 'info' },
      });
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatchObject({ level: 'info', logger: 'test' });
      expect(JSON.stringify(messages)).toContain('running job');
      expect(JSON.stringify(messages)).not.toContain('abcdef0123456789');
      expect(JSON.stringify(messages)).not.toContain('hunter2');
    });
  }

  it('sends progress notifications and redacts secrets from text and structured content', async () => {
    const { client } = await connect();
    const seen: Array<{ progress: number; total?: number; message?: string }> = [];
    const result = await client.callTool(
      { name: 'job_run', arguments: { steps: 3 } },
      {
        onprogress: (p) => seen.push(p),
      },
    );
    expect(seen.map((p) => p.progress)).toEqual([1, 2, 3]);
    expect(seen[2]).toMatchObject({ total: 3, message: 'step 3' });
    expect(JSON.stringify(result)).not.toContain('eyJhbGciOiJIUzI1NiJ9');
    expect(text(result)).toContain('steps: 3');
  });
});

describe('list notes', () => {
  it('prints the notes of a list under its table, after any budget footer', async () => {
    const noted = defineTool({
      ...listRows,
      name: 'row_noted',
      render: {
        kind: 'list',
        noun: 'rows',
        columns: [{ header: 'name', value: (r) => r.name }],
        notes: (out) => [`${out.items.length} rows shown; cluster b did not answer`],
      },
    });
    const deps = { rows: [{ id: 'r1', name: 'one', note: '' }], deleted: [], limits: [] };
    const { client } = await connectServer({ name: 't', version: '1', tools: [noted] }, deps);
    const result = await client.callTool({ name: 'row_noted', arguments: {} });
    expect(text(result)).toBe('NAME\none\n1 rows shown; cluster b did not answer');
  });
});
