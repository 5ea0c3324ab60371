import { loadYaml } from '@cloudmcp/format';
import { type McpRequestContext, McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { runToolCall } from './call.js';
import { callerFromAuth } from './caller.js';
import { callerPolicy, writeRefusal, writeScopeChallenge } from './caller-access.js';
import { confirmField, needsConfirmation } from './confirm.js';
import { ToolError, toErrorResult } from './errors.js';
import { InflightCalls } from './inflight.js';
import type { Logger } from './logger.js';
import { outputSchemaOf } from './output-schema.js';
import { type Policy, selectTools } from './policy.js';
import type { AnyPrompt } from './prompt.js';
import type { RenderSettings } from './render.js';
import { createStateSeal, type StateSeal } from './request-state.js';
import { strictInput } from './strict-input.js';
import type { AnyTool, Transport } from './tool.js';
import { type ListedTool, serveCachedToolList } from './tool-list.js';
import { OnDemandToolsets, type ToolsetDescriptions } from './toolsets.js';

export interface ServerSpec<D> {
  name: string;
  version: string;
  /** Sent to clients (initialize, server/discover): how the tools fit together. */
  instructions?: string;
  tools: readonly AnyTool<D>[];
  /**
   * What a read-only policy lists instead of `tools`, where some tools have a read-only variant of the same
   * name (a kubectl that runs only reading commands): used for `--read-only` and for HTTP callers whose token
   * grants reading only. Default `tools`, filtered by the policy.
   */
  readOnlyTools?: readonly AnyTool<D>[];
  /**
   * Toolsets on when `--toolsets` is not given; all when undefined. Over stdio the others stay reachable:
   * the server then also lists `toolset_list` and `toolset_enable` (see toolsets.ts).
   */
  defaultToolsets?: readonly string[];
  /**
   * Toolsets on over HTTP when `--toolsets` is not given, where nothing can be enabled later (one process
   * serves every caller): a server whose stdio default is small keeps its every-day toolsets here. Default
   * `defaultToolsets`.
   */
  httpToolsets?: readonly string[];
  /**
   * Toolsets only the operator turns on (`--toolsets`, `--enable-tools`): `toolset_enable` neither lists nor
   * enables them, so a model cannot widen its own session into them (Cloudeka's platform-operator views).
   */
  operatorToolsets?: readonly string[];
  /** What each toolset holds, one line each, for `toolset_list` (default: the names of its tools). */
  toolsets?: ToolsetDescriptions;
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
  /**
   * Over HTTP: the dependencies for one request, from its headers (a kubeconfig, an environment); the
   * shared ones otherwise. Must be cheap and must not touch the network.
   */
  requestDeps?: (deps: D, headers: Headers) => D;
  /** Seals confirmation state; default a fresh random key (fine for one process). */
  seal?: StateSeal;
}

/**
 * Builds one MCP server instance: what `serveStdio` pins to a connection and `createMcpHandler` builds per
 * HTTP request (the SDK's `McpServerFactory`). `cancel` is for the HTTP transport: a 2025-era client's
 * `notifications/cancelled` arrives in its own POST and is matched to the call here.
 */
export interface ToolServerFactory {
  (context?: Partial<McpRequestContext>): McpServer;
  inflight: InflightCalls;
}

/** How long a client may cache what it discovers and lists: it changes only when the process restarts. */
const LIST_CACHE = { ttlMs: 300_000, cacheScope: 'public' } as const;

/**
 * The factory of MCP servers exposing the tools the policy allows, for both protocol eras. Every call goes
 * through `runToolCall`: confirmation for destructive tools, progress, logs and cancellation wired to the
 * handler, output checked against the tool's schema, text rendered within the budget, and any failure
 * turned into an error result. A context with an HTTP request means HTTP (many users of one process);
 * none means stdio. Over HTTP the caller's credential may narrow the policy (see callerPolicy).
 */
export function createToolServer<D>(spec: ServerSpec<D>, options: RuntimeOptions<D>): ToolServerFactory {
  const seal = options.seal ?? createStateSeal();
  const inflight = new InflightCalls();
  // one per process: over stdio a process serves one client, and what it enables is that client's
  const onDemand = onDemandToolsets(spec, options.policy);
  const factory = (context?: Partial<McpRequestContext>): McpServer => {
    const request = context?.requestInfo;
    const transport: Transport = request ? 'http' : 'stdio';
    const toolsets = transport === 'stdio' ? onDemand : undefined;
    const deps =
      request && options.requestDeps ? options.requestDeps(options.deps, request.headers) : options.deps;
    const server = new McpServer(
      { name: spec.name, version: spec.version },
      {
        // the tool list changes only where a stdio client may enable toolsets; prompts never change
        capabilities: {
          logging: {},
          tools: { listChanged: toolsets !== undefined },
          ...(spec.prompts?.length ? { prompts: { listChanged: false } } : {}),
        },
        ...(spec.instructions ? { instructions: spec.instructions } : {}),
        requestState: { verify: seal.verify },
        cacheHints: { 'tools/list': LIST_CACHE, 'prompts/list': LIST_CACHE, 'server/discover': LIST_CACHE },
      },
    );
    const caller = callerFromAuth(context?.authInfo);
    const policy = callerPolicy(options.policy, caller);
    const listed = toolsets ? toolsets.listed() : planFor(spec, policy, transport);
    const callable = toolsets ? [...toolsets.universe, ...toolsets.meta] : listed;
    const env = {
      server,
      policy,
      render: options.render,
      logger: options.logger,
      deps,
      seal,
      transport,
      serverName: spec.name,
      ...(spec.mapError ? { mapError: spec.mapError } : {}),
      ...(transport === 'http' ? { inflight } : {}),
    };
    for (const entry of callable) {
      const output = outputSchemaOf(entry.tool);
      const registered = server.registerTool(
        entry.tool.name,
        {
          title: entry.tool.title,
          description: entry.tool.description,
          inputSchema: RAW_ARGUMENTS,
          outputSchema: output.zod,
          annotations: { title: entry.tool.title, ...entry.tool.annotations },
        },
        (args: Record<string, unknown>, ctx) =>
          toolsets && !toolsets.isOn(entry.tool)
            ? toErrorResult(toolsetOff(entry.tool), entry.tool.name)
            : runToolCall(entry, args, ctx, env),
      );
      // the SDK would convert it again on every server instance's first call: one per HTTP request
      registered.outputSchemaJson = output.json;
    }
    if (caller?.missingWriteScope !== undefined && policy !== options.policy) {
      registerStepUp(server, planFor(spec, options.policy, transport), listed, caller.missingWriteScope);
    }
    serveCachedToolList(server, toolsets ? () => toolsets.listed() : () => listed, () =>
      warmOnce(spec, options.deps, options.logger),
    );
    if (toolsets) {
      const stop = toolsets.onChange(() => server.sendToolListChanged());
      const closed = server.server.onclose;
      server.server.onclose = () => {
        stop();
        closed?.();
      };
    }
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
  };
  return Object.assign(factory, { inflight });
}

/**
 * The operator's tools a read-only caller is not given: registered unlisted, with the write scope as their
 * scope challenge (a 403 before anything runs; see caller-access.ts), refusing where none can be sent.
 */
function registerStepUp(
  server: McpServer,
  operators: readonly ListedTool[],
  listed: readonly ListedTool[],
  scope: string,
): void {
  const given = new Set(listed.map((entry) => entry.tool.name));
  const scopeChallenge = writeScopeChallenge(scope);
  for (const { tool } of operators) {
    if (given.has(tool.name)) continue;
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: RAW_ARGUMENTS, scopeChallenge },
      () => writeRefusal(tool.name, scope),
    );
  }
}

/**
 * Toolsets on demand, when they apply: a spec with default toolsets, an operator who named none (an
 * explicit `--toolsets`, `all` included, serves exactly those), and something left to enable.
 */
function onDemandToolsets<D>(spec: ServerSpec<D>, policy: Policy): OnDemandToolsets | undefined {
  if (!spec.defaultToolsets || policy.toolsets !== undefined) return undefined;
  const operatorOnly = new Set(spec.operatorToolsets ?? []);
  const universe = planFor(spec, { ...policy, toolsets: ['all'] }, 'stdio').filter(
    (entry) => !operatorOnly.has(entry.tool.toolset),
  );
  const toolsets = new OnDemandToolsets(universe, spec.defaultToolsets, policy, spec.toolsets);
  return toolsets.worthOffering ? toolsets : undefined;
}

function toolsetOff(tool: AnyTool): ToolError {
  return new ToolError(`${tool.name} is in the toolset ${tool.toolset}, which is off`, {
    next: `turn it on with toolset_enable {"toolsets": ["${tool.toolset}"]}`,
  });
}

const warmed = new WeakSet<ServerSpec<never>>();

/** After the first tools/list: what the first call would otherwise wait for (YAML, the server's own warm-up). */
function warmOnce<D>(spec: ServerSpec<D>, deps: D, log: Logger): void {
  if (warmed.has(spec as ServerSpec<never>)) return;
  warmed.add(spec as ServerSpec<never>);
  Promise.all([loadYaml(), spec.warm?.(deps)]).catch((error: unknown) =>
    log.debug('warm-up failed', { error: String(error) }),
  );
}

/** The toolsets a transport starts with when `--toolsets` is not given. */
export function defaultToolsetsOn<D>(
  spec: ServerSpec<D>,
  transport: Transport,
): readonly string[] | undefined {
  return transport === 'http' ? (spec.httpToolsets ?? spec.defaultToolsets) : spec.defaultToolsets;
}

const plans = new WeakMap<ServerSpec<never>, Map<string, ListedTool[]>>();

/**
 * The tools a policy exposes on a transport, with their input schemas (plus `confirm` where the operator
 * lets a model confirm, every object strict), computed once per server spec, policy and transport: a
 * stateless HTTP server builds a server per request.
 */
function planFor<D>(spec: ServerSpec<D>, policy: Policy, transport: Transport): ListedTool[] {
  let byPolicy = plans.get(spec as ServerSpec<never>);
  if (!byPolicy) {
    byPolicy = new Map();
    plans.set(spec as ServerSpec<never>, byPolicy);
  }
  const key = `${transport} ${JSON.stringify(policy)}`;
  let listed = byPolicy.get(key);
  if (!listed) {
    const tools = policy.readOnly && spec.readOnlyTools ? spec.readOnlyTools : spec.tools;
    listed = selectTools(tools, policy, defaultToolsetsOn(spec, transport))
      .tools.filter((tool) => transport === 'stdio' || !tool.stdioOnly)
      .map((tool) => ({
        tool,
        input: strictInput(
          needsConfirmation(tool, policy) && policy.allowModelConfirm
            ? tool.input.extend({ confirm: confirmField })
            : tool.input,
        ),
      }));
    byPolicy.set(key, listed);
  }
  return listed;
}

// The SDK is handed the arguments untouched (tools/list is ours, from the strict schema); parseArguments
// checks them, so that unknown names and bad values are error results naming the field.
const RAW_ARGUMENTS = z.looseObject({});
