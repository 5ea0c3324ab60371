import type { FaultKind, FaultSpec } from 'sim-kit';

export type { FaultKind };

import type { JsonObject } from './patch.js';

export type SeedKind = 'realistic' | 'empty';

export interface KubeSimOptions {
  /** Number of clusters, each on its own HTTPS port with its own CA and tokens (default 1). */
  clusters?: number;
  /**
   * The clusters' names (default `sim-1`…`sim-N`); their count is the number of clusters (`clusters`, when
   * also given, must agree). A name is also the kubeconfig context and cluster, and prefixes the node names.
   */
  names?: string[];
  /** `realistic` (default) or `empty` (system namespaces, RBAC and nodes only). */
  seed?: SeedKind;
  /** Extra pods `bench-pod-0000`… in namespace `bench`, for benchmarks (default 0). */
  pods?: number;
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /** Base port; cluster i listens on basePort + i. Default 0: each picks a free port. */
  basePort?: number;
  /** How long a new pod stays Pending/ContainerCreating before it runs (default 150 ms). */
  podStartMs?: number;
}

export interface Fault extends FaultSpec {
  /** Only requests whose path contains this string (or matches this RegExp). */
  path?: string | RegExp;
  /** Only this HTTP method (GET, POST, …). */
  method?: string;
  /** Only this API verb (get, list, watch, create, update, patch, delete, deletecollection). */
  verb?: string;
  /** Only this resource (plural, e.g. `pods`). */
  resource?: string;
  /** `status`: the Status message (the code defaults to 500; 429 and 503 get Retry-After 1). */
  message?: string;
}

export interface RequestLogEntry {
  at: string;
  method: string;
  path: string;
  query: string;
  userAgent: string;
  /** The Accept and Content-Type headers as sent (e.g. to see server-side Table or apply patches). */
  accept?: string;
  contentType?: string;
  /** The authenticated user (undefined before authentication or when it failed). */
  user?: string;
  /** Whom the request ran as through `Impersonate-User`, as the audit log's `impersonatedUser`. */
  impersonatedUser?: string;
  verb?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** HTTP status sent; 0 while pending, and for `reset`/`hang` faults. */
  status: number;
  fault?: FaultKind;
}

export type UserRole = 'admin' | 'view' | 'edit' | 'teamAdmin';

/** Who a bearer token authenticates as, as a webhook token authenticator answers it. */
export interface TokenUser {
  username: string;
  uid?: string;
  groups: string[];
}

/**
 * An extra bearer-token authenticator (like the API server's webhook token authenticator): the user a token
 * it recognises stands for, or undefined for a token it does not know (which stays a 401).
 */
export type TokenAuthenticator = (token: string) => TokenUser | undefined;

/** Direct access to a cluster's objects, bypassing HTTP, authentication and admission. */
export interface SimStore {
  /** `apiVersion` like `v1` or `apps/v1`. */
  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): JsonObject | undefined;
  list(apiVersion: string, kind: string, namespace?: string): JsonObject[];
  /** Creates or replaces an object (uid, creationTimestamp and resourceVersion are filled in). Returns it. */
  put(obj: JsonObject): JsonObject;
  /** Deletes an object at once (no finalizers, no grace period). True when it existed. */
  delete(apiVersion: string, kind: string, namespace: string | undefined, name: string): boolean;
  /** Appends lines to a container's current log. */
  appendLog(namespace: string, pod: string, container: string, lines: string[]): void;
  /** Drops the watch/list history up to now: older resourceVersions and continue tokens get 410. */
  compact(): void;
  /** The current resourceVersion. */
  readonly resourceVersion: string;
}

export interface SimCluster {
  /** `sim-1`, `sim-2`, … or the given `names` (also the kubeconfig context and cluster name). */
  name: string;
  /** `https://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** PEM of this cluster's CA (the serving certificate chains to it). */
  caPem: string;
  tokens: { admin: string; view: string; edit: string; teamAdmin: string };
  /** The user names the tokens authenticate as. */
  users: { admin: string; view: string; edit: string; teamAdmin: string };
  addFault(f: Fault): void;
  clearFaults(): void;
  log: RequestLogEntry[];
  store: SimStore;
  /** Resolves once the in-process controllers have nothing left to do (pods started, rollouts settled). */
  settle(timeoutMs?: number): Promise<void>;
  /**
   * Installs (or, with undefined, removes) an authenticator consulted after the built-in and service-account
   * tokens; the users it returns also get the `system:authenticated` group.
   */
  setTokenAuthenticator(fn: TokenAuthenticator | undefined): void;
  /**
   * Ends every open connection — watch streams, `logs -f`, idle keep-alive sockets — as when an API server
   * restarts or a network partition begins; new connections are accepted as before (arm a `reset` fault to
   * refuse them too).
   */
  dropConnections(): void;
}

export interface KubeconfigOptions {
  user?: UserRole;
}

export interface KubeSim {
  clusters: SimCluster[];
  kubeconfig(opts?: KubeconfigOptions): string;
  writeKubeconfig(path: string, opts?: KubeconfigOptions): void;
  close(): Promise<void>;
}
