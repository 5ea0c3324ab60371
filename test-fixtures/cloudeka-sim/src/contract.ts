import {
  type EndpointTool,
  EXTENSION_TOOLS,
  loadEndpointTools,
  type ParamSpec,
  routeKey,
} from './endpoints.js';

// The one request shape each route accepts. The seed's table (data/endpoints.json) lists 160 tools over 147
// routes; 13 routes serve two of its tools with different arguments (`vm_list` {project_id, limit} and
// `get_vm` {} on GET /core/virtual-machine/list/all). A real handler binds one shape, so the simulator takes
// the FIRST tool of the table on such a route: the seed's hand-written block, which the seed's own live test
// (howtouse.md §5) backs — `get_vm` without arguments got 400 where the CLI, which sends project_id and
// limit, worked. Where that live test used another path than the table (the ConfigMap and Secret lists), the
// live-tested path is the route. Everything inside a `*_data` object is inferred: no request sample is public.

/** Where a shape comes from. */
export type Evidence = 'live test' | 'seed' | 'seed + inferred' | 'inferred';

/** The object a `*_data` argument holds, as the simulator reads it. */
export interface BodyShape {
  field: string;
  required: string[];
  optional: string[];
}

export interface RouteContract {
  key: string;
  method: string;
  path: string;
  /** The seed tool whose arguments are the route's. */
  tool: string;
  /** Other seed tools on the same route whose arguments differ: their shapes are refused. */
  refused: string[];
  /** The table's path for this route when the live test used another (the singular ConfigMap list). */
  replaces?: string;
  /** Arguments beside the path parameters: the query (GET, DELETE) or the JSON body (POST, PUT, PATCH). */
  required: ParamSpec[];
  optional: ParamSpec[];
  /** The fields of its `*_data` object (inferred). */
  body?: BodyShape;
  /** What an argument holds when its name does not say it (`spec`: the Pod manifest). */
  note?: string;
  evidence: Evidence;
  /** Not in endpoints.json: the portal's token list and delete (EXTENSION_TOOLS). */
  extension?: true;
}

/** Paths the seed's live test called where its table says otherwise (the table has the singular). */
const LIVE_TEST_PATHS: Readonly<Record<string, string>> = {
  k8s_configmaps: '/core/kubernetes/configmaps',
  k8s_secrets: '/core/kubernetes/secrets',
};

/** Routes whose required arguments the live test showed (400 without them, 200 with them). */
const LIVE_TEST_ARGS = new Set(['GET /core/virtual-machine/list/all']);

const str = (name: string): ParamSpec => ({ name, type: 'string' });

/** Arguments the simulator needs or reads beyond the seed's table (inferred). */
const EXTRA_ARGS: Readonly<Record<string, { required?: ParamSpec[]; optional?: ParamSpec[] }>> = {
  // A list is of one project's vcluster; the table's generic list tools declare nothing.
  'GET /core/daemonset': { required: [str('project_id')], optional: [str('namespace')] },
  'GET /core/statefulsets': { required: [str('project_id')], optional: [str('namespace')] },
  'GET /core/kubernetes/pvc': { required: [str('project_id')], optional: [str('namespace')] },
  'GET /core/datavolume': { required: [str('project_id')], optional: [str('namespace')] },
  'GET /core/kubernetes/:resource': { required: [str('project_id')], optional: [str('namespace')] },
  'GET /core/kubernetes/pv': { required: [str('project_id')] },
  'POST /core/virtual-machine': { optional: [str('namespace')] },
  'POST /core/dekaregistry/v2/member/:registry_id': { optional: [str('role')] },
};

const placed = { required: ['project_id', 'manifest'], optional: ['namespace'] };
const clusterPlaced = { required: ['project_id', 'manifest'], optional: [] };
const manifestOnly = { required: ['manifest'], optional: [] };

/** What each `*_data` object holds (inferred), by route. */
const BODIES: Readonly<Record<string, Omit<BodyShape, 'field'>>> = {
  'POST /core/deployment': placed,
  'PUT /core/deployment/:project_id/:namespace/:name': manifestOnly,
  'POST /core/daemonset': placed,
  'PUT /core/daemonset/:project_id/:namespace/:name': manifestOnly,
  'POST /core/statefulsets': placed,
  'PUT /core/statefulsets/:project_id/:namespace/:name': manifestOnly,
  'POST /core/kubernetes/services': placed,
  'PUT /core/kubernetes/services/:project_id/:namespace/:name': manifestOnly,
  'POST /core/kubernetes/pv': clusterPlaced,
  'PUT /core/kubernetes/pv/:project_id/:name': manifestOnly,
  'POST /core/kubernetes/pvc': placed,
  'PUT /core/kubernetes/pvc/:project_id/:namespace/:name': manifestOnly,
  'POST /core/datavolume': placed,
  'PUT /core/datavolume/:project_id/:namespace/:name': manifestOnly,
  'POST /core/kubernetes/:resource': placed,
  'PATCH /core/kubernetes/:resource/:project_id/:namespace/:name': manifestOnly,
  'POST /core/kubernetes/resource': clusterPlaced,
  'PATCH /core/kubernetes/resource/:project_id/:name': manifestOnly,
  'POST /core/virtual-machine/yaml': placed,
  'PUT /core/virtual-machine/yaml/:project_id/:namespace/:name': manifestOnly,
  'POST /core/pods/console': { required: ['project_id', 'name'], optional: ['namespace', 'container'] },
  'POST /core/user/organization/role': { required: ['name'], optional: ['description', 'privileges'] },
  'PUT /core/user/organization/role/:role_id': {
    required: [],
    optional: ['name', 'description', 'privileges'],
  },
  'PUT /core/user/organization/edit/:organization_id': {
    required: [],
    optional: ['name', 'details', 'email', 'phone_number', 'address', 'city', 'province', 'zip_code', 'npwp'],
  },
  'POST /core/user/voucher-credit/claim': { required: ['voucher_code', 'project_id'], optional: [] },
  'POST /core/dekaregistry/v2/registry': {
    required: ['project_id', 'name'],
    optional: ['public', 'size_limit_gb', 'description'],
  },
  'PUT /core/dekaregistry/v2/registry/:registry_id': {
    required: [],
    optional: ['public', 'size_limit_gb', 'description', 'name'],
  },
  'POST /core/dekaregistry/v1/registry/createlabels/:organization_id/:user_id/:project_id/:registry_id': {
    required: ['name'],
    optional: ['color', 'description'],
  },
  'PUT /core/dekaregistry/v1/registry/updatelabels/:organization_id/:user_id/:project_id/:registry_id': {
    required: ['id'],
    optional: ['name', 'color', 'description'],
  },
  'POST /core/dekaregistry/v2/tag/:registry_id': { required: ['tag'], optional: ['repository'] },
  'PUT /core/dekaregistry/v2/tag/detail/:tag_id': { required: [], optional: ['tag', 'repository'] },
  'POST /core/dekaregistry/v2/user/password/show': { required: ['password'], optional: [] },
};

/** Arguments whose name does not say what they hold. */
const NOTES: Readonly<Record<string, string>> = {
  'POST /core/pods': '`spec` is the Pod manifest',
  'PUT /core/pods/:project_id/:namespace/:name': '`spec` is the Pod manifest',
};

const pathParams = (path: string) =>
  new Set(
    path
      .split('/')
      .filter((s) => s.startsWith(':'))
      .map((s) => s.slice(1)),
  );

/** A tool's arguments beside the path parameters, for comparing two tools on one route. */
const shapeOf = (tool: EndpointTool, inPath: Set<string>) =>
  tool.required
    .map((p) => p.name)
    .filter((name) => !inPath.has(name))
    .join(',');

function contractOf(tool: EndpointTool, others: EndpointTool[], extension: boolean): RouteContract {
  const path = LIVE_TEST_PATHS[tool.tool] ?? tool.path;
  const key = routeKey(tool.method, path);
  const inPath = pathParams(path);
  const extra = EXTRA_ARGS[key] ?? {};
  const required = [...tool.required.filter((p) => !inPath.has(p.name)), ...(extra.required ?? [])];
  const optional = [...tool.optional.filter((p) => !inPath.has(p.name)), ...(extra.optional ?? [])];
  const data = required.find((p) => p.name.endsWith('_data'));
  const inner = BODIES[key];
  if (Boolean(data) !== Boolean(inner)) throw new Error(`cloudeka-sim: ${key} needs a BODIES entry, or none`);
  const live = tool.tool in LIVE_TEST_PATHS || LIVE_TEST_ARGS.has(key);
  const inferred = Boolean(extra.required || extra.optional || inner);
  return {
    key,
    method: tool.method,
    path,
    tool: tool.tool,
    refused: others.filter((t) => shapeOf(t, inPath) !== shapeOf(tool, inPath)).map((t) => t.tool),
    ...(path !== tool.path ? { replaces: tool.path } : {}),
    required,
    optional,
    ...(data && inner ? { body: { field: data.name, ...inner } } : {}),
    ...(NOTES[key] ? { note: NOTES[key] } : {}),
    evidence: extension ? 'inferred' : live ? 'live test' : inferred ? 'seed + inferred' : 'seed',
    ...(extension ? { extension: true as const } : {}),
  };
}

let cache: RouteContract[] | undefined;

/**
 * The routes the simulator serves, one contract each: the 147 routes of endpoints.json (the ConfigMap and
 * Secret lists on their live-tested plural paths) plus the two token extensions.
 */
export function loadContracts(): RouteContract[] {
  if (!cache) {
    const byRoute = new Map<string, EndpointTool[]>();
    for (const tool of loadEndpointTools()) {
      const key = routeKey(tool.method, tool.path);
      byRoute.set(key, [...(byRoute.get(key) ?? []), tool]);
    }
    cache = [
      ...[...byRoute.values()].map(([first, ...others]) => contractOf(first!, others, false)),
      ...EXTENSION_TOOLS.map((tool) => contractOf(tool, [], true)),
    ];
  }
  return cache;
}
