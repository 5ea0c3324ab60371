import { badInput, ConfigError, HttpClient, ToolError } from '@cloudmcp/toolkit';
import type { ContainerEngineClient, models as ce } from 'oci-containerengine';
import type { IdentityClient, models as identity } from 'oci-identity';
import type { OciAuth } from './auth.js';
import { ociFailure } from './errors.js';
import { assertOcid } from './ocid.js';
import { loadContainerEngine, loadIdentity, loadOciCommon, type OciCommon } from './sdk.js';
import { type OciCall, runOciCall, SignedHttp } from './sdk-http.js';

/**
 * The SDK's model types say `Date` for timestamps, but its deserializer leaves OCI's RFC 3339 strings as
 * they are: this is what a call really returns.
 */
export type Wire<T> = T extends Date
  ? string
  : T extends Array<infer U>
    ? Array<Wire<U>>
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

export type ClusterSummary = Wire<ce.ClusterSummary>;
export type Cluster = Wire<ce.Cluster>;
export type NodePoolSummary = Wire<ce.NodePoolSummary>;
export type NodePool = Wire<ce.NodePool>;
export type WorkRequestSummary = Wire<ce.WorkRequestSummary>;
export type WorkRequest = Wire<ce.WorkRequest>;
export type WorkRequestError = Wire<ce.WorkRequestError>;
export type WorkRequestLogEntry = Wire<ce.WorkRequestLogEntry>;
export type Compartment = Wire<identity.Compartment>;

export type SortOrder = 'ASC' | 'DESC';
/** Which address the kubeconfig's cluster entry uses (CreateClusterKubeconfigContentDetails.endpoint). */
export type KubeconfigEndpoint =
  | 'LEGACY_KUBERNETES'
  | 'PUBLIC_ENDPOINT'
  | 'PRIVATE_ENDPOINT'
  | 'VCN_HOSTNAME';

export interface CallOptions {
  signal?: AbortSignal;
}

/** OCI paging: `limit` (1–1000) and `page`, the `nextPage` of the previous answer. */
export interface PageOptions extends CallOptions {
  limit?: number;
  page?: string;
}

export interface OciPage<T> {
  items: T[];
  /** Pass as `page` for the next page; absent on the last page. */
  nextPage?: string;
}

export interface OciApiOptions {
  auth: OciAuth;
  /**
   * A base URL replacing the regional Container Engine and Identity endpoints (proxies, private
   * endpoints, the simulator); the SDK appends each service's API version path. See normalizeOciEndpoint.
   */
  endpoint?: string;
  /** The server's upstream HTTP client (timeouts, retries, keep-alive); one is made when absent. */
  http?: HttpClient;
}

const MAX_PAGE_TOKEN = 4096;
/** Page tokens are opaque but printable ASCII. */
const PRINTABLE = /^[!-~]+$/;
const MAX_NAME = 255;
const MAX_NODE_POOL_SIZE = 1000;

/**
 * Validates an `--oci-endpoint` value and returns it without a trailing slash (the SDK appends
 * `/20180222` or `/20160918` to it as is). http(s) only; no credentials, query or fragment.
 */
export function normalizeOciEndpoint(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('the OCI endpoint is not a URL (expected e.g. http://127.0.0.1:9000)');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('the OCI endpoint must be an http or https URL');
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new ConfigError('the OCI endpoint must not contain credentials, a query or a fragment');
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/**
 * Container Engine (20180222) and Identity (20160918) through the OCI SDK's own clients, one of each per
 * OciApi, created on first use (the SDK modules are imported then). Requests are signed by the SDK's
 * signer with OciAuth's identity and sent through the toolkit HttpClient (see SignedHttp): reads are
 * retried on 429/5xx/resets, writes never. Every failure is a ToolError with OCI's status, code, message,
 * opc-request-id and a next step.
 */
export class OciApi {
  private readonly auth: OciAuth;
  private readonly endpoint: string | undefined;
  private readonly http: HttpClient;
  private signed: Promise<SignedHttp> | undefined;
  private containerEngine: Promise<ContainerEngineClient> | undefined;
  private identity: Promise<IdentityClient> | undefined;

  constructor(options: OciApiOptions) {
    this.auth = options.auth;
    this.endpoint = options.endpoint === undefined ? undefined : normalizeOciEndpoint(options.endpoint);
    this.http = options.http ?? new HttpClient();
  }

  async listClusters(
    options: PageOptions & {
      compartmentId: string;
      name?: string;
      lifecycleStates?: string[];
      sortBy?: 'ID' | 'NAME' | 'TIME_CREATED';
      sortOrder?: SortOrder;
    },
  ): Promise<OciPage<ClusterSummary>> {
    assertOcid(options.compartmentId, 'compartment_id');
    const client = await this.ce();
    const response = await this.read('ListClusters', `compartment ${options.compartmentId}`, options, () =>
      client.listClusters({
        compartmentId: options.compartmentId,
        ...filters(options),
        ...enumFilters(options),
      } as Parameters<ContainerEngineClient['listClusters']>[0]),
    );
    return page(response.items, response.opcNextPage);
  }

  async getCluster(clusterId: string, options: CallOptions = {}): Promise<Cluster> {
    assertOcid(clusterId, 'cluster_id');
    const client = await this.ce();
    const response = await this.read('GetCluster', `cluster ${clusterId}`, options, () =>
      client.getCluster({ clusterId }),
    );
    return response.cluster as Cluster;
  }

  async listNodePools(
    options: PageOptions & {
      compartmentId: string;
      clusterId?: string;
      name?: string;
      lifecycleStates?: string[];
      sortBy?: 'ID' | 'NAME' | 'TIME_CREATED';
      sortOrder?: SortOrder;
    },
  ): Promise<OciPage<NodePoolSummary>> {
    assertOcid(options.compartmentId, 'compartment_id');
    if (options.clusterId !== undefined) assertOcid(options.clusterId, 'cluster_id');
    const client = await this.ce();
    const response = await this.read('ListNodePools', `compartment ${options.compartmentId}`, options, () =>
      client.listNodePools({
        compartmentId: options.compartmentId,
        ...(options.clusterId ? { clusterId: options.clusterId } : {}),
        ...filters(options),
        ...enumFilters(options),
      } as Parameters<ContainerEngineClient['listNodePools']>[0]),
    );
    return page(response.items, response.opcNextPage);
  }

  async getNodePool(nodePoolId: string, options: CallOptions = {}): Promise<NodePool> {
    assertOcid(nodePoolId, 'node_pool_id');
    const client = await this.ce();
    const response = await this.read('GetNodePool', `node pool ${nodePoolId}`, options, () =>
      client.getNodePool({ nodePoolId }),
    );
    return response.nodePool as NodePool;
  }

  /**
   * Sets a node pool's size (UpdateNodePool with `nodeConfigDetails.size`). Never retried: OCI answers 202
   * with the work request that carries the change out, whose id is returned.
   */
  async updateNodePoolSize(
    nodePoolId: string,
    size: number,
    options: CallOptions & { ifMatch?: string } = {},
  ): Promise<{ workRequestId: string }> {
    assertOcid(nodePoolId, 'node_pool_id');
    if (!Number.isInteger(size) || size < 0 || size > MAX_NODE_POOL_SIZE) {
      throw badInput('size', `expected a whole number from 0 to ${MAX_NODE_POOL_SIZE}`);
    }
    const client = await this.ce();
    const response = await this.call(
      {
        operation: 'UpdateNodePool',
        subject: `node pool ${nodePoolId}`,
        idempotent: false,
        signal: options.signal,
      },
      () =>
        client.updateNodePool({
          nodePoolId,
          updateNodePoolDetails: { nodeConfigDetails: { size } },
          ...(options.ifMatch ? { ifMatch: options.ifMatch } : {}),
        }),
    );
    if (!response.opcWorkRequestId) {
      throw new ToolError('OCI accepted UpdateNodePool but named no work request.', {
        next: 'List the work requests of the node pool to follow the change.',
      });
    }
    return { workRequestId: response.opcWorkRequestId };
  }

  async listWorkRequests(
    options: PageOptions & {
      compartmentId: string;
      clusterId?: string;
      resourceId?: string;
      resourceType?: 'CLUSTER' | 'NODEPOOL';
      statuses?: string[];
      sortBy?: 'ID' | 'OPERATION_TYPE' | 'STATUS' | 'TIME_ACCEPTED' | 'TIME_STARTED' | 'TIME_FINISHED';
      sortOrder?: SortOrder;
    },
  ): Promise<OciPage<WorkRequestSummary>> {
    assertOcid(options.compartmentId, 'compartment_id');
    if (options.clusterId !== undefined) assertOcid(options.clusterId, 'cluster_id');
    if (options.resourceId !== undefined) assertOcid(options.resourceId, 'resource_id');
    const client = await this.ce();
    const response = await this.read(
      'ListWorkRequests',
      `compartment ${options.compartmentId}`,
      options,
      () =>
        client.listWorkRequests({
          compartmentId: options.compartmentId,
          ...(options.clusterId ? { clusterId: options.clusterId } : {}),
          ...(options.resourceId ? { resourceId: options.resourceId } : {}),
          ...(options.resourceType ? { resourceType: options.resourceType } : {}),
          ...(options.statuses?.length ? { status: options.statuses.map(encodeURIComponent) } : {}),
          ...filters(options),
          ...(options.sortBy ? { sortBy: options.sortBy } : {}),
          ...(options.sortOrder ? { sortOrder: options.sortOrder } : {}),
        } as Parameters<ContainerEngineClient['listWorkRequests']>[0]),
    );
    return page(response.items, response.opcNextPage);
  }

  async getWorkRequest(workRequestId: string, options: CallOptions = {}): Promise<WorkRequest> {
    assertOcid(workRequestId, 'work_request_id');
    const client = await this.ce();
    const response = await this.read('GetWorkRequest', `work request ${workRequestId}`, options, () =>
      client.getWorkRequest({ workRequestId }),
    );
    return response.workRequest as WorkRequest;
  }

  /** The errors of a work request (the API does not page them). */
  async listWorkRequestErrors(
    compartmentId: string,
    workRequestId: string,
    options: CallOptions = {},
  ): Promise<WorkRequestError[]> {
    assertOcid(compartmentId, 'compartment_id');
    assertOcid(workRequestId, 'work_request_id');
    const client = await this.ce();
    const response = await this.read('ListWorkRequestErrors', `work request ${workRequestId}`, options, () =>
      client.listWorkRequestErrors({ compartmentId, workRequestId }),
    );
    return response.items as unknown as WorkRequestError[];
  }

  /** The log of a work request (the API does not page it). */
  async listWorkRequestLogs(
    compartmentId: string,
    workRequestId: string,
    options: CallOptions = {},
  ): Promise<WorkRequestLogEntry[]> {
    assertOcid(compartmentId, 'compartment_id');
    assertOcid(workRequestId, 'work_request_id');
    const client = await this.ce();
    const response = await this.read('ListWorkRequestLogs', `work request ${workRequestId}`, options, () =>
      client.listWorkRequestLogs({ compartmentId, workRequestId }),
    );
    return response.items as unknown as WorkRequestLogEntry[];
  }

  /**
   * The cluster's kubeconfig as OCI returns it (YAML text, token version 2.0.0: its user runs
   * `oci ce cluster generate-token`). A POST without side effects, so it is retried like a read.
   */
  async createKubeconfig(
    clusterId: string,
    options: CallOptions & { endpoint?: KubeconfigEndpoint } = {},
  ): Promise<string> {
    assertOcid(clusterId, 'cluster_id');
    const client = await this.ce();
    return this.call(
      {
        operation: 'CreateKubeconfig',
        subject: `cluster ${clusterId}`,
        idempotent: true,
        signal: options.signal,
      },
      async () => {
        const response = await client.createKubeconfig({
          clusterId,
          createClusterKubeconfigContentDetails: {
            tokenVersion: '2.0.0',
            ...(options.endpoint ? { endpoint: options.endpoint } : {}),
          } as ce.CreateClusterKubeconfigContentDetails,
        });
        return new Response(response.value as ReadableStream).text();
      },
    );
  }

  /**
   * Compartments under `compartmentId` (default: the tenancy of the profile, the root compartment);
   * `subtree` lists the whole tree (OCI then requires accessLevel ACCESSIBLE, which is the default here).
   */
  async listCompartments(
    options: PageOptions & {
      compartmentId?: string;
      subtree?: boolean;
      accessLevel?: 'ANY' | 'ACCESSIBLE';
      name?: string;
      lifecycleState?: string;
      sortBy?: 'TIMECREATED' | 'NAME';
      sortOrder?: SortOrder;
    } = {},
  ): Promise<OciPage<Compartment>> {
    const compartmentId = options.compartmentId ?? this.auth.profile.tenancy;
    if (compartmentId === undefined) {
      throw badInput('compartment_id', 'required: the OCI profile names no tenancy to start from');
    }
    assertOcid(compartmentId, 'compartment_id');
    const client = await this.idClient();
    const response = await this.read('ListCompartments', `compartment ${compartmentId}`, options, () =>
      client.listCompartments({
        compartmentId,
        ...(options.subtree ? { compartmentIdInSubtree: true } : {}),
        accessLevel: options.accessLevel ?? 'ACCESSIBLE',
        ...(options.lifecycleState ? { lifecycleState: encodeURIComponent(options.lifecycleState) } : {}),
        ...filters(options),
        ...(options.sortBy ? { sortBy: options.sortBy } : {}),
        ...(options.sortOrder ? { sortOrder: options.sortOrder } : {}),
      } as Parameters<IdentityClient['listCompartments']>[0]),
    );
    return page(response.items, response.opcNextPage);
  }

  private read<T>(
    operation: string,
    subject: string,
    options: CallOptions,
    run: () => Promise<T>,
  ): Promise<T> {
    return this.call({ operation, subject, idempotent: true, signal: options.signal }, run);
  }

  private async call<T>(
    spec: { operation: string; subject: string; idempotent: boolean; signal: AbortSignal | undefined },
    run: () => Promise<T>,
  ): Promise<T> {
    if (spec.signal?.aborted) throw new ToolError('The call was cancelled.');
    const call: OciCall = { idempotent: spec.idempotent, ...(spec.signal ? { signal: spec.signal } : {}) };
    try {
      return await runOciCall(call, run);
    } catch (error) {
      const profile = this.auth.profile;
      throw ociFailure(call.failure ?? error, {
        operation: spec.operation,
        subject: spec.subject,
        authMode: profile.authMode,
        profile: profile.profile,
        ...(profile.region ? { region: profile.region } : {}),
      });
    }
  }

  private ce(): Promise<ContainerEngineClient> {
    this.containerEngine ??= this.client(async (params, configuration) => {
      const { ContainerEngineClient } = await loadContainerEngine();
      return new ContainerEngineClient(params, configuration);
    }).catch((error: unknown) => {
      this.containerEngine = undefined;
      throw error;
    });
    return this.containerEngine;
  }

  private idClient(): Promise<IdentityClient> {
    this.identity ??= this.client(async (params, configuration) => {
      const { IdentityClient } = await loadIdentity();
      return new IdentityClient(params, configuration);
    }).catch((error: unknown) => {
      this.identity = undefined;
      throw error;
    });
    return this.identity;
  }

  /**
   * One SDK client: our HTTP client instead of the SDK's (so no provider is handed to the client, which
   * would only build a second signer), no circuit breaker, one attempt in the SDK's retrier, and the
   * endpoint override or the region's endpoint. Neither the import nor the constructor touches the
   * network (checked in the tests).
   */
  private async client<C extends { endpoint: string; regionId: string }>(
    make: (
      params: { httpClient: SignedHttp },
      configuration: {
        circuitBreaker: InstanceType<OciCommon['CircuitBreaker']>;
        retryConfiguration: {
          terminationStrategy: InstanceType<OciCommon['MaxAttemptsTerminationStrategy']>;
        };
      },
    ) => Promise<C>,
  ): Promise<C> {
    const common = await loadOciCommon();
    const httpClient = await this.signedHttp(common);
    const client = await make(
      { httpClient },
      {
        circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }),
        retryConfiguration: { terminationStrategy: new common.MaxAttemptsTerminationStrategy(1) },
      },
    );
    if (this.endpoint) client.endpoint = this.endpoint;
    else client.regionId = await this.auth.region();
    return client;
  }

  private signedHttp(common: OciCommon): Promise<SignedHttp> {
    this.signed ??= this.auth
      .sdkProvider()
      .then((provider) => new SignedHttp(new common.DefaultRequestSigner(provider), this.http))
      .catch((error: unknown) => {
        this.signed = undefined;
        throw error;
      });
    return this.signed;
  }
}

function page<T>(items: unknown[], nextPage: string | undefined): OciPage<T> {
  return nextPage ? { items: items as T[], nextPage } : { items: items as T[] };
}

/**
 * `limit`, `page` and `name`, validated, and percent-encoded: the SDK pastes query values into the URL as
 * they are, so a `&` in a name would otherwise add a parameter.
 */
function filters(options: PageOptions & { name?: string }): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  if (options.limit !== undefined) {
    if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > 1000) {
      throw badInput('limit', 'expected a whole number from 1 to 1000');
    }
    out['limit'] = options.limit;
  }
  if (options.page !== undefined) {
    if (options.page.length > MAX_PAGE_TOKEN || !PRINTABLE.test(options.page)) {
      throw badInput('page', 'expected the page token of a previous answer');
    }
    out['page'] = encodeURIComponent(options.page);
  }
  if (options.name !== undefined) {
    if (options.name.length > MAX_NAME) throw badInput('name', `expected at most ${MAX_NAME} characters`);
    out['name'] = encodeURIComponent(options.name);
  }
  return out;
}

function enumFilters(options: {
  lifecycleStates?: string[];
  sortBy?: string;
  sortOrder?: SortOrder;
}): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (options.lifecycleStates?.length)
    out['lifecycleState'] = options.lifecycleStates.map(encodeURIComponent);
  if (options.sortBy) out['sortBy'] = options.sortBy;
  if (options.sortOrder) out['sortOrder'] = options.sortOrder;
  return out;
}
