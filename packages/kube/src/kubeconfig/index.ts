export { type HostLookup, isLocalAddress, localAddressKind, pinClusterAddresses } from './addresses.js';
export {
  type BearerTokenSource,
  bearerTokenCredentials,
  type CredentialSource,
  SharedCredential,
  type SharedCredentialOptions,
} from './credential-source.js';
export { LocalAddressError, UntrustedKubeconfigError } from './errors.js';
export type { ExecCredential } from './exec-credential.js';
export {
  IN_CLUSTER,
  type InClusterKubeconfig,
  type InClusterOptions,
  inClusterKubeconfig,
  SERVICE_ACCOUNT_DIR,
} from './in-cluster.js';
export { MAX_UNTRUSTED_KUBECONFIG, parseUntrustedKubeconfig } from './parse.js';
export { rebuildKubeconfig } from './rebuild.js';
export { parseStrictYaml } from './strict-yaml.js';
export { kubeconfigText } from './text.js';
export { checkContext, contextNames, loadUserKubeconfig, type UserKubeconfig } from './user.js';
export { withCredential } from './with-credential.js';
