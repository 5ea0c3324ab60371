import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ANNOTATIONS, defineTool, type Policy, type ServerSpec } from '../src/index.js';
import { connectServer, type Via } from './harness.js';

// A generic tool, like `kubectl`: not destructive as a whole, but some commands delete.
interface Deps {
  ran: string[];
  warmed: number;
}

const shell = defineTool({
  name: 'shell_run',
  title: 'Run a command',
  description: 'Runs a command; `rm` deletes.',
  toolset: 'shell',
  input: z.object({ command: z.string().describe('The command') }),
  output: z.object({ ran: z.string() }),
  annotations: ANNOTATIONS.create,
  asksToConfirm: true,
  render: { kind: 'text', text: (o) => `ran ${o.ran}` },
  async handler(input, ctx: { deps: Deps; confirmDestructive(what: string): Promise<void> }) {
    if (input.command.startsWith('rm ')) await ctx.confirmDestructive(`\`${input.command}\` deletes`);
    ctx.deps.ran.push(input.command);
    return { ran: input.command };
  },
});

const forgetful = defineTool({
  name: 'forgetful_run',
  title: 'Run without declaring',
  description: 'Calls confirmDestructive without asksToConfirm.',
  toolset: 'shell',
  input: z.object({}),
  output: z.object({ ran: z.string() }),
  annotations: ANNOTATIONS.create,
  render: { kind: 'object' },
  async handler(_input, ctx) {
    await ctx.confirmDestructive('something');
    return { ran: 'x' };
  },
});

const own = defineTool({
  name: 'flag_set',
  title: 'Set a flag',
  description: 'Has its own `confirm` field; not a confirming tool.',
  toolset: 'shell',
  input: z.object({ confirm: z.boolean().describe('The flag') }),
  output: z.object({ confirm: z.boolean() }),
  annotations: ANNOTATIONS.change,
  render: { kind: 'object' },
  async handler(input) {
    return { confirm: input.confirm };
  },
});

async function connect(policy: Partial<Policy> = {}, elicit?: 'accept' | 'decline', via: Via = 'modern') {
  const deps: Deps = { ran: [], warmed: 0 };
  const spec: ServerSpec<Deps> = {
    name: 'test',
    version: '1.0.0',
    tools: [shell, forgetful, own],
    warm: (d) => {
      d.warmed += 1;
    },
  };
  const { client, asked } = await connectServer(spec, deps, policy, { via, ...(elicit ? { elicit } : {}) });
  const call = async (name: string, args: Record<string, unknown>) => {
    const result = (await client.callTool({ name, arguments: args })) as {
      isError?: boolean;
      content: Array<{ text: string }>;
    };
    return { isError: result.isError === true, text: result.content[0]!.text };
  };
  return { client, deps, asked, call };
}

describe('ctx.confirmDestructive: a destructive step inside a generic tool', () => {
  it('gives the tool the confirm argument only where the operator lets a model confirm', async () => {
    const inputs = async (policy: Partial<Policy>) => {
      const { client } = await connect(policy);
      const { tools } = await client.listTools();
      return Object.keys(tools.find((t) => t.name === 'shell_run')?.inputSchema.properties ?? {});
    };
    expect(await inputs({})).toEqual(['command']);
    expect(await inputs({ allowModelConfirm: true })).toEqual(['command', 'confirm']);
    expect(await inputs({ allowModelConfirm: true, confirm: 'never' })).toEqual(['command']);
    expect(await inputs({ allowModelConfirm: true, disableDestructive: true })).toEqual(['command']);
  });

  it('a 2026-07-28 client that cannot be asked gets the missing-capability error for a deleting step', async () => {
    const { deps, call } = await connect({}, undefined, 'modern');
    expect(await call('shell_run', { command: 'ls' })).toEqual({ isError: false, text: 'ran ls' });
    await expect(call('shell_run', { command: 'rm a' })).rejects.toMatchObject({ code: -32021 });
    expect(deps.ran).toEqual(['ls']);
  });

  it('where no one can be asked on 2025-era connections, refuses a deleting step (and the model cannot confirm it)', async () => {
    for (const [via, elicit] of [
      ['session', undefined],
      ['legacy-http', 'accept'], // the client could elicit, but stateless HTTP cannot carry the question
    ] as const) {
      const { deps, call, asked } = await connect({}, elicit, via);
      expect(await call('shell_run', { command: 'ls' })).toEqual({ isError: false, text: 'ran ls' });
      const refused = await call('shell_run', { command: 'rm a' });
      expect(refused.isError, via).toBe(true);
      expect(refused.text).toContain('Refused: `rm a` deletes. Your MCP client cannot ask you to confirm');
      expect(refused.text).toContain('--allow-model-confirm');
      const forged = await call('shell_run', { command: 'rm a', confirm: true });
      expect(forged.isError).toBe(true);
      expect(forged.text).toContain('`confirm`');
      expect(deps.ran).toEqual(['ls']);
      expect(asked).toEqual([]);
    }
  });

  it('with --allow-model-confirm and no one to ask, a deleting step needs confirm: true', async () => {
    const { deps, call } = await connect({ allowModelConfirm: true }, undefined, 'legacy-http');
    const refused = await call('shell_run', { command: 'rm a' });
    expect(refused.text).toContain('Confirmation needed: `rm a` deletes. Nothing was changed.');
    expect(refused.text).toContain('call shell_run again with the same arguments and `confirm: true`');
    expect(deps.ran).toEqual([]);
    expect(await call('shell_run', { command: 'rm a', confirm: true })).toEqual({
      isError: false,
      text: 'ran rm a',
    });
  });

  for (const via of ['modern', 'session'] as const) {
    it(`${via}: the user decides, and a confirm argument from the model counts for nothing`, async () => {
      const declined = await connect({ allowModelConfirm: true }, 'decline', via);
      const no = await declined.call('shell_run', { command: 'rm a', confirm: true });
      expect(no.isError).toBe(true);
      expect(no.text).toContain('the user did not confirm shell_run. Nothing was changed.');
      expect(declined.asked).toEqual(['`rm a` deletes. This cannot be undone. Proceed?']);
      expect(declined.deps.ran).toEqual([]);

      const accepted = await connect({}, 'accept', via);
      expect((await accepted.call('shell_run', { command: 'rm a' })).text).toBe('ran rm a');
      expect(accepted.asked).toHaveLength(1);
      expect((await accepted.call('shell_run', { command: 'ls' })).text).toBe('ran ls');
      expect(accepted.asked).toHaveLength(1); // a step that does not delete is not asked about
    });
  }

  it('--confirm never lets the step through; --disable-destructive refuses it and names the flag', async () => {
    const never = await connect({ confirm: 'never' });
    expect((await never.call('shell_run', { command: 'rm a' })).text).toBe('ran rm a');

    const disabled = await connect({ disableDestructive: true }, 'accept');
    const refused = await disabled.call('shell_run', { command: 'rm a' });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain(
      'Refused: `rm a` deletes. This server runs with --disable-destructive; nothing was changed.',
    );
    expect(disabled.asked).toEqual([]);
    expect(disabled.deps.ran).toEqual([]);
    expect((await disabled.call('shell_run', { command: 'ls' })).text).toBe('ran ls');
  });

  it('a tool that asks without declaring asksToConfirm fails loudly instead of skipping the question', async () => {
    const { call } = await connect({}, 'accept');
    const result = await call('forgetful_run', {});
    expect(result.isError).toBe(true);
    expect(result.text).toContain('forgetful_run');
  });

  it('leaves a `confirm` field of a tool that does not confirm to the tool', async () => {
    const { call } = await connect();
    expect((await call('flag_set', { confirm: true })).text).toContain('confirm: true');
  });

  it('defineTool refuses a confirming tool whose own input is named confirm', () => {
    expect(() => defineTool({ ...own, name: 'flag_clear', annotations: ANNOTATIONS.destroy })).toThrow(
      /"confirm" is the confirmation argument/,
    );
  });
});

describe('warm-up', () => {
  it('runs once per server spec, after the first tools/list, never at connect', async () => {
    const first = await connect();
    await new Promise((resolve) => setImmediate(resolve));
    expect(first.deps.warmed).toBe(0);
    await first.client.listTools();
    await first.client.listTools();
    await new Promise((resolve) => setImmediate(resolve));
    expect(first.deps.warmed).toBe(1);
  });
});
