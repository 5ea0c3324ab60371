// OCI for the OKE server: the config file, auth, the Container Engine / Identity API and cluster tokens.
// Importing this module loads no OCI SDK module: they are imported on the first API call.
export {
  type CallOptions,
  type Cluster,
  type ClusterSummary,
  type Compartment,
  type KubeconfigEndpoint,
  type NodePool,
  type NodePoolSummary,
  normalizeOciEndpoint,
  OciApi,
  type OciApiOptions,
  type OciPage,
  type PageOptions,
  type SortOrder,
  type Wire,
  type WorkRequest,
  type WorkRequestError,
  type WorkRequestLogEntry,
  type WorkRequestSummary,
} from './api.js';
export { OciAuth, type OciAuthDescription, type OciAuthOptions, type SigningKey } from './auth.js';
export {
  type ClusterCredentialSource,
  type ClusterToken,
  ClusterTokens,
  type ClusterTokensOptions,
  presignClusterToken,
  type TokenSigner,
} from './cluster-token.js';
export { assertOcid, isOcid } from './ocid.js';
export {
  loadOciProfile,
  OCI_AUTH_MODES,
  type OciAuthMode,
  type OciProfile,
  type OciProfileContext,
  type OciProfileOptions,
} from './profile.js';
export { ociSdkLoaded } from './sdk.js';
