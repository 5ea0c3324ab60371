import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ANNOTATIONS, defineTool, type Policy, type ServerSpec } from '../src/index.js';
import { connectServer } from './harness.js';

// Issue 7, class 7 (honesty): a generic tool that can delete (`kubectl`) says so in its annotations,
// because clients trust them, yet asks the user only for the steps that delete, not before every call.

const runner = defineTool({
  name: 'runner_run',
  title: 'Run a command',
  description: 'Runs a command; `rm` deletes.',
  toolset: 'shell',
  input: z.object({ command: z.string().describe('The command') }),
  output: z.object({ ran: z.string() }),
  annotations: { ...ANNOTATIONS.create, destructiveHint: true },
  asksToConfirm: true,
  render: { kind: 'text', text: (o) => `ran ${o.ran}` },
  async handler(input, ctx: { deps: string[]; confirmDestructive(what: string): Promise<void> }) {
    if (input.command.startsWith('rm ')) await ctx.confirmDestructive(`\`${input.command}\` deletes`);
    ctx.deps.push(input.command);
    return { ran: input.command };
  },
});

async function connect(policy: Partial<Policy>, elicit?: 'accept' | 'decline') {
  const ran: string[] = [];
  const spec: ServerSpec<string[]> = { name: 't', version: '1.0.0', tools: [runner] };
  const { client, asked } = await connectServer(spec, ran, policy, elicit ? { elicit } : {});
  const call = async (command: string, extra: Record<string, unknown> = {}) =>
    (await client.callTool({ name: 'runner_run', arguments: { command, ...extra } })) as {
      isError?: boolean;
      content: Array<{ text: string }>;
    };
  return { client, ran, asked, call };
}

describe('a destructive tool that asks per step', () => {
  it('is listed with destructiveHint and runs a harmless command without asking', async () => {
    const { client, ran, asked, call } = await connect({}, 'decline');
    const listed = await client.listTools();
    expect(listed.tools[0]!.annotations).toMatchObject({ destructiveHint: true, readOnlyHint: false });
    const result = await call('ls');
    expect(result.isError).not.toBe(true);
    expect(asked).toEqual([]);
    expect(ran).toEqual(['ls']);
  });

  it('asks for the deleting step only, and a refusal holds', async () => {
    const { ran, asked, call } = await connect({}, 'decline');
    const result = await call('rm x');
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toMatch(/did not confirm/);
    expect(asked).toEqual(['`rm x` deletes. This cannot be undone. Proceed?']);
    expect(ran).toEqual([]);
  });

  it('without elicitation, under --allow-model-confirm, needs confirm: true for the deleting step only', async () => {
    const { ran, call } = await connect({ allowModelConfirm: true });
    expect((await call('rm x')).isError).toBe(true);
    expect((await call('ls')).isError).not.toBe(true);
    expect((await call('rm x', { confirm: true })).isError).not.toBe(true);
    expect(ran).toEqual(['ls', 'rm x']);
  });
});
