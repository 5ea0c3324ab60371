import { setMaxListeners } from 'node:events';
import type { Column } from '@cloudmcp/format';
import {
  type AnyTool,
  defineTool,
  type ToolAnnotations,
  type ToolContext,
  ToolError,
  type ToolRender,
} from '@cloudmcp/toolkit';
import type * as z from 'zod';
import type { KubeClient } from '../client.js';
import { kubeToolError } from '../errors.js';
import type { KubeTargets } from '../targets.js';
import { nonEmpty } from './common.js';
import { ALL_TARGETS, type FanOutResult, fanOut, fanOutNotes, fanOutOutput } from './fan-out.js';

/** What every Kubernetes tool handler receives as `ctx.deps`; a server's deps extend it. */
export interface KubeDeps {
  kube: KubeTargets;
}

export type KubeToolset = 'core' | 'workloads' | 'diagnostics' | 'access';

export interface KubeToolsOptions {
  /** Name of the argument that picks a cluster: `context` (kubeconfig users) or `cluster` (OKE, OCM). */
  targetArg?: 'context' | 'cluster';
  /** Several targets: every tool takes the target argument. With one target it is left out. */
  multiTarget?: boolean;
  /** Only these toolsets (default all four). */
  toolsets?: readonly KubeToolset[];
  /**
   * Leave out `context_list` (servers that list their clusters themselves, e.g. OCM's `cluster_list`).
   * Default: included when `targetArg` is `context`.
   */
  contextList?: boolean;
  /**
   * What else the target argument of a fan-out tool takes besides `*`, in words for its description (OCM:
   * label selectors over the managed clusters). The targets decide what it means (`KubeTargets.fanOutNames`).
   */
  fanOutSelector?: string;
}

/** One call of a Kubernetes tool: the target's client, the MCP request's signal and the tool context. */
export interface KubeCall {
  client: KubeClient;
  /** The target this call runs against (context or cluster name). */
  target: string;
  signal: AbortSignal;
  ctx: ToolContext<KubeDeps>;
}

type Shape = z.ZodObject<z.ZodRawShape>;
type Row = Record<string, unknown>;

export interface KubeToolSpec<I extends Shape, O extends Shape> {
  name: string;
  title: string;
  description: string;
  toolset: KubeToolset;
  input: I;
  output: O;
  annotations: ToolAnnotations;
  render: ToolRender<z.output<O>>;
  confirmMessage?: (input: z.output<I>, target: string) => string;
  /** Tools that need no cluster (context_list) get no client. */
  noClient?: boolean;
  /**
   * A scan whose rows merge across clusters (the diagnostics): with several targets, the target argument
   * also takes `*` to ask every one at once (see fan-out.ts). `sort` orders the merged rows.
   */
  fanOut?: { sort?: (a: Record<string, unknown>, b: Record<string, unknown>) => number };
  handler(input: z.output<I>, call: KubeCall): Promise<z.input<O>>;
}

/** Declares a Kubernetes tool; `kubeTools()` turns it into a toolkit tool for a server's target setup. */
export function kubeTool<I extends Shape, O extends Shape>(spec: KubeToolSpec<I, O>): KubeToolSpec<I, O> {
  return spec;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds specs of every input and output type.
export type AnyKubeToolSpec = KubeToolSpec<any, any>;

/** How every tool describes its target argument (the Kubernetes tools and the CLI tools alike). */
export function targetDefault(arg: 'context' | 'cluster'): string {
  return `Default: the ${arg === 'context' ? 'current context' : 'default cluster'}`;
}

function targetField(arg: 'context' | 'cluster', fanOut: boolean, selector: string | undefined) {
  const which = targetDefault(arg);
  return nonEmpty()
    .optional()
    .describe(
      fanOut ? `${which}; \`${ALL_TARGETS}\`: every ${arg}.${selector ? ` ${selector}` : ''}` : which,
    );
}

/** Output schema and list render of a fan-out tool: rows with their target, notes for missing targets. */
function fanOutShape(spec: AnyKubeToolSpec, arg: string): Pick<AnyKubeToolSpec, 'output' | 'render'> {
  const render = spec.render as ToolRender<{ items: Row[] }>;
  if (render.kind !== 'list') throw new Error(`fan-out tool ${spec.name} must render a list`);
  const target: Column<Row> = { header: arg, value: (r) => r[arg], collapseWhenUniform: true };
  return {
    output: fanOutOutput(spec.output, arg),
    render: {
      ...render,
      columns: [target, ...(render.columns as Column<Row>[])],
      notes: (out: Partial<FanOutResult>) => fanOutNotes(arg, out),
    } as AnyKubeToolSpec['render'],
  };
}

/** Builds the toolkit tool for one spec: adds the target argument when needed, resolves the client. */
export function materialize(spec: AnyKubeToolSpec, opts: KubeToolsOptions): AnyTool<KubeDeps> {
  const arg = opts.targetArg ?? 'context';
  const fans = opts.multiTarget === true && spec.fanOut !== undefined;
  const input =
    opts.multiTarget && !spec.noClient
      ? spec.input.extend({ [arg]: targetField(arg, fans, opts.fanOutSelector) })
      : spec.input;
  const shape = fans ? fanOutShape(spec, arg) : { output: spec.output, render: spec.render };
  return defineTool({
    name: spec.name,
    title: spec.title,
    description: spec.description,
    toolset: spec.toolset,
    input,
    output: shape.output,
    annotations: spec.annotations,
    render: shape.render,
    ...(spec.confirmMessage
      ? {
          confirmMessage: (args: Record<string, unknown>) => {
            const target = typeof args[arg] === 'string' ? (args[arg] as string) : undefined;
            const message = spec.confirmMessage!(args, target ?? 'the default cluster');
            return opts.multiTarget && target ? `${message} (${arg} ${target})` : message;
          },
        }
      : {}),
    async handler(args: Record<string, unknown>, ctx: ToolContext<KubeDeps>) {
      // Parallel requests (who_can, listing pages) each listen on the call's signal.
      setMaxListeners(256, ctx.signal);
      const { [arg]: wanted, ...rest } = args;
      const name = opts.multiTarget && typeof wanted === 'string' ? wanted : undefined;
      if (spec.noClient) {
        return spec.handler(rest, {
          client: undefined as never,
          target: name ?? '',
          signal: ctx.signal,
          ctx,
        });
      }
      const many = fans && name !== undefined ? await ctx.deps.kube.fanOutNames(name, ctx.signal) : undefined;
      if (many) return fanOut(spec, arg, rest as Parameters<typeof fanOut>[2], ctx, many);
      const client = await ctx.deps.kube.client(name, { field: arg, signal: ctx.signal });
      try {
        return await spec.handler(rest, { client, target: client.target, signal: ctx.signal, ctx });
      } catch (error) {
        throw withoutData(kubeToolError(error));
      }
    },
  }) as unknown as AnyTool<KubeDeps>;
}

/**
 * Drops `data` from a ToolError: the toolkit turns it into `structuredContent` of the error result, which
 * the MCP SDK client validates against the tool's output schema (even with `isError`) and rejects.
 */
function withoutData(error: unknown): unknown {
  if (!(error instanceof ToolError) || error.details.data === undefined) return error;
  const { data: _data, ...details } = error.details;
  return new ToolError(error.message, details);
}
