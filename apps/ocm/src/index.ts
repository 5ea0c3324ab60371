export { createLogger, type Logger, type Policy } from '@cloudmcp/toolkit';
export { DEFAULT_SERVICE_ACCOUNT, type OcmConfig, ocmConfigSchema, ocmOptions } from './config.js';
export {
  ClusterConnections,
  type Connection,
  type ConnectOptions,
  type ConnectSettings,
} from './connect/connections.js';
export { managedKubeconfig } from './connect/kubeconfig.js';
export { CONNECT_STEPS, type ConnectStep } from './connect/steps.js';
export {
  type Connections,
  createDeps,
  HUB,
  type ManagedAccess,
  type OcmDeps,
  roleSettings,
} from './deps.js';
export { type HubKubeconfig, loadHubKubeconfig } from './hub.js';
export { OCM_TYPES } from './resources.js';
export { DEFAULT_SERVER_OPTIONS, type OcmServerOptions, ocmServer, ocmTools } from './server.js';
export { isSelector, OcmTargets, ocmCliKubeconfigs } from './targets.js';

import {
  createToolServer,
  DEFAULT_POLICY,
  DEFAULT_RENDER,
  type Logger,
  type Policy,
} from '@cloudmcp/toolkit';
import type { OcmDeps } from './deps.js';
import { ocmServer } from './server.js';

/**
 * Builds the OCM MCP server factory for library use: serve it with the SDK's `serveStdio(factory)` or
 * `createMcpHandler(factory)` (both protocol eras). `deps` come from `createDeps(config, logger)`; give it
 * the same `readOnly` as the policy, so connections bind `view` only.
 */
export function createServer(deps: OcmDeps, options: { logger: Logger; policy?: Policy }) {
  const policy = options.policy ?? DEFAULT_POLICY;
  if (policy.readOnly && !deps.settings.readOnly) {
    // the read-only connect_cluster binds `view` only because its deps say so
    throw new Error(
      'createServer: a read-only policy needs deps made with createDeps({ ..., readOnly: true })',
    );
  }
  const spec = ocmServer({
    readOnly: policy.readOnly,
    disableDestructive: policy.disableDestructive,
    confirm: policy.confirm,
  });
  return createToolServer(spec, { deps, logger: options.logger, policy, render: DEFAULT_RENDER });
}
