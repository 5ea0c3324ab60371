export { contextNames, loadUserKubeconfig, type UserKubeconfig } from '@cloudmcp/kube';
export { createLogger, type Logger, type Policy } from '@cloudmcp/toolkit';
export { type KubernetesConfig, kubernetesConfigSchema, kubernetesOptions } from './config.js';
export {
  createDeps,
  health,
  KUBECONFIG_HEADER,
  type KubernetesDeps,
  requestDeps,
} from './deps.js';
export { explainRolloutFailure, kubernetesPrompts, troubleshootWorkload } from './prompts.js';
export {
  DEFAULT_SERVER_OPTIONS,
  type KubernetesServerOptions,
  kubernetesServer,
  kubernetesTools,
} from './server.js';
export { serverOptionsFor } from './shape.js';

import {
  createToolServer,
  DEFAULT_POLICY,
  DEFAULT_RENDER,
  type Logger,
  type Policy,
} from '@cloudmcp/toolkit';
import type { KubernetesDeps } from './deps.js';
import { kubernetesServer } from './server.js';

/**
 * Builds the Kubernetes MCP server factory for library use: serve it with the SDK's `serveStdio(factory)` or `createMcpHandler(factory)` (both protocol eras). The tools take
 * `context` when `deps.kube` holds several contexts; the CLI tools follow the policy's read-only and
 * destructive settings.
 */
export function createServer(deps: KubernetesDeps, options: { logger: Logger; policy?: Policy }) {
  const policy = options.policy ?? DEFAULT_POLICY;
  const spec = kubernetesServer({
    multiTarget: deps.kube.size > 1,
    readOnly: policy.readOnly,
    disableDestructive: policy.disableDestructive,
    confirm: policy.confirm,
  });
  return createToolServer(spec, { deps, logger: options.logger, policy, render: DEFAULT_RENDER });
}
