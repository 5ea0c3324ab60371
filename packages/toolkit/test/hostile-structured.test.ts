import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ANNOTATIONS, defineTool, type ServerSpec } from '../src/index.js';
import { connectServer } from './harness.js';

// A hostile upstream value against the compact output schemas (output-schema.ts) and the redaction of
// structuredContent (render.ts), through the real SDK, which checks each result against the tool's schema:
// a result the schema refuses turns into a protocol error instead of an answer.

let upstream: Record<string, unknown> = {};

const credential = defineTool({
  name: 'credential_get',
  title: 'Get a credential',
  description: 'One credential.',
  toolset: 'x',
  input: z.object({}),
  // a numeric field under a credential's name: redaction makes it the string [REDACTED]
  output: z.object({ name: z.string(), pin: z.number(), password: z.number(), columns: z.string() }),
  annotations: ANNOTATIONS.read,
  render: { kind: 'object' },
  handler: async () => upstream as never,
});

const rows = defineTool({
  name: 'row_list',
  title: 'List rows',
  description: 'Rows.',
  toolset: 'x',
  input: z.object({}),
  output: z.object({ items: z.array(z.object({ name: z.string(), token: z.string() })) }),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'rows',
    columns: [
      { header: 'name', value: (r) => r.name },
      { header: 'token', value: (r) => r.token },
    ],
  },
  handler: async () => upstream as never,
});

const spec: ServerSpec<unknown> = { name: 'hostile', version: '1', tools: [credential, rows] };

describe('hostile upstream values in structuredContent', () => {
  it('a number under a credential name is hidden, and the result is still an answer, not a protocol error', async () => {
    const { client } = await connectServer(spec, {});
    upstream = { name: 'db', pin: 4242, password: 123456, columns: 'a\nb' };
    const result = await client.callTool({ name: 'credential_get', arguments: {} });
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    const text = (result.content as Array<{ text: string }>)[0]!.text;
    for (const shown of [text, JSON.stringify(result.structuredContent)]) {
      expect(shown).not.toContain('123456');
      expect(shown).toContain('REDACTED');
    }
    expect(result.structuredContent).toMatchObject({ name: 'db', columns: 'a\nb' });
    const { tools } = await client.listTools();
    const advertised = tools.find((t) => t.name === 'credential_get')!.outputSchema!;
    // advertised without a type, since the value may come as the redaction's string
    expect(advertised.properties).toMatchObject({ password: {}, name: { type: 'string' } });
  });

  it('cells with line breaks, ANSI, bidi controls and a megabyte stay one valid table; secrets hidden in both', async () => {
    const { client } = await connectServer(spec, {});
    const hostile = ['a\r\nb', '\u001b[31mred\u001b[0m', 'evil\u202egnp.exe', 'x'.repeat(1_000_000)];
    upstream = {
      items: hostile.map((name) => ({
        name,
        token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJlLXZhbHVl',
      })),
    };
    const result = await client.callTool({ name: 'row_list', arguments: {} });
    expect(result.isError).toBeFalsy();
    const text = (result.content as Array<{ text: string }>)[0]!.text;
    const structured = JSON.stringify(result.structuredContent);
    for (const shown of [text, structured]) {
      expect(shown).not.toContain('c2lnbmF0dXJlLXZhbHVl');
      expect(shown).not.toContain('\u001b');
      expect(shown).not.toContain('\u202e');
      expect(shown.length).toBeLessThan(200_000);
    }
    const { rows: cells } = result.structuredContent as { rows: string[][] };
    expect(cells.flat().every((cell) => typeof cell === 'string' && !/[\r\n]/.test(cell))).toBe(true);
  });
});
