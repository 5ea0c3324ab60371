/**
 * Takes exec plugins away from client-node. Its ExecAuth runs a plugin with this process's whole
 * environment, and its gcp/azure auth providers run `cmd-path` through a shell likewise; `KubeClient` runs
 * plugins itself through `ExecCredentials` instead, and refuses the `cmd-path` providers (kubectl dropped
 * them in 1.26).
 */
import { ToolError } from '@cloudmcp/toolkit';
import type { KubeConfig, User } from '@kubernetes/client-node';
import { type ExecClusterInfo, ExecCredentials, type ExecPluginConfig } from './exec-credential.js';

export interface SeparatedExec {
  /** The KubeConfig to give client-node: the current user without its exec plugin. */
  kubeConfig: KubeConfig;
  /** The plugin's credentials, when the current user has one. */
  exec?: ExecCredentials;
}

/** Splits the current user's exec plugin off `kc` (which is not changed). `target` names it in errors. */
export function separateExecPlugin(kc: KubeConfig, target: string): SeparatedExec {
  const user = kc.getCurrentUser();
  if (!user) return { kubeConfig: kc };
  const provider = user.authProvider as { name?: string; config?: Record<string, unknown> } | undefined;
  if (provider?.config?.['cmd-path']) {
    throw new ToolError(
      `The kubeconfig user of "${target}" uses the ${provider.name ?? ''} auth provider with a cmd-path, which is not run here.`,
      {
        next: 'Use an exec plugin instead (gke-gcloud-auth-plugin, kubelogin), as kubectl 1.26 and later require.',
      },
    );
  }
  const fromProvider = provider?.config?.['exec'] as ExecPluginConfig | undefined;
  const plugin = (user.exec as ExecPluginConfig | undefined) ?? fromProvider;
  if (!plugin) return { kubeConfig: kc };
  if (typeof plugin.command !== 'string' || plugin.command === '') {
    throw new ToolError(`The exec plugin of the kubeconfig user of "${target}" names no command.`);
  }
  const { exec: _exec, authProvider, ...rest } = user;
  const stripped: User = { ...rest, ...(fromProvider || !authProvider ? {} : { authProvider }) };
  const copy = new (kc.constructor as new () => KubeConfig)();
  copy.loadFromOptions({
    clusters: kc.getClusters(),
    users: kc.getUsers().map((u) => (u === user ? stripped : u)),
    contexts: kc.getContexts(),
    currentContext: kc.getCurrentContext(),
  });
  const cluster = kc.getCurrentCluster();
  return {
    kubeConfig: copy,
    exec: new ExecCredentials(plugin, cluster ? { cluster: clusterInfo(cluster) } : {}),
  };
}

function clusterInfo(cluster: NonNullable<ReturnType<KubeConfig['getCurrentCluster']>>): ExecClusterInfo {
  return {
    server: cluster.server,
    ...(cluster.tlsServerName ? { 'tls-server-name': cluster.tlsServerName } : {}),
    ...(cluster.skipTLSVerify ? { 'insecure-skip-tls-verify': true } : {}),
    ...(cluster.caData ? { 'certificate-authority-data': cluster.caData } : {}),
    ...(cluster.proxyUrl ? { 'proxy-url': cluster.proxyUrl } : {}),
  };
}
