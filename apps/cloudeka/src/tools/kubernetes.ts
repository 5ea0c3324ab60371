import { loadedYaml } from '@cloudmcp/format';
import {
  ANNOTATIONS,
  badInput,
  cursorOffset,
  defineTool,
  page,
  pageInput,
  pageOutput,
  ToolError,
} from '@cloudmcp/toolkit';
import * as z from 'zod';
import type { ApiRequest } from '../client/client.js';
import { CloudekaError } from '../client/errors.js';
import { toToolError } from '../failures.js';
import { manifestInput, manifestName, parseManifest } from '../manifest.js';
import {
  asList,
  asObject,
  type Ctx,
  changeText,
  field,
  getTool,
  isObject,
  listTool,
  loose,
  namespaceInput,
  nonEmptyText,
  type Obj,
  projectId,
  projectIdInput,
  send,
  text,
} from '../tool-common.js';

/**
 * How Cloudeka exposes each kind of the project's vcluster. Most kinds have routes of their own
 * (`/core/pods`, `/core/deployment` …) whose create/edit bodies carry a `<kind>_data` object
 * (`{project_id, namespace, manifest}`, on edit `{manifest}`); pods take the seed's k8s_pod_create shape, the
 * manifest in `spec` beside project_id and namespace. Everything else goes through the generic
 * `/core/kubernetes/:resource` family (edit is a PATCH there), which takes plural resource names.
 */
interface KindRoute {
  /** The plural resource name, for the generic family and messages. */
  resource: string;
  /** GET list route (project_id and namespace in the query). */
  list: string;
  /** POST create route; default `list`. */
  create?: string;
  /** Route of one object (edit and delete). */
  item?: string;
  /** Method of the edit. */
  update?: 'PUT' | 'PATCH';
  /** Key of the create/edit body: a `*_data` object, or `spec` holding the manifest itself (pods). */
  data?: string;
  namespaced: boolean;
  /** The list route needs a namespace (no listing across namespaces; the seed's `k8s_*` list tools). */
  listByNamespace?: boolean;
}

const ns3 = ':project_id/:namespace/:name';

const KINDS = {
  pod: {
    resource: 'pods',
    list: '/core/pods',
    item: `/core/pods/${ns3}`,
    update: 'PUT',
    data: 'spec',
    namespaced: true,
    listByNamespace: true,
  },
  deployment: {
    resource: 'deployments',
    list: '/core/deployment',
    item: `/core/deployment/${ns3}`,
    update: 'PUT',
    data: 'deployment_data',
    namespaced: true,
    listByNamespace: true,
  },
  daemonset: {
    resource: 'daemonsets',
    list: '/core/daemonset',
    item: `/core/daemonset/${ns3}`,
    update: 'PUT',
    data: 'daemonset_data',
    namespaced: true,
  },
  statefulset: {
    resource: 'statefulsets',
    list: '/core/statefulsets',
    item: `/core/statefulsets/${ns3}`,
    update: 'PUT',
    data: 'statefulset_data',
    namespaced: true,
  },
  service: {
    resource: 'services',
    list: '/core/kubernetes/services',
    item: `/core/kubernetes/services/${ns3}`,
    update: 'PUT',
    data: 'service_data',
    namespaced: true,
    listByNamespace: true,
  },
  // The plural paths the seed's live test listed them on (its table says /configmap and /secret).
  configmap: {
    resource: 'configmaps',
    list: '/core/kubernetes/configmaps',
    namespaced: true,
    listByNamespace: true,
  },
  secret: { resource: 'secrets', list: '/core/kubernetes/secrets', namespaced: true, listByNamespace: true },
  persistentvolumeclaim: {
    resource: 'persistentvolumeclaims',
    list: '/core/kubernetes/pvc',
    item: `/core/kubernetes/pvc/${ns3}`,
    update: 'PUT',
    data: 'pvc_data',
    namespaced: true,
  },
  persistentvolume: {
    resource: 'persistentvolumes',
    list: '/core/kubernetes/pv',
    item: '/core/kubernetes/pv/:project_id/:name',
    update: 'PUT',
    data: 'pv_data',
    namespaced: false,
  },
  datavolume: {
    resource: 'datavolumes',
    list: '/core/datavolume',
    item: `/core/datavolume/${ns3}`,
    update: 'PUT',
    data: 'datavolume_data',
    namespaced: true,
  },
  customresourcedefinition: {
    resource: 'customresourcedefinitions',
    list: '/core/kubernetes/resource/:project_id',
    create: '/core/kubernetes/resource',
    item: '/core/kubernetes/resource/:project_id/:name',
    update: 'PATCH',
    data: 'crd_data',
    namespaced: false,
  },
} satisfies Record<string, KindRoute>;

type KindName = keyof typeof KINDS;
const KIND_NAMES = Object.keys(KINDS) as [KindName, ...KindName[]];

const GENERIC_LIST = '/core/kubernetes/:resource';
const GENERIC_ITEM = `/core/kubernetes/:resource/${ns3}`;

const kindInput = z.enum(KIND_NAMES).optional().describe('Object kind; for others pass `resource`');

const resourceInput = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'a resource name such as ingresses or cronjobs')
  .optional()
  .describe('Plural resource name (e.g. ingresses), as `kubernetes_api_resource_list` shows it');

interface Target {
  /** What the caller named, for messages. */
  label: string;
  route: KindRoute;
  /** Set for the generic family. */
  resource?: string;
}

/** Resolves `kind` / `resource` (exactly one) to the routes that serve it. */
function target(input: { kind?: KindName | undefined; resource?: string | undefined }): Target {
  if (input.kind && input.resource) {
    throw badInput('resource', 'pass either `kind` or `resource`, not both');
  }
  if (input.kind) return { label: input.kind, route: KINDS[input.kind] };
  if (!input.resource) {
    throw badInput(
      'kind',
      'required: pass `kind` (pod, deployment, service …) or `resource` (e.g. ingresses)',
    );
  }
  const known = (Object.entries(KINDS) as Array<[KindName, KindRoute]>).find(
    ([name, r]) => r.resource === input.resource || name === input.resource,
  );
  if (known) return { label: known[0], route: known[1] };
  return {
    label: input.resource,
    resource: input.resource,
    route: { resource: input.resource, list: GENERIC_LIST, namespaced: true },
  };
}

/** Kinds with routes of their own use them; configmaps, secrets and the rest use the generic family. */
function isGeneric(t: Target): boolean {
  return t.resource !== undefined || !t.route.item;
}

function requireNamespace(t: Target, namespace: string | undefined): string | undefined {
  if (t.route.namespaced && !namespace) {
    throw badInput(
      'namespace',
      `required for ${t.label}${t.resource ? ' (for a cluster-scoped resource pass any, e.g. default)' : ''}`,
      'list namespaces with `kubernetes_namespace_list`',
    );
  }
  return t.route.namespaced ? namespace : undefined;
}

function listRequest(t: Target, project: string, namespace: string | undefined): ApiRequest {
  if (t.resource !== undefined) {
    return {
      method: 'GET',
      route: GENERIC_LIST,
      path: { resource: t.resource },
      query: { project_id: project, namespace },
    };
  }
  if (t.route.list.includes(':project_id')) {
    return { method: 'GET', route: t.route.list, path: { project_id: project } };
  }
  return { method: 'GET', route: t.route.list, query: { project_id: project, namespace } };
}

/** A create body: pods `{project_id, namespace, spec: manifest}`, other kinds `{<kind>_data: {…, manifest}}`. */
function createBody(route: KindRoute, placement: Obj, manifest: Obj): Obj {
  return route.data === 'spec'
    ? { ...placement, spec: manifest }
    : { [route.data!]: { ...placement, manifest } };
}

/** An edit body: pods `{spec: manifest}`, other kinds `{<kind>_data: {manifest}}`. */
function editBody(route: KindRoute, manifest: Obj): Obj {
  return route.data === 'spec' ? { spec: manifest } : { [route.data!]: { manifest } };
}

/**
 * Sends a call of the kubernetes tools. The generic family's 404 for the resource itself (the API server's
 * `the server could not find the requested resource`) means `resource` is not a resource name it serves.
 */
async function sendKube(ctx: Ctx, t: Target, req: ApiRequest) {
  try {
    return await send(ctx, req);
  } catch (error) {
    if (t.resource !== undefined && error instanceof CloudekaError && error.status === 404) {
      if (/could not find the requested resource/.test(error.upstreamMessage)) {
        throw toToolError(error, {
          next: `\`resource\` takes the plural name \`kubernetes_api_resource_list\` shows (ingresses, not ingress or ing); "${t.resource}" is not one.`,
        });
      }
    }
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Reading

const objectSchema = loose(
  {
    apiVersion: text,
    kind: text,
    metadata: z
      .looseObject({ name: text, namespace: text, creationTimestamp: text, labels: z.unknown().optional() })
      .optional(),
    spec: z.unknown().optional(),
    status: z.unknown().optional(),
  },
  'A Kubernetes object of the project’s vcluster',
);

const get = (o: unknown, ...path: Array<string | number>): unknown =>
  path.reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Obj)[key] : undefined), o);

function age(obj: Obj): string | undefined {
  const created = get(obj, 'metadata', 'creationTimestamp');
  if (typeof created !== 'string') return undefined;
  const seconds = Math.max(0, (Date.now() - Date.parse(created)) / 1000);
  if (Number.isNaN(seconds)) return undefined;
  if (seconds < 120) return `${Math.round(seconds)}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 86_400)}d`;
}

/** One column that says how an object is doing, whatever its kind (like kubectl's STATUS/READY). */
function summary(obj: Obj): string | undefined {
  const kind = String(obj['kind'] ?? '');
  const status = (obj['status'] ?? {}) as Obj;
  const spec = (obj['spec'] ?? {}) as Obj;
  const containers = get(status, 'containerStatuses');
  if (kind === 'Pod' || Array.isArray(containers)) {
    const list = Array.isArray(containers) ? (containers as Obj[]) : [];
    const waiting = list.map((c) => get(c, 'state', 'waiting', 'reason')).find(Boolean);
    const restarts = list.reduce((n, c) => n + (Number(c['restartCount']) || 0), 0);
    const ready = list.filter((c) => c['ready'] === true).length;
    return `${waiting ?? status['phase'] ?? '?'} ${ready}/${list.length} ready, ${restarts} restarts`;
  }
  if (status['readyReplicas'] !== undefined || status['replicas'] !== undefined) {
    return `${status['readyReplicas'] ?? 0}/${spec['replicas'] ?? status['replicas'] ?? 0} ready`;
  }
  if (status['desiredNumberScheduled'] !== undefined) {
    return `${status['numberReady'] ?? 0}/${status['desiredNumberScheduled']} ready`;
  }
  if (kind === 'Service' || spec['clusterIP'] !== undefined) {
    const external = get(status, 'loadBalancer', 'ingress', 0, 'ip');
    return `${spec['type'] ?? 'ClusterIP'} ${spec['clusterIP'] ?? ''}${external ? ` → ${external}` : ''}`.trim();
  }
  if (kind === 'Secret' || kind === 'ConfigMap' || obj['data'] !== undefined) {
    const data = obj['data'];
    const keys = isObject(data) ? Object.keys(data).length : 0;
    return `${keys} key${keys === 1 ? '' : 's'}${obj['type'] ? ` (${obj['type']})` : ''}`;
  }
  const phase = status['phase'];
  if (phase !== undefined) {
    const capacity = get(status, 'capacity', 'storage') ?? get(spec, 'capacity', 'storage');
    return `${phase}${capacity ? ` ${capacity}` : ''}`;
  }
  return undefined;
}

export const kubernetesList = defineTool({
  name: 'kubernetes_list',
  title: 'List Kubernetes objects',
  description: 'Objects of the project’s cluster: name, namespace, status, age (Secret values redacted).',
  toolset: 'kubernetes',
  input: z.object({
    project_id: projectIdInput,
    namespace: namespaceInput
      .optional()
      .describe('Required for pods, deployments, services, configmaps, secrets; others: default all'),
    kind: kindInput,
    resource: resourceInput,
    ...pageInput({ defaultLimit: 100, maxLimit: 500 }),
  }),
  output: z.object(pageOutput(objectSchema)),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'objects',
    columns: [
      { header: 'name', value: (o) => get(o, 'metadata', 'name') },
      { header: 'namespace', value: (o) => get(o, 'metadata', 'namespace') },
      { header: 'status', value: (o) => summary(o as Obj) },
      { header: 'age', value: (o) => age(o as Obj) },
    ],
  },
  async handler(input, ctx: Ctx) {
    const t = target(input);
    const project = projectId(ctx, input.project_id);
    const namespace = t.route.listByNamespace
      ? requireNamespace(t, input.namespace)
      : t.route.namespaced
        ? input.namespace
        : undefined;
    const offset = cursorOffset(input.cursor);
    const answer = await sendKube(ctx, t, listRequest(t, project, namespace));
    const items = asList(answer.data);
    return page(items.slice(offset, offset + input.limit), { offset, total: items.length }) as never;
  },
});

export const kubernetesGet = defineTool({
  name: 'kubernetes_get',
  title: 'Get a Kubernetes object',
  description: 'One object of the project’s cluster in full (Secret values redacted).',
  toolset: 'kubernetes',
  input: z.object({
    project_id: projectIdInput,
    namespace: namespaceInput.optional().describe('Required for namespaced kinds'),
    kind: kindInput,
    resource: resourceInput,
    name: nonEmptyText().describe('Object name'),
  }),
  output: z.object({ object: objectSchema }),
  annotations: ANNOTATIONS.read,
  render: { kind: 'object', select: (out) => out.object },
  async handler(input, ctx: Ctx) {
    const t = target(input);
    const project = projectId(ctx, input.project_id);
    const namespace = requireNamespace(t, input.namespace);
    const answer = await sendKube(ctx, t, listRequest(t, project, namespace));
    const found = asList(answer.data).find((o) => get(o, 'metadata', 'name') === input.name);
    if (!found) {
      throw new ToolError(
        `No ${t.label} named "${input.name}"${namespace ? ` in namespace ${namespace}` : ''} (field \`name\`).`,
        {
          next: `List them with \`kubernetes_list\` (${input.kind ? `kind: "${input.kind}"` : `resource: "${input.resource}"`}).`,
        },
      );
    }
    const { managedFields: _m, ...metadata } = (found['metadata'] ?? {}) as Obj;
    return { object: { ...found, metadata } } as never;
  },
});

// ---------------------------------------------------------------------------------------------------------
// Changing

const changeOutput = z.object({
  done: z.string().describe('What was done'),
  message: z.string().optional().describe('Cloudeka’s own message'),
  object: objectSchema.optional().describe('The object as Cloudeka stored it'),
});

const renderChange = { kind: 'text' as const, text: (out: Obj) => changeText(out, 'object') };

function changed(done: string, answer: { data: unknown; message?: string }) {
  return {
    done,
    ...(answer.message ? { message: answer.message } : {}),
    ...(isObject(answer.data) ? { object: answer.data } : {}),
  } as never;
}

export const kubernetesCreate = defineTool({
  name: 'kubernetes_create',
  title: 'Create a Kubernetes object',
  description: 'Creates an object in the project’s cluster from a manifest whose kind matches.',
  toolset: 'kubernetes',
  input: z.object({
    project_id: projectIdInput,
    namespace: namespaceInput.optional().describe('Required for namespaced kinds'),
    kind: kindInput,
    resource: resourceInput,
    manifest: manifestInput,
  }),
  output: changeOutput,
  annotations: ANNOTATIONS.create,
  render: renderChange,
  async handler(input, ctx: Ctx) {
    const t = target(input);
    const project = projectId(ctx, input.project_id);
    const namespace = requireNamespace(t, input.namespace);
    const manifest = parseManifest(input.manifest);
    const placement = { project_id: project, ...(namespace ? { namespace } : {}) };
    const req: ApiRequest = isGeneric(t)
      ? {
          method: 'POST',
          route: GENERIC_LIST,
          path: { resource: t.route.resource },
          body: { resource_data: { ...placement, manifest } },
        }
      : {
          method: 'POST',
          route: t.route.create ?? t.route.list,
          body: createBody(t.route, placement, manifest),
        };
    const answer = await sendKube(ctx, t, req);
    const name = manifestName(manifest) ?? '(unnamed)';
    return changed(`Created ${t.label} ${name}${namespace ? ` in ${namespace}` : ''}.`, answer);
  },
});

const itemInput = {
  project_id: projectIdInput,
  namespace: namespaceInput.optional().describe('Required for namespaced kinds'),
  kind: kindInput,
  resource: resourceInput,
  name: nonEmptyText().describe('Object name'),
};

function itemRequest(
  t: Target,
  method: 'PUT' | 'PATCH' | 'DELETE',
  project: string,
  namespace: string | undefined,
  name: string,
): ApiRequest {
  if (isGeneric(t)) {
    return {
      method: method === 'DELETE' ? 'DELETE' : 'PATCH',
      route: GENERIC_ITEM,
      path: { resource: t.route.resource, project_id: project, namespace: namespace ?? '', name },
    };
  }
  const path: Record<string, string> = { project_id: project, name };
  if (namespace) path['namespace'] = namespace;
  return { method: method === 'DELETE' ? 'DELETE' : t.route.update!, route: t.route.item!, path };
}

export const kubernetesUpdate = defineTool({
  name: 'kubernetes_update',
  title: 'Update a Kubernetes object',
  description:
    'Changes an object: workloads, services, PVCs, PVs, data volumes take a whole manifest; configmaps, secrets, CRDs, `resource` kinds a JSON merge patch.',
  toolset: 'kubernetes',
  input: z.object({ ...itemInput, manifest: manifestInput }),
  output: changeOutput,
  annotations: ANNOTATIONS.change,
  render: renderChange,
  async handler(input, ctx: Ctx) {
    const t = target(input);
    const project = projectId(ctx, input.project_id);
    const namespace = requireNamespace(t, input.namespace);
    const manifest = parseManifest(input.manifest);
    const named = manifestName(manifest);
    if (named && named !== input.name) {
      throw badInput(
        'manifest',
        `metadata.name is "${named}" but \`name\` is "${input.name}"`,
        'rename by creating a new object',
      );
    }
    const req = itemRequest(t, 'PUT', project, namespace, input.name);
    const body = isGeneric(t) ? { resource_data: { manifest } } : editBody(t.route, manifest);
    const answer = await sendKube(ctx, t, { ...req, body });
    return changed(`Updated ${t.label} ${input.name}${namespace ? ` in ${namespace}` : ''}.`, answer);
  },
});

export const kubernetesDelete = defineTool({
  name: 'kubernetes_delete',
  title: 'Delete a Kubernetes object',
  description: 'Deletes an object; a CRD takes its custom resources along, a PVC maybe its data.',
  toolset: 'kubernetes',
  input: z.object(itemInput),
  output: changeOutput,
  annotations: ANNOTATIONS.destroy,
  confirmMessage: (input) =>
    `Delete ${input.kind ?? input.resource} ${input.name}${input.namespace ? ` in namespace ${input.namespace}` : ''}`,
  render: renderChange,
  async handler(input, ctx: Ctx) {
    const t = target(input);
    const project = projectId(ctx, input.project_id);
    const namespace = requireNamespace(t, input.namespace);
    const answer = await sendKube(ctx, t, itemRequest(t, 'DELETE', project, namespace, input.name));
    return changed(`Deleted ${t.label} ${input.name}${namespace ? ` in ${namespace}` : ''}.`, answer);
  },
});

// ---------------------------------------------------------------------------------------------------------
// The cluster itself

export const kubernetesNamespaceList = listTool({
  name: 'kubernetes_namespace_list',
  title: 'List namespaces',
  description: 'Namespaces of the project’s Kubernetes cluster (vcluster), with status and age.',
  toolset: 'kubernetes',
  input: { project_id: projectIdInput },
  item: objectSchema,
  noun: 'namespaces',
  columns: [
    { header: 'name', value: (o) => get(o, 'metadata', 'name') ?? o['name'] },
    { header: 'status', value: (o) => get(o, 'status', 'phase') ?? o['status'] },
    { header: 'age', value: (o) => age(o) },
  ],
  request: (input, ctx) => ({
    method: 'GET',
    route: '/core/user/projects/:project_id/vcluster/namespaces',
    path: { project_id: projectId(ctx, input.project_id) },
  }),
});

export const kubernetesApiResourceList = listTool({
  name: 'kubernetes_api_resource_list',
  title: 'List API resources',
  description: 'Resource types the project’s cluster serves (like kubectl api-resources).',
  toolset: 'kubernetes',
  input: { project_id: projectIdInput },
  item: loose(
    {
      name: text,
      kind: text,
      group: text,
      version: text,
      namespaced: z.boolean().nullish(),
      shortNames: z.unknown().optional(),
    },
    'An API resource',
  ),
  noun: 'resources',
  columns: [
    { header: 'name', value: (r) => field(r, 'name', 'resource') },
    { header: 'shortnames', value: (r) => field(r, 'shortNames', 'short_names') },
    {
      header: 'apiversion',
      value: (r) =>
        field(r, 'apiVersion', 'api_version') ??
        [field(r, 'group'), field(r, 'version')].filter(Boolean).join('/'),
    },
    { header: 'namespaced', value: (r) => r['namespaced'] },
    { header: 'kind', value: (r) => field(r, 'kind') },
  ],
  request: (input, ctx) => ({
    method: 'GET',
    route: '/core/kubernetes/apiresources/:project_id',
    path: { project_id: projectId(ctx, input.project_id) },
  }),
});

export const kubernetesKubeconfigGet = defineTool({
  name: 'kubernetes_kubeconfig_get',
  title: 'Cluster kubeconfig',
  description: 'The cluster’s kubeconfig, credentials redacted (the full file: portal or cldkctl).',
  toolset: 'kubernetes',
  input: z.object({ project_id: projectIdInput }),
  output: z.object({
    project_id: z.string(),
    vcluster_name: z.string().optional(),
    server: z.string().optional().describe('API server URL of the cluster'),
    config: z.record(z.string(), z.unknown()).describe('The kubeconfig, credentials redacted'),
  }),
  annotations: ANNOTATIONS.read,
  render: { kind: 'object' },
  async handler(input, ctx: Ctx) {
    const project = projectId(ctx, input.project_id);
    const answer = await send(ctx, {
      method: 'GET',
      route: '/core/user/projects/:project_id/vcluster/kubeconfig',
      path: { project_id: project },
    });
    const data = asObject(answer.data);
    const raw = typeof answer.data === 'string' ? answer.data : data['kubeconfig'];
    let config: Obj = {};
    if (typeof raw === 'string') {
      const parsed: unknown = loadedYaml().parse(raw);
      if (isObject(parsed)) config = parsed;
    } else if (isObject(raw)) config = raw;
    const server = get(config, 'clusters', 0, 'cluster', 'server');
    const name = data['vcluster_name'];
    return {
      project_id: project,
      ...(typeof name === 'string' ? { vcluster_name: name } : {}),
      ...(typeof server === 'string' ? { server } : {}),
      config,
    };
  },
});

export const kubernetesDashboardGet = getTool({
  name: 'kubernetes_dashboard_get',
  title: 'Cluster dashboard',
  description: 'The cluster’s status, version and dashboard URL.',
  toolset: 'kubernetes',
  input: { project_id: projectIdInput },
  key: 'dashboard',
  schema: loose({ url: text, status: text, vcluster_name: text }, 'The cluster dashboard'),
  request: (input, ctx) => ({
    method: 'GET',
    route: '/core/user/projects/:project_id/vcluster/dashboard',
    path: { project_id: projectId(ctx, input.project_id) },
  }),
});

export const kubernetesPodConsole = defineTool({
  name: 'kubernetes_pod_console',
  title: 'Open a pod console',
  description:
    'Opens a web console session into a pod’s container: where it connects and when it expires (token redacted).',
  toolset: 'kubernetes',
  input: z.object({
    project_id: projectIdInput,
    namespace: namespaceInput,
    pod: nonEmptyText().describe('Pod name'),
    container: nonEmptyText().optional().describe('Container; default: the first'),
  }),
  output: z.object({
    pod: z.string(),
    namespace: z.string(),
    container: z.string().optional(),
    session: z.record(z.string(), z.unknown()).optional().describe('What the console session reports'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  render: { kind: 'object' },
  async handler(input, ctx: Ctx) {
    const project = projectId(ctx, input.project_id);
    const opened = await send(ctx, {
      method: 'POST',
      route: '/core/pods/console',
      body: {
        console_data: {
          project_id: project,
          namespace: input.namespace,
          name: input.pod,
          ...(input.container ? { container: input.container } : {}),
        },
      },
    });
    const data = asObject(opened.data);
    const token = [data['token'], data['console_token'], get(data, 'session', 'token')].find(
      (t): t is string => typeof t === 'string' && t !== '',
    );
    if (!token) {
      throw new ToolError('Cloudeka opened no console session (no token in the answer).', {
        upstreamMessage: opened.message ?? '',
      });
    }
    const session = await send(ctx, { method: 'GET', route: '/core/pods/console/:token', path: { token } });
    const details = asObject(session.data);
    const container = field(details, 'container') ?? field(data, 'container') ?? input.container;
    return {
      pod: input.pod,
      namespace: input.namespace,
      ...(typeof container === 'string' ? { container } : {}),
      session: { ...data, ...details },
    };
  },
});

export const kubernetesTools = [
  kubernetesNamespaceList,
  kubernetesApiResourceList,
  kubernetesList,
  kubernetesGet,
  kubernetesCreate,
  kubernetesUpdate,
  kubernetesDelete,
  kubernetesPodConsole,
  kubernetesKubeconfigGet,
  kubernetesDashboardGet,
];
