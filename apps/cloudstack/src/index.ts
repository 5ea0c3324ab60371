export { createLogger, type Logger, type Policy } from '@cloudmcp/toolkit';
export { type CloudStackAuth, CloudStackClient, type CloudStackClientOptions } from './client/client.js';
export { CloudStackError } from './client/errors.js';
export { javaUrlEncode, signParams, stringToSign } from './client/sign.js';
export { type CloudStackConfig, cloudstackConfigSchema, cloudstackOptions } from './config.js';
export { type CloudStackDeps, createDeps } from './deps.js';
export type { KeyDir } from './key-dir.js';
export { cloudstackServer, cloudstackTools } from './server.js';

import {
  createToolServer,
  DEFAULT_POLICY,
  DEFAULT_RENDER,
  type Logger,
  type Policy,
} from '@cloudmcp/toolkit';
import type { CloudStackDeps } from './deps.js';
import { cloudstackServer } from './server.js';

/** Builds the CloudStack MCP server factory for library use: serve it with the SDK's `serveStdio(factory)` or `createMcpHandler(factory)` (both protocol eras). */
export function createServer(deps: CloudStackDeps, options: { logger: Logger; policy?: Policy }) {
  return createToolServer(cloudstackServer, {
    deps,
    logger: options.logger,
    policy: options.policy ?? DEFAULT_POLICY,
    render: DEFAULT_RENDER,
  });
}
