export { createLogger, type Logger, type Policy } from '@cloudmcp/toolkit';
export {
  type ApiAnswer,
  type ApiRequest,
  CloudekaClient,
  type CloudekaClientOptions,
  type Environment,
  type EnvironmentMode,
  fillPath,
  type Session,
} from './client/client.js';
export { CloudekaError, DB_TOKENS_MISSING } from './client/errors.js';
export {
  type CloudekaConfig,
  cloudekaConfigSchema,
  cloudekaOptions,
  PRODUCTION_URL,
  STAGING_URL,
} from './config.js';
export { type CloudekaDeps, createDeps } from './deps.js';
export { cloudekaServer, cloudekaTools } from './server.js';
export { DEFAULT_TOOLSETS, TOOLSET_DESCRIPTIONS } from './toolsets.js';

import {
  createToolServer,
  DEFAULT_POLICY,
  DEFAULT_RENDER,
  type Logger,
  type Policy,
} from '@cloudmcp/toolkit';
import type { CloudekaDeps } from './deps.js';
import { cloudekaServer } from './server.js';

/** Builds the Cloudeka MCP server factory for library use: serve it with the SDK's `serveStdio(factory)` or `createMcpHandler(factory)` (both protocol eras). */
export function createServer(deps: CloudekaDeps, options: { logger: Logger; policy?: Policy }) {
  return createToolServer(cloudekaServer, {
    deps,
    logger: options.logger,
    policy: options.policy ?? DEFAULT_POLICY,
    render: DEFAULT_RENDER,
  });
}
