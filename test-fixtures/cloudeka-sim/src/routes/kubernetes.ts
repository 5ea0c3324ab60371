import type { Ctx, Fields, Handler, RouteHandlers } from '../context.js';
import { badRequest, conflict, SimError } from '../errors.js';
import { builtinKind, crdKind, type KindDef, kindsOf } from '../kinds.js';
import { isObject, manifestOf, materialize, mergePatch } from '../kube-objects.js';
import type { KubeStore } from '../kube-store.js';
import type { Project } from '../state.js';

/**
 * One family of Kubernetes proxy routes: `GET|POST base`, `PUT|PATCH|DELETE base/:project_id/:namespace/:name`
 * (`/:project_id/:name` for cluster-scoped kinds). `resource` fixes the kind; without it the `:resource` path
 * parameter names it by its plural resource name, as the API server's paths do.
 */
interface Family {
  base: string;
  resource?: string;
  /**
   * The body argument carrying the object: a `*_data` object `{project_id, namespace?, manifest}` on create
   * and `{manifest}` on edit — or, for pods, `spec`: the manifest itself, beside top-level project_id and
   * namespace (the seed's k8s_pod_create).
   */
  data: string;
  item: string;
  edit: 'PUT' | 'PATCH';
  /** GET path when it differs from base (CRDs list under /:project_id). */
  list?: string;
  listOnly?: boolean;
}

const NS_ITEM = '/:project_id/:namespace/:name';
const CLUSTER_ITEM = '/:project_id/:name';

const FAMILIES: Family[] = [
  { base: '/core/pods', resource: 'pods', data: 'spec', item: NS_ITEM, edit: 'PUT' },
  {
    base: '/core/deployment',
    resource: 'deployments',
    data: 'deployment_data',
    item: NS_ITEM,
    edit: 'PUT',
  },
  { base: '/core/daemonset', resource: 'daemonsets', data: 'daemonset_data', item: NS_ITEM, edit: 'PUT' },
  {
    base: '/core/statefulsets',
    resource: 'statefulsets',
    data: 'statefulset_data',
    item: NS_ITEM,
    edit: 'PUT',
  },
  {
    base: '/core/kubernetes/services',
    resource: 'services',
    data: 'service_data',
    item: NS_ITEM,
    edit: 'PUT',
  },
  {
    base: '/core/kubernetes/pv',
    resource: 'persistentvolumes',
    data: 'pv_data',
    item: CLUSTER_ITEM,
    edit: 'PUT',
  },
  {
    base: '/core/kubernetes/pvc',
    resource: 'persistentvolumeclaims',
    data: 'pvc_data',
    item: NS_ITEM,
    edit: 'PUT',
  },
  {
    base: '/core/datavolume',
    resource: 'datavolumes',
    data: 'datavolume_data',
    item: NS_ITEM,
    edit: 'PUT',
  },
  // The live-tested plural paths; the table's singular ones fall through to /core/kubernetes/:resource.
  {
    base: '/core/kubernetes/configmaps',
    resource: 'configmaps',
    data: '',
    item: '',
    edit: 'PUT',
    listOnly: true,
  },
  { base: '/core/kubernetes/secrets', resource: 'secrets', data: '', item: '', edit: 'PUT', listOnly: true },
  { base: '/core/kubernetes/:resource', data: 'resource_data', item: NS_ITEM, edit: 'PATCH' },
  {
    base: '/core/kubernetes/resource',
    resource: 'customresourcedefinitions',
    data: 'crd_data',
    item: CLUSTER_ITEM,
    edit: 'PATCH',
    list: '/core/kubernetes/resource/:project_id',
  },
];

/** What the API server answers for a path of a resource it does not serve (`configmap` for `configmaps`). */
const UNKNOWN_RESOURCE = 'the server could not find the requested resource';

function kindOf(c: Ctx, fam: Family, store: KubeStore): KindDef {
  if (fam.resource) return builtinKind(fam.resource);
  const name = c.str('resource');
  const def = kindsOf(store).find((d) => d.resource === name);
  if (!def) throw new SimError(404, UNKNOWN_RESOURCE);
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

/** Pods carry the manifest itself in `spec`; every other family `{…, manifest}` in its `*_data`. */
const podShaped = (fam: Family) => fam.data === 'spec';

function manifestArg(c: Ctx, fam: Family): Record<string, unknown> {
  return podShaped(fam) ? structuredClone(c.data('spec')) : manifestOf(c, fam.data);
}

/** Where a create puts the object: project_id and namespace beside `spec` (pods) or inside the `*_data`. */
function placementArgs(c: Ctx, fam: Family): Fields {
  return podShaped(fam) ? c : c.inner(fam.data);
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
    const manifest = manifestArg(c, fam);
    const where = placementArgs(c, fam);
    const p = c.project(where.str('project_id'));
    const store = c.state.kubeOf(p.id);
    const def = kindOf(c, fam, store);
    const meta = (isObject(manifest.metadata) ? manifest.metadata : {}) as Record<string, unknown>;
    manifest.metadata = meta;
    let namespace: string | undefined;
    if (def.namespaced) {
      const given = where.optStr('namespace') ?? meta.namespace ?? 'default';
      if (typeof given !== 'string') throw badRequest('metadata.namespace must be a string');
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
    const patch = manifestArg(c, fam);
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

/** console_data: {project_id, name, namespace?, container?} → a short-lived console token. */
function consoleToken(c: Ctx) {
  const data = c.inner('console_data');
  const p = c.project(data.str('project_id'));
  const namespace = data.optStr('namespace') ?? 'default';
  const podName = data.str('name');
  const pod = c.state.kubeOf(p.id).get('pods', namespace, podName);
  if (!pod) throw new SimError(404, `pods "${podName}" not found`);
  const containers = ((pod.spec as { containers?: Array<{ name: string }> }).containers ?? []).map(
    (x) => x.name,
  );
  const container = data.optStr('container') ?? containers[0]!;
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
