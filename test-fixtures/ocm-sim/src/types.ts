import type { SimCluster } from 'kube-sim';

/** How a managed cluster's Prometheus is reached (as the seed and the OCM server look for it). */
export type PrometheusExposure =
  /** OpenShift: a `route.openshift.io/v1` Route `thanos-querier` in `openshift-monitoring`. */
  | 'route'
  /** A Service `prometheus` (port 9090) in `monitoring`, through the API server's service proxy. */
  | 'service'
  /** No Prometheus at all. */
  | 'none';

export interface ManagedClusterOptions {
  /** The ManagedCluster name (also its hub namespace). */
  name: string;
  /** Labels on the ManagedCluster, besides the ones OCM adds (`cluster.open-cluster-management.io/clusterset`). */
  labels?: Record<string, string>;
  /** ClusterClaim objects on the managed cluster (name → value), reported in `status.clusterClaims`. */
  claims?: Record<string, string>;
  /** The ManagedClusterSet it joins (default `default`). */
  clusterSet?: string;
  /** Add-ons installed on it (default `['managed-serviceaccount']`). */
  addons?: string[];
  /** Default `route` for the first cluster, `service` for the others. */
  prometheus?: PrometheusExposure;
  /** `spec.hubAcceptsClient` (default true). A cluster not accepted never joins. */
  accepted?: boolean;
}

export interface OcmSimOptions {
  /** The managed clusters (default `cluster1`…`cluster3`, see README). A number N means `cluster1`…`clusterN`. */
  managed?: number | ManagedClusterOptions[];
  /** ManagedClusterSets to create besides `default` and the clusters' own (they may stay empty). */
  clusterSets?: string[];
  /** The hub's kube-sim seed (default `empty`); managed clusters use `realistic` (default). */
  hubSeed?: 'realistic' | 'empty';
  managedSeed?: 'realistic' | 'empty';
  /** Bind address (default 127.0.0.1). */
  host?: string;
  /**
   * How long the managed-serviceaccount agent's tokens are valid when the ManagedServiceAccount asks for no
   * `spec.rotation.validity` (default 8640h, the add-on's default). Tokens are refreshed before they expire.
   */
  defaultTokenValiditySeconds?: number;
  /**
   * Each ManagedCluster's `spec.leaseDurationSeconds` (default 1 here; OCM's default is 60): the registration
   * agent renews its lease this often, and the hub marks a cluster whose lease is older than 5 × this
   * Available=Unknown (ManagedClusterLeaseUpdateStopped), as OCM does.
   */
  leaseDurationSeconds?: number;
}

export interface SimManagedCluster {
  name: string;
  /** The kube-sim cluster (its API server URL, CA, tokens, store, log, faults). */
  cluster: SimCluster;
  /** The Prometheus HTTP API base URL when exposed by a Route (`https://127.0.0.1:PORT`). */
  prometheusUrl?: string;
  prometheus: PrometheusExposure;
}

export interface OcmSim {
  /** The hub (a kube-sim cluster named `hub`), with the OCM CRDs established. */
  hub: SimCluster;
  managed: SimManagedCluster[];
  /** One context `hub` for the hub; `user` picks whose token it carries (default admin). */
  hubKubeconfig(opts?: { user?: 'admin' | 'view' | 'edit' }): string;
  writeHubKubeconfig(path: string, opts?: { user?: 'admin' | 'view' | 'edit' }): void;
  /** Resolves once every agent and hub controller has caught up with what has been written so far. */
  settle(timeoutMs?: number): Promise<void>;
  /**
   * false: the cluster goes down — its API server resets every connection and its registration agent stops
   * renewing the lease, so the hub marks it Available=Unknown (ManagedClusterLeaseUpdateStopped). true: back.
   */
  setAvailable(cluster: string, available: boolean): Promise<void>;
  /** Makes the managed-serviceaccount agent refresh every token of a cluster now (as before expiry). */
  rotateTokens(cluster: string): Promise<void>;
  close(): Promise<void>;
}
