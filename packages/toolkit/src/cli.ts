import type { z } from 'zod';
import {
  type CommonConfig,
  ConfigError,
  commonConfigSchema,
  readRawConfig,
  validateConfig,
} from './config.js';
import { routeConsoleToLogger } from './console.js';
import { helpText, toolListText } from './help.js';
import { createLogger, type LogFormat, type Logger, type LogLevel } from './logger.js';
import { oauthSettingsFrom } from './oauth/settings.js';
import type { OptionSpec } from './options.js';
import { type Policy, selectTools } from './policy.js';
import { createStateSeal } from './request-state.js';
import { createToolServer, defaultToolsetsOn, type ServerSpec } from './server.js';
import type { HttpHandle } from './transports/http.js';
import { serveHttp, serveStdio } from './transports/lazy.js';

export interface ServerCliSpec<S extends z.ZodObject<z.ZodRawShape>, D> {
  /** The command name: `cloudstack-mcp`. */
  bin: string;
  version: string;
  /** One line for --help: "MCP server for Apache CloudStack". */
  description: string;
  /** Title of the server's own options section in --help. */
  optionsTitle: string;
  /** The server's own options (the common ones are added). */
  options: OptionSpec[];
  /** Validates the server's own options (camelCase keys); extended with the common ones. */
  configSchema: S;
  /**
   * The tools and prompts, or a function building them when their shape depends on the configuration
   * (the Kubernetes server adds `context` arguments when the kubeconfig has several). The function is
   * called once: with nothing for `--help`, with the config for `--list-tools`, with both at start-up.
   */
  server: ServerSpec<D> | ((config?: z.output<S> & CommonConfig, deps?: D) => ServerSpec<D>);
  /**
   * Builds the handlers' dependencies (the upstream client) once at start-up. Must not touch the network:
   * start-up stays cheap and a server starts even while its cloud is unreachable. Throw ConfigError for
   * a configuration problem (one line, exit status 2).
   */
  createDeps(config: z.output<S> & CommonConfig, logger: Logger): D | Promise<D>;
  /**
   * Over HTTP: per-request dependencies from the request's headers (a kubeconfig, an environment); the
   * shared ones otherwise. Name those headers in `requestHeaders`.
   */
  requestDeps?(deps: D, headers: Headers): D;
  /** The headers `requestDeps` reads: part of the caller's identity (see serveHttp's `callerHeaders`). */
  requestHeaders?: readonly string[];
  /** What `GET /readyz?verbose` adds (behind auth; never secrets): CLIs found, contexts … */
  health?(deps: D): Record<string, unknown> | Promise<Record<string, unknown>>;
  examples?: string[];
}

export function policyFrom(config: CommonConfig): Policy {
  return {
    readOnly: config.readOnly,
    disableDestructive: config.disableDestructive,
    confirm: config.confirm,
    allowModelConfirm: config.allowModelConfirm,
    ...(config.toolsets ? { toolsets: config.toolsets } : {}),
    ...(config.enableTools ? { enableTools: config.enableTools } : {}),
    ...(config.disableTools ? { disableTools: config.disableTools } : {}),
  };
}

/** Loads and validates the configuration; throws ConfigError with one line on any problem. */
export function loadServerConfig<S extends z.ZodObject<z.ZodRawShape>, D>(
  spec: ServerCliSpec<S, D>,
  argv: string[],
  env: NodeJS.ProcessEnv,
) {
  const loaded = readRawConfig(argv, env, spec.options);
  if (loaded.help || loaded.version) return { ...loaded, config: undefined };
  const schema = commonConfigSchema.extend(spec.configSchema.shape);
  const config = validateConfig(schema, loaded.raw, spec.options) as z.output<S> & CommonConfig;
  return { ...loaded, config };
}

/**
 * The whole life of a server process: parse options, print help/version/tool list, or serve over stdio
 * or HTTP. Configuration errors exit with status 2 and one line on stderr.
 */
export async function runServerCli<S extends z.ZodObject<z.ZodRawShape>, D>(
  spec: ServerCliSpec<S, D>,
  argv: string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  try {
    await run(spec, argv, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${spec.bin}: ${error.message}\n`);
    process.exitCode = 2;
  }
}

async function run<S extends z.ZodObject<z.ZodRawShape>, D>(
  spec: ServerCliSpec<S, D>,
  argv: string[],
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const loaded = loadServerConfig(spec, argv, env);
  const shape = (config?: z.output<S> & CommonConfig, deps?: D): ServerSpec<D> =>
    typeof spec.server === 'function' ? spec.server(config, deps) : spec.server;
  if (loaded.help) {
    process.stdout.write(helpText({ ...spec, tools: shape().tools }));
    return;
  }
  if (loaded.version) {
    process.stdout.write(`${spec.version}\n`);
    return;
  }
  const config = loaded.config!;
  if (config.sse && !config.http)
    throw new ConfigError('--sse (CLOUDMCP_SSE) serves the legacy transport over HTTP: add --http');
  const oauth = oauthSettingsFrom(config);
  if (oauth && !config.http)
    throw new ConfigError('--oauth-issuer (CLOUDMCP_OAUTH_ISSUER) protects the HTTP transport: add --http');
  const policy = policyFrom(config);
  if (loaded.listTools) {
    const listed = shape(config);
    process.stdout.write(
      `${toolListText(selectTools(listed.tools, policy, listed.defaultToolsets).tools)}\n`,
    );
    return;
  }
  const logger = createLogger({
    name: spec.bin,
    level: config.logLevel as LogLevel,
    format: config.logFormat as LogFormat,
  });
  routeConsoleToLogger(logger);
  const deps = await spec.createDeps(config, logger);
  const server = shape(config, deps);
  const selection = selectTools(
    server.tools,
    policy,
    defaultToolsetsOn(server, config.http === undefined ? 'stdio' : 'http'),
  );
  if (selection.unknown.length)
    logger.warn(`unknown names in the tool policy: ${selection.unknown.join(', ')}`);
  const runtime = {
    policy,
    logger,
    render: { maxTokens: config.maxOutputTokens, allowSecrets: config.allowSecrets, output: config.output },
  };
  const factory = createToolServer(server, {
    ...runtime,
    deps,
    ...(spec.requestDeps ? { requestDeps: spec.requestDeps } : {}),
    seal: createStateSeal(config.stateKey ? { key: config.stateKey } : {}),
  });

  if (!config.http) {
    await serveStdio(factory);
    return;
  }
  const handle = await serveHttp({
    listen: config.http,
    logger,
    factory,
    ...(spec.requestHeaders ? { callerHeaders: spec.requestHeaders } : {}),
    ...(config.httpToken ? { token: config.httpToken } : {}),
    ...(oauth ? { oauth } : {}),
    allowUnauthenticated: config.httpAllowUnauthenticated,
    ...(config.allowedHosts ? { allowedHosts: config.allowedHosts } : {}),
    ...(config.allowedOrigins ? { allowedOrigins: config.allowedOrigins } : {}),
    limits: { maxConnections: config.httpMaxConnections },
    sse: config.sse,
    health: async () => ({ server: spec.bin, version: spec.version, ...(await spec.health?.(deps)) }),
  });
  logger.info(`serving MCP on ${handle.url}`);
  noteFixedToolsets(server, policy, selection.tools.length, logger);
  stopOnSignals(handle, config.shutdownTimeout * 1000, logger);
}

/**
 * Over HTTP one process serves many users, so no toolset is enabled on demand: the defaults or
 * `--toolsets` alone decide. Said at start-up where a stdio client would have had more to enable, and as
 * a warning when that leaves no tool at all.
 */
function noteFixedToolsets<D>(server: ServerSpec<D>, policy: Policy, listed: number, logger: Logger): void {
  if (listed === 0) {
    logger.warn(
      'no tool is served: over HTTP the toolsets are fixed at start-up; choose them with --toolsets',
    );
  } else if (server.defaultToolsets && !policy.toolsets) {
    logger.info(
      `over HTTP the toolsets are fixed at start-up: ${defaultToolsetsOn(server, 'http')?.join(', ')} ` +
        '(no toolset_enable: one process serves every caller); --toolsets all serves every toolset',
    );
  }
}

/**
 * SIGTERM or SIGINT: stop taking work and let running calls finish (Kubernetes waits 30 s before it kills,
 * hence the 25 s default), then exit. A second signal exits at once.
 */
function stopOnSignals(handle: HttpHandle, timeoutMs: number, logger: Logger): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn(`${signal} again: stopping now`);
      handle.close().finally(() => process.exit(1));
      return;
    }
    stopping = true;
    logger.info(`${signal}: finishing running calls (up to ${timeoutMs / 1000} s), taking no new ones`);
    handle.shutdown(timeoutMs).then((unfinished) => {
      if (unfinished)
        logger.warn(`stopped with ${unfinished} request(s) unfinished after ${timeoutMs / 1000} s`);
      else logger.info('stopped: every running call finished');
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
