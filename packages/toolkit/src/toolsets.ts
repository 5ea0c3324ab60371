import { estimateTokens } from '@cloudmcp/format';
import * as z from 'zod';
import { badInput } from './errors.js';
import type { Policy } from './policy.js';
import { portableInputSchema } from './portable-schema.js';
import { strictInput } from './strict-input.js';
import { type AnyTool, defineTool } from './tool.js';
import type { ListedTool } from './tool-list.js';

// Toolsets on demand (stdio only). A server whose spec names `defaultToolsets` starts with those, and
// lists two more tools: `toolset_list` (every toolset, on or off, what it holds and what it costs) and
// `toolset_enable` (turns toolsets on for this process). The client is told that the tool list changed:
// `notifications/tools/list_changed` on a 2025-era connection, the same notification on its
// `subscriptions/listen` stream on 2026-07-28 (the SDK's stdio entry routes it there). What the operator
// allowed bounds what a model may enable: the universe is the server's tools under the operator's
// policy with every toolset on, so `--read-only`, `--disable-destructive` and `--disable-tools` still
// hold. An operator's `--toolsets` (`all` included) means exactly those, up front, with no meta tools.
// Over HTTP one process serves many users, so nothing is enabled per process there: `--toolsets` (or the
// defaults) alone decide.

export interface ToolsetDescriptions {
  /** What each toolset holds, for `toolset_list` (default: the names of its tools). */
  [toolset: string]: string;
}

export interface EnableOutcome {
  /** Toolsets turned on by this call. */
  enabled: string[];
  /** Toolsets that were on already. */
  already: string[];
  /** Tools listed now that were not before. */
  added: string[];
}

const TOOLSET_LIST = 'toolset_list';
const TOOLSET_ENABLE = 'toolset_enable';
const META = new Set([TOOLSET_LIST, TOOLSET_ENABLE]);

/** The toolsets of one stdio process: which are on, what the model may turn on, and the two meta tools. */
export class OnDemandToolsets {
  private readonly on: Set<string>;
  private readonly names: string[];
  private readonly enabledTools: ReadonlySet<string>;
  private readonly listeners = new Set<() => void>();
  private current: readonly ListedTool[] | undefined;
  readonly meta: ListedTool[];

  constructor(
    /** Every tool the operator allows, every toolset on. */
    readonly universe: readonly ListedTool[],
    defaults: readonly string[],
    policy: Policy,
    private readonly descriptions: ToolsetDescriptions = {},
  ) {
    this.names = [...new Set(universe.map(({ tool }) => tool.toolset))];
    this.on = new Set(defaults.filter((name) => this.names.includes(name)));
    this.enabledTools = new Set(policy.enableTools ?? []);
    this.meta = [this.listTool(), this.enableTool()].map((tool) => ({
      tool,
      input: strictInput(tool.input),
    }));
  }

  /** Whether anything is left to enable (else on-demand adds nothing but two tools). */
  get worthOffering(): boolean {
    return this.universe.some(({ tool }) => !this.isOn(tool));
  }

  /** Whether a tool is listed (and callable) now. */
  isOn(tool: AnyTool): boolean {
    return META.has(tool.name) || this.on.has(tool.toolset) || this.enabledTools.has(tool.name);
  }

  /** What tools/list answers now: the same array until a toolset is enabled. */
  listed(): readonly ListedTool[] {
    this.current ??= [...this.universe.filter(({ tool }) => this.isOn(tool)), ...this.meta];
    return this.current;
  }

  /** Calls `listener` whenever the listed tools change; returns how to stop. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  enable(requested: readonly string[]): EnableOutcome {
    const wanted = requested.includes('all') ? this.names : [...new Set(requested)];
    const unknown = wanted.filter((name) => !this.names.includes(name));
    if (unknown.length) {
      throw badInput(
        'toolsets',
        `no toolset ${unknown.join(', ')} here (or none of its tools is allowed by this server's settings)`,
        `pick from ${this.names.join(', ')}; see toolset_list`,
      );
    }
    const before = new Set(this.listed().map(({ tool }) => tool.name));
    const enabled = wanted.filter((name) => !this.on.has(name));
    for (const name of enabled) this.on.add(name);
    this.current = undefined;
    const added = this.listed()
      .map(({ tool }) => tool.name)
      .filter((name) => !before.has(name));
    if (added.length) for (const listener of this.listeners) listener();
    return { enabled, already: wanted.filter((name) => !enabled.includes(name)), added };
  }

  private toolsOf(name: string): AnyTool[] {
    return this.universe.filter(({ tool }) => tool.toolset === name).map(({ tool }) => tool);
  }

  private tokensOf = new Map<string, number>();

  /** Roughly what a toolset adds to tools/list, in tokens (name, description, input schema). */
  private costOf(name: string): number {
    let tokens = this.tokensOf.get(name);
    if (tokens === undefined) {
      tokens = this.universe
        .filter(({ tool }) => tool.toolset === name)
        .reduce(
          (sum, { tool, input }) =>
            sum +
            estimateTokens(
              JSON.stringify({
                name: tool.name,
                description: tool.description,
                inputSchema: portableInputSchema(input),
              }),
            ),
          0,
        );
      this.tokensOf.set(name, tokens);
    }
    return tokens;
  }

  private listTool(): AnyTool {
    return defineTool({
      name: TOOLSET_LIST,
      title: 'List toolsets',
      description:
        'Every toolset of this server: whether it is on, how many tools it has, roughly how many tokens ' +
        'its tool definitions cost, and what it holds. Turn one on with toolset_enable.',
      toolset: 'toolsets',
      input: z.object({}),
      output: z.object({
        items: z.array(
          z.object({
            name: z.string(),
            on: z.boolean(),
            tools: z.number(),
            tokens: z.number(),
            holds: z.string(),
          }),
        ),
      }),
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      render: {
        kind: 'list',
        noun: 'toolsets',
        columns: [
          { header: 'name', value: (row) => row.name },
          { header: 'on', value: (row) => row.on },
          { header: 'tools', value: (row) => row.tools },
          { header: 'tokens', value: (row) => row.tokens },
          { header: 'holds', value: (row) => row.holds, maxWidth: 400 },
        ],
      },
      handler: async () => ({
        items: this.names.map((name) => {
          const tools = this.toolsOf(name);
          return {
            name,
            on: tools.every((tool) => this.isOn(tool)),
            tools: tools.length,
            tokens: this.costOf(name),
            holds: this.descriptions[name] ?? tools.map((tool) => tool.name).join(', '),
          };
        }),
      }),
    });
  }

  private enableTool(): AnyTool {
    return defineTool({
      name: TOOLSET_ENABLE,
      title: 'Enable toolsets',
      description:
        'Turns toolsets on for this session (names from toolset_list, or "all"): their tools are listed ' +
        'from now on and the client is told the tool list changed. Answers which tools were added.',
      toolset: 'toolsets',
      input: z.object({
        toolsets: z.array(z.string().min(1)).min(1).max(50).describe('Toolset names, or ["all"]'),
      }),
      output: z.object({
        enabled: z.array(z.string()),
        already: z.array(z.string()),
        added: z.array(z.string()),
      }),
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      },
      render: { kind: 'text', text: enableText },
      handler: async ({ toolsets }) => this.enable(toolsets),
    });
  }
}

function enableText({ enabled, already, added }: EnableOutcome): string {
  const lines: string[] = [];
  if (enabled.length) lines.push(`Enabled: ${enabled.join(', ')}.`);
  if (already.length) lines.push(`Already on: ${already.join(', ')}.`);
  lines.push(added.length ? `Tools added: ${added.join(', ')}.` : 'No tools added.');
  return lines.join('\n');
}
