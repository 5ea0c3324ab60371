import { AuthCache } from '@cloudmcp/auth-cache';
import { type CommonConfig, ConfigError, HttpClient, type Logger } from '@cloudmcp/toolkit';
import { CloudekaClient, type Environment } from './client/client.js';
import type { CloudekaConfig } from './config.js';
import { ENVIRONMENT_HEADER, headerRejected, parseEnvironmentHeader } from './environment-header.js';
import { type TokenDir, tokenDirFrom } from './token-dir.js';

/** What every Cloudeka tool handler receives as `ctx.deps`. */
export interface CloudekaDeps {
  /**
   * The client of this request: the operator's (`--environment`), a view bound to the request's
   * X-Cloudeka-Environment header (HTTP), or to the environment the user switched to (stdio).
   */
  client: CloudekaClient;
  /** `CLDKCTL_DEFAULT_PROJECT_ID`: used when a tool is called without `project_id`. */
  defaultProjectId?: string;
  /** Where token_regenerate saves new token values (--token-dir; the stdio default; none over HTTP). */
  tokenDir: TokenDir;
}

/**
 * Builds the client from the configuration. Cheap and offline: nothing is sent until the first tool call.
 * `http` (set by the CLI when serving HTTP) turns off the default token directory.
 */
export function createDeps(
  config: CloudekaConfig & Partial<Pick<CommonConfig, 'http'>>,
  logger: Logger,
): CloudekaDeps {
  if (!config.token) {
    throw new ConfigError(
      '--token (CLDKCTL_TOKEN) is required: a cldkctl_… token from the portal (profile → API → Token)',
    );
  }
  const client = new CloudekaClient({
    token: config.token,
    urls: { production: config.baseUrl, staging: config.stagingUrl },
    mode: config.environment,
    http: new HttpClient({
      timeoutMs: config.timeout * 1000,
      userAgent: 'cloudmcp-cloudeka',
      name: 'cloudeka',
    }),
    cache: new AuthCache({ provider: 'cloudeka', onWarning: (message) => logger.warn(message) }),
    logger,
  });
  return {
    client,
    ...(config.defaultProjectId ? { defaultProjectId: config.defaultProjectId } : {}),
    tokenDir: tokenDirFrom(config),
  };
}

/**
 * Over HTTP: the dependencies of one request. Its X-Cloudeka-Environment header binds a view of the shared
 * client to that environment, for this request only; without the header, the operator's client. A header
 * that is not `production` or `staging` fails every tool call with the reason (tools/list still works).
 * Always a new object, so nothing a handler does to its deps reaches another request.
 */
export function requestDeps(deps: CloudekaDeps, headers: Headers): CloudekaDeps {
  const choice = parseEnvironmentHeader(headers.get(ENVIRONMENT_HEADER));
  if (choice === undefined) return { ...deps };
  if ('rejected' in choice) {
    const mode = deps.client.environmentMode;
    // every tool reads its client through ctx.deps.client: none can forget to refuse
    return {
      ...deps,
      get client(): CloudekaClient {
        throw headerRejected(mode);
      },
    };
  }
  return { ...deps, client: deps.client.withEnvironment(choice.environment, 'header') };
}

/** Over stdio, where the process has one user and these deps are theirs: later calls use `environment`. */
export function chooseEnvironment(deps: CloudekaDeps, environment: Environment): void {
  deps.client = deps.client.withEnvironment(environment, 'switch');
}
