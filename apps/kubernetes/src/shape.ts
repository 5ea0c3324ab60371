import { type CommonConfig, loadServerConfig, type ServerCliSpec } from '@cloudmcp/toolkit';
import type { KubernetesConfig, kubernetesConfigSchema } from './config.js';
import type { KubernetesDeps } from './deps.js';
import { contextNames, loadUserKubeconfig } from './kubeconfig.js';
import { DEFAULT_SERVER_OPTIONS, type KubernetesServerOptions } from './server.js';

/**
 * The shape of the tools for a configuration: `context` arguments when the kubeconfig has several contexts
 * or the server speaks HTTP (where a request's X-Kubeconfig may bring several), and the CLI tools' policy
 * variant. Read before the server starts; any problem falls back to the default shape, and the real start-up
 * then reports it as a configuration error.
 */
export function serverOptionsFor(config: KubernetesConfig & CommonConfig): KubernetesServerOptions {
  let contexts = 0;
  try {
    const user = loadUserKubeconfig(config.kubeconfig);
    contexts = user.doc ? contextNames(user.doc).length : 0;
  } catch {
    // reported by createDeps
  }
  return {
    multiTarget: contexts > 1 || config.http !== undefined,
    readOnly: config.readOnly,
    disableDestructive: config.disableDestructive,
    confirm: config.confirm,
  };
}

/** {@link serverOptionsFor} from the command line and environment, as `runServerCli` will read them. */
export function serverOptionsFromArgs(
  spec: ServerCliSpec<typeof kubernetesConfigSchema, KubernetesDeps>,
  argv: string[],
  env: NodeJS.ProcessEnv,
): KubernetesServerOptions {
  try {
    const { config } = loadServerConfig(spec, argv, env);
    return config ? serverOptionsFor(config) : DEFAULT_SERVER_OPTIONS;
  } catch {
    return DEFAULT_SERVER_OPTIONS;
  }
}
