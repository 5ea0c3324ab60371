import type { Ctx, RouteHandlers } from '../context.js';
import { badRequest, conflict, notFound, SimError } from '../errors.js';
import { notebookYaml } from '../factories.js';
import type { Notebook } from '../state.js';

const LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const CPU = /^(\d+(\.\d+)?|\d+m)$/;
const SIZE = /^\d+(Mi|Gi|Ti)$/;

function view(c: Ctx, n: Notebook, withYaml = false) {
  const { yaml, ...rest } = n;
  return {
    ...rest,
    url: `https://${c.env.apiHost}/notebook/${n.namespace}/${n.name}/lab`,
    ...(withYaml ? { yaml } : {}),
  };
}

/** The notebook named by project_id + namespace + name. */
function find(c: Ctx): Notebook {
  const p = c.project();
  const namespace = c.str('namespace');
  const name = c.str('name');
  const n = [...c.state.notebooks.values()].find(
    (x) => x.project_id === p.id && x.namespace === namespace && x.name === name,
  );
  if (!n) throw notFound('notebook', `${namespace}/${name}`);
  return n;
}

function create(c: Ctx) {
  const p = c.project();
  const namespace = c.str('namespace');
  const name = c.str('name');
  if (!c.state.kubeOf(p.id).get('namespaces', '', namespace))
    throw new SimError(404, `namespaces "${namespace}" not found`);
  if (!LABEL.test(name)) throw badRequest(`name "${name}" must be a lower-case RFC 1123 label`);
  if (
    [...c.state.notebooks.values()].some(
      (x) => x.project_id === p.id && x.namespace === namespace && x.name === name,
    )
  ) {
    throw conflict(`notebook "${name}" already exists in namespace ${namespace}`);
  }
  const imageRef = c.str('image');
  const image = c.state.catalog.notebookImages.find(
    (i) => i.id === imageRef || i.name === imageRef || i.image === imageRef,
  );
  if (!image) throw notFound('notebook image', imageRef);
  const cpu = c.str('cpu');
  if (!CPU.test(cpu)) throw badRequest('cpu must be a number of cores such as "2" or "500m"');
  const memory = c.str('memory');
  const storage = c.str('storage');
  for (const [field, value] of [
    ['memory', memory],
    ['storage', storage],
  ] as const) {
    if (!SIZE.test(value)) throw badRequest(`${field} must be a size such as "8Gi"`);
  }
  const gpu = c.optStr('gpu') ?? null;
  if (gpu !== null && !/^\d+$/.test(gpu)) throw badRequest('gpu must be a whole number of GPUs such as "1"');
  if (gpu !== null && gpu !== '0' && !image.gpu)
    throw badRequest(`image ${image.name} does not support GPUs`);
  const now = c.state.now();
  const n: Notebook = {
    id: c.state.id(),
    project_id: p.id,
    namespace,
    name,
    image: image.image,
    cpu,
    memory,
    storage,
    gpu: gpu === '0' ? null : gpu,
    status: 'running',
    yaml: '',
    created_at: now,
    updated_at: now,
  };
  n.yaml = notebookYaml(n);
  c.state.notebooks.set(n.id, n);
  return view(c, n, true);
}

function updateYaml(c: Ctx) {
  const n = find(c);
  const yaml = c.str('yaml');
  if (!/^kind:\s*Notebook\s*$/m.test(yaml)) throw badRequest('yaml must describe a kind: Notebook resource');
  const named = /^\s+name:\s*(\S+)\s*$/m.exec(yaml.slice(yaml.indexOf('metadata:')));
  if (named && named[1] !== n.name) throw badRequest(`yaml metadata.name must be ${n.name}, got ${named[1]}`);
  const image = /^\s*image:\s*(\S+)\s*$/m.exec(yaml)?.[1];
  if (image) n.image = image;
  n.yaml = yaml;
  n.updated_at = c.state.now();
  return view(c, n, true);
}

function setStatus(status: Notebook['status']) {
  return (c: Ctx) => {
    const n = find(c);
    if (n.status === status) throw badRequest(`notebook ${n.name} is already ${status}`);
    n.status = status;
    n.yaml = notebookYaml(n);
    n.updated_at = c.state.now();
    return view(c, n);
  };
}

export const notebookRoutes: RouteHandlers = {
  'GET /core/deka-notebook': (c) => {
    const p = c.project();
    return [...c.state.notebooks.values()].filter((n) => n.project_id === p.id).map((n) => view(c, n));
  },
  'POST /core/deka-notebook': create,
  'POST /core/deka-notebook/delete': (c) => {
    const n = find(c);
    c.state.notebooks.delete(n.id);
    return { id: n.id, name: n.name, namespace: n.namespace, deleted: true };
  },
  'PUT /core/deka-notebook/yaml': updateYaml,
  'POST /core/deka-notebook/start': setStatus('running'),
  'POST /core/deka-notebook/stop': setStatus('stopped'),
  'GET /core/deka-notebook/images': (c) => c.state.catalog.notebookImages,
};
