/**
 * Takes exec plugins away from client-node. Its ExecAuth runs a plugin with this process's whole
 * environment, and its gcp/azure auth providers run `cmd-path` through a shell likewise; `KubeClient` runs
 * plugins itself through `ExecCredentials` instead, and refuses the `cmd-path` providers (kubectl dropped
 * them in 1.26). The same split serves a client-node `KubeConfig` and a kubeconfig document (the lean path).
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

type AuthProvider = { name?: string; config?: Record<string, unknown> };

/**
 * The plugin a user runs (its `exec`, else an auth provider's `exec` config) and whether the provider has
 * one (then the provider goes with it); refuses `cmd-path` providers. `target` names the user in errors.
 */
function pluginOf(
  exec: unknown,
  provider: AuthProvider | undefined,
  target: string,
): { plugin: ExecPluginConfig; fromProvider: boolean } | undefined {
  if (provider?.config?.['cmd-path']) {
    throw new ToolError(
      `The kubeconfig user of "${target}" uses the ${provider.name ?? ''} auth provider with a cmd-path, which is not run here.`,
      {
        next: 'Use an exec plugin instead (gke-gcloud-auth-plugin, kubelogin), as kubectl 1.26 and later require.',
      },
    );
  }
  const fromProvider = provider?.config?.['exec'] as ExecPluginConfig | undefined;
  const plugin = (exec as ExecPluginConfig | undefined | null) ?? fromProvider;
  if (!plugin) return undefined;
  if (typeof plugin.command !== 'string' || plugin.command === '') {
    throw new ToolError(`The exec plugin of the kubeconfig user of "${target}" names no command.`);
  }
  return { plugin, fromProvider: fromProvider !== undefined };
}

/** Splits the current user's exec plugin off `kc` (which is not changed). `target` names it in errors. */
export function separateExecPlugin(kc: KubeConfig, target: string): SeparatedExec {
  const user = kc.getCurrentUser();
  if (!user) return { kubeConfig: kc };
  const found = pluginOf(user.exec, user.authProvider as AuthProvider | undefined, target);
  if (!found) return { kubeConfig: kc };
  const { exec: _exec, authProvider, ...rest } = user;
  const stripped: User = { ...rest, ...(found.fromProvider || !authProvider ? {} : { authProvider }) };
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
    exec: new ExecCredentials(
      found.plugin,
      cluster
        ? {
            cluster: clusterInfo({
              server: cluster.server,
              'tls-server-name': cluster.tlsServerName,
              'insecure-skip-tls-verify': cluster.skipTLSVerify,
              'certificate-authority-data': cluster.caData,
              'proxy-url': cluster.proxyUrl,
            }),
          }
        : {},
    ),
  };
}

type Body = Record<string, unknown>;

/**
 * The same split for a kubeconfig document's cluster and user bodies: the user without its exec plugin
 * (and without the auth provider that carried it), and the plugin's credentials.
 */
export function separateDocumentExec(
  cluster: Body,
  user: Body | undefined,
  target: string,
): { user: Body | undefined; exec?: ExecCredentials } {
  if (!user) return { user };
  const provider = user['auth-provider'] as AuthProvider | undefined;
  const found = pluginOf(user['exec'], provider, target);
  if (!found) return { user };
  const { exec: _exec, 'auth-provider': _provider, ...rest } = user;
  return {
    user: found.fromProvider || !provider ? rest : { ...rest, 'auth-provider': provider },
    exec: new ExecCredentials(found.plugin, { cluster: clusterInfo(cluster) }),
  };
}

/** What `provideClusterInfo` hands the plugin: the cluster's fields as kubectl names them, set ones only. */
function clusterInfo(cluster: Body): ExecClusterInfo {
  const text = (key: string): string | undefined => {
    const value = cluster[key];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const info: ExecClusterInfo = { server: String(cluster['server'] ?? '') };
  for (const key of ['tls-server-name', 'certificate-authority-data', 'proxy-url'] as const) {
    const value = text(key);
    if (value) info[key] = value;
  }
  if (cluster['insecure-skip-tls-verify'] === true) info['insecure-skip-tls-verify'] = true;
  return info;
}
