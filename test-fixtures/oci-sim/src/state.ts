import { createHash } from 'node:crypto';
import type { SimCluster } from 'kube-sim';
import type { OcidFactory } from './ocid.js';

export type Tags = Record<string, string>;
export type DefinedTags = Record<string, Record<string, unknown>>;

export interface Compartment {
  id: string;
  name: string;
  description: string;
  /** The parent compartment (the tenancy for its direct children). */
  parentId: string;
  timeCreated: string;
  lifecycleState: 'ACTIVE';
}

export interface OkeCluster {
  id: string;
  name: string;
  compartmentId: string;
  type: 'BASIC_CLUSTER' | 'ENHANCED_CLUSTER';
  /** Seeded clusters are all ACTIVE; the simulator does not create or delete clusters. */
  lifecycleState: 'ACTIVE';
  kubernetesVersion: string;
  vcnId: string;
  endpointSubnetId: string;
  serviceLbSubnetId: string;
  isPublicIpEnabled: boolean;
  /** `host:port` strings; absent when the cluster has no such endpoint. */
  endpoints: { publicEndpoint?: string; privateEndpoint: string; vcnHostnameEndpoint: string };
  cniType: 'OCI_VCN_IP_NATIVE' | 'FLANNEL_OVERLAY';
  podsCidr: string;
  servicesCidr: string;
  timeCreated: string;
  createdByUserId: string;
  createdByWorkRequestId: string;
  timeCredentialExpiration: string;
  definedTags: DefinedTags;
  freeformTags: Tags;
  kube: SimCluster;
  /** Last octet of the last private IP handed to a new node in 10.0.10.0/24. */
  lastIp: number;
}

export type NodeState = 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING' | 'DELETED' | 'FAILING' | 'INACTIVE';

export interface OkeNode {
  /** The compute instance OCID. */
  id: string;
  /** The instance display name, `oke-c<cluster>-n<pool>-s<subnet>-<index>`. */
  name: string;
  /** The Kubernetes Node object's name. */
  kubeName: string;
  privateIp: string;
  availabilityDomain: string;
  faultDomain: string;
  subnetId: string;
  lifecycleState: NodeState;
  lifecycleDetails: string;
  timeCreated: string;
}

export type NodePoolState =
  | 'CREATING'
  | 'ACTIVE'
  | 'UPDATING'
  | 'DELETING'
  | 'DELETED'
  | 'FAILED'
  | 'INACTIVE'
  | 'NEEDS_ATTENTION';

export interface NodePool {
  id: string;
  clusterId: string;
  compartmentId: string;
  name: string;
  kubernetesVersion: string;
  nodeShape: string;
  ocpus: number;
  memoryInGBs: number;
  imageId: string;
  imageName: string;
  bootVolumeSizeInGBs: number;
  size: number;
  subnetId: string;
  availabilityDomains: string[];
  maxPodsPerNode: number;
  initialNodeLabels: Array<{ key: string; value: string }>;
  sshPublicKey: string;
  nodeMetadata: Tags;
  nsgIds: string[];
  isPvEncryptionInTransitEnabled: boolean;
  lifecycleState: NodePoolState;
  lifecycleDetails: string;
  nodes: OkeNode[];
  freeformTags: Tags;
  definedTags: DefinedTags;
  timeCreated: string;
  /** Bumped on every change; the etag is derived from it. */
  version: number;
  /** How many nodes were ever launched in the pool (the next display-name index). */
  launched: number;
}

export type WorkRequestStatus =
  | 'ACCEPTED'
  | 'IN_PROGRESS'
  | 'FAILED'
  | 'SUCCEEDED'
  | 'CANCELING'
  | 'CANCELED';

export interface WorkRequestResource {
  actionType: string;
  entityType: 'cluster' | 'nodepool';
  identifier: string;
  entityUri: string;
}

export interface WorkRequest {
  id: string;
  operationType: string;
  status: WorkRequestStatus;
  compartmentId: string;
  clusterId: string;
  resources: WorkRequestResource[];
  timeAccepted: string;
  timeStarted?: string;
  timeFinished?: string;
  errors: Array<{ code: string; message: string; timestamp: string }>;
  logs: Array<{ message: string; timestamp: string }>;
}

export function etagOf(id: string, version: number | string): string {
  return `"${createHash('md5').update(`${id}/${version}`).digest('hex')}"`;
}

/** Everything the Container Engine and Identity APIs answer from. */
export class OciState {
  readonly compartments: Compartment[] = [];
  readonly clusters: OkeCluster[] = [];
  readonly nodePools: NodePool[] = [];
  /** Oldest first. */
  readonly workRequests: WorkRequest[] = [];

  constructor(
    readonly tenancyId: string,
    readonly region: string,
    readonly ocids: OcidFactory,
    /** Availability domain names, e.g. `Uocm:US-ASHBURN-AD-1`. */
    readonly availabilityDomains: string[],
  ) {}

  /** The tenancy and every compartment id, each of which can be a list's compartmentId. */
  isCompartment(id: string): boolean {
    return id === this.tenancyId || this.compartments.some((c) => c.id === id);
  }

  cluster(id: string): OkeCluster | undefined {
    return this.clusters.find((c) => c.id === id);
  }

  nodePool(id: string): NodePool | undefined {
    return this.nodePools.find((p) => p.id === id);
  }

  workRequest(id: string): WorkRequest | undefined {
    return this.workRequests.find((w) => w.id === id);
  }
}
