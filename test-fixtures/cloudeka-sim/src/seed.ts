import { Prng } from 'sim-kit';
import { buildCatalog } from './catalog.js';
import { fakeCertificate, fakeServiceAccountToken } from './factories.js';
import { seedKube } from './seed-kube.js';
import { seedWorkload } from './seed-workload.js';
import { type CliToken, type Project, type Role, State, type User } from './state.js';
import { at } from './time.js';
import type { Environment, SimIds } from './types.js';

export const PASSWORDS = {
  owner: 'Owner#Pass2025',
  member: 'Member#Pass2025',
  superadmin: 'Support#Pass2025',
};

export interface Seeded {
  state: State;
  ids: SimIds;
  tokenIds: SimIds['tokenIds'];
}

/**
 * Independent generators keep ids stable: `core` (organization, users, roles, tokens, the first project) is the
 * same in both seeds; the realistic workload, the catalog and run-time ids each have their own.
 */
export function seed(kind: 'realistic' | 'empty', environment: Environment): Seeded {
  const core = new Prng('cloudeka-sim/core');
  const secrets = new Prng('cloudeka-sim/tokens');
  const state = new State(new Prng(`cloudeka-sim/runtime/${environment}`), environment);
  state.catalog = buildCatalog(new Prng('cloudeka-sim/catalog'));

  const org = (name: string, email: string, city: string) => {
    const o = {
      id: core.uuid(),
      name,
      details: `${name} — Cloudeka customer since 2025`,
      email,
      phone_number: '+62215550100',
      address: 'Jl. Jend. Sudirman Kav. 52-53',
      city,
      province: 'DKI Jakarta',
      zip_code: '12190',
      npwp: '01.234.567.8-901.000',
      status: 'active' as const,
      created_at: at(0),
      updated_at: at(0),
    };
    state.organizations.set(o.id, o);
    return o;
  };
  const customer = org('PT Nusantara Data Labs', 'admin@nusantaradata.example', 'Jakarta Selatan');
  const platform = org('Cloudeka Platform Operations', 'ops@cloudeka.example', 'Jakarta Pusat');

  const role = (
    name: string,
    description: string,
    privileges: string[],
    isDefault: boolean,
    day: number,
  ): Role => {
    const r = {
      id: core.uuid(),
      organization_id: customer.id,
      name,
      description,
      is_default: isDefault,
      privileges,
      created_at: at(day),
      updated_at: at(day),
    };
    state.roles.set(r.id, r);
    return r;
  };
  const ownerRole = role('Owner', 'Full access to the organization', ['*'], true, 0);
  const memberRole = role(
    'Member',
    'Works in the projects assigned to them',
    ['project:read', 'vm:manage', 'kubernetes:manage', 'registry:manage', 'notebook:manage', 'billing:read'],
    true,
    0,
  );

  const user = (
    name: string,
    email: string,
    /** null: a registered user outside any organization. */
    r: Role | 'SuperAdmin' | null,
    orgId: string | null,
    password: string,
    status: User['status'],
    day: number,
  ): User => {
    const u: User = {
      id: core.uuid(),
      name,
      email,
      phone_number: `+62812${String(10_000_000 + core.int(89_999_999))}`,
      address: 'Jakarta, Indonesia',
      password,
      role: r === 'SuperAdmin' ? 'SuperAdmin' : (r?.name ?? 'Member'),
      role_id: r === 'SuperAdmin' ? null : (r?.id ?? null),
      organization_id: orgId,
      project_ids: [],
      status,
      verified: status !== 'pending',
      registry_secret: secrets.bytes(24).toString('base64url'),
      invitation_sent_at: status === 'pending' ? at(day) : null,
      created_at: at(day),
      updated_at: at(day),
    };
    state.users.set(u.id, u);
    return u;
  };
  const owner = user(
    'Rina Wijaya',
    'rina.wijaya@nusantaradata.example',
    ownerRole,
    customer.id,
    PASSWORDS.owner,
    'active',
    0,
  );
  const member = user(
    'Budi Santoso',
    'budi.santoso@nusantaradata.example',
    memberRole,
    customer.id,
    PASSWORDS.member,
    'active',
    3,
  );
  const pending = user(
    'Sari Putri',
    'sari.putri@nusantaradata.example',
    memberRole,
    customer.id,
    'Pending#2025',
    'pending',
    150,
  );
  const outside = user(
    'Agus Pratama',
    'agus.pratama@mail.example',
    null,
    null,
    'Agus#Pass2025',
    'active',
    20,
  );
  const superadmin = user(
    'Cloudeka Support',
    'support@cloudeka.example',
    'SuperAdmin',
    platform.id,
    PASSWORDS.superadmin,
    'active',
    0,
  );

  const token = (
    u: User,
    name: string,
    status: CliToken['status'],
    day: number,
    expires: string | null,
    ids = core,
    values = secrets,
  ): CliToken => {
    const t: CliToken = {
      id: ids.uuid(),
      user_id: u.id,
      name,
      secret: `cldkctl_${values.bytes(24).toString('base64url')}`,
      status,
      expired_at: expires,
      last_used_at: status === 'active' ? at(day + 10) : null,
      created_at: at(day),
      updated_at: at(day),
    };
    state.tokens.set(t.id, t);
    return t;
  };
  const tokenIds = {
    owner: token(owner, 'laptop', 'active', 1, null).id,
    member: token(member, 'ci-pipeline', 'active', 4, null).id,
    superadmin: token(superadmin, 'support-console', 'active', 0, null).id,
    revoked: token(owner, 'old-laptop', 'revoked', 0, at(365)).id,
    // Added later, from a generator of its own so that every id and value above stays as it was.
    ownerScript: (() => {
      const later = new Prng('cloudeka-sim/tokens/owner-script');
      return token(owner, 'deploy-script', 'active', 2, null, later, later).id;
    })(),
  };

  const billing = new Prng('cloudeka-sim/billing');
  const project = (
    rng: Prng,
    name: string,
    description: string,
    payment: Project['payment_type'],
    day: number,
    spend: number,
    balance: number,
  ): Project => {
    const id = rng.uuid();
    const vc = `vc-${name}`;
    const daily: Project['daily'] = [];
    if (spend > 0) {
      for (let d = 1; d <= 30; d++) {
        const v = (share: number) => Math.round((spend * share * (0.8 + 0.4 * billing.next())) / 100) * 100;
        daily.push({
          date: `2025-06-${String(d).padStart(2, '0')}`,
          virtual_machine: v(0.45),
          kubernetes: v(0.25),
          registry: v(0.05),
          notebook: v(0.15),
          storage: v(0.1),
        });
      }
    }
    const monthly =
      spend > 0
        ? ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06'].map((period) => ({
            period,
            total: Math.round((spend * 30 * (0.85 + 0.3 * billing.next())) / 1000) * 1000,
          }))
        : [];
    const p: Project = {
      id,
      organization_id: customer.id,
      name,
      description,
      payment_type: payment,
      status: 'active',
      vcluster: {
        name: vc,
        status: 'Running',
        version: 'v1.30.4',
        token: fakeServiceAccountToken(rng, `system:serviceaccount:kube-system:${vc}-admin`),
        ca: fakeCertificate(rng, vc),
      },
      balance,
      gpu_quota:
        payment === 'postpaid'
          ? [
              { gpu_type: 'NVIDIA A100 80GB', quota: 4, used: 0 },
              { gpu_type: 'NVIDIA H100 80GB', quota: 2, used: 0 },
            ]
          : [{ gpu_type: 'NVIDIA L40S 48GB', quota: 1, used: 0 }],
      monthly,
      daily,
      created_at: at(day),
      updated_at: at(day),
    };
    state.projects.set(id, p);
    owner.project_ids.push(id);
    return p;
  };

  const realistic = kind === 'realistic';
  const first = project(
    core,
    'ml-platform',
    'GPU training and model serving',
    'postpaid',
    2,
    realistic ? 2_400_000 : 0,
    realistic ? 5_000_000 : 0,
  );
  member.project_ids.push(first.id);
  const work = new Prng('cloudeka-sim/workload');
  const projects = [first];
  if (realistic) {
    const web = project(work, 'web-services', 'Company website and APIs', 'prepaid', 5, 350_000, 1_250_000);
    member.project_ids.push(web.id);
    projects.push(web, project(work, 'sandbox', 'Experiments; safe to delete', 'prepaid', 30, 0, 250_000));
  }

  const ids: SimIds = {
    organizationId: customer.id,
    platformOrganizationId: platform.id,
    ownerUserId: owner.id,
    memberUserId: member.id,
    superadminUserId: superadmin.id,
    pendingUserId: pending.id,
    outsideUserId: outside.id,
    projectIds: projects.map((p) => p.id),
    roleIds: { owner: ownerRole.id, member: memberRole.id },
    tokenIds,
    vmIds: [],
    registryIds: [],
    repositoryIds: [],
    artifactIds: [],
    labelIds: [],
    tagIds: [],
    registryMemberIds: [],
    notebooks: [],
    invoiceIds: { sme: [], enterprise: [] },
    vouchers: { available: [], claimed: [], expired: [] },
    flavorTypeIds: state.catalog.flavorTypes.map((t) => t.id),
    flavorIds: state.catalog.flavors.map((f) => f.id),
    imageIds: state.catalog.images.map((i) => i.id),
    notebookImageIds: state.catalog.notebookImages.map((i) => i.id),
  };

  seedKube(state, projects, realistic, ids);
  seedWorkload(state, work, { projects, owner, member, ownerRole, realistic }, ids);
  return { state, ids, tokenIds };
}
