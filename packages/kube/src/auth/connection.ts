/**
 * What a `KubeClient` needs of a target: the API server's URL, the context's namespace, and how requests
 * authenticate. From a kubeconfig document without client-node (`leanConnection`, every user kind but auth
 * providers and proxies), or from a client-node `KubeConfig` (`kubeConfigConnection`).
 */
import { ToolError } from '@cloudmcp/toolkit';
import type { KubeConfig } from '@kubernetes/client-node';
import type { CredentialSource } from '../kubeconfig/credential-source.js';
import { separateDocumentExec, separateExecPlugin } from '../kubeconfig/exec-user.js';
import type { KubeconfigDocument } from '../targets.js';
import { clientNodeMaterial } from './client-node.js';
import { leanMaterial, needsClientNode } from './lean.js';
import { ClusterAuth } from './material.js';

export interface KubeConnection {
  /** API server URL, without trailing slashes. */
  server: string;
  /** The context's namespace, or `default`. */
  namespace: string;
  auth: ClusterAuth;
  /** The credentials come from a credential source the server gave, not from the kubeconfig. */
  sourceGiven: boolean;
  /** The user's own material is read here (files at most), never by client-node (which may refresh OIDC). */
  lean: boolean;
}

type Body = Record<string, unknown>;

/** The user fields that authenticate by themselves, as kubeconfigs spell them (`as` does not). */
const OWN_CREDENTIALS = [
  'token',
  'tokenFile',
  'token-file',
  'client-certificate',
  'client-certificate-data',
  'client-key',
  'client-key-data',
  'exec',
  'auth-provider',
  'username',
  'password',
];

/** The current context's cluster and user bodies of `doc` (the user is undefined when it names none). */
export function contextBodies(
  doc: KubeconfigDocument,
  context: string,
): { cluster: Body | undefined; user: Body | undefined; namespace: string | undefined } {
  const ctx = doc.contexts?.find((c) => c.name === context)?.context;
  const cluster = ctx ? doc.clusters?.find((c) => c.name === ctx.cluster)?.cluster : undefined;
  const user = ctx?.user ? doc.users?.find((u) => u.name === ctx.user)?.user : undefined;
  return {
    cluster: cluster ?? undefined,
    user: user ?? undefined,
    namespace: typeof ctx?.namespace === 'string' ? ctx.namespace : undefined,
  };
}

/** Whether the lean path serves `context` of `doc` (false: its user has an auth provider, or its cluster a proxy). */
export function isLean(doc: KubeconfigDocument, context: string): boolean {
  const { cluster, user } = contextBodies(doc, context);
  if (!cluster) return true;
  try {
    // nothing runs here: a plugin's credentials are made on first use
    return !needsClientNode(cluster, separateDocumentExec(cluster, user, context).user);
  } catch {
    return true; // a refused user: the client says so when it is made
  }
}

/**
 * The connection of `context` of `doc` without client-node, or undefined when it needs client-node
 * (`isLean`). `target` names it in errors; `credentials` as `KubeClientOptions.credentials`.
 */
export function leanConnection(
  doc: KubeconfigDocument,
  context: string,
  target: string,
  credentials?: CredentialSource,
): KubeConnection | undefined {
  const { cluster, user, namespace } = contextBodies(doc, context);
  if (!cluster || typeof cluster['server'] !== 'string' || cluster['server'] === '') {
    throw new ToolError(`Context "${target}" names no cluster in the kubeconfig.`);
  }
  const separated = separateDocumentExec(cluster, user, target);
  if (credentials && user && OWN_CREDENTIALS.some((key) => Boolean(user[key]))) throw bothCredentials(target);
  const material = leanMaterial(cluster, separated.user);
  if (!material) return undefined;
  return {
    server: cluster['server'].replace(/\/+$/, ''),
    namespace: namespace || 'default',
    auth: new ClusterAuth(material, credentials ?? separated.exec),
    sourceGiven: credentials !== undefined,
    lean: true,
  };
}

/** The connection of a client-node `KubeConfig`'s current context. */
export function kubeConfigConnection(
  kc: KubeConfig,
  target: string,
  credentials?: CredentialSource,
): KubeConnection {
  const separated = separateExecPlugin(kc, target);
  if (credentials && hasOwnCredentials(kc.getCurrentUser())) throw bothCredentials(target);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new ToolError(`Context "${target}" names no cluster in the kubeconfig.`);
  return {
    server: cluster.server.replace(/\/+$/, ''),
    namespace: kc.getContextObject(kc.getCurrentContext())?.namespace || 'default',
    auth: new ClusterAuth(clientNodeMaterial(separated.kubeConfig), credentials ?? separated.exec),
    sourceGiven: credentials !== undefined,
    lean: false,
  };
}

function bothCredentials(target: string): ToolError {
  return new ToolError(
    `The kubeconfig user of "${target}" has credentials of its own, and a credential source was given too.`,
    {
      next: 'Give the user no token, certificate, exec plugin or auth provider when credentials come from a source.',
    },
  );
}

/** Whether a client-node user authenticates by itself (`impersonateUser` does not). */
function hasOwnCredentials(user: ReturnType<KubeConfig['getCurrentUser']>): boolean {
  if (!user) return false;
  const { token, certData, certFile, keyData, keyFile, exec, authProvider, username, password } = user;
  return [token, certData, certFile, keyData, keyFile, exec, authProvider, username, password].some(Boolean);
}
