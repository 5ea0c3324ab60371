import {
  checkContext,
  contextNames,
  type KubeconfigDocument,
  loadUserKubeconfig,
  singleContext,
} from '@cloudmcp/kube';
import { ConfigError } from '@cloudmcp/toolkit';

/** The hub cluster as the operator's kubeconfig reaches it. */
export interface HubKubeconfig {
  /** Only the hub's context, its cluster and user (file references absolute, exec plugins as written). */
  doc: KubeconfigDocument;
  /** The hub's context name in the operator's kubeconfig. */
  context: string;
  /** The files it was read from. */
  files: string[];
}

/**
 * Reads the hub's kubeconfig the way the Kubernetes server reads its own (`--kubeconfig` / `KUBECONFIG`,
 * merged like kubectl; it is the operator's, so exec plugins and file references work) and keeps only the
 * hub's context: `--context`, else the current context. No kubeconfig, or no way to tell the hub, is a
 * ConfigError: the hub is this server's one input.
 */
export function loadHubKubeconfig(
  kubeconfig: string | undefined,
  context: string | undefined,
  home?: string,
): HubKubeconfig {
  const user = loadUserKubeconfig(kubeconfig, home);
  if (!user.doc) {
    throw new ConfigError(
      `--kubeconfig (KUBECONFIG): no kubeconfig (${user.missing.join(', ')} does not exist); ` +
        "point it at the hub cluster's kubeconfig",
    );
  }
  if (context !== undefined) checkContext(user.doc, context, '--context (OCM_HUB_CONTEXT)');
  const names = contextNames(user.doc);
  const hub = context ?? user.doc['current-context'] ?? (names.length === 1 ? names[0] : undefined);
  const doc = hub === undefined ? undefined : singleContext(user.doc, hub);
  if (hub === undefined || doc === undefined) {
    throw new ConfigError(
      '--context (OCM_HUB_CONTEXT): the kubeconfig has no current-context naming one of its contexts; ' +
        `name the hub's${names.length ? ` (one of ${names.slice(0, 20).join(', ')})` : ''}`,
    );
  }
  return { doc, context: hub, files: user.files };
}
