import type { SimCluster } from 'kube-sim';
import type { FaultSpec } from 'sim-kit';

export interface OciSimOptions {
  /** OKE clusters, each backed by one kube-sim cluster (default 2, at most 20). */
  clusters?: number;
  /** Region the simulated tenancy lives in (default `us-ashburn-1`). */
  region?: string;
  /** Interface to bind (default 127.0.0.1); the kube-sim clusters bind it too. */
  host?: string;
  /** TCP port of the OCI API (default 0: a free one). */
  port?: number;
  /**
   * How long each work-request phase lasts (default 150 ms). `Infinity`: work requests only move on
   * `advanceWorkRequests()`, so a test can observe every state.
   */
  workRequestStepMs?: number;
  /** Page size of list operations called without `limit` (default 100). */
  pageLimitDefault?: number;
  /**
   * The simulated compute service limit: a node pool scaled beyond this many nodes gets a FAILED work
   * request with a LimitExceeded error (default 10).
   */
  maxNodesPerPool?: number;
}

export interface ApiKeyUser {
  userId: string;
  /** MD5 fingerprint of the public key, `aa:bb:…`, as OCI shows it. */
  fingerprint: string;
  /** `<tenancy>/<user>/<fingerprint>`: the keyId requests are signed with. */
  keyId: string;
  privateKeyPem: string;
  publicKeyPem: string;
}

export interface SessionCredentials {
  /** The security token (a JWT); requests sign with keyId `ST$<token>`. */
  token: string;
  /** The session's own key pair, as `oci session authenticate` creates it. */
  privateKeyPem: string;
  publicKeyPem: string;
  /** Epoch milliseconds after which the token is refused. */
  expiresAt: number;
}

export type SimUser = 'admin' | 'reader';

export interface WriteConfigOptions {
  auth: 'api_key' | 'security_token';
  user?: SimUser;
  /** Profile name (default `DEFAULT`); other profiles already in the file are kept. */
  profile?: string;
  /** Encrypts the key file with this pass phrase and writes `pass_phrase` into the profile. */
  passphrase?: string;
  /** Region written into the profile (default the simulator's). */
  region?: string;
  /** Security token lifetime (default one hour). */
  ttlMs?: number;
}

export interface WrittenConfig {
  configFile: string;
  keyFile: string;
  /** security_token only: the file `security_token_file` points at. */
  tokenFile?: string;
}

export interface OciFault extends FaultSpec {
  /** Only this operation (`ListClusters`, `UpdateNodePool`, `ListCompartments`, …). */
  operation?: string;
  /** Only requests whose path contains this string. */
  path?: string;
  /** `status`: the OCI error code of the body (default: the usual code of the status). */
  code?: string;
  /** `status`: the message of the body. */
  message?: string;
}

export type AuthKind = 'api_key' | 'session' | 'none';

export interface OciRequestLogEntry {
  /** ISO time the request arrived. */
  at: string;
  method: string;
  /** Path without the query. */
  path: string;
  /** The raw query string (without `?`), '' when none. */
  query: string;
  /** The operation the route maps to (`GetCluster`…), `Unknown` for routes the simulator does not serve. */
  operation: string;
  /** What the request authenticated with (or tried to). */
  auth: AuthKind;
  /** The user OCID once authenticated. */
  principal?: string;
  /** Why authentication failed (the 401 body never says; this log does, for tests). */
  authError?: string;
  /** HTTP status sent; 0 while pending and for reset/hang faults. */
  status: number;
  /** The OCI error code answered, if any. */
  code?: string;
  opcRequestId: string;
  fault?: OciFault['kind'];
}

export interface OciSimCluster {
  id: string;
  name: string;
  compartmentId: string;
  kube: SimCluster;
}

export interface OciSim {
  /** `http://HOST:PORT`: the SDK endpoint override; the SDK appends `/20180222` or `/20160918`. */
  url: string;
  region: string;
  tenancyId: string;
  /** The child compartments of the tenancy (the tenancy itself is the root compartment). */
  compartments: Array<{ id: string; name: string; parentId: string }>;
  clusters: OciSimCluster[];
  users: { admin: ApiKeyUser; reader: ApiKeyUser };
  createSession(opts?: { user?: SimUser; ttlMs?: number }): SessionCredentials;
  /** What `oci session refresh` gets: a new token for the same session key; the old one stays valid. */
  refreshSession(token: string, opts?: { ttlMs?: number }): SessionCredentials;
  expireSession(token: string): void;
  writeConfig(dir: string, opts: WriteConfigOptions): WrittenConfig;
  addFault(f: OciFault): void;
  clearFaults(): void;
  log: OciRequestLogEntry[];
  /** Cluster id → how many distinct OKE cluster tokens its kube-sim accepted. */
  clusterTokenChecks: Map<string, number>;
  /** Moves every unfinished work request one phase on; returns how many moved. */
  advanceWorkRequests(): number;
  close(): Promise<void>;
}
