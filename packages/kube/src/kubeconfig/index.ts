export { type HostLookup, isLocalAddress, pinClusterAddresses } from './addresses.js';
export { LocalAddressError, UntrustedKubeconfigError } from './errors.js';
export { MAX_UNTRUSTED_KUBECONFIG, parseUntrustedKubeconfig } from './parse.js';
export { rebuildKubeconfig } from './rebuild.js';
export { kubeconfigText } from './text.js';
