import { HttpClient, ToolError, UpstreamError } from '@cloudmcp/toolkit';
import type { KubeConfig } from '@kubernetes/client-node';
import { type KubeConnection, kubeConfigConnection } from './auth/connection.js';
import type { ClusterAuth } from './auth/material.js';
import { capital, KubeApiError, type KubeRequestInfo, KubeTransportError, parseStatus } from './errors.js';
import { currentImpersonation, type Impersonation } from './impersonation.js';
import { assertHostNotLocal } from './kubeconfig/addresses.js';
import type { CredentialSource } from './kubeconfig/credential-source.js';
import { LocalAddressError } from './kubeconfig/errors.js';
import type { ExecCredential } from './kubeconfig/exec-credential.js';
import { closeNames } from './names.js';
import { type KubeFetch, kubeFetch, type TransportAuth } from './transport.js';

/** A resource type the API server serves, as discovery describes it. */
export interface ResourceType {
  /** '' for the core group. */
  group: string;
  version: string;
  /** `v1`, `apps/v1` … */
  apiVersion: string;
  /** Plural resource name used in URLs: `pods`, `deployments`. */
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames: string[];
  categories: string[];
}

/** A Kubernetes object as JSON. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: Array<{ kind: string; name: string; controller?: boolean; apiVersion?: string }>;
    managedFields?: unknown;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface KubeList<T = KubeObject> {
  kind?: string;
  apiVersion?: string;
  metadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

/** A server-side Table (what `kubectl get` prints). */
export interface KubeTable {
  kind: 'Table';
  columnDefinitions: Array<{ name: string; type: string; format?: string; priority?: number }>;
  rows: Array<{ cells: unknown[]; object?: KubeObject }>;
  metadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  signal?: AbortSignal;
}

export interface RequestOptions {
  method?: string;
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  accept?: string;
  signal?: AbortSignal;
  /** Read the body as text rather than JSON (pod logs). */
  text?: boolean;
  /** What the request is about, for error messages. */
  about?: Partial<KubeRequestInfo>;
  /** Overrides the per-attempt timeout. */
  timeoutMs?: number;
}

export interface KubeResponse<T> {
  status: number;
  body: T;
}

export interface KubeClientOptions {
  /** Target name (context or cluster) for messages. */
  target: string;
  /** How messages name this target, default `context "<target>"` (OKE and OCM: `cluster "<name>"`). */
  describe?: string;
  /**
   * The target's server, namespace and credentials (`leanConnection` builds it from a kubeconfig document
   * without client-node); or `kubeConfig`.
   */
  connection?: KubeConnection;
  /** A client-node KubeConfig whose current context is this target, when no `connection` is given. */
  kubeConfig?: KubeConfig;
  timeoutMs?: number;
  retries?: number;
  userAgent?: string;
  /** How long discovery results are reused, default 5 minutes. */
  discoveryTtlMs?: number;
  /**
   * Refuse connections to loopback, link-local, unspecified and metadata addresses (see `kubeFetch`); for
   * kubeconfigs sent from outside. Default false.
   */
  refuseLocalAddresses?: boolean;
  /**
   * Credentials made in this process (OKE cluster tokens, the pod's service-account token) for a context
   * whose kubeconfig user holds none: asked before every request, told about a 401. A user with credentials
   * of its own (token, certificate, exec plugin, auth provider, basic auth) and a source is refused.
   */
  credentials?: CredentialSource;
  /**
   * Every request acts as the current tool call's caller (`Impersonate-User`/`-Group` from impersonation.ts,
   * replacing any a kubeconfig's `as:` would send); a request outside such a call is refused before anything
   * is sent. Discovery and connections stay shared: the API server serves every user the same discovery
   * documents, and the TLS identity is the server's own, so nothing cached holds one caller's view.
   */
  impersonate?: boolean;
}

const TABLE_ACCEPT =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
export const FIELD_MANAGER = 'cloudmcp';
const METADATA_ACCEPT = 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io';

/** The Kubernetes API of one target: authenticated requests, discovery and the generic verbs. */
export class KubeClient {
  readonly target: string;
  /** How messages name this target: `context "prod"`, `cluster "oke-prod"`. */
  readonly described: string;
  /** API server URL (no credentials). */
  readonly server: string;
  /** The context's namespace, or `default`. */
  readonly defaultNamespace: string;
  /** The kubeconfig user's credentials and a credential source's (the one given, or the exec plugin's). */
  private readonly auth: ClusterAuth;
  /** The credentials came from `KubeClientOptions.credentials`, not the kubeconfig. */
  private readonly sourceGiven: boolean;
  /** The user's own credentials are read without client-node (see `KubeConnection.lean`). */
  private readonly lean: boolean;
  private readonly http: HttpClient;
  private readonly transport: KubeFetch;
  /** A request's kubeconfig: its server may not be a loopback, link-local or metadata address. */
  private readonly refuseLocal: boolean;
  private readonly impersonate: boolean;
  private localCheck: Promise<void> | undefined;
  private transportAuth: TransportAuth = { tls: {} };
  private readonly discoveryTtlMs: number;
  private discovery?: { at: number; types: Promise<ResourceType[]> };
  private readonly groupVersions = new Map<string, Promise<ResourceType[]>>();

  constructor(opts: KubeClientOptions) {
    this.target = opts.target;
    this.described = opts.describe ?? `context "${opts.target}"`;
    const connection = opts.connection ?? fromKubeConfig(opts);
    this.auth = connection.auth;
    this.sourceGiven = connection.sourceGiven;
    this.lean = connection.lean;
    this.server = connection.server;
    this.defaultNamespace = connection.namespace;
    this.discoveryTtlMs = opts.discoveryTtlMs ?? 5 * 60_000;
    this.refuseLocal = opts.refuseLocalAddresses ?? false;
    this.impersonate = opts.impersonate ?? false;
    this.transport = kubeFetch(() => this.transportAuth, {
      refuseLocal: this.refuseLocal,
      ...(this.impersonate ? { actingAs: () => this.actingAs() } : {}),
    });
    this.http = new HttpClient({
      timeoutMs: opts.timeoutMs ?? 30_000,
      retries: opts.retries ?? 3,
      userAgent: opts.userAgent ?? 'cloudmcp-kube',
      // the metrics' upstream label: never the server's address (a request kubeconfig would choose it)
      name: 'kubernetes',
      fetch: this.transport.fetch,
    });
  }

  /** Releases pooled connections. */
  close(): void {
    this.transport.close();
  }

  /**
   * Builds the connection pool and TLS context now, without connecting or sending anything, so the first
   * request does not pay for them (a server's warm-up after the first tools/list). Reads the credential
   * files the kubeconfig names; runs no exec plugin, asks no credential source, and does nothing for a
   * client-node connection (an OIDC provider could refresh over the network).
   */
  async prepare(): Promise<void> {
    if (!this.lean) return;
    const { tls } = await this.auth.ownMaterial();
    this.transportAuth = { tls };
    this.transport.prepare(new URL(this.server));
  }

  /**
   * Credentials for one request (see `ClusterAuth`), and the credential source's (`sourceUsed`, to
   * invalidate after a 401).
   */
  private async authHeaders(
    signal?: AbortSignal,
  ): Promise<{ headers: Record<string, string>; sourceUsed?: ExecCredential }> {
    let credentials: Awaited<ReturnType<ClusterAuth['forRequest']>>;
    try {
      credentials = await this.auth.forRequest(signal);
    } catch (error) {
      if (error instanceof ToolError || signal?.aborted) throw error;
      throw new ToolError(
        `Could not get credentials for ${this.described} from ${this.sourceGiven ? 'its credential source' : 'the kubeconfig'}.`,
        {
          upstreamMessage: error instanceof Error ? error.message : String(error),
          next: this.sourceGiven
            ? "The server's own credentials for this cluster failed (see the message); the operator has to fix them."
            : 'Check the user entry of this context (exec plugin, token or certificate) and try again.',
        },
      );
    }
    const { headers, tls, proxyAgent } = credentials.material;
    this.transportAuth = { tls, ...(proxyAgent ? { proxyAgent } : {}) };
    return {
      headers: { ...headers },
      ...(credentials.sourceUsed ? { sourceUsed: credentials.sourceUsed } : {}),
    };
  }

  /**
   * One API request. Non-2xx answers throw `KubeApiError`, transport failures `KubeTransportError`. With a
   * credential source or exec plugin, a 401 invalidates its credential and the request is sent once more with
   * a new one (a 401 applied nothing).
   */
  request<T = unknown>(opts: RequestOptions): Promise<KubeResponse<T>> {
    return this.send<T>(opts, false);
  }

  private async send<T>(opts: RequestOptions, afterUnauthorized: boolean): Promise<KubeResponse<T>> {
    const method = (opts.method ?? 'GET').toUpperCase();
    const url = new URL(this.server + opts.path);
    for (const [key, value] of Object.entries(opts.query ?? {})) {
      if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
    }
    // A local server is refused before any credential is read, once per client; the transport's lookup
    // checks every connection as well, so a later DNS answer cannot move it there.
    if (this.refuseLocal) {
      this.localCheck ??= assertHostNotLocal(url.hostname);
      await this.localCheck.catch((error: unknown) => {
        throw error instanceof LocalAddressError ? this.localRefusal(error) : error;
      });
    }
    // a request outside a tool call is refused before any credential is read; the transport sends the
    // caller (kubeFetch's actingAs), one header line per group
    if (this.impersonate) this.actingAs();
    const { headers, sourceUsed } = await this.authHeaders(opts.signal);
    headers['Accept'] = opts.accept ?? (opts.text ? 'text/plain, */*' : 'application/json');
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      headers['Content-Type'] = opts.contentType ?? 'application/json';
    }
    const about: KubeRequestInfo = {
      method,
      path: url.pathname,
      target: this.target,
      described: this.described,
      ...opts.about,
    };
    let res: Awaited<ReturnType<HttpClient['request']>>;
    try {
      res = await this.http.request({
        method,
        url,
        headers,
        ...(body !== undefined ? { body } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
      });
    } catch (error) {
      if (error instanceof UpstreamError && error.cause instanceof LocalAddressError) {
        throw this.localRefusal(error.cause);
      }
      if (error instanceof UpstreamError) {
        throw new KubeTransportError(error, {
          described: this.described,
          server: this.server,
          mutation: method !== 'GET',
        });
      }
      throw error;
    }
    if (res.status === 401 && sourceUsed && !afterUnauthorized) {
      this.auth.invalidate(sourceUsed);
      return this.send<T>(opts, true);
    }
    if (!res.ok) throw new KubeApiError(res.status, parseStatus(res.text, res.status), about);
    if (opts.text) return { status: res.status, body: res.text as T };
    if (res.text === '') return { status: res.status, body: {} as T };
    try {
      return { status: res.status, body: JSON.parse(res.text) as T };
    } catch {
      throw new ToolError(`The API server of ${this.described} answered with a body that is not JSON.`, {
        upstreamMessage: res.text.slice(0, 120),
        next: 'Check that the kubeconfig server URL points at the Kubernetes API, not a proxy or web page.',
      });
    }
  }

  /** The current call's impersonation; none (a request outside a tool call) is refused. */
  private actingAs(): Impersonation {
    const impersonation = currentImpersonation();
    if (!impersonation) {
      throw new ToolError(
        `Refused a request to ${this.described} made outside a tool call: this server acts as its caller on the cluster.`,
      );
    }
    return impersonation;
  }

  private localRefusal(error: LocalAddressError): ToolError {
    return new ToolError(`${capital(this.described)}: ${error.message}.`, {
      next: 'Use a kubeconfig whose server is reachable at a routable address.',
    });
  }

  async getJson<T = unknown>(path: string, opts: Omit<RequestOptions, 'path'> = {}): Promise<T> {
    return (await this.request<T>({ ...opts, path })).body;
  }

  // ---- discovery -------------------------------------------------------------------------------

  /** Every resource type the server serves (preferred versions, no subresources), cached. */
  async resourceTypes(signal?: AbortSignal, refresh = false): Promise<ResourceType[]> {
    const now = Date.now();
    if (!refresh && this.discovery && now - this.discovery.at < this.discoveryTtlMs) {
      return this.discovery.types;
    }
    const types = this.discover(signal);
    this.discovery = { at: now, types };
    types.catch(() => {
      if (this.discovery?.types === types) this.discovery = undefined;
    });
    return types;
  }

  private async discover(signal?: AbortSignal): Promise<ResourceType[]> {
    const about = { verb: 'list', resource: 'API groups (discovery)' };
    const groups = await this.getJson<{
      groups?: Array<{
        name: string;
        preferredVersion?: { version: string };
        versions: Array<{ version: string }>;
      }>;
    }>('/apis', { ...(signal ? { signal } : {}), about });
    const versions: Array<{ group: string; version: string }> = [{ group: '', version: 'v1' }];
    for (const g of groups.groups ?? []) {
      const version = g.preferredVersion?.version ?? g.versions[0]?.version;
      if (version) versions.push({ group: g.name, version });
    }
    const lists = await Promise.all(
      versions.map(({ group, version }) =>
        this.groupVersion(group, version, signal).catch((error) => {
          // The core group must answer; an aggregated API that is down (metrics) is skipped, as kubectl does.
          if (group === '') throw error;
          return [] as ResourceType[];
        }),
      ),
    );
    return lists.flat();
  }

  /** The resource types of one group version (`GET /api/v1`, `GET /apis/<g>/<v>`), cached. */
  groupVersion(group: string, version: string, signal?: AbortSignal): Promise<ResourceType[]> {
    const key = `${group}/${version}`;
    const cached = this.groupVersions.get(key);
    if (cached) return cached;
    const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
    const loaded = this.getJson<{
      resources?: Array<{
        name: string;
        singularName?: string;
        namespaced: boolean;
        kind: string;
        verbs?: string[];
        shortNames?: string[];
        categories?: string[];
      }>;
    }>(path, { ...(signal ? { signal } : {}), about: { verb: 'get', resource: `API ${key}` } }).then((list) =>
      (list.resources ?? [])
        .filter((r) => !r.name.includes('/'))
        .map((r) => ({
          group,
          version,
          apiVersion: group ? `${group}/${version}` : version,
          resource: r.name,
          singular: r.singularName || r.kind.toLowerCase(),
          kind: r.kind,
          namespaced: r.namespaced,
          verbs: r.verbs ?? [],
          shortNames: r.shortNames ?? [],
          categories: r.categories ?? [],
        })),
    );
    this.groupVersions.set(key, loaded);
    loaded.catch(() => this.groupVersions.delete(key));
    // Group versions fetched for discovery expire with it.
    setTimeout(() => this.groupVersions.delete(key), this.discoveryTtlMs).unref();
    return loaded;
  }

  /**
   * Resolves what a person or manifest calls a type — `pods`, `pod`, `po`, `Pod`, `deploy`,
   * `deployments.apps`, `deployments.v1.apps`, or a kind with its `apiVersion` — to a served resource.
   * Unknown names give a ToolError naming `field` with close names.
   */
  async resolve(
    type: string,
    opts: { apiVersion?: string; field?: string; signal?: AbortSignal } = {},
  ): Promise<ResourceType> {
    const field = opts.field ?? 'kind';
    const signal = opts.signal;
    if (opts.apiVersion) {
      const [group, version] = opts.apiVersion.includes('/')
        ? (opts.apiVersion.split('/', 2) as [string, string])
        : ['', opts.apiVersion];
      let types: ResourceType[];
      try {
        types = await this.groupVersion(group, version, signal);
      } catch (error) {
        if (error instanceof KubeApiError && error.code === 404) {
          throw new ToolError(`Invalid input \`apiVersion\`: the server does not serve ${opts.apiVersion}.`, {
            next: 'Check the apiVersion with `api_resource_list`; a CRD may not be installed.',
          });
        }
        throw error;
      }
      const found = matchType(types, type.toLowerCase());
      if (found) return found;
      throw new ToolError(
        `Invalid input \`${field}\`: ${opts.apiVersion} has no kind or resource "${type}".`,
        {
          next: `Kinds in ${opts.apiVersion}: ${types
            .map((t) => t.kind)
            .slice(0, 30)
            .join(', ')}.`,
        },
      );
    }
    const { name, group, version } = splitTypeName(type);
    const pick = (types: ResourceType[]) =>
      matchType(
        types.filter(
          (t) =>
            (group === undefined || t.group === group) && (version === undefined || t.version === version),
        ),
        name,
      );
    if (version !== undefined && group !== undefined) {
      const types = await this.groupVersion(group, version, signal).catch(() => [] as ResourceType[]);
      const found = pick(types);
      if (found) return found;
    }
    let found = pick(await this.resourceTypes(signal));
    if (!found && this.discovery && Date.now() - this.discovery.at > 10_000) {
      // A CRD may have been installed since discovery ran.
      found = pick(await this.resourceTypes(signal, true));
    }
    if (found) return found;
    const all = await this.resourceTypes(signal);
    const names = [...new Set(all.flatMap((t) => [t.resource, ...t.shortNames]))];
    const close = closeNames(name, names, 5);
    throw new ToolError(`Invalid input \`${field}\`: the server has no resource type "${type}".`, {
      next: close.length
        ? `Did you mean ${close.map((c) => `"${c}"`).join(', ')}? List types with \`api_resource_list\`.`
        : 'List the types this cluster serves with `api_resource_list`.',
    });
  }

  // ---- paths and verbs ---------------------------------------------------------------------------

  /** The URL path of a collection or one object (and a subresource). */
  path(type: ResourceType, opts: { namespace?: string; name?: string; subresource?: string } = {}): string {
    let path = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
    if (type.namespaced && opts.namespace) path += `/namespaces/${encodeURIComponent(opts.namespace)}`;
    path += `/${type.resource}`;
    if (opts.name !== undefined) path += `/${encodeURIComponent(opts.name)}`;
    if (opts.subresource) path += `/${opts.subresource}`;
    return path;
  }

  /** One page of a collection (`namespace` omitted = all namespaces). */
  async list<T = KubeObject>(type: ResourceType, opts: ListOptions = {}): Promise<KubeList<T>> {
    return this.listPage<KubeList<T>>(type, opts);
  }

  /** One page as a server-side Table (the columns `kubectl get` prints); falls back to a plain list. */
  async listTable(type: ResourceType, opts: ListOptions = {}): Promise<KubeTable | KubeList> {
    return this.listPage<KubeTable | KubeList>(type, opts, TABLE_ACCEPT, { includeObject: 'Metadata' });
  }

  /**
   * One page of names and labels only (PartialObjectMetadataList, as controllers' metadata informers ask):
   * small, and no field of the objects themselves is fetched, which matters for Secrets. There is
   * deliberately no fallback to full objects: a server that cannot answer so (before 1.15) fails instead.
   */
  async listMetadata(type: ResourceType, opts: ListOptions = {}): Promise<KubeList<KubeObject>> {
    return this.listPage<KubeList<KubeObject>>(type, opts, METADATA_ACCEPT);
  }

  private listPage<T>(
    type: ResourceType,
    opts: ListOptions,
    accept?: string,
    extra: Record<string, string> = {},
  ): Promise<T> {
    return this.getJson<T>(this.path(type, opts.namespace ? { namespace: opts.namespace } : {}), {
      ...(accept ? { accept } : {}),
      query: {
        labelSelector: opts.labelSelector,
        fieldSelector: opts.fieldSelector,
        limit: opts.limit,
        continue: opts.continue,
        ...extra,
      },
      ...(opts.signal ? { signal: opts.signal } : {}),
      about: {
        verb: 'list',
        resource: type.resource,
        ...(opts.namespace ? { namespace: opts.namespace } : {}),
      },
    });
  }

  /**
   * Every item of a collection, page by page, up to `max` items (diagnostics scan whole clusters; the cap
   * keeps a 50 000-pod cluster from exhausting memory). `truncated` says when the cap was hit.
   */
  async listAll<T = KubeObject>(
    type: ResourceType,
    opts: Omit<ListOptions, 'limit' | 'continue'> & { max?: number } = {},
  ): Promise<{ items: T[]; truncated: boolean }> {
    const max = opts.max ?? 10_000;
    const items: T[] = [];
    let token: string | undefined;
    do {
      const page: KubeList<T> = await this.list<T>(type, {
        ...opts,
        limit: Math.min(500, max - items.length),
        ...(token ? { continue: token } : {}),
      });
      items.push(...page.items);
      token = page.metadata?.continue || undefined;
    } while (token && items.length < max);
    return { items, truncated: Boolean(token) };
  }

  async get<T = KubeObject>(
    type: ResourceType,
    name: string,
    opts: { namespace?: string; subresource?: string; signal?: AbortSignal } = {},
  ): Promise<T> {
    const namespace = type.namespaced ? (opts.namespace ?? this.defaultNamespace) : undefined;
    return this.getJson<T>(
      this.path(type, {
        name,
        ...(namespace ? { namespace } : {}),
        ...(opts.subresource ? { subresource: opts.subresource } : {}),
      }),
      {
        ...(opts.signal ? { signal: opts.signal } : {}),
        about: { verb: 'get', resource: type.resource, name, ...(namespace ? { namespace } : {}) },
      },
    );
  }

  /** A merge or JSON patch of one object (or of its `scale`/`status` subresource). */
  async patch<T = KubeObject>(
    type: ResourceType,
    name: string,
    patch: unknown,
    opts: {
      namespace?: string;
      subresource?: string;
      contentType?: string;
      dryRun?: boolean;
      signal?: AbortSignal;
    } = {},
  ): Promise<T> {
    const namespace = type.namespaced ? (opts.namespace ?? this.defaultNamespace) : undefined;
    return (
      await this.request<T>({
        method: 'PATCH',
        path: this.path(type, {
          name,
          ...(namespace ? { namespace } : {}),
          ...(opts.subresource ? { subresource: opts.subresource } : {}),
        }),
        body: patch,
        contentType: opts.contentType ?? 'application/merge-patch+json',
        query: { fieldManager: FIELD_MANAGER, dryRun: opts.dryRun ? 'All' : undefined },
        ...(opts.signal ? { signal: opts.signal } : {}),
        about: { verb: 'patch', resource: type.resource, name, ...(namespace ? { namespace } : {}) },
      })
    ).body;
  }

  /** Server-side apply of one object with field manager `cloudmcp`; `created` is true on 201. */
  async apply(
    type: ResourceType,
    object: KubeObject,
    opts: { force?: boolean; dryRun?: boolean; signal?: AbortSignal } = {},
  ): Promise<{ object: KubeObject; created: boolean }> {
    const name = object.metadata?.name ?? '';
    const namespace = type.namespaced ? object.metadata?.namespace : undefined;
    const res = await this.request<KubeObject>({
      method: 'PATCH',
      path: this.path(type, { name, ...(namespace ? { namespace } : {}) }),
      body: object,
      contentType: 'application/apply-patch+yaml',
      query: {
        fieldManager: FIELD_MANAGER,
        force: opts.force ? 'true' : undefined,
        dryRun: opts.dryRun ? 'All' : undefined,
      },
      ...(opts.signal ? { signal: opts.signal } : {}),
      about: { verb: 'patch', resource: type.resource, name, ...(namespace ? { namespace } : {}) },
    });
    return { object: res.body, created: res.status === 201 };
  }

  async delete(
    type: ResourceType,
    name: string,
    opts: {
      namespace?: string;
      dryRun?: boolean;
      gracePeriodSeconds?: number;
      propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
      signal?: AbortSignal;
    } = {},
  ): Promise<KubeObject> {
    const namespace = type.namespaced ? (opts.namespace ?? this.defaultNamespace) : undefined;
    return (
      await this.request<KubeObject>({
        method: 'DELETE',
        path: this.path(type, { name, ...(namespace ? { namespace } : {}) }),
        query: {
          dryRun: opts.dryRun ? 'All' : undefined,
          gracePeriodSeconds: opts.gracePeriodSeconds,
          propagationPolicy: opts.propagationPolicy,
        },
        ...(opts.signal ? { signal: opts.signal } : {}),
        about: { verb: 'delete', resource: type.resource, name, ...(namespace ? { namespace } : {}) },
      })
    ).body;
  }

  /** POSTs a create-only object (access reviews) and returns the server's answer. */
  async create<T = KubeObject>(
    type: ResourceType,
    object: unknown,
    opts: { namespace?: string; signal?: AbortSignal } = {},
  ): Promise<T> {
    return (
      await this.request<T>({
        method: 'POST',
        path: this.path(type, opts.namespace ? { namespace: opts.namespace } : {}),
        body: object,
        ...(opts.signal ? { signal: opts.signal } : {}),
        about: {
          verb: 'create',
          resource: type.resource,
          ...(opts.namespace ? { namespace: opts.namespace } : {}),
        },
      })
    ).body;
  }
}

/** `deployments.v1.apps` → name, version, group; `deployments.apps` → name, group; `deploy` → name. */
export function splitTypeName(type: string): { name: string; group?: string; version?: string } {
  const lower = type.trim().toLowerCase();
  const dot = lower.indexOf('.');
  if (dot < 0) return { name: lower };
  const name = lower.slice(0, dot);
  const rest = lower.slice(dot + 1);
  const versioned = /^(v\d+(?:(?:alpha|beta)\d+)?)\.(.+)$/.exec(rest);
  if (versioned) return { name, version: versioned[1]!, group: versioned[2]! };
  if (/^v\d+(?:(?:alpha|beta)\d+)?$/.test(rest)) return { name, version: rest, group: '' };
  return { name, group: rest };
}

function matchType(types: ResourceType[], name: string): ResourceType | undefined {
  return (
    types.find((t) => t.resource === name) ??
    types.find((t) => t.singular === name || t.kind.toLowerCase() === name) ??
    types.find((t) => t.shortNames.includes(name))
  );
}

/** Well-known types, so common tools need no discovery round trips. */
export const TYPES = {
  pods: core('pods', 'Pod'),
  events: core('events', 'Event'),
  nodes: core('nodes', 'Node', false),
  namespaces: core('namespaces', 'Namespace', false),
  secrets: core('secrets', 'Secret'),
  deployments: typed('apps', 'v1', 'deployments', 'Deployment'),
  replicasets: typed('apps', 'v1', 'replicasets', 'ReplicaSet'),
  statefulSets: typed('apps', 'v1', 'statefulsets', 'StatefulSet'),
  daemonSets: typed('apps', 'v1', 'daemonsets', 'DaemonSet'),
  jobs: typed('batch', 'v1', 'jobs', 'Job'),
  services: core('services', 'Service'),
  endpoints: core('endpoints', 'Endpoints'),
  endpointSlices: typed('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice'),
  ingresses: typed('networking.k8s.io', 'v1', 'ingresses', 'Ingress'),
  ingressClasses: typed('networking.k8s.io', 'v1', 'ingressclasses', 'IngressClass', false),
  configMaps: core('configmaps', 'ConfigMap'),
  pvcs: core('persistentvolumeclaims', 'PersistentVolumeClaim'),
  roleBindings: typed('rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding'),
  clusterRoleBindings: typed(
    'rbac.authorization.k8s.io',
    'v1',
    'clusterrolebindings',
    'ClusterRoleBinding',
    false,
  ),
  selfSubjectAccessReviews: typed(
    'authorization.k8s.io',
    'v1',
    'selfsubjectaccessreviews',
    'SelfSubjectAccessReview',
    false,
  ),
  subjectAccessReviews: typed(
    'authorization.k8s.io',
    'v1',
    'subjectaccessreviews',
    'SubjectAccessReview',
    false,
  ),
  nodeMetrics: typed('metrics.k8s.io', 'v1beta1', 'nodes', 'NodeMetrics', false),
  podMetrics: typed('metrics.k8s.io', 'v1beta1', 'pods', 'PodMetrics'),
} satisfies Record<string, ResourceType>;

function core(resource: string, kind: string, namespaced = true): ResourceType {
  return typed('', 'v1', resource, kind, namespaced);
}

function typed(
  group: string,
  version: string,
  resource: string,
  kind: string,
  namespaced = true,
): ResourceType {
  return {
    group,
    version,
    apiVersion: group ? `${group}/${version}` : version,
    resource,
    singular: kind.toLowerCase(),
    kind,
    namespaced,
    verbs: [],
    shortNames: [],
    categories: [],
  };
}

/** The connection of `opts.kubeConfig` (client-node is loaded: the caller made one). */
function fromKubeConfig(opts: KubeClientOptions): KubeConnection {
  if (!opts.kubeConfig) throw new Error('KubeClient needs a connection or a kubeConfig');
  return kubeConfigConnection(opts.kubeConfig, opts.target, opts.credentials);
}
