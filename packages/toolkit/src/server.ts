import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  type CallToolResult,
  type ElicitRequestFormParams,
  ElicitResultSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { parseArguments } from './arguments.js';
import {
  confirmDestructive,
  confirmField,
  destructiveStepGuard,
  type Elicitor,
  needsConfirmation,
} from './confirm.js';
import { ToolError, toErrorResult } from './errors.js';
import { capLimitToFit, carryFit, rememberFit } from './fit.js';
import { UpstreamError } from './http.js';
import type { Logger, LogSink } from './logger.js';
import { RESUME } from './pagination.js';
import { type Policy, selectTools } from './policy.js';
import type { AnyPrompt } from './prompt.js';
import { type RenderSettings, renderToolResult } from './render.js';
import { strictInput } from './strict-input.js';
import type { AnyTool, ProgressUpdate, ToolContext } from './tool.js';
import { type ListedTool, serveCachedToolList } from './tool-list.js';

export interface ServerSpec<D> {
  name: string;
  version: string;
  /** Sent to clients at initialize: how the tools fit together. */
  instructions?: string;
  tools: readonly AnyTool<D>[];
  /** Toolsets on when `--toolsets` is not given; all when undefined. */
  defaultToolsets?: readonly string[];
  /** Prompt templates offered to the user (investigations that chain the tools). */
  prompts?: readonly AnyPrompt[];
  /** Turns the upstream client's own errors into ToolErrors (code, message, next step). */
  mapError?: (error: unknown, toolName: string) => ToolError | undefined;
  /**
   * Loads what the first call would otherwise wait for (a large client library), once per process, after
   * the client first lists the tools: never at start-up, so `initialize` stays fast. Must not touch the
   * network; a failure is only logged (the call that needs it will report it).
   */
  warm?: (deps: D) => void | Promise<void>;
}

export interface RuntimeOptions<D> {
  policy: Policy;
  render: RenderSettings;
  logger: Logger;
  deps: D;
}

/**
 * Builds an MCP server exposing the tools the policy allows. Every call goes through one wrapper:
 * confirmation for destructive tools, progress and cancellation wired to the handler, output checked
 * against the tool's schema, text rendered within the budget, and any failure turned into an error result.
 */
export function createToolServer<D>(spec: ServerSpec<D>, options: RuntimeOptions<D>): McpServer {
  const server = new McpServer(
    { name: spec.name, version: spec.version },
    { capabilities: { logging: {} }, ...(spec.instructions ? { instructions: spec.instructions } : {}) },
  );
  const toMcp: LogSink = (level, message, fields) => {
    if (!server.isConnected()) return;
    const mcpLevel = level === 'warn' ? 'warning' : level;
    server
      .sendLoggingMessage({
        level: mcpLevel,
        logger: spec.name,
        data: fields ? { message, ...fields } : message,
      })
      .catch(() => {});
  };
  const log = options.logger.with(toMcp);
  const listed = planFor(spec, options.policy);
  for (const entry of listed) registerTool(server, entry, options, log, spec.mapError);
  serveCachedToolList(server, listed, spec.warm && (() => warmOnce(spec, options.deps, log)));
  for (const prompt of spec.prompts ?? []) {
    server.registerPrompt(
      prompt.name,
      { title: prompt.title, description: prompt.description, argsSchema: prompt.args },
      (args: Record<string, string>) => ({
        messages: [{ role: 'user' as const, content: { type: 'text' as const, text: prompt.text(args) } }],
      }),
    );
  }
  return server;
}

const warmed = new WeakSet<ServerSpec<never>>();

function warmOnce<D>(spec: ServerSpec<D>, deps: D, log: Logger): void {
  if (warmed.has(spec as ServerSpec<never>)) return;
  warmed.add(spec as ServerSpec<never>);
  Promise.resolve()
    .then(() => spec.warm?.(deps))
    .catch((error: unknown) => log.debug('warm-up failed', { error: String(error) }));
}

const plans = new WeakMap<ServerSpec<never>, Map<string, ListedTool[]>>();

/**
 * The tools a policy exposes, with their input schemas (plus `confirm` where confirmation applies, every
 * object strict), computed once per server spec and policy: a stateless HTTP server builds a server per
 * request.
 */
function planFor<D>(spec: ServerSpec<D>, policy: Policy): ListedTool[] {
  let byPolicy = plans.get(spec as ServerSpec<never>);
  if (!byPolicy) {
    byPolicy = new Map();
    plans.set(spec as ServerSpec<never>, byPolicy);
  }
  const key = JSON.stringify(policy);
  let listed = byPolicy.get(key);
  if (!listed) {
    listed = selectTools(spec.tools, policy, spec.defaultToolsets).tools.map((tool) => ({
      tool,
      input: strictInput(
        needsConfirmation(tool, policy) ? tool.input.extend({ confirm: confirmField }) : tool.input,
      ),
    }));
    byPolicy.set(key, listed);
  }
  return listed;
}

// The SDK is handed the arguments untouched (tools/list is ours, from the strict schema); parseArguments
// checks them, so that unknown names and bad values are error results naming the field.
const RAW_ARGUMENTS = z.looseObject({});

function registerTool<D>(
  server: McpServer,
  { tool, input: inputSchema }: ListedTool,
  options: RuntimeOptions<D>,
  log: Logger,
  mapError: ServerSpec<D>['mapError'],
): void {
  const confirm = needsConfirmation(tool, options.policy);
  server.registerTool(
    tool.name,
    {
      title: tool.title,
      description: tool.description,
      inputSchema: RAW_ARGUMENTS,
      outputSchema: tool.output,
      annotations: { title: tool.title, ...tool.annotations },
    },
    async (args: Record<string, unknown>, extra): Promise<CallToolResult> => {
      const parsed = parseArguments(tool.name, inputSchema, args);
      if (parsed instanceof ToolError) return toErrorResult(parsed, tool.name);
      // `confirm` is ours only on tools that confirm; defineTool keeps their own inputs from using the name
      const { confirm: confirmArg, ...rest } = parsed;
      const { input, fit } = capLimitToFit(confirm ? rest : parsed);
      const progressToken = extra._meta?.progressToken;
      const elicitor: Elicitor = {
        supported: Boolean(server.server.getClientCapabilities()?.elicitation),
        ask: (params: ElicitRequestFormParams) =>
          extra.sendRequest({ method: 'elicitation/create', params }, ElicitResultSchema),
      };
      const given = confirm ? (confirmArg as boolean | undefined) : undefined;
      const ctx: ToolContext<D> = {
        signal: extra.signal,
        log,
        deps: options.deps,
        toolName: tool.name,
        progress: async (update: ProgressUpdate) => {
          if (progressToken === undefined) return;
          await extra
            .sendNotification({ method: 'notifications/progress', params: { progressToken, ...update } })
            .catch(() => {});
        },
        confirmDestructive: destructiveStepGuard(tool, options.policy, elicitor, given),
      };
      try {
        // a tool that asks per step (asksToConfirm) is destructive only through the steps its handler finds
        if (confirm && tool.annotations.destructiveHint && !tool.asksToConfirm) {
          const what = tool.confirmMessage?.(input) ?? `${tool.title} (${tool.name})`;
          await confirmDestructive(elicitor, tool.name, what, given);
        }
        const raw = (await (tool as AnyTool<D>).handler(input, ctx)) as Record<string | symbol, unknown>;
        const resume = rememberFit(raw[RESUME] as ((shown: number) => string | undefined) | undefined);
        const parsed = tool.output.safeParse(raw);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new Error(
            `output does not match its schema at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
          );
        }
        carryFit(parsed.data, fit);
        return renderToolResult(tool, parsed.data, resume, options.render);
      } catch (thrown) {
        const error = mapError?.(thrown, tool.name) ?? thrown;
        if (!(error instanceof ToolError) && !(error instanceof UpstreamError)) {
          log.error(`${tool.name} failed`, { error: String(error) });
        }
        return toErrorResult(error, tool.name);
      }
    },
  );
}
