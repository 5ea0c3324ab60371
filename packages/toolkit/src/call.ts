import { loadYaml } from '@cloudmcp/format';
import {
  type CallToolResult,
  CLIENT_CAPABILITIES_META_KEY,
  type ClientCapabilities,
  type InputRequiredResult,
  isInputRequiredResult,
  type LoggingLevel,
  type McpServer,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { parseArguments } from './arguments.js';
import { callerIdentity } from './caller.js';
import { ConfirmationGate, ConfirmationNeeded, destructiveStepGuard, needsConfirmation } from './confirm.js';
import { ToolError, toErrorResult } from './errors.js';
import { capLimitToFit, carryFit, rememberFit } from './fit.js';
import { UpstreamError } from './http.js';
import type { InflightCalls } from './inflight.js';
import type { Logger } from './logger.js';
import type { ToolOutcome } from './metrics.js';
import { RESUME } from './pagination.js';
import type { Policy } from './policy.js';
import { type RenderSettings, renderToolResult } from './render.js';
import { metrics } from './request-context.js';
import { argumentsDigest, callerOf, type StateSeal } from './request-state.js';
import type { AnyTool, ProgressUpdate, ToolContext, Transport } from './tool.js';
import type { ListedTool } from './tool-list.js';

/** Everything one tool call needs from the server it runs in. */
export interface CallEnvironment<D> {
  server: McpServer;
  policy: Policy;
  render: RenderSettings;
  logger: Logger;
  deps: D;
  seal: StateSeal;
  transport: Transport;
  serverName: string;
  mapError?: (error: unknown, toolName: string) => ToolError | undefined;
  /** Over HTTP: where a 2025-era client's `notifications/cancelled` (a separate POST) finds this call. */
  inflight?: InflightCalls;
}

/**
 * One tool call, the same on every transport and era: arguments checked, confirmation asked where the
 * policy says so (answering "input required" until the user has agreed), progress, logs and cancellation
 * wired to the handler, output checked against the tool's schema, text rendered within the budget, and
 * any failure turned into an error result.
 */
export async function runToolCall<D>(
  listed: ListedTool,
  args: Record<string, unknown>,
  ctx: ServerContext,
  env: CallEnvironment<D>,
): Promise<CallToolResult | InputRequiredResult> {
  const started = performance.now();
  const refusal = { refused: false };
  let outcome: ToolOutcome = 'error';
  try {
    const result = await callTool(listed, args, ctx, env, refusal);
    outcome = isInputRequiredResult(result)
      ? 'input_required'
      : !result.isError
        ? 'ok'
        : refusal.refused
          ? 'refused'
          : 'error';
    return result;
  } finally {
    metrics().toolCall(listed.tool.name, outcome, (performance.now() - started) / 1000);
  }
}

/** The confirmation policy's own ToolErrors (refused, declined, replayed) make the outcome `refused`. */
async function refusing(refusal: { refused: boolean }, step: () => void | Promise<void>): Promise<void> {
  try {
    await step();
  } catch (error) {
    if (error instanceof ToolError) refusal.refused = true;
    throw error;
  }
}

async function callTool<D>(
  { tool, input: inputSchema }: ListedTool,
  args: Record<string, unknown>,
  ctx: ServerContext,
  env: CallEnvironment<D>,
  refusal: { refused: boolean },
): Promise<CallToolResult | InputRequiredResult> {
  const parsed = parseArguments(tool.name, inputSchema, args);
  if (parsed instanceof ToolError) return toErrorResult(parsed, tool.name);
  const confirming = needsConfirmation(tool, env.policy);
  // `confirm` is ours (and only there under --allow-model-confirm); defineTool keeps tools from using the name
  const { confirm: confirmArg, ...rest } = parsed;
  const { input, fit } = capLimitToFit(confirming ? rest : parsed);
  const gate = confirming
    ? new ConfirmationGate({
        tool,
        policy: env.policy,
        seal: env.seal,
        ctx,
        capabilities: clientCapabilities(env.server, ctx),
        argsDigest: argumentsDigest(rest),
        confirmArg: confirmArg as boolean | undefined,
      })
    : undefined;
  const log = env.logger.with((level, message, fields) => {
    const data = fields ? { message, ...fields } : message;
    ctx.mcpReq.log(MCP_LEVELS[level], data, env.serverName).catch(() => {});
  });
  // 2025-era over HTTP only: a 2026-07-28 client carries an envelope and cancels by closing the stream
  const tracked =
    env.inflight && ctx.mcpReq.envelope === undefined
      ? env.inflight.track(callerOf(ctx), ctx.mcpReq.id)
      : undefined;
  const guard = destructiveStepGuard(tool, env.policy, gate);
  const handlerCtx: ToolContext<D> = {
    signal: tracked ? AbortSignal.any([ctx.mcpReq.signal, tracked.signal]) : ctx.mcpReq.signal,
    log,
    deps: env.deps,
    toolName: tool.name,
    transport: env.transport,
    progress: (update) => sendProgress(ctx, update),
    confirmDestructive: (what) => refusing(refusal, () => guard(what)),
  };
  const caller = callerIdentity(ctx);
  if (caller) handlerCtx.caller = caller;
  try {
    await loadYaml(); // handlers and rendering read and write YAML synchronously
    await refusing(refusal, () => gate?.checkReplay());
    // a tool that asks per step (asksToConfirm) is destructive only through the steps its handler finds
    if (gate && tool.annotations.destructiveHint && !tool.asksToConfirm) {
      await refusing(refusal, () =>
        gate.require(tool.confirmMessage?.(input) ?? `${tool.title} (${tool.name})`),
      );
    }
    const raw = (await (tool as AnyTool<D>).handler(input, handlerCtx)) as Record<string | symbol, unknown>;
    const resume = rememberFit(raw[RESUME] as ((shown: number) => string | undefined) | undefined);
    const output = tool.output.safeParse(raw);
    if (!output.success) {
      const issue = output.error.issues[0];
      throw new Error(
        `output does not match its schema at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
      );
    }
    carryFit(output.data, fit);
    return renderToolResult(tool, output.data, resume, env.render);
  } catch (thrown) {
    if (thrown instanceof ConfirmationNeeded && gate) return gate.ask(thrown.what);
    const error = env.mapError?.(thrown, tool.name) ?? thrown;
    if (!(error instanceof ToolError) && !(error instanceof UpstreamError)) {
      log.error(`${tool.name} failed`, { error: String(error) });
    }
    return toErrorResult(error, tool.name);
  } finally {
    tracked?.release();
  }
}

const MCP_LEVELS: Record<'debug' | 'info' | 'warn' | 'error', LoggingLevel> = {
  debug: 'debug',
  info: 'info',
  warn: 'warning',
  error: 'error',
};

/** Per request on 2026-07-28 (the `_meta` envelope); from `initialize` on a 2025-era connection. */
function clientCapabilities(server: McpServer, ctx: ServerContext): ClientCapabilities | undefined {
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  const modern = envelope?.[CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities | undefined;
  return modern ?? server.server.getClientCapabilities();
}

async function sendProgress(ctx: ServerContext, update: ProgressUpdate): Promise<void> {
  const progressToken = ctx.mcpReq._meta?.progressToken;
  if (progressToken === undefined) return;
  await ctx.mcpReq
    .notify({ method: 'notifications/progress', params: { progressToken, ...update } })
    .catch(() => {});
}
