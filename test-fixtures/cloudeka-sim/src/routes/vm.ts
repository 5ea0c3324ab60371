import type { Ctx, RouteHandlers } from '../context.js';
import { badRequest, conflict, notFound, SimError } from '../errors.js';
import { vmManifest } from '../factories.js';
import { isObject, manifestOf, mergePatch } from '../kube-objects.js';
import type { Project, State, Vm } from '../state.js';

const LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function vmView(v: Vm, detail = false) {
  const { manifest, ...rest } = v;
  return {
    ...rest,
    vm_id: v.id,
    flavor: v.flavor_name,
    image: v.image_name,
    memory: `${v.memory_gb}Gi`,
    storage: `${v.storage_gb}Gi`,
    ...(detail ? { manifest } : {}),
  };
}

/** A VM the caller may touch; VMs of other organizations read as not found. */
function vmFor(c: Ctx): Vm {
  const id = c.str('vm_id');
  const vm = c.state.vms.get(id);
  const p = vm && c.state.projects.get(vm.project_id);
  if (!vm || !p || (p.organization_id !== c.user.organization_id && c.user.role !== 'SuperAdmin')) {
    throw notFound('virtual machine', id);
  }
  c.project(p.id);
  return vm;
}

function requireNamespace(state: State, p: Project, namespace: string): void {
  if (!state.kubeOf(p.id).get('namespaces', '', namespace))
    throw new SimError(404, `namespaces "${namespace}" not found`);
}

function checkName(state: State, p: Project, namespace: string, name: string): void {
  if (!LABEL.test(name)) {
    throw badRequest(
      `name "${name}" must consist of lower case alphanumeric characters or '-', start and end with one, at most 63 characters`,
    );
  }
  for (const v of state.vms.values()) {
    if (v.project_id === p.id && v.namespace === namespace && v.name === name) {
      throw conflict(`virtual machine "${name}" already exists in namespace ${namespace}`);
    }
  }
}

function gpuQuota(p: Project, gpu: string | null, delta: number): void {
  if (!gpu) return;
  const q = p.gpu_quota.find((x) => x.gpu_type === gpu);
  if (delta > 0 && (!q || q.quota - q.used < delta))
    throw badRequest(`no ${gpu} quota left in project ${p.name}`);
  if (q) q.used = Math.max(0, q.used + delta);
}

function gib(value: unknown, at: string, fallback: number): number {
  if (value === undefined) return fallback;
  const m = /^(\d+)\s*(Gi|G|GB)?$/.exec(String(value));
  if (!m) throw badRequest(`${at} must be a size in GiB such as 40 or "40Gi"`);
  return Number(m[1]);
}

/** vm_create: the fields at the top level of the body (create_vm's `vm_data` object is refused). */
function create(c: Ctx) {
  const p = c.project(c.str('project_id'));
  const namespace = c.optStr('namespace') ?? 'default';
  const name = c.str('name');
  requireNamespace(c.state, p, namespace);
  checkName(c.state, p, namespace, name);
  const { flavors, images, gpus } = c.state.catalog;
  const flavorRef = c.str('flavor');
  const flavor = flavors.find((f) => f.id === flavorRef || f.name === flavorRef);
  if (!flavor) throw notFound('flavor', flavorRef);
  const imageRef = c.str('image');
  const image = images.find((i) => i.id === imageRef || i.name === imageRef);
  if (!image) throw notFound('image', imageRef);
  const network = c.str('network');
  const storage = gib(c.str('storage'), 'storage', 0);
  if (storage < 10) throw badRequest('storage must be at least 10 GiB');
  const gpuRef = c.optStr('gpu');
  const gpu = gpuRef === undefined ? null : gpus.find((g) => g.id === gpuRef || g.name === gpuRef);
  if (gpu === undefined) throw notFound('gpu', gpuRef!);
  const gpuName = gpu?.name ?? flavor.gpu;
  gpuQuota(p, gpuName, 1);
  const now = c.state.now();
  const vm: Vm = {
    id: c.state.id(),
    project_id: p.id,
    namespace,
    name,
    status: 'running',
    flavor_id: flavor.id,
    flavor_name: flavor.name,
    cpu: flavor.cpu,
    memory_gb: flavor.memory_gb,
    gpu: gpuName,
    image_id: image.id,
    image_name: image.name,
    storage_gb: storage,
    network,
    ip_address: `10.50.${c.state.rng.int(250) + 2}.${c.state.rng.int(250) + 2}`,
    manifest: {},
    reboot_count: 0,
    last_reboot_at: null,
    created_at: now,
    updated_at: now,
  };
  vm.manifest = vmManifest(vm);
  c.state.vms.set(vm.id, vm);
  return vmView(vm, true);
}

const dig = (o: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((v, k) => (isObject(v) ? v[k] : undefined), o);

/** cpu, memory, disk and power state read out of a VirtualMachine manifest. */
function fromManifest(manifest: Record<string, unknown>, fallback?: Vm) {
  const spec = manifest.spec;
  const domain = dig(spec, 'template', 'spec', 'domain');
  const cores = dig(domain, 'cpu', 'cores');
  const halted = dig(spec, 'running') === false || dig(spec, 'runStrategy') === 'Halted';
  return {
    cpu: typeof cores === 'number' && cores > 0 ? cores : (fallback?.cpu ?? 1),
    memory_gb: gib(
      dig(domain, 'memory', 'guest') ?? dig(domain, 'resources', 'requests', 'memory'),
      'spec.template.spec.domain.memory.guest',
      fallback?.memory_gb ?? 2,
    ),
    storage_gb: gib(
      dig(spec, 'dataVolumeTemplates', '0', 'spec', 'storage', 'resources', 'requests', 'storage'),
      'spec.dataVolumeTemplates[0].spec.storage.resources.requests.storage',
      fallback?.storage_gb ?? 20,
    ),
    status: halted ? ('off' as const) : ('running' as const),
  };
}

/** The VirtualMachine manifest in `vm_yaml_data.manifest`, and its name. */
function vmManifestFrom(c: Ctx): { manifest: Record<string, unknown>; name: string } {
  const manifest = manifestOf(c, 'vm_yaml_data');
  if (manifest.kind !== undefined && manifest.kind !== 'VirtualMachine') {
    throw badRequest(`vm_yaml_data.manifest.kind must be VirtualMachine, got ${String(manifest.kind)}`);
  }
  const name = dig(manifest, 'metadata', 'name');
  return { manifest, name: typeof name === 'string' ? name : '' };
}

/** vm_yaml_data: {project_id, namespace?, manifest}; the namespace defaults to the manifest's, then default. */
function createFromYaml(c: Ctx) {
  const { manifest: given, name } = vmManifestFrom(c);
  const data = c.inner('vm_yaml_data');
  const p = c.project(data.str('project_id'));
  const metaNs = dig(given, 'metadata', 'namespace');
  const namespace = data.optStr('namespace') ?? (typeof metaNs === 'string' ? metaNs : 'default');
  if (!name) throw badRequest('vm_yaml_data.manifest.metadata.name is required');
  requireNamespace(c.state, p, namespace);
  checkName(c.state, p, namespace, name);
  const now = c.state.now();
  const derived = fromManifest(given);
  const manifest = mergePatch(given, {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: { name, namespace },
  }) as Record<string, unknown>;
  const vm: Vm = {
    id: c.state.id(),
    project_id: p.id,
    namespace,
    name,
    ...derived,
    flavor_id: null,
    flavor_name: 'custom',
    gpu: null,
    image_id: null,
    image_name: 'custom',
    network: 'default',
    ip_address: `10.50.${c.state.rng.int(250) + 2}.${c.state.rng.int(250) + 2}`,
    manifest,
    reboot_count: 0,
    last_reboot_at: null,
    created_at: now,
    updated_at: now,
  };
  c.state.vms.set(vm.id, vm);
  return vmView(vm, true);
}

function editYaml(c: Ctx) {
  const p = c.project();
  const namespace = c.str('namespace');
  const name = c.str('name');
  const vm = [...c.state.vms.values()].find(
    (v) => v.project_id === p.id && v.namespace === namespace && v.name === name,
  );
  if (!vm) throw notFound('virtual machine', `${namespace}/${name}`);
  const { manifest, name: given } = vmManifestFrom(c);
  if (given && given !== name) {
    throw badRequest(`vm_yaml_data.manifest.metadata.name must be ${name}, got ${given}`);
  }
  Object.assign(vm, fromManifest(manifest, vm), { updated_at: c.state.now() });
  vm.manifest = mergePatch(manifest, {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: { name, namespace },
  }) as Record<string, unknown>;
  return vmView(vm, true);
}

/** turn-on / turn-off / reboot, with the transitions a KubeVirt VM allows. */
function power(op: 'on' | 'off' | 'reboot') {
  return (c: Ctx) => {
    const vm = vmFor(c);
    if (op === 'on' && vm.status === 'running')
      throw badRequest(`virtual machine ${vm.name} is already running`);
    if (op === 'off' && vm.status === 'off') throw badRequest(`virtual machine ${vm.name} is already off`);
    if (op === 'reboot' && vm.status !== 'running')
      throw badRequest(`virtual machine ${vm.name} is not running`);
    const now = c.state.now();
    if (op === 'reboot') {
      vm.reboot_count += 1;
      vm.last_reboot_at = now;
    } else {
      vm.status = op === 'on' ? 'running' : 'off';
      vm.manifest = mergePatch(vm.manifest, { spec: { running: op === 'on' } }) as Record<string, unknown>;
    }
    vm.updated_at = now;
    return vmView(vm);
  };
}

function remove(c: Ctx) {
  const vm = vmFor(c);
  c.state.vms.delete(vm.id);
  gpuQuota(c.state.projects.get(vm.project_id)!, vm.gpu, -1);
  return { vm_id: vm.id, name: vm.name, deleted: true };
}

/** `?project_id&limit`, both required (the seed's live test got 400 without them); limit -1 means all. */
function list(c: Ctx) {
  const p = c.project();
  const limit = c.optInt('limit')!;
  if (limit !== -1 && limit < 1) throw badRequest('limit must be -1 (all) or a positive integer');
  const vms = [...c.state.vms.values()]
    .filter((v) => v.project_id === p.id)
    .sort((a, b) => a.created_at.localeCompare(b.created_at))
    .map((v) => vmView(v));
  return limit === -1 ? vms : vms.slice(0, limit);
}

export const vmRoutes: RouteHandlers = {
  'GET /core/virtual-machine/list/all': list,
  'POST /core/virtual-machine/detail-vm': (c) => vmView(vmFor(c), true),
  'POST /core/virtual-machine': create,
  'POST /core/virtual-machine/yaml': createFromYaml,
  'PUT /core/virtual-machine/yaml/:project_id/:namespace/:name': editYaml,
  'POST /core/virtual-machine/delete': remove,
  'POST /core/virtual-machine/reboot': power('reboot'),
  'POST /core/virtual-machine/turn-on/vm': power('on'),
  'POST /core/virtual-machine/turn-off/vm': power('off'),
  'GET /core/virtual-machine/flavor_type': (c) => c.state.catalog.flavorTypes,
  'GET /core/virtual-machine/flavor/:flavorType_id': (c) => {
    const id = c.str('flavorType_id');
    if (!c.state.catalog.flavorTypes.some((t) => t.id === id)) throw notFound('flavor type', id);
    return c.state.catalog.flavors.filter((f) => f.flavor_type_id === id);
  },
  'GET /core/virtual-machine/gpu/:project_id': (c) => {
    const p = c.project();
    return c.state.catalog.gpus.map((g) => {
      const q = p.gpu_quota.find((x) => x.gpu_type === g.name);
      return { ...g, quota: q?.quota ?? 0, used: q?.used ?? 0, available: q ? q.quota - q.used : 0 };
    });
  },
  'GET /core/virtual-machine/storage-class/:project_id': (c) => {
    c.project();
    return c.state.catalog.storageClasses;
  },
  'GET /core/cluster-image-os': (c) => c.state.catalog.images,
};
