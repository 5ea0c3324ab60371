import { cursorOffset, page, type ToolContext, ToolError } from '@cloudmcp/toolkit';
import * as z from 'zod';
import { kubeToolError } from '../errors.js';
import { mapLimit } from './concurrency.js';
import type { AnyKubeToolSpec, KubeDeps } from './define.js';

// One question across every cluster: a scan tool (pods_not_ready, pods_crashlooping…) called with the target
// argument `*` runs on every target at once and answers with one list whose rows say their cluster. The
// alternative — one call per context — costs a model N round trips and N results to read; the peers offer
// nothing else.

/** The value of the target argument that means every target. */
export const ALL_TARGETS = '*';

/** How many clusters are asked at once. */
const CONCURRENCY = 8;

/** The most targets one `*` call asks of the operator's own kubeconfigs. */
export const MAX_FAN_OUT = 200;

/**
 * The most targets one `*` call asks when they came from a request (an X-Kubeconfig header): a tenant must
 * not make one call connect to many hosts of its choosing.
 */
export const MAX_UNTRUSTED_FAN_OUT = 16;

/** Every row of one target's scan (the scan tools cap what they read themselves), paged after the merge. */
const PER_TARGET_ROWS = Number.MAX_SAFE_INTEGER;

type Row = Record<string, unknown>;
type Shape = z.ZodObject<z.ZodRawShape>;

/** The item schema of a paged output (`items: z.array(row)`). */
function rowSchema(output: Shape): Shape {
  const items = output.shape['items'];
  if (!(items instanceof z.ZodArray) || !(items.element instanceof z.ZodObject)) {
    throw new Error('a fan-out tool must return a page of object rows (`items`)');
  }
  return items.element as Shape;
}

/** The output of a fan-out tool: each row with its target, and the targets that did not answer. */
export function fanOutOutput(output: Shape, arg: string): Shape {
  const row = rowSchema(output).extend({
    [arg]: z.string().optional().describe(`The ${arg} of this row (when every ${arg} was asked)`),
  });
  return output.extend({
    items: z.array(row),
    unreachable: z
      .array(z.object({ [arg]: z.string(), error: z.string() }))
      .optional()
      .describe(`Each ${arg} that could not be asked, and why; its rows are missing`),
  });
}

export interface FanOutResult {
  items: Row[];
  total: number;
  next_cursor?: string;
  unreachable?: Array<Record<string, string>>;
}

/** Runs `spec` on each of `names` (the targets `*` or a selector named), `CONCURRENCY` at a time, and pages the merged rows. */
export async function fanOut(
  spec: AnyKubeToolSpec,
  arg: string,
  input: Row & { limit: number; cursor?: string },
  ctx: ToolContext<KubeDeps>,
  names: string[],
): Promise<FanOutResult> {
  const offset = cursorOffset(input.cursor); // a bad cursor fails before any cluster is asked
  if (names.length === 0) {
    throw new ToolError('No Kubernetes cluster is configured.', {
      next: 'Start the server with a kubeconfig (KUBECONFIG or --kubeconfig) that has at least one context.',
    });
  }
  const cap = ctx.deps.kube.untrusted ? MAX_UNTRUSTED_FAN_OUT : MAX_FAN_OUT;
  if (names.length > cap) {
    throw new ToolError(
      `\`${ALL_TARGETS}\` asks at most ${cap} ${arg}s at once; there are ${names.length}.`,
      { next: `Ask the ${arg}s one by one (\`${arg}: "<name>"\`).` },
    );
  }
  const perTarget = await mapLimit(
    names,
    CONCURRENCY,
    async (name): Promise<{ rows: Row[] } | { error: string }> => {
      try {
        const client = await ctx.deps.kube.fanOutClient(name, { field: arg, signal: ctx.signal });
        const scan = { ...input, limit: PER_TARGET_ROWS, cursor: undefined };
        const out = (await spec.handler(scan, { client, target: name, signal: ctx.signal, ctx })) as {
          items: Row[];
        };
        return { rows: out.items.map((row) => ({ [arg]: name, ...row })) };
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        const cause = kubeToolError(error);
        return { error: cause instanceof Error ? cause.message : String(cause) };
      }
    },
  );

  const rows: Row[] = [];
  const unreachable: Array<Record<string, string>> = [];
  perTarget.forEach((result, i) => {
    if ('error' in result) unreachable.push({ [arg]: names[i]!, error: result.error });
    else rows.push(...result.rows);
  });
  if (spec.fanOut?.sort) rows.sort(spec.fanOut.sort);
  const paged = page(rows.slice(offset, offset + input.limit), { offset, total: rows.length });
  const result: FanOutResult = paged as FanOutResult;
  if (unreachable.length) result.unreachable = unreachable;
  return result;
}

/** The lines printed under a fan-out table: which targets are missing from it, and why. */
export function fanOutNotes(arg: string, output: Partial<FanOutResult>): string[] {
  return (output.unreachable ?? []).map((u) => `${arg} ${u[arg]} did not answer: ${u['error']}`);
}
