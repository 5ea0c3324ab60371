import * as z from 'zod';
import { manifestInput, manifestName, parseManifest } from '../manifest.js';
import {
  anyId,
  changeTool,
  field,
  getTool,
  listTool,
  loose,
  namespaceInput,
  nonEmptyText,
  num,
  type Obj,
  projectId,
  projectIdInput,
  text,
} from '../tool-common.js';

export const vmSchema = loose(
  {
    id: anyId,
    vm_id: anyId,
    name: text,
    status: text,
    project_id: anyId,
    namespace: text,
    flavor: z.unknown().optional(),
    image: z.unknown().optional(),
    ip_address: text,
    cpu: num,
    memory_gb: num,
    flavor_name: text,
    image_name: text,
    gpu: z.unknown().optional(),
    created_at: text,
  },
  'A virtual machine',
);

const vmId = nonEmptyText().describe('VM id');

const vmStatus = (vm: Obj) => field(vm, 'status', 'state', 'power_state');

export const vmList = listTool({
  name: 'vm_list',
  title: 'List VMs',
  description: 'VMs of a project: name, status, flavor, image, IP, id.',
  toolset: 'vm',
  input: {
    project_id: projectIdInput,
    status: z.string().optional().describe('Status, e.g. running, off, error'),
  },
  item: vmSchema,
  noun: 'VMs',
  narrowHint: 'filter by status',
  columns: [
    { header: 'name', value: (vm) => field(vm, 'name', 'vm_name') },
    { header: 'namespace', value: (vm) => field(vm, 'namespace') },
    { header: 'status', value: vmStatus },
    { header: 'flavor', value: (vm) => field(vm, 'flavor.name', 'flavor_name', 'flavor') },
    { header: 'image', value: (vm) => field(vm, 'image.name', 'image_name', 'os', 'image'), maxWidth: 32 },
    { header: 'cpu', value: (vm) => field(vm, 'cpu') },
    { header: 'mem_gb', value: (vm) => field(vm, 'memory_gb', 'memory') },
    { header: 'gpu', value: (vm) => field(vm, 'gpu') },
    { header: 'ip', value: (vm) => field(vm, 'ip_address', 'ip', 'internal_ip') },
    { header: 'id', value: (vm) => field(vm, 'id', 'vm_id') },
  ],
  request: (input, ctx) => ({
    method: 'GET',
    route: '/core/virtual-machine/list/all',
    query: { project_id: projectId(ctx, input.project_id), limit: 1000 },
  }),
  filter: (items, input) =>
    input.status
      ? items.filter((vm) => String(vmStatus(vm) ?? '').toLowerCase() === input.status!.toLowerCase())
      : items,
});

export const vmGet = getTool({
  name: 'vm_get',
  title: 'Get a VM',
  description: 'One VM in full: status, flavor, image, GPU, disks, network, IPs.',
  toolset: 'vm',
  input: { vm_id: vmId },
  key: 'vm',
  schema: vmSchema,
  request: (input) => ({
    method: 'POST',
    route: '/core/virtual-machine/detail-vm',
    body: { vm_id: input.vm_id },
    idempotent: true,
  }),
});

export const vmCreate = changeTool({
  name: 'vm_create',
  title: 'Create a VM',
  description: 'Creates a VM from a flavor and an OS image (a full manifest: `vm_yaml_create`).',
  toolset: 'vm',
  kind: 'create',
  input: {
    project_id: projectIdInput,
    name: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'lower-case letters, digits and dashes (a DNS label)')
      .describe('VM name'),
    flavor: nonEmptyText().describe('Flavor id or name'),
    image: nonEmptyText().describe('OS image id or name'),
    storage: z
      .string()
      .regex(/^\d+\s*(Gi|G|GB)?$/, 'a size in GiB such as 40Gi')
      .describe('Root disk, e.g. 40Gi (min 10)'),
    network: nonEmptyText().describe('Network, e.g. default'),
    namespace: namespaceInput.optional().describe('Namespace; default: default'),
    gpu: nonEmptyText().optional().describe('GPU model id or name'),
  },
  request: (input, ctx) => ({
    method: 'POST',
    route: '/core/virtual-machine',
    body: Object.fromEntries(
      Object.entries({ ...input, project_id: projectId(ctx, input.project_id) }).filter(
        ([, v]) => v !== undefined,
      ),
    ),
  }),
  done: (input) => `Creating VM ${input.name}; follow it with vm_list or vm_get.`,
  result: { key: 'vm', schema: vmSchema },
});

export const vmYamlCreate = changeTool({
  name: 'vm_yaml_create',
  title: 'Create a VM from a manifest',
  description: 'Creates a VM from a KubeVirt VirtualMachine manifest.',
  toolset: 'vm',
  kind: 'create',
  input: { project_id: projectIdInput, namespace: namespaceInput, manifest: manifestInput },
  request: (input, ctx) => ({
    method: 'POST',
    route: '/core/virtual-machine/yaml',
    body: {
      vm_yaml_data: {
        project_id: projectId(ctx, input.project_id),
        namespace: input.namespace,
        manifest: parseManifest(input.manifest),
      },
    },
  }),
  done: (input) =>
    `Creating VM ${manifestName(parseManifest(input.manifest)) ?? '(unnamed)'} in ${input.namespace}.`,
  result: { key: 'vm', schema: vmSchema },
});

export const vmYamlUpdate = changeTool({
  name: 'vm_yaml_update',
  title: 'Update a VM manifest',
  description: 'Replaces a VM’s VirtualMachine manifest; a running VM may need a reboot.',
  toolset: 'vm',
  kind: 'change',
  input: {
    project_id: projectIdInput,
    namespace: namespaceInput,
    name: nonEmptyText().describe('VM name'),
    manifest: manifestInput,
  },
  request: (input, ctx) => {
    const project = projectId(ctx, input.project_id);
    return {
      method: 'PUT',
      route: '/core/virtual-machine/yaml/:project_id/:namespace/:name',
      path: { project_id: project, namespace: input.namespace, name: input.name },
      body: { vm_yaml_data: { manifest: parseManifest(input.manifest) } },
    };
  },
  done: (input) => `Updated the manifest of VM ${input.name}.`,
  result: { key: 'vm', schema: vmSchema },
});

function power(spec: {
  name: string;
  title: string;
  route: string;
  description: string;
  verb: string;
  destructive?: boolean;
}) {
  return changeTool({
    name: spec.name,
    title: spec.title,
    description: spec.description,
    toolset: 'vm',
    kind: spec.destructive ? 'destroy' : 'change',
    ...(spec.name === 'vm_reboot' ? { annotations: { idempotentHint: false } } : {}),
    input: { vm_id: vmId },
    ...(spec.destructive
      ? { confirm: (input: { vm_id: string }) => `Delete VM ${input.vm_id} and its disks` }
      : {}),
    request: (input) => ({ method: 'POST', route: spec.route, body: { vm_id: input.vm_id } }),
    done: (input) => `VM ${input.vm_id} ${spec.verb}.`,
    result: { key: 'vm', schema: vmSchema },
  });
}

export const vmTurnOn = power({
  name: 'vm_turn_on',
  title: 'Turn a VM on',
  route: '/core/virtual-machine/turn-on/vm',
  description: 'Starts a stopped VM.',
  verb: 'is turning on',
});

export const vmTurnOff = power({
  name: 'vm_turn_off',
  title: 'Turn a VM off',
  route: '/core/virtual-machine/turn-off/vm',
  description: 'Stops a running VM; its disks are kept.',
  verb: 'is turning off',
});

export const vmReboot = power({
  name: 'vm_reboot',
  title: 'Reboot a VM',
  route: '/core/virtual-machine/reboot',
  description: 'Reboots a running VM.',
  verb: 'is rebooting',
});

export const vmDelete = power({
  name: 'vm_delete',
  title: 'Delete a VM',
  route: '/core/virtual-machine/delete',
  description: 'Deletes a VM and its disks.',
  verb: 'is being deleted',
  destructive: true,
});

const catalogSchema = (what: string) =>
  loose({ id: anyId, name: text, description: text, cpu: num, memory: z.unknown().optional() }, what);

export const vmImageList = listTool({
  name: 'vm_image_list',
  title: 'List VM images',
  description: 'OS images for VMs: name, OS, version, id.',
  toolset: 'vm',
  input: {},
  item: catalogSchema('An OS image'),
  noun: 'images',
  columns: [
    { header: 'name', value: (i) => field(i, 'name', 'image_name') },
    { header: 'os', value: (i) => field(i, 'os', 'os_name', 'distribution') },
    { header: 'version', value: (i) => field(i, 'version', 'os_version') },
    { header: 'user', value: (i) => field(i, 'default_user') },
    { header: 'id', value: (i) => field(i, 'id', 'image_id') },
  ],
  request: () => ({ method: 'GET', route: '/core/cluster-image-os' }),
});

export const vmFlavorTypeList = listTool({
  name: 'vm_flavor_type_list',
  title: 'List VM flavor types',
  description: 'Flavor types (CPU, GPU, memory-optimised …).',
  toolset: 'vm',
  input: {},
  item: catalogSchema('A flavor type'),
  noun: 'flavor types',
  columns: [
    { header: 'name', value: (t) => field(t, 'name', 'type') },
    { header: 'description', value: (t) => field(t, 'description'), maxWidth: 50 },
    { header: 'id', value: (t) => field(t, 'id', 'flavor_type_id') },
  ],
  request: () => ({ method: 'GET', route: '/core/virtual-machine/flavor_type' }),
});

export const vmFlavorList = listTool({
  name: 'vm_flavor_list',
  title: 'List VM flavors',
  description: 'Flavors of one type: CPUs, memory, GPU, price.',
  toolset: 'vm',
  input: { flavor_type_id: nonEmptyText().describe('Flavor type id') },
  item: catalogSchema('A VM flavor'),
  noun: 'flavors',
  columns: [
    { header: 'name', value: (f) => field(f, 'name', 'flavor_name') },
    { header: 'cpu', value: (f) => field(f, 'cpu', 'vcpu', 'cpus') },
    { header: 'mem_gb', value: (f) => field(f, 'memory_gb', 'memory', 'ram') },
    { header: 'gpu', value: (f) => field(f, 'gpu', 'gpu_count', 'gpu_model') },
    { header: 'price_hour', value: (f) => field(f, 'price_per_hour', 'price', 'hourly_price') },
    { header: 'id', value: (f) => field(f, 'id', 'flavor_id') },
  ],
  request: (input) => ({
    method: 'GET',
    route: '/core/virtual-machine/flavor/:flavorType_id',
    path: { flavorType_id: input.flavor_type_id },
  }),
});

export const vmGpuList = listTool({
  name: 'vm_gpu_list',
  title: 'List VM GPUs',
  description: 'GPU models a project can attach to VMs, with availability.',
  toolset: 'vm',
  input: { project_id: projectIdInput },
  item: catalogSchema('A GPU model'),
  noun: 'GPUs',
  columns: [
    { header: 'name', value: (g) => field(g, 'name', 'model', 'gpu_name') },
    { header: 'mem_gb', value: (g) => field(g, 'memory_gb', 'memory') },
    { header: 'available', value: (g) => field(g, 'available', 'quota', 'count') },
    { header: 'id', value: (g) => field(g, 'id', 'gpu_id') },
  ],
  request: (input, ctx) => ({
    method: 'GET',
    route: '/core/virtual-machine/gpu/:project_id',
    path: { project_id: projectId(ctx, input.project_id) },
  }),
});

export const vmStorageClassList = listTool({
  name: 'vm_storage_class_list',
  title: 'List storage classes',
  description: 'Storage classes for VM disks.',
  toolset: 'vm',
  input: { project_id: projectIdInput },
  item: catalogSchema('A storage class'),
  noun: 'storage classes',
  columns: [
    { header: 'name', value: (s) => field(s, 'name', 'storage_class') },
    { header: 'provisioner', value: (s) => field(s, 'provisioner', 'type') },
    { header: 'default', value: (s) => field(s, 'is_default', 'default') },
    { header: 'price_gb', value: (s) => field(s, 'price_per_gb', 'price') },
  ],
  request: (input, ctx) => ({
    method: 'GET',
    route: '/core/virtual-machine/storage-class/:project_id',
    path: { project_id: projectId(ctx, input.project_id) },
  }),
});

export const vmTools = [
  vmList,
  vmGet,
  vmCreate,
  vmYamlCreate,
  vmYamlUpdate,
  vmTurnOn,
  vmTurnOff,
  vmReboot,
  vmDelete,
  vmImageList,
  vmFlavorTypeList,
  vmFlavorList,
  vmGpuList,
  vmStorageClassList,
];
