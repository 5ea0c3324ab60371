export { createLogger, type Logger, type Policy } from '@cloudmcp/toolkit';
export {
  CLUSTER_ENDPOINTS,
  type ClusterEndpoint,
  type OkeConfig,
  okeConfigSchema,
  okeOptions,
} from './config.js';
export { createDeps, type OkeDefaults, type OkeDeps } from './deps.js';
export { ClusterDirectory, type ClusterRef } from './directory.js';
export { okeKubeconfig } from './kubeconfig.js';
export { ClusterTokens, OciApi, OciAuth, presignClusterToken } from './oci/index.js';
export { seedEnvironment } from './seed-env.js';
export { DEFAULT_SERVER_OPTIONS, type OkeServerOptions, okeServer, okeTools } from './server.js';
export { OkeTargets, okeCliKubeconfigs } from './targets.js';

import {
  createToolServer,
  DEFAULT_POLICY,
  DEFAULT_RENDER,
  type Logger,
  type Policy,
} from '@cloudmcp/toolkit';
import type { OkeDeps } from './deps.js';
import { okeServer } from './server.js';

/**
 * Builds the OKE MCP server factory for library use: serve it with the SDK's `serveStdio(factory)` or
 * `createMcpHandler(factory)` (both protocol eras). `deps` come from `createDeps(config, logger)`.
 */
export function createServer(deps: OkeDeps, options: { logger: Logger; policy?: Policy }) {
  const policy = options.policy ?? DEFAULT_POLICY;
  const spec = okeServer({
    readOnly: policy.readOnly,
    disableDestructive: policy.disableDestructive,
    confirm: policy.confirm,
  });
  return createToolServer(spec, { deps, logger: options.logger, policy, render: DEFAULT_RENDER });
}
