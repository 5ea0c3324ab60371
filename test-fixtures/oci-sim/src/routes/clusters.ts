import { invalidParameter, missingParameter, notFound } from '../errors.js';
import { json } from '../http.js';
import { kubeconfigYaml } from '../kubeconfig.js';
import { pagedReply } from '../paging.js';
import { bool, manyOf, oneOf, required, SORT_ORDERS, sorted } from '../params.js';
import { etagOf, type OkeCluster } from '../state.js';
import * as views from '../views.js';
import { type Ctx, jsonObject, onlyFields, type Route } from './context.js';

const CLUSTER_STATES = ['CREATING', 'ACTIVE', 'FAILED', 'DELETING', 'DELETED', 'UPDATING'] as const;
const ENDPOINTS = ['LEGACY_KUBERNETES', 'PUBLIC_ENDPOINT', 'PRIVATE_ENDPOINT', 'VCN_HOSTNAME'] as const;
type Endpoint = (typeof ENDPOINTS)[number];

/** A list's compartmentId: required, and one the caller can see (else 404, as OCI answers). */
export function listCompartment(ctx: Ctx): string {
  const id = required(ctx.query, 'compartmentId');
  if (!ctx.state.isCompartment(id)) throw notFound();
  return id;
}

export function clusterOr404(ctx: Ctx, id: string): OkeCluster {
  const c = ctx.state.cluster(id);
  if (!c) throw notFound();
  return c;
}

function listClusters(ctx: Ctx) {
  const compartmentId = listCompartment(ctx);
  const states = manyOf(ctx.query, 'lifecycleState', CLUSTER_STATES);
  const name = ctx.query.get('name');
  const sortBy = oneOf(ctx.query, 'sortBy', ['ID', 'NAME', 'TIME_CREATED'] as const);
  const sortOrder = oneOf(ctx.query, 'sortOrder', SORT_ORDERS);
  const items = ctx.state.clusters.filter(
    (c) =>
      c.compartmentId === compartmentId &&
      (states.length === 0 || states.includes(c.lifecycleState)) &&
      (name === null || c.name === name),
  );
  const ordered = sorted(items, sortBy, sortOrder, (c, by) =>
    by === 'ID' ? c.id : by === 'NAME' ? c.name : c.timeCreated,
  );
  return pagedReply(ordered.map(views.clusterSummary), ctx.query, ctx.pageLimit);
}

function getCluster(ctx: Ctx) {
  const c = clusterOr404(ctx, ctx.params[0]!);
  bool(ctx.query, 'shouldIncludeOidcConfigFile');
  return json(views.cluster(c), { etag: etagOf(c.id, 1) });
}

/** `host:port` of the endpoint a kubeconfig targets, or the 400 a cluster without it gets (CONSTRUCTED text). */
function endpointOf(c: OkeCluster, requested: Endpoint | undefined): string {
  const chosen = requested ?? (c.endpoints.publicEndpoint ? 'PUBLIC_ENDPOINT' : undefined);
  if (chosen === undefined) {
    throw invalidParameter(
      'The cluster has no public endpoint; specify endpoint PRIVATE_ENDPOINT or VCN_HOSTNAME to target one it has',
    );
  }
  const hostPort = {
    LEGACY_KUBERNETES: undefined,
    PUBLIC_ENDPOINT: c.endpoints.publicEndpoint,
    PRIVATE_ENDPOINT: c.endpoints.privateEndpoint,
    VCN_HOSTNAME: c.endpoints.vcnHostnameEndpoint,
  }[chosen];
  if (hostPort === undefined) throw invalidParameter(`The cluster does not have a ${chosen} endpoint`);
  return hostPort;
}

function createKubeconfig(ctx: Ctx) {
  const c = clusterOr404(ctx, ctx.params[0]!);
  const details = jsonObject(ctx.body);
  onlyFields(details, ['tokenVersion', 'expiration', 'endpoint'], 'CreateClusterKubeconfigContentDetails');
  if (details.tokenVersion === undefined) throw missingParameter('tokenVersion');
  if (details.tokenVersion !== '2.0.0') {
    throw invalidParameter(`Invalid tokenVersion: ${String(details.tokenVersion)}. Supported value is 2.0.0`);
  }
  if (details.expiration !== undefined && !Number.isInteger(details.expiration)) {
    throw invalidParameter('expiration must be an integer');
  }
  if (details.endpoint !== undefined && !ENDPOINTS.includes(details.endpoint as Endpoint)) {
    throw invalidParameter(
      `Invalid endpoint: ${String(details.endpoint)}. Allowed values are: ${ENDPOINTS.join(', ')}`,
    );
  }
  const server = `https://${endpointOf(c, details.endpoint as Endpoint | undefined)}`;
  const text = kubeconfigYaml({ clusterId: c.id, region: ctx.state.region, server, caPem: c.kube.caPem });
  return { status: 200, text, contentType: 'application/x-yaml' };
}

export const clusterRoutes: Route[] = [
  { method: 'GET', path: /^\/20180222\/clusters$/, operation: 'ListClusters', handle: listClusters },
  { method: 'GET', path: /^\/20180222\/clusters\/([^/]+)$/, operation: 'GetCluster', handle: getCluster },
  {
    method: 'POST',
    path: /^\/20180222\/clusters\/([^/]+)\/kubeconfig\/content$/,
    operation: 'CreateKubeconfig',
    handle: createKubeconfig,
  },
];
