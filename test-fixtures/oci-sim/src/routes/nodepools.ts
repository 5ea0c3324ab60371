import { incorrectState, invalidParameter, noEtagMatch, notFound } from '../errors.js';
import { json } from '../http.js';
import { pagedReply } from '../paging.js';
import { manyOf, oneOf, SORT_ORDERS, sorted } from '../params.js';
import { etagOf, type NodePool } from '../state.js';
import * as views from '../views.js';
import { clusterOr404, listCompartment } from './clusters.js';
import { type Ctx, jsonObject, onlyFields, type Route } from './context.js';

const POOL_STATES = [
  'DELETED',
  'CREATING',
  'ACTIVE',
  'UPDATING',
  'DELETING',
  'FAILED',
  'INACTIVE',
  'NEEDS_ATTENTION',
] as const;

/** UpdateNodePoolDetails fields (containerengine-models.txt); those the simulator applies, and the rest. */
const APPLIED = [
  'name',
  'initialNodeLabels',
  'sshPublicKey',
  'nodeMetadata',
  'freeformTags',
  'definedTags',
  'nodeConfigDetails',
];
const NOT_SIMULATED = [
  'kubernetesVersion',
  'quantityPerSubnet',
  'subnetIds',
  'nodeSourceDetails',
  'nodeShape',
  'nodeShapeConfig',
  'nodeEvictionNodePoolSettings',
  'nodePoolCyclingDetails',
  'secondaryVnics',
  'networkLaunchType',
  'primaryVnic',
];
const CONFIG_APPLIED = ['size', 'nsgIds', 'isPvEncryptionInTransitEnabled', 'freeformTags', 'definedTags'];
const CONFIG_NOT_SIMULATED = ['kmsKeyId', 'placementConfigs', 'nodePoolPodNetworkOptionDetails'];

function poolOr404(ctx: Ctx): NodePool {
  const p = ctx.state.nodePool(ctx.params[0]!);
  if (!p) throw notFound();
  return p;
}

function listNodePools(ctx: Ctx) {
  const compartmentId = listCompartment(ctx);
  const clusterId = ctx.query.get('clusterId');
  const name = ctx.query.get('name');
  const states = manyOf(ctx.query, 'lifecycleState', POOL_STATES);
  const sortBy = oneOf(ctx.query, 'sortBy', ['ID', 'NAME', 'TIME_CREATED'] as const);
  const sortOrder = oneOf(ctx.query, 'sortOrder', SORT_ORDERS);
  const items = ctx.state.nodePools.filter(
    (p) =>
      p.compartmentId === compartmentId &&
      (clusterId === null || p.clusterId === clusterId) &&
      (name === null || p.name === name) &&
      (states.length === 0 || states.includes(p.lifecycleState)),
  );
  const ordered = sorted(items, sortBy, sortOrder, (p, by) =>
    by === 'ID' ? p.id : by === 'NAME' ? p.name : p.timeCreated,
  );
  return pagedReply(
    ordered.map((p) => views.nodePoolSummary(p, ctx.state.cluster(p.clusterId)!.cniType)),
    ctx.query,
    ctx.pageLimit,
  );
}

function getNodePool(ctx: Ctx) {
  const p = poolOr404(ctx);
  return json(views.nodePool(p, ctx.state.cluster(p.clusterId)!.cniType), { etag: etagOf(p.id, p.version) });
}

const isStringMap = (v: unknown) =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.values(v).every((x) => typeof x === 'string');
const isObjectMap = (v: unknown) =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.values(v).every((x) => typeof x === 'object' && x !== null && !Array.isArray(x));

function check(ok: boolean, field: string, what: string): void {
  if (!ok) throw invalidParameter(`Invalid ${field}: must be ${what}`);
}

/** The changes an UpdateNodePoolDetails body asks for, validated; `size` undefined keeps the size. */
function parseUpdate(ctx: Ctx): { apply: (p: NodePool) => void; size: number | undefined } {
  const d = jsonObject(ctx.body);
  onlyFields(d, [...APPLIED, ...NOT_SIMULATED], 'UpdateNodePoolDetails');
  const config = (d.nodeConfigDetails ?? {}) as Record<string, unknown>;
  check(
    typeof config === 'object' && config !== null && !Array.isArray(config),
    'nodeConfigDetails',
    'an object',
  );
  onlyFields(config, [...CONFIG_APPLIED, ...CONFIG_NOT_SIMULATED], 'UpdateNodePoolNodeConfigDetails');
  const unsupported = [
    ...NOT_SIMULATED.filter((f) => d[f] !== undefined),
    ...CONFIG_NOT_SIMULATED.filter((f) => config[f] !== undefined).map((f) => `nodeConfigDetails.${f}`),
  ];
  if (unsupported.length > 0) {
    throw invalidParameter(`oci-sim does not simulate updating ${unsupported.join(', ')}`);
  }
  if (d.name !== undefined)
    check(
      typeof d.name === 'string' && d.name.length >= 1 && d.name.length <= 255,
      'name',
      'a string of 1 to 255 characters',
    );
  if (d.initialNodeLabels !== undefined) {
    check(
      Array.isArray(d.initialNodeLabels) &&
        d.initialNodeLabels.every(
          (l) =>
            typeof l === 'object' && l !== null && typeof l.key === 'string' && typeof l.value === 'string',
        ),
      'initialNodeLabels',
      'a list of {key, value} strings',
    );
  }
  if (d.sshPublicKey !== undefined) check(typeof d.sshPublicKey === 'string', 'sshPublicKey', 'a string');
  for (const f of ['nodeMetadata', 'freeformTags'] as const) {
    if (d[f] !== undefined) check(isStringMap(d[f]), f, 'a map of strings');
  }
  if (d.definedTags !== undefined)
    check(isObjectMap(d.definedTags), 'definedTags', 'a map of tag namespaces');
  const size = config.size;
  if (size !== undefined) {
    check(
      typeof size === 'number' && Number.isInteger(size) && size >= 0,
      'nodeConfigDetails.size',
      'an integer >= 0',
    );
  }
  if (config.nsgIds !== undefined) {
    check(
      Array.isArray(config.nsgIds) && config.nsgIds.every((x) => typeof x === 'string'),
      'nodeConfigDetails.nsgIds',
      'a list of strings',
    );
  }
  if (config.isPvEncryptionInTransitEnabled !== undefined) {
    check(
      typeof config.isPvEncryptionInTransitEnabled === 'boolean',
      'nodeConfigDetails.isPvEncryptionInTransitEnabled',
      'a boolean',
    );
  }
  return {
    size: size as number | undefined,
    apply: (p) => {
      if (d.name !== undefined) p.name = d.name as string;
      if (d.initialNodeLabels !== undefined)
        p.initialNodeLabels = d.initialNodeLabels as NodePool['initialNodeLabels'];
      if (d.sshPublicKey !== undefined) p.sshPublicKey = d.sshPublicKey as string;
      if (d.nodeMetadata !== undefined) p.nodeMetadata = d.nodeMetadata as NodePool['nodeMetadata'];
      if (d.freeformTags !== undefined) p.freeformTags = d.freeformTags as NodePool['freeformTags'];
      if (d.definedTags !== undefined) p.definedTags = d.definedTags as NodePool['definedTags'];
      if (config.nsgIds !== undefined) p.nsgIds = config.nsgIds as string[];
      if (config.isPvEncryptionInTransitEnabled !== undefined)
        p.isPvEncryptionInTransitEnabled = config.isPvEncryptionInTransitEnabled as boolean;
    },
  };
}

function updateNodePool(ctx: Ctx) {
  const p = poolOr404(ctx);
  const update = parseUpdate(ctx);
  const ifMatch = ctx.headers['if-match'];
  if (ifMatch !== undefined && ifMatch !== etagOf(p.id, p.version)) throw noEtagMatch();
  if (p.lifecycleState !== 'ACTIVE') {
    throw incorrectState(
      `Node pool ${p.id} is in state ${p.lifecycleState}; it can be updated once it is ACTIVE`,
    );
  }
  update.apply(p);
  const w = ctx.engine.updateNodePool(clusterOr404(ctx, p.clusterId), p, update.size ?? p.size);
  return { status: 202, headers: { 'opc-work-request-id': w.id } };
}

export const nodePoolRoutes: Route[] = [
  { method: 'GET', path: /^\/20180222\/nodePools$/, operation: 'ListNodePools', handle: listNodePools },
  { method: 'GET', path: /^\/20180222\/nodePools\/([^/]+)$/, operation: 'GetNodePool', handle: getNodePool },
  {
    method: 'PUT',
    path: /^\/20180222\/nodePools\/([^/]+)$/,
    operation: 'UpdateNodePool',
    write: true,
    handle: updateNodePool,
  },
];
