import { foundOption } from '@cloudmcp/kube';
import type { CommonConfig } from '@cloudmcp/toolkit';
import type { KubernetesConfig } from './config.js';
import type { KubernetesDeps } from './deps.js';
import { DEFAULT_SERVER_OPTIONS, type KubernetesServerOptions } from './server.js';

/**
 * The shape of the tools for a configuration: `context` arguments when the kubeconfig has several contexts
 * or the server speaks HTTP (where a request's X-Kubeconfig may bring several), and the CLI tools' policy
 * variant. Without a config (`--help`) the default shape; without deps (`--list-tools`, which shows no
 * arguments) the policy alone.
 */
export function serverOptionsFor(
  config?: KubernetesConfig & CommonConfig,
  deps?: KubernetesDeps,
): KubernetesServerOptions {
  if (!config) return DEFAULT_SERVER_OPTIONS;
  return {
    multiTarget: config.http !== undefined || (deps?.kube.size ?? 0) > 1,
    readOnly: config.readOnly,
    disableDestructive: config.disableDestructive,
    confirm: config.confirm,
    ...foundOption(deps),
  };
}
