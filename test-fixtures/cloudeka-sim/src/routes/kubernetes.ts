import type { Ctx, Handler, RouteHandlers } from '../context.js';
import { badRequest, conflict, SimError } from '../errors.js';
import { builtinKind, crdKind, type KindDef, kindsOf, resolveKind } from '../kinds.js';
import { isObject, materialize, mergePatch, unwrap } from '../kube-objects.js';
import type { KubeStore } from '../kube-store.js';
import type { Project } from '../state.js';

/**
 * One family of Kubernetes proxy routes: `GET|POST base`, `PUT|PATCH|DELETE base/:project_id/:namespace/:name`
 * (`/:project_id/:name` for cluster-scoped kinds). `resource` fixes the kind; without it the `:resource` path
 * parameter names it, as kubectl would.
 */
interface Family {
  base: string;
  resource?: string;
  /** The body argument(s) carrying the manifest, first present wins (`spec` and `pod_data` both create pods). */
  data: string[];
  item: string;
  edit: 'PUT' | 'PATCH';
  /** GET path when it differs from base (CRDs list under /:project_id). */
  list?: string;
  listOnly?: boolean;
}

const NS_ITEM = '/:project_id/:namespace/:name';
const CLUSTER_ITEM = '/:project_id/:name';

const FAMILIES: Family[] = [
  { base: '/core/pods', resource: 'pods', data: ['spec', 'pod_data'], item: NS_ITEM, edit: 'PUT' },
  {
    base: '/core/deployment',
    resource: 'deployments',
    data: ['deployment_data'],
    item: NS_ITEM,
    edit: 'PUT',
  },
  { base: '/core/daemonset', resource: 'daemonsets', data: ['daemonset_data'], item: NS_ITEM, edit: 'PUT' },
  {
    base: '/core/statefulsets',
    resource: 'statefulsets',
    data: ['statefulset_data'],
    item: NS_ITEM,
    edit: 'PUT',
  },
  {
    base: '/core/kubernetes/services',
    resource: 'services',
    data: ['service_data'],
    item: NS_ITEM,
    edit: 'PUT',
  },
  {
    base: '/core/kubernetes/pv',
    resource: 'persistentvolumes',
    data: ['pv_data'],
    item: CLUSTER_ITEM,
    edit: 'PUT',
  },
  {
    base: '/core/kubernetes/pvc',
    resource: 'persistentvolumeclaims',
    data: ['pvc_data'],
    item: NS_ITEM,
    edit: 'PUT',
  },
  {
    base: '/core/datavolume',
    resource: 'datavolumes',
    data: ['datavolume_data'],
    item: NS_ITEM,
    edit: 'PUT',
  },
  {
    base: '/core/kubernetes/configmap',
    resource: 'configmaps',
    data: [],
    item: NS_ITEM,
    edit: 'PUT',
    listOnly: true,
  },
  {
    base: '/core/kubernetes/secret',
    resource: 'secrets',
    data: [],
    item: NS_ITEM,
    edit: 'PUT',
    listOnly: true,
  },
  { base: '/core/kubernetes/:resource', data: ['resource_data'], item: NS_ITEM, edit: 'PATCH' },
  {
    base: '/core/kubernetes/resource',
    resource: 'customresourcedefinitions',
    data: ['crd_data'],
    item: CLUSTER_ITEM,
    edit: 'PATCH',
    list: '/core/kubernetes/resource/:project_id',
  },
];

function kindOf(c: Ctx, fam: Family, store: KubeStore): KindDef {
  if (fam.resource) return builtinKind(fam.resource);
  const name = c.str('resource');
  const def = resolveKind(name, store);
  if (!def) throw new SimError(404, `the server doesn't have a resource type "${name}"`);
  return def;
}

function requireNamespace(store: KubeStore, namespace: string): void {
  if (!store.get('namespaces', '', namespace)) throw new SimError(404, `namespaces "${namespace}" not found`);
}

const notFoundObj = (def: KindDef, name: string) => new SimError(404, `${def.resource} "${name}" not found`);

function located(c: Ctx, fam: Family) {
  const p: Project = c.project();
  const store = c.state.kubeOf(p.id);
  const def = kindOf(c, fam, store);
  const namespace = def.namespaced ? c.str('namespace') : '';
  const name = c.str('name');
  const existing = store.get(def.resource, namespace, name);
  if (!existing) throw notFoundObj(def, name);
  return { p, store, def, namespace, name, existing };
}

function manifestArg(c: Ctx, fam: Family) {
  const field = fam.data.find((f) => c.arg(f) !== undefined) ?? fam.data.at(-1)!;
  const value = c.arg(field);
  if (value === undefined || value === null || value === '') throw badRequest(`${field} is required`);
  if (!isObject(value)) throw badRequest(`${field} must be an object`);
  return unwrap(value);
}

function list(fam: Family): Handler {
  return (c) => {
    const p = c.project();
    const store = c.state.kubeOf(p.id);
    const def = kindOf(c, fam, store);
    return store.list(def.resource, def.namespaced ? c.optStr('namespace') : undefined);
  };
}

function create(fam: Family): Handler {
  return (c) => {
    const placement = manifestArg(c, fam);
    const projectId = c.optStr('project_id') ?? placement.project_id;
    if (projectId === undefined || projectId === '') throw badRequest('project_id is required');
    if (typeof projectId !== 'string') throw badRequest('project_id must be a string');
    const p = c.project(projectId);
    const store = c.state.kubeOf(p.id);
    const def = kindOf(c, fam, store);
    const manifest = placement.manifest;
    const meta = (isObject(manifest.metadata) ? manifest.metadata : {}) as Record<string, unknown>;
    manifest.metadata = meta;
    if (meta.name === undefined && c.optStr('name') !== undefined) meta.name = c.optStr('name');
    let namespace: string | undefined;
    if (def.namespaced) {
      const given = c.optStr('namespace') ?? placement.namespace ?? meta.namespace ?? 'default';
      if (typeof given !== 'string') throw badRequest('namespace must be a string');
      if (meta.namespace !== undefined && meta.namespace !== given) {
        throw badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      namespace = given;
      requireNamespace(store, namespace);
    }
    const obj = materialize(def, manifest, store, namespace);
    if (store.get(def.resource, namespace ?? '', obj.metadata.name)) {
      throw conflict(`${def.resource} "${obj.metadata.name}" already exists`);
    }
    return store.put(def.resource, obj);
  };
}

/** PUT replaces the object with the manifest given; PATCH applies it as a JSON merge patch. */
function edit(fam: Family): Handler {
  return (c) => {
    const { store, def, namespace, name, existing } = located(c, fam);
    const placement = manifestArg(c, fam);
    const patch = placement.manifest;
    const meta = isObject(patch.metadata) ? patch.metadata : {};
    if (meta.name !== undefined && meta.name !== name) {
      throw badRequest(
        `the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`,
      );
    }
    if (def.namespaced && meta.namespace !== undefined && meta.namespace !== namespace) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    const manifest = (fam.edit === 'PATCH' ? mergePatch(existing, patch) : patch) as Record<string, unknown>;
    manifest.metadata = { ...(isObject(manifest.metadata) ? manifest.metadata : {}), name };
    if (fam.edit === 'PATCH' && def.kind !== 'CustomResourceDefinition' && patch.status === undefined) {
      delete manifest.status;
    }
    const obj = materialize(def, manifest, store, def.namespaced ? namespace : undefined, existing);
    return store.put(def.resource, obj);
  };
}

function remove(fam: Family): Handler {
  return (c) => {
    const { store, def, namespace, name, existing } = located(c, fam);
    store.remove(def.resource, namespace, name);
    if (def.kind === 'Namespace') store.removeWhere((_r, o) => o.metadata.namespace === name);
    if (def.kind === 'CustomResourceDefinition') {
      const defined = crdKind(existing).resource;
      store.removeWhere((r) => r === defined);
    }
    return {
      kind: def.kind,
      name,
      ...(def.namespaced ? { namespace } : {}),
      uid: existing.metadata.uid,
      deleted: true,
    };
  };
}

function apiResources(c: Ctx) {
  const p = c.project();
  return kindsOf(c.state.kubeOf(p.id)).map((d) => {
    const slash = d.apiVersion.indexOf('/');
    return {
      name: d.resource,
      singularName: d.singular,
      kind: d.kind,
      group: slash < 0 ? '' : d.apiVersion.slice(0, slash),
      version: d.apiVersion.slice(slash + 1),
      namespaced: d.namespaced,
      shortNames: d.shortNames,
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    };
  });
}

const CONSOLE_TTL_MS = 5 * 60_000;

/** console_data: {project_id, namespace, name (or pod), container?} → a short-lived console token. */
function consoleToken(c: Ctx) {
  c.data('console_data');
  const p = c.project(c.str('project_id', 'console_data'));
  const namespace = c.optStr('namespace', 'console_data') ?? 'default';
  const podName = c.optStr('name', 'console_data') ?? c.optStr('pod', 'console_data');
  if (!podName) throw badRequest('console_data.name is required');
  const pod = c.state.kubeOf(p.id).get('pods', namespace, podName);
  if (!pod) throw new SimError(404, `pods "${podName}" not found`);
  const containers = ((pod.spec as { containers?: Array<{ name: string }> }).containers ?? []).map(
    (x) => x.name,
  );
  const container = c.optStr('container', 'console_data') ?? containers[0]!;
  if (!containers.includes(container))
    throw new SimError(404, `container ${container} not found in pod ${podName}`);
  const status = (
    pod.status as { containerStatuses?: Array<{ name: string; state?: Record<string, unknown> }> }
  ).containerStatuses?.find((s) => s.name === container);
  if (!status?.state?.running)
    throw badRequest(`container "${container}" in pod "${podName}" is not running`);
  const token = c.state.rng.bytes(24).toString('hex');
  const session = {
    token,
    user_id: c.user.id,
    project_id: p.id,
    namespace,
    pod: podName,
    container,
    expires_at: Date.now() + CONSOLE_TTL_MS,
  };
  c.state.consoles.set(token, session);
  return { ...consoleView(c, session), token };
}

function consoleView(
  c: Ctx,
  s: { project_id: string; namespace: string; pod: string; container: string; expires_at: number },
) {
  return {
    project_id: s.project_id,
    namespace: s.namespace,
    pod: s.pod,
    container: s.container,
    expires_at: new Date(s.expires_at).toISOString(),
    websocket_url: `wss://${c.env.apiHost}/core/pods/console/ws`,
  };
}

export const kubernetesRoutes: RouteHandlers = {
  'GET /core/kubernetes/apiresources/:project_id': apiResources,
  'POST /core/pods/console': consoleToken,
  'GET /core/pods/console/:token': (c) => {
    const s = c.state.consoles.get(c.str('token'));
    if (!s || s.user_id !== c.user.id || s.expires_at <= Date.now())
      throw new SimError(404, 'console session not found');
    return consoleView(c, s);
  },
};

for (const fam of FAMILIES) {
  kubernetesRoutes[`GET ${fam.list ?? fam.base}`] = list(fam);
  if (fam.listOnly) continue;
  kubernetesRoutes[`POST ${fam.base}`] = create(fam);
  kubernetesRoutes[`${fam.edit} ${fam.base}${fam.item}`] = edit(fam);
  kubernetesRoutes[`DELETE ${fam.base}${fam.item}`] = remove(fam);
}
