import { randomBytes } from 'node:crypto';
import type { Job } from './jobs.js';

export type VmState = 'Running' | 'Stopped' | 'Starting' | 'Stopping' | 'Destroyed' | 'Expunging' | 'Error';

export const ROOT_DOMAIN = { internalId: 1, name: 'ROOT', path: '/' } as const;

export interface Account {
  id: string;
  /** Numeric id as it appears in instance names (i-<account>-<vm>-VM). */
  internalId: number;
  name: string;
  /** 1 root admin, 0 user, 5 the account that owns a project's resources (Account.Type.PROJECT). */
  type: 0 | 1 | 5;
  roleId: string;
  roleName: string;
  roleType: 'Admin' | 'User';
  created: string;
}

export interface User {
  id: string;
  username: string;
  password: string;
  firstname: string;
  lastname: string;
  email: string;
  accountId: string;
  apiKey?: string;
  secretKey?: string;
  state: 'enabled' | 'disabled';
  timezone: string;
  created: string;
}

export interface Zone {
  id: string;
  name: string;
  description: string;
  dns1: string;
  internaldns1: string;
  guestcidraddress: string;
  zonetoken: string;
  podId: string;
  podName: string;
  clusterId: string;
  clusterName: string;
  physicalNetworkId: string;
  publicNetworkId: string;
  vlanId: string;
  /** Public addresses are <publicPrefix><n>. */
  publicPrefix: string;
  nextPublicHost: number;
}

export interface Host {
  id: string;
  name: string;
  zoneId: string;
  ipaddress: string;
  cpunumber: number;
  cpuspeed: number;
  memorytotal: number;
  created: string;
}

export interface OsType {
  id: string;
  categoryId: string;
  categoryName: string;
  description: string;
}

export interface Template {
  id: string;
  name: string;
  displaytext: string;
  osTypeId: string;
  accountId: string;
  ispublic: boolean;
  isfeatured: boolean;
  passwordenabled: boolean;
  format: string;
  templatetype: 'USER' | 'BUILTIN';
  /** Bytes. */
  size: number;
  created: string;
  zoneIds: string[];
}

export interface ServiceOffering {
  id: string;
  name: string;
  displaytext: string;
  cpunumber: number;
  cpuspeed: number;
  memory: number;
  offerha: boolean;
  created: string;
}

export interface DiskOffering {
  id: string;
  name: string;
  displaytext: string;
  /** GB; 0 for custom-size offerings. */
  disksize: number;
  iscustomized: boolean;
  created: string;
}

export interface NetworkOffering {
  id: string;
  name: string;
  displaytext: string;
  guestiptype: 'Isolated' | 'Shared';
  isdefault: boolean;
  specifyvlan: boolean;
  services: string[];
  created: string;
}

export interface Network {
  id: string;
  name: string;
  displaytext: string;
  zoneId: string;
  offeringId: string;
  type: 'Isolated' | 'Shared';
  /** Owner of an isolated network; shared networks belong to the domain. */
  accountId?: string;
  cidr: string;
  gateway: string;
  netmask: string;
  vlan: number;
  networkdomain: string;
  state: 'Implemented' | 'Allocated';
  created: string;
  nextHost: number;
}

export interface Nic {
  id: string;
  networkId: string;
  ipaddress: string;
  macaddress: string;
  isdefault: boolean;
}

export interface Vm {
  id: string;
  name: string;
  displayname: string;
  accountId: string;
  userId: string;
  zoneId: string;
  templateId: string;
  serviceOfferingId: string;
  hostId?: string;
  state: VmState;
  created: string;
  instanceName: string;
  nics: Nic[];
  keypair?: string;
  /** Pending job working on this VM. */
  jobId?: string;
}

export interface Volume {
  id: string;
  name: string;
  type: 'ROOT' | 'DATADISK';
  zoneId: string;
  accountId: string;
  /** Bytes. */
  size: number;
  diskOfferingId?: string;
  templateId?: string;
  serviceOfferingId?: string;
  vmId?: string;
  deviceId?: number;
  state: 'Ready' | 'Allocated' | 'Destroy';
  created: string;
  attached?: string;
  jobId?: string;
}

export interface Snapshot {
  id: string;
  name: string;
  volumeId: string;
  volumeName: string;
  volumeType: 'ROOT' | 'DATADISK';
  accountId: string;
  zoneId: string;
  state: 'BackedUp' | 'Creating' | 'Destroying';
  created: string;
  size: number;
  jobId?: string;
}

export interface SshKeyPair {
  id: string;
  name: string;
  accountId: string;
  fingerprint: string;
}

export interface PublicIp {
  id: string;
  ipaddress: string;
  zoneId: string;
  accountId: string;
  networkId: string;
  issourcenat: boolean;
  /** Static NAT target. */
  vmId?: string;
  state: 'Allocated' | 'Allocating' | 'Releasing';
  allocated: string;
  jobId?: string;
}

/** The resource types a project (like an account) has a limit for; -1 is unlimited. */
export const LIMITED_RESOURCES = [
  'network',
  'vpc',
  'cpu',
  'memory',
  'primarystorage',
  'secondarystorage',
  'vm',
  'ip',
  'volume',
  'snapshot',
  'template',
] as const;
export type LimitedResource = (typeof LIMITED_RESOURCES)[number];

export interface Project {
  id: string;
  name: string;
  displaytext: string;
  ownerAccountId: string;
  memberAccountIds: string[];
  /** Its project account (PrjAcct-<name>-<owner>), which owns the project's VMs and volumes. */
  accountId: string;
  /** Counts; memory in MiB, storage in GiB, as listProjects shows them. */
  limits: Record<LimitedResource, number>;
  state: 'Active' | 'Suspended';
  created: string;
}

export interface EntityTypes {
  zone: Zone;
  host: Host;
  ostype: OsType;
  template: Template;
  serviceoffering: ServiceOffering;
  diskoffering: DiskOffering;
  networkoffering: NetworkOffering;
  network: Network;
  vm: Vm;
  volume: Volume;
  snapshot: Snapshot;
  ipaddress: PublicIp;
  user: User;
  job: Job;
  project: Project;
}

export type EntityKind = keyof EntityTypes;

/**
 * How ParamProcessWorker would translate an id: `found`; `gone` when the id passes translation (a numeric
 * internal id, or the UUID of a removed row) but the manager finds nothing; undefined when translation fails.
 */
export type Resolution<T> = { found: T } | { gone: string } | undefined;

export class State {
  readonly domainId: string;
  readonly accounts = new Map<string, Account>();
  readonly maps: { [K in EntityKind]: Map<string, EntityTypes[K]> } = {
    zone: new Map(),
    host: new Map(),
    ostype: new Map(),
    template: new Map(),
    serviceoffering: new Map(),
    diskoffering: new Map(),
    networkoffering: new Map(),
    network: new Map(),
    vm: new Map(),
    volume: new Map(),
    snapshot: new Map(),
    ipaddress: new Map(),
    user: new Map(),
    job: new Map(),
    project: new Map(),
  };
  readonly sshKeyPairs: SshKeyPair[] = [];
  /** UUIDs of expunged/deleted rows: CloudStack still translates them (findByUuidIncludingRemoved). */
  private readonly removed = new Set<string>();
  private vmCounter = 100;
  private macCounter = 0;

  constructor(domainId: string) {
    this.domainId = domainId;
  }

  add<K extends EntityKind>(kind: K, entity: EntityTypes[K] & { id: string }): EntityTypes[K] {
    (this.maps[kind] as Map<string, EntityTypes[K]>).set(entity.id, entity);
    return entity;
  }

  get<K extends EntityKind>(kind: K, id: string): EntityTypes[K] | undefined {
    return this.maps[kind].get(id) as EntityTypes[K] | undefined;
  }

  all<K extends EntityKind>(kind: K): EntityTypes[K][] {
    return [...this.maps[kind].values()] as EntityTypes[K][];
  }

  remove(kind: EntityKind, id: string): void {
    this.maps[kind].delete(id);
    this.removed.add(id);
  }

  resolve<K extends EntityKind>(kind: K, value: string): Resolution<EntityTypes[K]> {
    const found = this.get(kind, value) ?? this.get(kind, value.toLowerCase());
    if (found) return { found };
    if (/^-?\d+$/.test(value) || this.removed.has(value.toLowerCase())) return { gone: value };
    return undefined;
  }

  account(id: string): Account {
    return this.accounts.get(id)!;
  }

  /** The project whose resources `accountId` owns, if it is a project account. */
  projectOf(accountId: string): Project | undefined {
    if (this.accounts.get(accountId)?.type !== 5) return undefined;
    for (const p of this.maps.project.values()) if (p.accountId === accountId) return p;
    return undefined;
  }

  userByApiKey(apiKey: string): User | undefined {
    for (const u of this.maps.user.values()) if (u.apiKey === apiKey) return u;
    return undefined;
  }

  userByName(username: string): User | undefined {
    for (const u of this.maps.user.values()) if (u.username === username) return u;
    return undefined;
  }

  /** Internal VM number, used in instance names (i-<account>-<n>-VM) and root volume names (ROOT-<n>). */
  nextVmNumber(): number {
    return ++this.vmCounter;
  }

  macAddress(): string {
    const n = ++this.macCounter;
    const hex = [(n >> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255].map((b) =>
      b.toString(16).padStart(2, '0'),
    );
    return `02:00:${hex.join(':')}`;
  }

  /** Next guest address; the gateway holds host 1. */
  allocateGuestIp(network: Network): string {
    return hostAddress(network.cidr, ++network.nextHost);
  }

  allocatePublicIp(zone: Zone): string {
    return `${zone.publicPrefix}${zone.nextPublicHost++}`;
  }

  static newKey(): string {
    return randomBytes(64).toString('base64url');
  }
}

function hostAddress(cidr: string, host: number): string {
  const [base] = cidr.split('/');
  const n = base!.split('.').reduce((acc, o) => acc * 256 + Number(o), 0) + host;
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}
