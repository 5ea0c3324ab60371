import type { LimitedResource, VmState } from './state.js';

/** What the seed creates; ids, keys and addresses are generated in seed.ts. */
export const ZONES = [
  { name: 'AMS1', description: 'Amsterdam, NL (primary)', publicPrefix: '203.0.113.' },
  { name: 'FRA1', description: 'Frankfurt, DE', publicPrefix: '198.51.100.' },
  { name: 'SIN1', description: 'Singapore, SG', publicPrefix: '192.0.2.' },
];

export const OS_TYPES: [string, string][] = [
  ['Ubuntu 20.04 LTS', 'Ubuntu'],
  ['Ubuntu 22.04 LTS', 'Ubuntu'],
  ['Ubuntu 24.04 LTS', 'Ubuntu'],
  ['Debian GNU/Linux 11 (64-bit)', 'Debian'],
  ['Debian GNU/Linux 12 (64-bit)', 'Debian'],
  ['Rocky Linux 9', 'RHEL'],
  ['AlmaLinux 9', 'RHEL'],
  ['Red Hat Enterprise Linux 9', 'RHEL'],
  ['CentOS 5.5 (64-bit)', 'CentOS'],
  ['Windows Server 2019 (64-bit)', 'Windows'],
  ['Windows Server 2022 (64-bit)', 'Windows'],
  ['Other Linux (64-bit)', 'Other'],
];

interface TemplateDef {
  name: string;
  displaytext: string;
  os: string;
  visibility: 'featured' | 'community' | 'private';
  sizeGb: number;
  owner?: 'alice';
  zones?: number[];
  password?: boolean;
  builtin?: boolean;
}

export const TEMPLATES: TemplateDef[] = [
  {
    name: 'Ubuntu 22.04 LTS',
    displaytext: 'Ubuntu 22.04 LTS (Jammy) cloud image',
    os: 'Ubuntu 22.04 LTS',
    visibility: 'featured',
    sizeGb: 10,
  },
  {
    name: 'Ubuntu 24.04 LTS',
    displaytext: 'Ubuntu 24.04 LTS (Noble) cloud image',
    os: 'Ubuntu 24.04 LTS',
    visibility: 'featured',
    sizeGb: 10,
  },
  {
    name: 'Debian 12',
    displaytext: 'Debian 12 (Bookworm) generic cloud',
    os: 'Debian GNU/Linux 12 (64-bit)',
    visibility: 'featured',
    sizeGb: 8,
  },
  {
    name: 'Rocky Linux 9',
    displaytext: 'Rocky Linux 9 GenericCloud',
    os: 'Rocky Linux 9',
    visibility: 'featured',
    sizeGb: 10,
  },
  {
    name: 'AlmaLinux 9',
    displaytext: 'AlmaLinux 9 GenericCloud (community)',
    os: 'AlmaLinux 9',
    visibility: 'community',
    sizeGb: 10,
  },
  {
    name: 'Windows Server 2022',
    displaytext: 'Windows Server 2022 Datacenter',
    os: 'Windows Server 2022 (64-bit)',
    visibility: 'featured',
    sizeGb: 50,
    zones: [0, 1],
    password: true,
  },
  {
    name: 'CentOS 5.5(64-bit) no GUI (KVM)',
    displaytext: 'CentOS 5.5(64-bit) no GUI (KVM)',
    os: 'CentOS 5.5 (64-bit)',
    visibility: 'featured',
    sizeGb: 8,
    builtin: true,
  },
  {
    name: 'golden-image-2024',
    displaytext: 'Hardened base image, Q1 2024',
    os: 'Ubuntu 22.04 LTS',
    visibility: 'private',
    sizeGb: 12,
    zones: [1],
  },
  {
    name: 'alice-app-image',
    displaytext: 'Alice application image',
    os: 'Debian GNU/Linux 12 (64-bit)',
    visibility: 'private',
    sizeGb: 9,
    owner: 'alice',
    zones: [0],
  },
];

export const SERVICE_OFFERINGS = [
  { name: 'Tiny', displaytext: 'Tiny (1 vCPU, 512 MB)', cpunumber: 1, memory: 512, offerha: false },
  { name: 'Small Instance', displaytext: 'Small (1 vCPU, 1 GB)', cpunumber: 1, memory: 1024, offerha: false },
  {
    name: 'Medium Instance',
    displaytext: 'Medium (2 vCPU, 4 GB)',
    cpunumber: 2,
    memory: 4096,
    offerha: false,
  },
  {
    name: 'Large Instance',
    displaytext: 'Large (4 vCPU, 8 GB, HA)',
    cpunumber: 4,
    memory: 8192,
    offerha: true,
  },
  {
    name: 'XLarge Instance',
    displaytext: 'XLarge (8 vCPU, 16 GB, HA)',
    cpunumber: 8,
    memory: 16384,
    offerha: true,
  },
];

export const DISK_OFFERINGS = [
  { name: 'Small', displaytext: 'Small Disk, 10 GB', disksize: 10 },
  { name: 'Medium', displaytext: 'Medium Disk, 50 GB', disksize: 50 },
  { name: 'Large', displaytext: 'Large Disk, 100 GB', disksize: 100 },
  { name: 'Custom', displaytext: 'Custom Disk', disksize: 0 },
];

export const NETWORK_OFFERINGS = [
  {
    name: 'DefaultIsolatedNetworkOfferingWithSourceNatService',
    displaytext: 'Offering for Isolated networks with Source Nat service enabled',
    guestiptype: 'Isolated' as const,
    isdefault: true,
    specifyvlan: false,
    services: [
      'Vpn',
      'Dhcp',
      'Dns',
      'SourceNat',
      'PortForwarding',
      'Lb',
      'UserData',
      'StaticNat',
      'Firewall',
    ],
  },
  {
    name: 'DefaultSharedNetworkOffering',
    displaytext: 'Offering for Shared networks',
    guestiptype: 'Shared' as const,
    isdefault: true,
    specifyvlan: true,
    services: ['Dhcp', 'Dns', 'UserData'],
  },
];

interface VmDef {
  name: string;
  owner: 'admin' | 'alice';
  zone: number;
  template: string;
  offering: string;
  state: VmState;
  keypair?: string;
  shared?: boolean;
}

export const VMS: VmDef[] = [
  {
    name: 'web-01',
    owner: 'admin',
    zone: 0,
    template: 'Ubuntu 22.04 LTS',
    offering: 'Medium Instance',
    state: 'Running',
    keypair: 'admin-key',
  },
  {
    name: 'web-02',
    owner: 'admin',
    zone: 0,
    template: 'Ubuntu 22.04 LTS',
    offering: 'Medium Instance',
    state: 'Running',
    keypair: 'admin-key',
  },
  {
    name: 'db-01',
    owner: 'admin',
    zone: 1,
    template: 'Debian 12',
    offering: 'Large Instance',
    state: 'Running',
    keypair: 'deploy-key',
  },
  {
    name: 'ci-runner',
    owner: 'admin',
    zone: 1,
    template: 'Rocky Linux 9',
    offering: 'XLarge Instance',
    state: 'Stopped',
  },
  {
    name: 'win-build',
    owner: 'admin',
    zone: 1,
    template: 'Windows Server 2022',
    offering: 'Large Instance',
    state: 'Stopped',
  },
  {
    name: 'monitoring',
    owner: 'admin',
    zone: 2,
    template: 'Ubuntu 24.04 LTS',
    offering: 'Small Instance',
    state: 'Running',
    shared: true,
  },
  {
    name: 'legacy-app',
    owner: 'admin',
    zone: 0,
    template: 'CentOS 5.5(64-bit) no GUI (KVM)',
    offering: 'Small Instance',
    state: 'Destroyed',
  },
  {
    name: 'alice-dev',
    owner: 'alice',
    zone: 0,
    template: 'Ubuntu 24.04 LTS',
    offering: 'Small Instance',
    state: 'Running',
    keypair: 'alice-laptop',
  },
  { name: 'alice-test', owner: 'alice', zone: 0, template: 'Debian 12', offering: 'Tiny', state: 'Stopped' },
  {
    name: 'alice-api',
    owner: 'alice',
    zone: 1,
    template: 'Rocky Linux 9',
    offering: 'Medium Instance',
    state: 'Running',
    keypair: 'alice-laptop',
  },
  {
    name: 'alice-worker',
    owner: 'alice',
    zone: 1,
    template: 'Ubuntu 22.04 LTS',
    offering: 'Small Instance',
    state: 'Error',
  },
  {
    name: 'alice-batch',
    owner: 'alice',
    zone: 2,
    template: 'Ubuntu 22.04 LTS',
    offering: 'Medium Instance',
    state: 'Running',
  },
];

export const DATA_VOLUMES: {
  name: string;
  owner: 'admin' | 'alice';
  zone: number;
  offering: string;
  vm?: string;
  sizeGb?: number;
  ready?: boolean;
}[] = [
  { name: 'db-01-data', owner: 'admin', zone: 1, offering: 'Large', vm: 'db-01' },
  { name: 'backup-vault', owner: 'admin', zone: 1, offering: 'Custom', sizeGb: 200, ready: true },
  { name: 'alice-api-data', owner: 'alice', zone: 1, offering: 'Medium', vm: 'alice-api' },
  { name: 'alice-scratch', owner: 'alice', zone: 0, offering: 'Small' },
];

export const SNAPSHOTS: { volume: string }[] = [
  { volume: 'db-01' },
  { volume: 'db-01-data' },
  { volume: 'alice-api-data' },
];

export const KEYPAIRS: [string, 'admin' | 'alice'][] = [
  ['admin-key', 'admin'],
  ['deploy-key', 'admin'],
  ['alice-laptop', 'alice'],
];

/** The global settings max.project.* (CloudStack's defaults; storage in GiB, memory in MiB). */
const PROJECT_DEFAULT_LIMITS: Record<LimitedResource, number> = {
  network: 20,
  vpc: 20,
  cpu: 40,
  memory: 40960,
  primarystorage: 200,
  secondarystorage: 400,
  vm: 20,
  ip: 20,
  volume: 20,
  snapshot: 20,
  template: 20,
};

export const PROJECTS: {
  name: string;
  displaytext: string;
  members: ('admin' | 'alice')[];
  limits: Record<LimitedResource, number>;
}[] = [
  {
    name: 'platform',
    displaytext: 'Platform engineering',
    members: ['admin', 'alice'],
    limits: PROJECT_DEFAULT_LIMITS,
  },
  {
    name: 'research',
    displaytext: 'Research sandbox',
    members: ['admin'],
    // Tighter than the defaults, and one resource without a limit.
    limits: { ...PROJECT_DEFAULT_LIMITS, vm: 5, cpu: 10, memory: 10240, ip: -1 },
  },
];

/** VMs of the `platform` project, deployed by alice on AMS1's shared network. */
export const PROJECT_VMS: { name: string; template: string; offering: string; state: VmState }[] = [
  { name: 'platform-api', template: 'Ubuntu 24.04 LTS', offering: 'Small Instance', state: 'Running' },
  { name: 'platform-cache', template: 'Debian 12', offering: 'Tiny', state: 'Stopped' },
];
