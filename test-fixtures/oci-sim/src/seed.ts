/**
 * The seeded tenancy: two child compartments, OKE clusters spread over them (each backed by a kube-sim
 * cluster), node pools whose nodes are that cluster's Node objects, and the work requests that created them.
 * Deterministic for a region (sim-kit Prng); times are relative to the start.
 */
import type { SimCluster } from 'kube-sim';
import type { Prng } from 'sim-kit';
import { addKubeNode, adoptKubeNode, seededWorkers } from './kube-nodes.js';
import type { OcidFactory } from './ocid.js';
import { type NodePool, OciState, type OkeCluster, type OkeNode, type WorkRequest } from './state.js';

const DAY = 24 * 60 * 60 * 1000;
/** What kube-sim serves (its /version and kubelets), so OKE and Kubernetes agree. */
export const KUBERNETES_VERSION = 'v1.35.0';

const COMPARTMENTS = [
  { name: 'production', description: 'Production workloads' },
  { name: 'development', description: 'Development and test workloads' },
];
const CLUSTER_NAMES = ['oke-prod', 'oke-dev', 'oke-private'];

const SHAPES = {
  x86: {
    nodeShape: 'VM.Standard.E4.Flex',
    ocpus: 2,
    memoryInGBs: 16,
    imageName: 'Oracle-Linux-8.10-2025.10.31-0-OKE-1.35.0-1128',
  },
  arm: {
    nodeShape: 'VM.Standard.A1.Flex',
    ocpus: 4,
    memoryInGBs: 24,
    imageName: 'Oracle-Linux-8.10-aarch64-2025.10.31-0-OKE-1.35.0-1128',
  },
};

export interface SeedInput {
  prng: Prng;
  ocids: OcidFactory;
  region: string;
  tenancyId: string;
  adminUserId: string;
  kubes: SimCluster[];
  /** Start time; seeded objects are dated before it. */
  now: number;
}

const iso = (ms: number) => new Date(ms).toISOString();
/** The 11 characters OKE names derive from an OCID (`cluster-c4dknrtmjrd`, `oke-c…-n…-s…-0`). */
export const shortId = (ocid: string) => ocid.slice(-11);

function availabilityDomains(prng: Prng, region: string): string[] {
  const prefix = `${'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[prng.int(26)]}${Array.from({ length: 3 }, () => 'abcdefghijklmnopqrstuvwxyz'[prng.int(26)]).join('')}`;
  const base = region === 'us-phoenix-1' ? 'PHX' : region.replace(/-\d+$/, '').toUpperCase();
  const count = ['us-ashburn-1', 'us-phoenix-1', 'eu-frankfurt-1', 'uk-london-1'].includes(region) ? 3 : 1;
  return Array.from({ length: count }, (_, i) => `${prefix}:${base}-AD-${i + 1}`);
}

/** The next private IP in the cluster's worker subnet (10.0.10.0/24). */
export function nextPrivateIp(c: OkeCluster): string {
  c.lastIp++;
  return `10.0.10.${c.lastIp}`;
}

/** The display name OKE gives a node's instance. */
export function nodeName(c: OkeCluster, p: NodePool, index: number): string {
  return `oke-c${shortId(c.id)}-n${shortId(p.id)}-s${shortId(p.subnetId)}-${index}`;
}

/** A node of pool `p` placed round-robin over its availability domains and fault domains. */
export function newNode(
  state: OciState,
  c: OkeCluster,
  p: NodePool,
  privateIp: string,
  kubeName: string,
  at: number,
): OkeNode {
  const index = p.launched++;
  return {
    id: state.ocids.regional('instance'),
    name: nodeName(c, p, index),
    kubeName,
    privateIp,
    availabilityDomain: p.availabilityDomains[index % p.availabilityDomains.length]!,
    faultDomain: `FAULT-DOMAIN-${(index % 3) + 1}`,
    subnetId: p.subnetId,
    lifecycleState: 'ACTIVE',
    lifecycleDetails: '',
    timeCreated: iso(at),
  };
}

function createdWorkRequest(
  state: OciState,
  c: OkeCluster,
  p: NodePool | undefined,
  at: number,
): WorkRequest {
  const target = p
    ? { entityType: 'nodepool' as const, identifier: p.id, entityUri: `/nodePools/${p.id}` }
    : { entityType: 'cluster' as const, identifier: c.id, entityUri: `/clusters/${c.id}` };
  const w: WorkRequest = {
    id: state.ocids.regional('clustersworkrequest'),
    operationType: p ? 'NODEPOOL_CREATE' : 'CLUSTER_CREATE',
    status: 'SUCCEEDED',
    compartmentId: c.compartmentId,
    clusterId: c.id,
    resources: [{ actionType: 'CREATED', ...target }],
    timeAccepted: iso(at),
    timeStarted: iso(at + 8_000),
    timeFinished: iso(at + (p ? 4 : 7) * 60_000),
    errors: [],
    logs: [
      { message: `${p ? 'Node pool' : 'Cluster'} create request accepted`, timestamp: iso(at) },
      {
        message: `${p ? 'Node pool' : 'Cluster'} ${target.identifier} created`,
        timestamp: iso(at + 4 * 60_000),
      },
    ],
  };
  if (p)
    w.resources.push({
      actionType: 'RELATED',
      entityType: 'cluster',
      identifier: c.id,
      entityUri: `/clusters/${c.id}`,
    });
  state.workRequests.push(w);
  return w;
}

function seedCluster(state: OciState, input: SeedInput, i: number): OkeCluster {
  const { ocids, now } = input;
  const enhanced = i % 2 === 0;
  const privateOnly = i % 3 === 2;
  const kube = input.kubes[i]!;
  const created = now - (90 - i * 7) * DAY;
  const id = ocids.regional('cluster');
  const c: OkeCluster = {
    id,
    name: CLUSTER_NAMES[i] ?? `oke-${i + 1}`,
    compartmentId: state.compartments[i % state.compartments.length]!.id,
    type: enhanced ? 'ENHANCED_CLUSTER' : 'BASIC_CLUSTER',
    lifecycleState: 'ACTIVE',
    kubernetesVersion: KUBERNETES_VERSION,
    vcnId: ocids.regional('vcn'),
    endpointSubnetId: ocids.regional('subnet'),
    serviceLbSubnetId: ocids.regional('subnet'),
    isPublicIpEnabled: !privateOnly,
    // Both reach the backing kube-sim: its certificate names 127.0.0.1 and localhost.
    endpoints: {
      ...(privateOnly ? {} : { publicEndpoint: `127.0.0.1:${kube.port}` }),
      privateEndpoint: `localhost:${kube.port}`,
      vcnHostnameEndpoint: `c${shortId(id).slice(0, 10)}.sub${i + 1}.okevcn.oraclevcn.com:6443`,
    },
    cniType: enhanced ? 'OCI_VCN_IP_NATIVE' : 'FLANNEL_OVERLAY',
    podsCidr: '10.244.0.0/16',
    servicesCidr: '10.96.0.0/16',
    timeCreated: iso(created),
    createdByUserId: input.adminUserId,
    createdByWorkRequestId: '',
    timeCredentialExpiration: iso(created + 5 * 365 * DAY),
    definedTags: { 'Oracle-Tags': { CreatedBy: 'default/admin@example.com', CreatedOn: iso(created) } },
    freeformTags: { environment: state.compartments[i % state.compartments.length]!.name },
    kube,
    lastIp: 10,
  };
  state.clusters.push(c);
  c.createdByWorkRequestId = createdWorkRequest(state, c, undefined, created).id;

  const workers = seededWorkers(kube);
  const pool = seedPool(state, c, 'pool1', SHAPES.x86, workers.length, created + 10 * 60_000);
  for (const w of workers) {
    const n = newNode(state, c, pool, w.ip, w.name, created + 14 * 60_000);
    pool.nodes.push(n);
    adoptKubeNode(c, pool, n);
  }
  if (enhanced) {
    const arm = seedPool(state, c, 'pool-arm', SHAPES.arm, 1, created + 20 * DAY);
    const ip = nextPrivateIp(c);
    const n = newNode(state, c, arm, ip, ip, created + 20 * DAY + 4 * 60_000);
    arm.nodes.push(n);
    addKubeNode(c, arm, n);
  }
  return c;
}

function seedPool(
  state: OciState,
  c: OkeCluster,
  name: string,
  shape: (typeof SHAPES)['x86'],
  size: number,
  at: number,
): NodePool {
  const p: NodePool = {
    id: state.ocids.regional('nodepool'),
    clusterId: c.id,
    compartmentId: c.compartmentId,
    name,
    kubernetesVersion: c.kubernetesVersion,
    ...shape,
    imageId: state.ocids.regional('image'),
    bootVolumeSizeInGBs: 50,
    size,
    subnetId: state.ocids.regional('subnet'),
    availabilityDomains: state.availabilityDomains,
    maxPodsPerNode: 31,
    initialNodeLabels: [{ key: 'name', value: name }],
    sshPublicKey: '',
    nodeMetadata: {},
    nsgIds: [],
    isPvEncryptionInTransitEnabled: false,
    lifecycleState: 'ACTIVE',
    lifecycleDetails: '',
    nodes: [],
    freeformTags: {},
    definedTags: { 'Oracle-Tags': { CreatedBy: 'default/admin@example.com', CreatedOn: iso(at) } },
    timeCreated: iso(at),
    version: 1,
    launched: 0,
  };
  state.nodePools.push(p);
  createdWorkRequest(state, c, p, at);
  return p;
}

export function seed(input: SeedInput): OciState {
  const state = new OciState(
    input.tenancyId,
    input.region,
    input.ocids,
    availabilityDomains(input.prng, input.region),
  );
  for (const [i, c] of COMPARTMENTS.entries()) {
    state.compartments.push({
      id: input.ocids.global('compartment'),
      name: c.name,
      description: c.description,
      parentId: input.tenancyId,
      timeCreated: iso(input.now - (400 - i * 30) * DAY),
      lifecycleState: 'ACTIVE',
    });
  }
  for (let i = 0; i < input.kubes.length; i++) seedCluster(state, input, i);
  state.workRequests.sort((a, b) => a.timeAccepted.localeCompare(b.timeAccepted));
  return state;
}
