import type { Prng } from 'sim-kit';
import { notebookYaml, vmManifest } from './factories.js';
import type { Artifact, Invoice, Notebook, Project, Role, State, User, Vm, Voucher } from './state.js';
import { at } from './time.js';
import type { SimIds } from './types.js';

interface People {
  projects: Project[];
  owner: User;
  member: User;
  ownerRole: Role;
  realistic: boolean;
}

const digest = (rng: Prng) => `sha256:${rng.bytes(32).toString('hex')}`;

/** Vouchers are platform-wide: the available and expired ones exist in both seeds. */
function seedVouchers(state: State, rng: Prng, p: People, ids: SimIds): void {
  const voucher = (
    code: string,
    type: Voucher['type'],
    amount: number,
    description: string,
    expires: string,
  ): Voucher => {
    const v: Voucher = {
      id: rng.uuid(),
      code,
      type,
      amount,
      description,
      expired_at: expires,
      claimed_by: null,
      organization_id: null,
      project_id: null,
      claimed_at: null,
    };
    state.vouchers.set(v.code, v);
    return v;
  };
  ids.vouchers.available.push(
    voucher('CLDK-WELCOME-100K', 'credit', 100_000, 'Welcome credit IDR 100.000', '2030-12-31T23:59:59Z')
      .code,
    voucher('CLDK-GPU-TRIAL-7D', 'trial', 0, '7-day GPU trial (1x NVIDIA L40S)', '2030-12-31T23:59:59Z').code,
  );
  ids.vouchers.expired.push(
    voucher('CLDK-PROMO-2024', 'credit', 50_000, 'Promo 2024', '2024-12-31T23:59:59Z').code,
  );
  if (!p.realistic) return;
  const claim = (v: Voucher, project: Project, day: number) => {
    Object.assign(v, {
      claimed_by: p.owner.id,
      organization_id: project.organization_id,
      project_id: project.id,
      claimed_at: at(day),
    });
    ids.vouchers.claimed.push(v.code);
  };
  claim(
    voucher('CLDK-Q1-BONUS', 'credit', 500_000, 'Q1 2025 bonus credit', '2025-03-31T23:59:59Z'),
    p.projects[1]!,
    60,
  );
  claim(
    voucher('CLDK-TRIAL-STARTER', 'trial', 0, '14-day starter trial', '2025-02-28T23:59:59Z'),
    p.projects[0]!,
    2,
  );
}

function seedVms(state: State, rng: Prng, p: People, ids: SimIds): void {
  const { flavors, images } = state.catalog;
  const vm = (
    project: Project,
    namespace: string,
    name: string,
    status: Vm['status'],
    flavorName: string,
    storage: number,
    day: number,
  ): Vm => {
    const flavor = flavors.find((f) => f.name === flavorName)!;
    const image = images[0]!;
    const v: Vm = {
      id: rng.uuid(),
      project_id: project.id,
      namespace,
      name,
      status,
      flavor_id: flavor.id,
      flavor_name: flavor.name,
      cpu: flavor.cpu,
      memory_gb: flavor.memory_gb,
      gpu: flavor.gpu,
      image_id: image.id,
      image_name: image.name,
      storage_gb: storage,
      network: 'default',
      ip_address: `10.50.${rng.int(250) + 2}.${rng.int(250) + 2}`,
      manifest: {},
      reboot_count: 0,
      last_reboot_at: null,
      created_at: at(day),
      updated_at: at(day),
    };
    v.manifest = vmManifest(v);
    state.vms.set(v.id, v);
    ids.vmIds.push(v.id);
    return v;
  };
  const [ml, web] = p.projects;
  vm(ml!, 'default', 'gpu-worker-01', 'running', 'gpu.a100.1', 200, 42);
  vm(ml!, 'default', 'jupyter-host', 'off', 'gp.medium', 50, 44);
  vm(web!, 'web', 'web-01', 'running', 'gp.small', 40, 21);
  vm(web!, 'web', 'web-02', 'error', 'gp.small', 40, 21);
  ml!.gpu_quota[0]!.used = 1;
}

function seedRegistries(state: State, rng: Prng, p: People, ids: SimIds): void {
  const [ml, web] = p.projects;
  const registry = (project: Project, name: string, isPublic: boolean, day: number) => {
    const r = {
      id: rng.uuid(),
      project_id: project.id,
      organization_id: project.organization_id,
      name,
      public: isPublic,
      size_limit_gb: 50,
      status: 'active' as const,
      description: `${name} images`,
      created_at: at(day),
      updated_at: at(day),
    };
    state.registries.set(r.id, r);
    ids.registryIds.push(r.id);
    return r;
  };
  const models = registry(ml!, 'ml-models', false, 30);
  const images = registry(web!, 'web-images', true, 18);

  const member = (registryId: string, user: User, role: 'project_admin' | 'developer', day: number) => {
    const m = { id: rng.uuid(), registry_id: registryId, user_id: user.id, role, created_at: at(day) };
    state.registryMembers.set(m.id, m);
    ids.registryMemberIds.push(m.id);
  };
  member(models.id, p.owner, 'project_admin', 30);
  member(models.id, p.member, 'developer', 31);
  member(images.id, p.owner, 'project_admin', 18);

  const label = (registryId: string, name: string, color: string, description: string, day: number) => {
    const l = {
      id: rng.uuid(),
      registry_id: registryId,
      name,
      color,
      description,
      created_at: at(day),
      updated_at: at(day),
    };
    state.labels.set(l.id, l);
    ids.labelIds.push(l.id);
    return l;
  };
  const production = label(models.id, 'production', '#2E7D32', 'Serving in production', 31);
  label(models.id, 'experimental', '#F9A825', 'Not for production', 31);
  label(images.id, 'release', '#1565C0', 'Released builds', 19);

  const repo = (registryId: string, name: string, pulls: number, day: number) => {
    const r = {
      id: rng.uuid(),
      registry_id: registryId,
      name,
      pull_count: pulls,
      created_at: at(day),
      updated_at: at(day + 20),
    };
    state.repositories.set(r.id, r);
    ids.repositoryIds.push(r.id);
    return r;
  };
  const trainer = repo(models.id, 'ml-models/trainer', 42, 32);
  const inference = repo(models.id, 'ml-models/inference-api', 318, 33);
  const frontend = repo(images.id, 'web-images/frontend', 1204, 19);

  const artifact = (
    repoId: string,
    registryId: string,
    tags: string[],
    size: number,
    day: number,
    labels: string[],
    scanned: boolean,
  ): Artifact => {
    const a: Artifact = {
      id: rng.uuid(),
      registry_id: registryId,
      repository_id: repoId,
      digest: digest(rng),
      size,
      tags: tags.map((name) => ({ name, pushed_at: at(day), immutable: false })),
      label_ids: labels,
      scan: scanned
        ? {
            status: 'Success',
            severity: 'Medium',
            summary: { total: 14, fixable: 9, critical: 0, high: 0, medium: 5, low: 9 },
            started_at: at(day, 1),
            completed_at: at(day, 1),
            reads_left: 0,
          }
        : {
            status: 'Not Scanned',
            severity: null,
            summary: null,
            started_at: null,
            completed_at: null,
            reads_left: 0,
          },
      pushed_at: at(day),
      pull_time: at(day + 5),
    };
    state.artifacts.set(a.id, a);
    ids.artifactIds.push(a.id);
    return a;
  };
  artifact(trainer.id, models.id, ['1.4.0', 'latest'], 3_912_331_264, 52, [production.id], true);
  artifact(trainer.id, models.id, ['1.3.2'], 3_870_118_912, 47, [], false);
  artifact(inference.id, models.id, ['2.0.1'], 1_204_551_680, 50, [production.id], true);
  artifact(frontend.id, images.id, ['v3.2.0', 'latest'], 48_211_968, 25, [], true);

  const rule = (registryId: string, tag: string, repository: string, disabled: boolean, day: number) => {
    const t = {
      id: rng.uuid(),
      registry_id: registryId,
      tag,
      repository,
      disabled,
      created_at: at(day),
      updated_at: at(day),
    };
    state.tagRules.set(t.id, t);
    ids.tagIds.push(t.id);
  };
  rule(models.id, '1.*', 'trainer', false, 34);
  rule(images.id, 'v*', '**', true, 19);

  const log = (
    registryId: string,
    user: User,
    operation: 'push' | 'pull',
    resource: string,
    day: number,
    hour: number,
  ) =>
    state.registryLogs.push({
      id: rng.uuid(),
      registry_id: registryId,
      username: user.email,
      operation,
      resource,
      op_time: at(day, hour),
    });
  log(models.id, p.owner, 'push', 'ml-models/trainer:1.3.2', 47, 3);
  log(models.id, p.member, 'push', 'ml-models/inference-api:2.0.1', 50, 4);
  log(models.id, p.owner, 'push', 'ml-models/trainer:1.4.0', 52, 2);
  log(models.id, p.member, 'pull', 'ml-models/trainer:1.4.0', 53, 9);
  log(images.id, p.owner, 'push', 'web-images/frontend:v3.2.0', 25, 6);
}

function seedNotebooks(state: State, rng: Prng, p: People, ids: SimIds): void {
  const [pytorch, scipy] = [state.catalog.notebookImages[2]!, state.catalog.notebookImages[1]!];
  const nb = (name: string, image: string, gpu: string | null, status: Notebook['status'], day: number) => {
    const project = p.projects[0]!;
    const n: Notebook = {
      id: rng.uuid(),
      project_id: project.id,
      namespace: 'ml-training',
      name,
      image,
      cpu: '4',
      memory: '16Gi',
      storage: '50Gi',
      gpu,
      status,
      yaml: '',
      created_at: at(day),
      updated_at: at(day),
    };
    n.yaml = notebookYaml(n);
    state.notebooks.set(n.id, n);
    ids.notebooks.push({ id: n.id, project_id: n.project_id, namespace: n.namespace, name, status });
  };
  nb('research-nb', pytorch.image, '1', 'running', 55);
  nb('eda-nb', scipy.image, null, 'stopped', 56);
}

function seedBilling(state: State, rng: Prng, p: People, ids: SimIds): void {
  const [ml, web, sandbox] = p.projects;
  let seq = 0;
  const invoice = (
    project: Project,
    type: Invoice['type'],
    period: string,
    amount: number,
    status: Invoice['status'],
  ) => {
    seq += 1;
    const [year, month] = period.split('-');
    const tax = Math.round(amount * 0.11);
    const inv: Invoice = {
      id: rng.uuid(),
      invoice_number: `INV/${year}/${month}/${String(seq).padStart(4, '0')}`,
      organization_id: project.organization_id,
      project_id: project.id,
      type,
      period,
      amount,
      tax,
      total: amount + tax,
      status,
      issued_at: `${period}-28T00:00:00.000Z`,
      due_at: `${nextMonth(period)}-14T00:00:00.000Z`,
      items:
        type === 'enterprise'
          ? [
              { description: 'Virtual machines', amount: Math.round(amount * 0.5) },
              { description: 'Kubernetes (vcluster)', amount: Math.round(amount * 0.3) },
              {
                description: 'Storage and registry',
                amount: amount - Math.round(amount * 0.5) - Math.round(amount * 0.3),
              },
            ]
          : [{ description: 'Balance top-up', amount }],
    };
    state.invoices.set(inv.id, inv);
    ids.invoiceIds[type === 'sme' ? 'sme' : 'enterprise'].push(inv.id);
    if (status === 'paid') {
      const pay = {
        id: rng.uuid(),
        organization_id: inv.organization_id,
        project_id: inv.project_id,
        invoice_id: inv.id,
        amount: inv.total,
        method: type === 'sme' ? 'virtual_account_bca' : 'bank_transfer',
        status: 'success' as const,
        reference: `PAY-${rng.bytes(5).toString('hex').toUpperCase()}`,
        paid_at: type === 'sme' ? `${period}-28T09:30:00.000Z` : `${nextMonth(period)}-10T09:30:00.000Z`,
      };
      state.payments.set(pay.id, pay);
    }
  };
  invoice(web!, 'sme', '2025-04', 1_000_000, 'paid');
  invoice(web!, 'sme', '2025-05', 1_000_000, 'paid');
  invoice(sandbox!, 'sme', '2025-06', 250_000, 'unpaid');
  invoice(ml!, 'enterprise', '2025-05', ml!.monthly[4]!.total, 'paid');
  invoice(ml!, 'enterprise', '2025-06', ml!.monthly[5]!.total, 'unpaid');
}

function nextMonth(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

function seedAudit(state: State, rng: Prng, p: People): void {
  const entry = (
    user: User,
    activity: string,
    method: string,
    endpoint: string,
    project: Project | null,
    day: number,
  ) =>
    state.audit.push({
      id: rng.uuid(),
      organization_id: user.organization_id,
      user_id: user.id,
      user_name: user.name,
      email: user.email,
      role: user.role,
      activity,
      method,
      endpoint,
      project_id: project?.id ?? null,
      status: 'success',
      ip_address: '203.0.113.24',
      created_at: at(day),
    });
  const [ml, web] = p.projects;
  entry(p.owner, 'org_member_add', 'POST', '/core/user/organization/member', null, 3);
  entry(p.owner, 'registry_create', 'POST', '/core/dekaregistry/v2/registry', web!, 18);
  entry(p.owner, 'vm_create', 'POST', '/core/virtual-machine', ml!, 42);
  entry(p.member, 'notebook_create', 'POST', '/core/deka-notebook', ml!, 55);
  entry(p.member, 'vm_turn_off', 'POST', '/core/virtual-machine/turn-off/vm', ml!, 60);
}

/** The realistic workload (VMs, registries, notebooks, billing, history) and the platform's vouchers. */
export function seedWorkload(state: State, rng: Prng, people: People, ids: SimIds): void {
  seedVouchers(state, rng, people, ids);
  if (!people.realistic) return;
  seedVms(state, rng, people, ids);
  seedRegistries(state, rng, people, ids);
  seedNotebooks(state, rng, people, ids);
  seedBilling(state, rng, people, ids);
  seedAudit(state, rng, people);
  const custom = {
    id: rng.uuid(),
    organization_id: people.ownerRole.organization_id,
    name: 'Billing Viewer',
    description: 'Reads balances and invoices',
    is_default: false,
    privileges: ['billing:read', 'project:read'],
    created_at: at(10),
    updated_at: at(10),
  };
  state.roles.set(custom.id, custom);
  ids.roleIds.billingViewer = custom.id;
}
