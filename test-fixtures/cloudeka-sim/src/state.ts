import { Prng } from 'sim-kit';
import { KubeStore } from './kube-store.js';
import type { Environment } from './types.js';

export type RoleName = 'Owner' | 'Member' | 'SuperAdmin' | string;

export interface Organization {
  id: string;
  name: string;
  details: string;
  email: string;
  phone_number: string;
  address: string;
  city: string;
  province: string;
  zip_code: string;
  npwp: string;
  status: 'active';
  created_at: string;
  updated_at: string;
}

export interface User {
  id: string;
  name: string;
  email: string;
  phone_number: string;
  address: string;
  password: string;
  /** The organization role's name; SuperAdmin for the platform operator. */
  role: RoleName;
  role_id: string | null;
  organization_id: string | null;
  project_ids: string[];
  status: 'active' | 'inactive' | 'pending';
  verified: boolean;
  /** The Harbor CLI secret shown by registry_show_password. */
  registry_secret: string;
  invitation_sent_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface Role {
  id: string;
  organization_id: string;
  name: string;
  description: string;
  is_default: boolean;
  privileges: string[];
  created_at: string;
  updated_at: string;
}

export interface GpuQuota {
  gpu_type: string;
  quota: number;
  used: number;
}

export interface Project {
  id: string;
  organization_id: string;
  name: string;
  description: string;
  /** postpaid = enterprise billing (invoices per project), prepaid = SME (balance, top-up invoices). */
  payment_type: 'postpaid' | 'prepaid';
  status: 'active';
  vcluster: { name: string; status: 'Running'; version: string; token: string; ca: string };
  balance: number;
  gpu_quota: GpuQuota[];
  /** Monthly totals (period YYYY-MM) and daily costs (date YYYY-MM-DD), deterministic. */
  monthly: Array<{ period: string; total: number }>;
  daily: Array<{
    date: string;
    virtual_machine: number;
    kubernetes: number;
    registry: number;
    notebook: number;
    storage: number;
  }>;
  created_at: string;
  updated_at: string;
}

export interface CliToken {
  id: string;
  user_id: string;
  name: string;
  /** The cldkctl_… value; the exchange also accepts it with the cldk_ prefix. */
  secret: string;
  status: 'active' | 'revoked';
  expired_at: string | null;
  last_used_at: string | null;
  created_at: string;
  updated_at: string;
}

export type VmStatus = 'running' | 'off' | 'error';

export interface Vm {
  id: string;
  project_id: string;
  namespace: string;
  name: string;
  status: VmStatus;
  flavor_id: string | null;
  flavor_name: string;
  cpu: number;
  memory_gb: number;
  gpu: string | null;
  image_id: string | null;
  image_name: string;
  storage_gb: number;
  network: string;
  ip_address: string;
  manifest: Record<string, unknown>;
  reboot_count: number;
  last_reboot_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface Registry {
  id: string;
  project_id: string;
  organization_id: string;
  name: string;
  public: boolean;
  size_limit_gb: number;
  status: 'active';
  description: string;
  created_at: string;
  updated_at: string;
}

export interface RegistryMember {
  id: string;
  registry_id: string;
  user_id: string;
  role: 'project_admin' | 'maintainer' | 'developer' | 'guest';
  created_at: string;
}

export interface Repository {
  id: string;
  registry_id: string;
  name: string;
  pull_count: number;
  created_at: string;
  updated_at: string;
}

export interface ArtifactTag {
  name: string;
  pushed_at: string;
  immutable: boolean;
}

export interface Artifact {
  id: string;
  registry_id: string;
  repository_id: string;
  digest: string;
  size: number;
  tags: ArtifactTag[];
  label_ids: string[];
  scan: {
    status: 'Not Scanned' | 'Running' | 'Stopped' | 'Success';
    severity: 'None' | 'Low' | 'Medium' | 'High' | 'Critical' | null;
    summary: {
      total: number;
      fixable: number;
      critical: number;
      high: number;
      medium: number;
      low: number;
    } | null;
    started_at: string | null;
    completed_at: string | null;
    /** Detail reads left before a Running scan reports Success. */
    reads_left: number;
  };
  pushed_at: string;
  pull_time: string | null;
}

export interface RegistryLabel {
  id: string;
  registry_id: string;
  name: string;
  color: string;
  description: string;
  created_at: string;
  updated_at: string;
}

/** A Deka Registry tag rule (Harbor immutable-tag rule): repositories and tags matching it cannot be overwritten. */
export interface TagRule {
  id: string;
  registry_id: string;
  tag: string;
  repository: string;
  disabled: boolean;
  created_at: string;
  updated_at: string;
}

export interface RegistryLog {
  id: string;
  registry_id: string;
  username: string;
  operation: 'push' | 'pull' | 'delete' | 'create';
  resource: string;
  op_time: string;
}

export interface Notebook {
  id: string;
  project_id: string;
  namespace: string;
  name: string;
  image: string;
  cpu: string;
  memory: string;
  storage: string;
  gpu: string | null;
  status: 'running' | 'stopped';
  yaml: string;
  created_at: string;
  updated_at: string;
}

export interface Voucher {
  id: string;
  code: string;
  type: 'credit' | 'trial';
  amount: number;
  description: string;
  expired_at: string;
  claimed_by: string | null;
  organization_id: string | null;
  project_id: string | null;
  claimed_at: string | null;
}

export interface Invoice {
  id: string;
  invoice_number: string;
  organization_id: string;
  project_id: string;
  type: 'sme' | 'enterprise';
  period: string;
  amount: number;
  tax: number;
  total: number;
  status: 'paid' | 'unpaid';
  issued_at: string;
  due_at: string;
  items: Array<{ description: string; amount: number }>;
}

export interface Payment {
  id: string;
  organization_id: string;
  project_id: string;
  invoice_id: string;
  amount: number;
  method: string;
  status: 'success';
  reference: string;
  paid_at: string;
}

export interface AuditEntry {
  id: string;
  organization_id: string | null;
  user_id: string;
  user_name: string;
  email: string;
  role: string;
  activity: string;
  method: string;
  endpoint: string;
  project_id: string | null;
  status: 'success';
  ip_address: string;
  created_at: string;
}

export interface ConsoleSession {
  token: string;
  user_id: string;
  project_id: string;
  namespace: string;
  pod: string;
  container: string;
  expires_at: number;
}

export interface Catalog {
  flavorTypes: Array<{ id: string; name: string; description: string }>;
  flavors: Array<{
    id: string;
    flavor_type_id: string;
    name: string;
    cpu: number;
    memory_gb: number;
    gpu: string | null;
    price_per_hour: number;
  }>;
  images: Array<{ id: string; name: string; os: string; version: string; default_user: string }>;
  gpus: Array<{ id: string; name: string; memory_gb: number }>;
  storageClasses: Array<{ name: string; provisioner: string; is_default: boolean; price_per_gb: number }>;
  notebookImages: Array<{ id: string; name: string; image: string; gpu: boolean; description: string }>;
}

/** Everything one simulator instance knows, mutated by the handlers. */
export class State {
  readonly organizations = new Map<string, Organization>();
  readonly users = new Map<string, User>();
  readonly roles = new Map<string, Role>();
  readonly projects = new Map<string, Project>();
  readonly tokens = new Map<string, CliToken>();
  readonly vms = new Map<string, Vm>();
  readonly registries = new Map<string, Registry>();
  readonly registryMembers = new Map<string, RegistryMember>();
  readonly repositories = new Map<string, Repository>();
  readonly artifacts = new Map<string, Artifact>();
  readonly labels = new Map<string, RegistryLabel>();
  readonly tagRules = new Map<string, TagRule>();
  readonly registryLogs: RegistryLog[] = [];
  readonly notebooks = new Map<string, Notebook>();
  readonly vouchers = new Map<string, Voucher>();
  readonly invoices = new Map<string, Invoice>();
  readonly payments = new Map<string, Payment>();
  readonly audit: AuditEntry[] = [];
  readonly consoles = new Map<string, ConsoleSession>();
  /** One vcluster per project. */
  readonly kube = new Map<string, KubeStore>();
  catalog: Catalog = {
    flavorTypes: [],
    flavors: [],
    images: [],
    gpus: [],
    storageClasses: [],
    notebookImages: [],
  };

  constructor(
    /** Generator for ids and secrets of things created at run time (deterministic too). */
    readonly rng: Prng,
    readonly environment: Environment,
  ) {}

  id(): string {
    return this.rng.uuid();
  }

  now(): string {
    return new Date().toISOString();
  }

  kubeOf(projectId: string): KubeStore {
    let store = this.kube.get(projectId);
    if (!store) {
      // Its own generator per project: seeded objects get the same uids and names in every environment.
      store = new KubeStore(new Prng(`cloudeka-sim/kube/${projectId}`));
      this.kube.set(projectId, store);
    }
    return store;
  }

  userByEmail(email: string): User | undefined {
    for (const u of this.users.values()) if (u.email.toLowerCase() === email.toLowerCase()) return u;
    return undefined;
  }

  /** The token record a cldkctl_… (or cldk_…) value belongs to. */
  tokenBySecret(value: string): CliToken | undefined {
    const body = value.startsWith('cldkctl_')
      ? value.slice(8)
      : value.startsWith('cldk_')
        ? value.slice(5)
        : '';
    if (!body) return undefined;
    for (const t of this.tokens.values()) if (t.secret === `cldkctl_${body}`) return t;
    return undefined;
  }

  newTokenSecret(): string {
    return `cldkctl_${this.rng.bytes(24).toString('base64url')}`;
  }
}
