import { describe, expect, it } from 'vitest';
import {
  type CloudekaSim,
  loadContracts,
  loadRoutes,
  routeKey,
  type SimIds,
  startCloudekaSim,
} from '../src/index.js';
import { type Json, jwtFor, ok, seedCall } from './helpers.js';

interface Setup {
  ids: SimIds;
  sim: CloudekaSim;
  /** A call as the owner, for arguments that must be looked up first. */
  get(path: string, query?: Record<string, string>): Promise<Json>;
  post(path: string, body: unknown): Promise<Json>;
}

type Args = Record<string, unknown>;

const containers = (name: string, image: string) => ({ containers: [{ name, image }] });
const workload = (name: string, image: string, extra: Args = {}) => ({
  metadata: { name },
  spec: {
    ...extra,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: containers(name, image) },
  },
});

/**
 * A valid request for every tool of endpoints.json, built from the seed (realistic). Each runs against a fresh
 * simulator, so destructive ones do not disturb the others.
 */
const ARGS: Record<string, (s: Setup) => Args | Promise<Args>> = {
  auth: ({ sim }) => ({ token: sim.tokens.owner }),
  login: ({ sim }) => ({ username: 'rina.wijaya@nusantaradata.example', password: sim.passwords.owner }),
  profile_detail: () => ({}),
  update_profile: ({ ids }) => ({
    user_id: ids.ownerUserId,
    name: 'Rina W.',
    email: 'rina.w@nusantaradata.example',
    phone_number: '+628111111',
    address: 'Bandung',
  }),
  change_password: ({ sim }) => ({ old_password: sim.passwords.owner, new_password: 'N3w#Password!' }),
  project_list: () => ({}),
  project_detail: ({ ids }) => ({ project_id: ids.projectIds[0] }),
  update_project: ({ ids }) => ({ project_id: ids.projectIds[0], description: 'Training and serving' }),
  check_before_delete_project: ({ ids }) => ({ project_id: ids.projectIds[0] }),
  delete_project: ({ ids }) => ({ project_id: ids.projectIds[2] }),
  balance_detail: ({ ids }) => ({ project_id: ids.projectIds[0] }),
  payment_history: () => ({}),
  billing_daily_cost: ({ ids }) => ({ project_id: ids.projectIds[0] }),
  billing_monthly_cost: ({ ids }) => ({ project_id: ids.projectIds[0] }),
  billing_history: ({ ids }) => ({ project_id: ids.projectIds[0], start: '2025-01-01', end: '2025-06-30' }),
  billing_invoice_sme: () => ({}),
  billing_invoice_sme_detail: ({ ids }) => ({ invoice_id: ids.invoiceIds.sme[0] }),
  billing_invoice_enterprise: ({ ids }) => ({ project_id: ids.projectIds[0] }),
  billing_invoice_enterprise_detail: ({ ids }) => ({ invoice_id: ids.invoiceIds.enterprise[0] }),
  org_detail: () => ({}),
  org_members: () => ({}),
  org_member_add: ({ ids }) => ({
    user_id: ids.outsideUserId,
    role_id: ids.roleIds.member,
    project_id: ids.projectIds[0],
  }),
  org_member_edit: ({ ids }) => ({
    user_id: ids.memberUserId,
    role_id: ids.roleIds.billingViewer,
    project_id: ids.projectIds[1],
  }),
  org_member_delete: ({ ids }) => ({ user_id: ids.memberUserId }),
  org_role_list: () => ({}),
  org_role_add: () => ({ role_data: { name: 'Auditor', privileges: ['audit:read'] } }),
  k8s_pods: ({ ids }) => ({ project_id: ids.projectIds[0], namespace: 'default' }),
  k8s_deployments: ({ ids }) => ({ project_id: ids.projectIds[0], namespace: 'default' }),
  k8s_services: ({ ids }) => ({ project_id: ids.projectIds[0], namespace: 'default' }),
  k8s_configmaps: ({ ids }) => ({ project_id: ids.projectIds[0], namespace: 'default' }),
  k8s_secrets: ({ ids }) => ({ project_id: ids.projectIds[0], namespace: 'default' }),
  vm_list: ({ ids }) => ({ project_id: ids.projectIds[0], limit: '10' }),
  vm_detail: ({ ids }) => ({ vm_id: ids.vmIds[0] }),
  registry_list: ({ ids }) => ({ page: '1', 'project-id': ids.projectIds[0] }),
  registry_repositories: ({ ids }) => ({ registry_id: ids.registryIds[0] }),
  notebook_list: ({ ids }) => ({ project_id: ids.projectIds[0] }),
  notebook_create: ({ ids }) => ({
    project_id: ids.projectIds[0],
    name: 'new-nb',
    namespace: 'ml-training',
    image: ids.notebookImageIds[0],
    cpu: '2',
    memory: '4Gi',
    storage: '10Gi',
  }),
  k8s_pod_create: ({ ids }) => ({
    project_id: ids.projectIds[0],
    namespace: 'default',
    spec: { metadata: { name: 'debug' }, spec: containers('sh', 'busybox:1.36') },
  }),
  k8s_pod_edit: ({ ids }) => ({
    ...ids.crashLoopPod,
    spec: {
      metadata: { name: ids.crashLoopPod!.name },
      spec: containers('inference-api', 'registry.cloudeka.id/ml-models/inference-api:2.0.2'),
    },
  }),
  k8s_pod_delete: ({ ids }) => ({ ...ids.crashLoopPod }),
  vm_create: ({ ids }) => ({
    project_id: ids.projectIds[0],
    name: 'new-vm',
    flavor: ids.flavorIds[0],
    image: ids.imageIds[0],
    network: 'default',
    storage: '20',
  }),
  vm_delete: ({ ids }) => ({ vm_id: ids.vmIds[1] }),
  vm_reboot: ({ ids }) => ({ vm_id: ids.vmIds[0] }),
  vm_turn_on: ({ ids }) => ({ vm_id: ids.vmIds[1] }),
  vm_turn_off: ({ ids }) => ({ vm_id: ids.vmIds[0] }),
  registry_detail: ({ ids }) => ({ registry_id: ids.registryIds[0] }),
  registry_overview: ({ ids }) => ({ registry_id: ids.registryIds[0] }),
  registry_member_list: ({ ids }) => ({ registry_id: ids.registryIds[0] }),
  registry_member_add: ({ ids }) => ({ registry_id: ids.registryIds[1], user_id: ids.memberUserId }),
  registry_member_delete: ({ ids }) => ({
    registry_id: ids.registryIds[0],
    member_id: ids.registryMemberIds[1],
  }),
  notebook_delete: ({ ids }) => ({ project_id: ids.projectIds[0], name: 'eda-nb', namespace: 'ml-training' }),
  notebook_update: ({ ids }) => ({
    project_id: ids.projectIds[0],
    name: 'research-nb',
    namespace: 'ml-training',
    yaml: 'apiVersion: kubeflow.org/v1\nkind: Notebook\nmetadata:\n  name: research-nb\nspec:\n  template:\n    spec:\n      containers:\n      - name: research-nb\n        image: cloudeka/pytorch-notebook:2.4\n',
  }),
  notebook_start: ({ ids }) => ({ project_id: ids.projectIds[0], name: 'eda-nb', namespace: 'ml-training' }),
  notebook_stop: ({ ids }) => ({
    project_id: ids.projectIds[0],
    name: 'research-nb',
    namespace: 'ml-training',
  }),
  project_r_quota_post: ({ ids }) => ({ project_id: ids.projectIds[0] }),
  project_r_quota_pre: ({ ids }) => ({ project_id: ids.projectIds[1] }),
  token_update: ({ ids }) => ({ token_id: ids.tokenIds.owner, name: 'laptop-2' }),
  token_regenerate: ({ ids }) => ({ token_id: ids.tokenIds.owner, expiration_days: 30 }),
  kube_dashboard: ({ ids }) => ({ project_id: ids.projectIds[0] }),
  kubeconfig: ({ ids }) => ({ project_id: ids.projectIds[0] }),
  get_namespace: ({ ids }) => ({ project_id: ids.projectIds[0] }),
  org_edit: ({ ids }) => ({
    organization_id: ids.organizationId,
    org_data: { name: 'PT Nusantara Data Labs Tbk' },
  }),
  org_member_activate: ({ ids }) => ({ user_id: ids.memberUserId }),
  org_member_deactivate: ({ ids }) => ({ user_id: ids.memberUserId }),
  org_member_resend_invitation: ({ ids }) => ({ user_id: ids.pendingUserId }),
  voucher_claim: ({ ids }) => ({
    claim_data: { voucher_code: 'CLDK-WELCOME-100K', project_id: ids.projectIds[0] },
  }),
  voucher_claimed_list: () => ({}),
  voucher_trial_claimed_list: () => ({}),
  audit_log: () => ({}),
  org_role_detail: ({ ids }) => ({ role_id: ids.roleIds.billingViewer }),
  org_role_edit: ({ ids }) => ({
    role_id: ids.roleIds.billingViewer,
    role_data: { description: 'Reads invoices' },
  }),
  org_role_delete: ({ ids }) => ({ role_id: ids.roleIds.billingViewer }),
  get_pod: ({ ids }) => ({ project_id: ids.projectIds[0] }),
  create_pod: ({ ids }) => ({
    pod_data: {
      project_id: ids.projectIds[0],
      namespace: 'default',
      metadata: { name: 'debug' },
      spec: containers('sh', 'busybox'),
    },
  }),
  edit_pod: ({ ids }) => ({
    ...ids.crashLoopPod,
    pod_data: {
      metadata: { labels: { app: 'inference-api' } },
      spec: containers('inference-api', 'inference-api:2.0.2'),
    },
  }),
  delete_pod: ({ ids }) => ({ ...ids.crashLoopPod }),
  console_pod: async ({ ids, post }) => {
    const session = await post('/core/pods/console', {
      console_data: { project_id: ids.projectIds[0], namespace: 'ml-training', name: 'trainer-0' },
    });
    return { token: session.token };
  },
  console_token_pod: ({ ids }) => ({
    console_data: { project_id: ids.projectIds[0], namespace: 'ml-training', name: 'trainer-0' },
  }),
  get_deployment: ({ ids }) => ({ project_id: ids.projectIds[0] }),
  create_deployment: ({ ids }) => ({
    deployment_data: {
      project_id: ids.projectIds[0],
      namespace: 'default',
      manifest: workload('web', 'nginx:1.27'),
    },
  }),
  edit_deployment: ({ ids }) => ({
    project_id: ids.projectIds[0],
    namespace: 'default',
    name: 'inference-api',
    deployment_data: { manifest: workload('inference-api', 'inference-api:2.0.2', { replicas: 3 }) },
  }),
  delete_deployment: ({ ids }) => ({
    project_id: ids.projectIds[0],
    namespace: 'default',
    name: 'inference-api',
  }),
  get_daemonset: ({ ids }) => ({ project_id: ids.projectIds[0] }),
  create_daemonset: ({ ids }) => ({
    daemonset_data: {
      project_id: ids.projectIds[0],
      namespace: 'monitoring',
      manifest: workload('fluent-bit', 'fluent/fluent-bit:3.1'),
    },
  }),
  edit_daemonset: ({ ids }) => ({
    project_id: ids.projectIds[0],
    namespace: 'monitoring',
    name: 'node-exporter',
    daemonset_data: { manifest: workload('node-exporter', 'quay.io/prometheus/node-exporter:v1.8.2') },
  }),
  delete_daemonset: ({ ids }) => ({
    project_id: ids.projectIds[0],
    namespace: 'monitoring',
    name: 'node-exporter',
  }),
  get_statefulset: ({ ids }) => ({ project_id: ids.projectIds[0] }),
  create_statefulset: ({ ids }) => ({
    statefulset_data: {
      project_id: ids.projectIds[0],
      namespace: 'ml-training',
      manifest: workload('redis', 'redis:7', { replicas: 1 }),
    },
  }),
  edit_statefulset: ({ ids }) => ({
    project_id: ids.projectIds[0],
    namespace: 'ml-training',
    name: 'trainer',
    statefulset_data: { manifest: workload('trainer', 'trainer:1.4.1', { replicas: 2 }) },
  }),
  delete_statefulset: ({ ids }) => ({
    project_id: ids.projectIds[0],
    namespace: 'ml-training',
    name: 'trainer',
  }),
  get_service: ({ ids }) => ({ project_id: ids.projectIds[0] }),
  create_service: ({ ids }) => ({
    service_data: {
      project_id: ids.projectIds[0],
      namespace: 'default',
      manifest: { metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } },
    },
  }),
  edit_service: ({ ids }) => ({
    project_id: ids.projectIds[0],
    namespace: 'default',
    name: 'inference-api',
    service_data: { manifest: { spec: { selector: { app: 'inference-api' }, ports: [{ port: 8080 }] } } },
  }),
  delete_service: ({ ids }) => ({
    project_id: ids.projectIds[0],
    namespace: 'default',
    name: 'inference-api',
  }),
  get_persistent_volume: ({ ids }) => ({ project_id: ids.projectIds[0] }),
  create_persistent_volume: ({ ids }) => ({
    pv_data: {
      project_id: ids.projectIds[0],
      manifest: {
        metadata: { name: 'pv-extra' },
        spec: { capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data' } },
      },
    },
  }),
  edit_persistent_volume: async ({ ids, get }) => {
    const [pv] = await get('/core/kubernetes/pv', { project_id: ids.projectIds[0]! });
    return {
      project_id: ids.projectIds[0],
      name: pv.metadata.name,
      pv_data: { manifest: { ...pv, metadata: { ...pv.metadata, labels: { tier: 'fast' } } } },
    };
  },
  delete_persistent_volume: async ({ ids, get }) => {
    const [pv] = await get('/core/kubernetes/pv', { project_id: ids.projectIds[0]! });
    return { project_id: ids.projectIds[0], name: pv.metadata.name };
  },
  get_pvc: ({ ids }) => ({ project_id: ids.projectIds[0] }),
  create_pvc: ({ ids }) => ({
    pvc_data: {
      project_id: ids.projectIds[0],
      namespace: 'default',
      manifest: {
        metadata: { name: 'scratch' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } },
      },
    },
  }),
  edit_pvc: ({ ids }) => ({
    project_id: ids.projectIds[0],
    namespace: 'ml-training',
    name: 'data-trainer-0',
    pvc_data: {
      manifest: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '200Gi' } } } },
    },
  }),
  delete_pvc: ({ ids }) => ({
    project_id: ids.projectIds[0],
    namespace: 'ml-training',
    name: 'data-trainer-0',
  }),
  get_data_volume: ({ ids }) => ({ project_id: ids.projectIds[0] }),
  create_data_volume: ({ ids }) => ({
    datavolume_data: {
      project_id: ids.projectIds[0],
      namespace: 'default',
      manifest: {
        metadata: { name: 'blank-disk' },
        spec: { source: { blank: {} }, storage: { resources: { requests: { storage: '10Gi' } } } },
      },
    },
  }),
  edit_data_volume: ({ ids }) => ({
    project_id: ids.projectIds[0],
    namespace: 'default',
    name: 'gpu-worker-01-rootdisk',
    datavolume_data: {
      manifest: {
        spec: { source: { blank: {} }, storage: { resources: { requests: { storage: '250Gi' } } } },
      },
    },
  }),
  delete_data_volume: ({ ids }) => ({
    project_id: ids.projectIds[0],
    namespace: 'default',
    name: 'gpu-worker-01-rootdisk',
  }),
  get_resource_v1: ({ ids }) => ({ resource: 'serviceaccounts', project_id: ids.projectIds[0] }),
  create_resource_v1: ({ ids }) => ({
    resource: 'configmaps',
    resource_data: {
      project_id: ids.projectIds[0],
      namespace: 'default',
      manifest: { metadata: { name: 'extra' }, data: { a: 'b' } },
    },
  }),
  edit_resource_v1: ({ ids }) => ({
    resource: 'configmaps',
    project_id: ids.projectIds[0],
    namespace: 'default',
    name: 'inference-config',
    resource_data: { manifest: { data: { MAX_BATCH_SIZE: '32' } } },
  }),
  delete_resource_v1: ({ ids }) => ({
    resource: 'configmaps',
    project_id: ids.projectIds[0],
    namespace: 'default',
    name: 'inference-config',
  }),
  get_custom_resources: ({ ids }) => ({ project_id: ids.projectIds[0] }),
  get_crd: ({ ids }) => ({ project_id: ids.projectIds[0] }),
  create_crd: ({ ids }) => ({
    crd_data: {
      project_id: ids.projectIds[0],
      manifest: {
        metadata: { name: 'widgets.example.com' },
        spec: {
          group: 'example.com',
          scope: 'Namespaced',
          names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
          versions: [{ name: 'v1', served: true, storage: true }],
        },
      },
    },
  }),
  edit_crd: ({ ids }) => ({
    project_id: ids.projectIds[0],
    name: 'inferenceservices.serving.kserve.io',
    crd_data: { manifest: { metadata: { labels: { team: 'ml' } } } },
  }),
  delete_crd: ({ ids }) => ({ project_id: ids.projectIds[0], name: 'inferenceservices.serving.kserve.io' }),
  get_image_os: () => ({}),
  get_vm_flavor_type: () => ({}),
  get_vm_gpu: ({ ids }) => ({ project_id: ids.projectIds[0] }),
  get_vm_storage_class: ({ ids }) => ({ project_id: ids.projectIds[0] }),
  get_vm_flavor: ({ ids }) => ({ flavorType_id: ids.flavorTypeIds[0] }),
  create_vm: ({ ids }) => ({
    vm_data: {
      project_id: ids.projectIds[0],
      name: 'vm-b',
      flavor: ids.flavorIds[1],
      image: ids.imageIds[1],
      network: 'default',
      storage: '30Gi',
    },
  }),
  create_vm_yaml: ({ ids }) => ({
    vm_yaml_data: {
      project_id: ids.projectIds[0],
      namespace: 'default',
      manifest: {
        apiVersion: 'kubevirt.io/v1',
        kind: 'VirtualMachine',
        metadata: { name: 'vm-yaml' },
        spec: {
          running: false,
          template: { spec: { domain: { cpu: { cores: 2 }, memory: { guest: '4Gi' } } } },
        },
      },
    },
  }),
  get_vm: () => ({}),
  edit_vm_yaml: ({ ids }) => ({
    project_id: ids.projectIds[0],
    namespace: 'default',
    name: 'gpu-worker-01',
    vm_yaml_data: { manifest: { spec: { running: false } } },
  }),
  delete_vm: ({ ids }) => ({ vm_delete_data: { vm_id: ids.vmIds[2] } }),
  reboot_vm: ({ ids }) => ({ vm_reboot_data: { vm_id: ids.vmIds[2] } }),
  turn_off_vm: ({ ids }) => ({ vm_turn_off_data: { vm_id: ids.vmIds[2] } }),
  turn_on_vm: ({ ids }) => ({ vm_turn_on_data: { vm_id: ids.vmIds[1] } }),
  registry_quota: ({ ids }) => ({ project_id: ids.projectIds[0] }),
  registry_cert: () => ({}),
  registry_create: ({ ids }) => ({
    registry_data: { project_id: ids.projectIds[0], name: 'new-registry', public: false, size_limit_gb: 10 },
  }),
  registry_update: ({ ids }) => ({ registry_id: ids.registryIds[0], registry_data: { public: true } }),
  registry_logs: ({ ids }) => ({ registry_id: ids.registryIds[0] }),
  registry_labels: ({ ids }) => labelPath(ids),
  registry_labels_update: ({ ids }) => ({
    ...labelPath(ids),
    labels_data: { id: ids.labelIds[0], color: '#000000' },
  }),
  registry_labels_create: ({ ids }) => ({
    ...labelPath(ids),
    labels_data: { name: 'staging', color: '#FF0000' },
  }),
  registry_labels_delete: ({ ids }) => ({ ...labelPath(ids), labels_id: ids.labelIds[1] }),
  registry_tag_list: ({ ids }) => ({ registry_id: ids.registryIds[0] }),
  registry_tag_create: ({ ids }) => ({
    registry_id: ids.registryIds[0],
    tag_data: { tag: '2.*', repository: 'inference-api' },
  }),
  registry_tag_update: ({ ids }) => ({ tag_id: ids.tagIds[0], tag_data: { tag: '1.4.*' } }),
  registry_tag_delete: ({ ids }) => ({ tag_id: ids.tagIds[0] }),
  registry_tag_disable: ({ ids }) => ({ tag_id: ids.tagIds[0] }),
  registry_tag_enable: ({ ids }) => ({ tag_id: ids.tagIds[1] }),
  registry_available_member: ({ ids }) => ({ project_id: ids.projectIds[0] }),
  registry_show_password: ({ sim }) => ({ password_data: { password: sim.passwords.owner } }),
  registry_repository_list: () => ({}),
  registry_artifact_detail: ({ ids }) => ({ artifact_id: ids.artifactIds[0] }),
  registry_artifact_add_label: ({ ids }) => ({ artifact_id: ids.artifactIds[1], label_id: ids.labelIds[1] }),
  registry_artifact_remove_label: ({ ids }) => ({
    artifact_id: ids.artifactIds[0],
    label_id: ids.labelIds[0],
  }),
  registry_artifact_scan: ({ ids }) => ({ artifact_id: ids.artifactIds[1] }),
  registry_artifact_stop_scan: async ({ ids, post }) => {
    await post(`/core/dekaregistry/v2/artifact/${ids.artifactIds[1]}/scan`, {});
    return { artifact_id: ids.artifactIds[1] };
  },
  registry_artifact_tags: ({ ids }) => ({ artifact_id: ids.artifactIds[0] }),
  registry_artifact_delete_tag: ({ ids }) => ({ artifact_id: ids.artifactIds[3], tag: 'latest' }),
  registry_artifact_add_tag: ({ ids }) => ({ artifact_id: ids.artifactIds[1], tag: 'stable' }),
  notebook_images: () => ({}),
  superadmin_project_list: () => ({}),
  superadmin_org_detail: ({ ids }) => ({ organization_id: ids.organizationId }),
  superadmin_balance_detail: ({ ids }) => ({
    organization_id: ids.organizationId,
    project_id: ids.projectIds[0],
  }),
  superadmin_billing_invoice_sme: ({ ids }) => ({ organization_id: ids.organizationId }),
  superadmin_billing_invoice_enterprise: ({ ids }) => ({
    organization_id: ids.organizationId,
    project_id: ids.projectIds[0],
  }),
};

function labelPath(ids: SimIds): Args {
  return {
    organization_id: ids.organizationId,
    user_id: ids.ownerUserId,
    project_id: ids.projectIds[0],
    registry_id: ids.registryIds[0],
  };
}

const ROUTES = loadRoutes();
const CONTRACTS = loadContracts().filter((c) => !c.extension);

describe('endpoints.json', () => {
  it('holds the 160 tools of the seed over 147 method+path routes', () => {
    expect(ROUTES).toHaveLength(160);
    expect(new Set(ROUTES.map((r) => routeKey(r.method, r.path))).size).toBe(147);
    expect(ROUTES.find((r) => r.tool === 'registry_list')).toEqual({
      tool: 'registry_list',
      method: 'GET',
      path: '/core/dekaregistry/v2/registry',
      required: [],
      optional: ['project-id', 'page'],
    });
  });

  it('has a valid request for every tool in this test', () => {
    expect(ROUTES.map((r) => r.tool).filter((t) => !ARGS[t])).toEqual([]);
  });

  it('gives each of its 147 routes one shape: the first tool of the table, on the live-tested path', () => {
    expect(CONTRACTS).toHaveLength(147);
    expect(CONTRACTS.filter((c) => c.refused.length).map((c) => `${c.key}: ${c.tool}`)).toEqual([
      'GET /core/pods: k8s_pods',
      'GET /core/deployment: k8s_deployments',
      'GET /core/kubernetes/services: k8s_services',
      'GET /core/virtual-machine/list/all: vm_list',
      'GET /core/dekaregistry/v2/repository: registry_repositories',
      'POST /core/pods: k8s_pod_create',
      'PUT /core/pods/:project_id/:namespace/:name: k8s_pod_edit',
      'POST /core/virtual-machine: vm_create',
      'POST /core/virtual-machine/delete: vm_delete',
      'POST /core/virtual-machine/reboot: vm_reboot',
      'POST /core/virtual-machine/turn-on/vm: vm_turn_on',
      'POST /core/virtual-machine/turn-off/vm: vm_turn_off',
    ]);
    expect(CONTRACTS.filter((c) => c.replaces).map((c) => `${c.replaces} → ${c.path}`)).toEqual([
      '/core/kubernetes/configmap → /core/kubernetes/configmaps',
      '/core/kubernetes/secret → /core/kubernetes/secrets',
    ]);
  });
});

async function withOwner<T>(run: (sim: CloudekaSim, setup: Setup, owner: string) => Promise<T>): Promise<T> {
  const sim = await startCloudekaSim();
  try {
    const owner = await jwtFor(sim, 'owner');
    const setup: Setup = {
      ids: sim.ids,
      sim,
      get: (path, query) => ok(sim, owner, 'GET', path, query ? { query } : {}),
      post: (path, body) => ok(sim, owner, 'POST', path, { body }),
    };
    return await run(sim, setup, owner);
  } finally {
    await sim.close();
  }
}

describe('every route answers its one shape', () => {
  it.each(CONTRACTS)('$tool: $method $path', (contract) =>
    withOwner(async (sim, setup, owner) => {
      const args = await ARGS[contract.tool]!(setup);
      const public_ = contract.tool === 'auth' || contract.tool === 'login';
      const jwt = public_
        ? undefined
        : contract.path.startsWith('/core/superadmin/')
          ? await jwtFor(sim, 'superadmin')
          : owner;
      const r = await seedCall(sim, jwt, contract.method, contract.path, args);
      expect({ status: r.status, text: r.status === 200 ? '' : r.text }).toEqual({ status: 200, text: '' });
      expect(r.body).toMatchObject({ code: 200, status: 'success', message: 'Success' });
      expect(r.body.data).toBeDefined();
      const last = sim.log.at(-1)!;
      expect(last).toMatchObject({ method: contract.method, route: contract.path, status: 200 });
      for (const name of contract.path.split('/').filter((s) => s.startsWith(':'))) {
        if (name !== ':token') expect(last.params[name.slice(1)]).toBe(String(args[name.slice(1)]));
      }
    }),
  );
});

/** The seed's other tool on a shared route, sent as the seed sends it, and what it gets. */
const REFUSED: Array<[tool: string, status: number, message: string]> = [
  ['get_pod', 400, 'namespace is required'],
  ['get_deployment', 400, 'namespace is required'],
  ['get_service', 400, 'namespace is required'],
  ['get_vm', 400, 'project_id is required'],
  ['registry_repository_list', 400, 'registry_id is required'],
  ['create_pod', 400, 'project_id is required'],
  ['edit_pod', 400, 'spec is required'],
  ['create_vm', 400, 'project_id is required'],
  ['delete_vm', 400, 'vm_id is required'],
  ['reboot_vm', 400, 'vm_id is required'],
  ['turn_on_vm', 400, 'vm_id is required'],
  ['turn_off_vm', 400, 'vm_id is required'],
];

describe("the other seed tool's shape on a shared route fails as the real API does", () => {
  it('covers every refused tool', () => {
    expect(REFUSED.map(([tool]) => tool).sort()).toEqual(CONTRACTS.flatMap((c) => c.refused).sort());
  });

  it.each(REFUSED)('%s → %i %s', (tool, status, message) =>
    withOwner(async (sim, setup, owner) => {
      const route = ROUTES.find((r) => r.tool === tool)!;
      const r = await seedCall(sim, owner, route.method, route.path, await ARGS[tool]!(setup));
      expect(r.status).toBe(status);
      expect(r.body).toEqual({ code: status, status: 'error', message });
    }),
  );

  it("the table's singular ConfigMap and Secret lists are not served: the API server's 404", () =>
    withOwner(async (sim, setup, owner) => {
      for (const tool of ['k8s_configmaps', 'k8s_secrets']) {
        const route = ROUTES.find((r) => r.tool === tool)!;
        const r = await seedCall(sim, owner, 'GET', route.path, await ARGS[tool]!(setup));
        expect(r.status).toBe(404);
        expect(r.body).toEqual({
          code: 404,
          status: 'error',
          message: 'the server could not find the requested resource',
        });
        // Matched by the generic family, not by a list of its own.
        expect(sim.log.at(-1)!.route).toBe('/core/kubernetes/:resource');
      }
    }));
});
