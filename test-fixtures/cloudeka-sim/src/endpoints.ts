import { readFileSync } from 'node:fs';

export interface ParamSpec {
  name: string;
  /** As declared in endpoints.json: string, integer, boolean, object, dict. */
  type: string;
}

/** One tool of the seed's table: the route it calls and the arguments it declares. */
export interface EndpointTool {
  tool: string;
  method: string;
  path: string;
  required: ParamSpec[];
  optional: ParamSpec[];
}

export interface RouteSummary {
  tool: string;
  method: string;
  path: string;
  required: string[];
  optional: string[];
}

interface RawParam {
  name: string;
  type: string;
}

interface RawTable {
  _source: string;
  endpoints: Record<
    string,
    { endpoint: string; method: string; required_params: RawParam[]; optional_params: RawParam[] }
  >;
}

/** The seed's tool keys are `mcp_cldkctl_cldkctl_<tool>`; its MCP server exposes them as `cldkctl_<tool>`. */
const PREFIX = 'mcp_cldkctl_cldkctl_';

let cache: EndpointTool[] | undefined;

/** data/endpoints.json, one entry per seed tool (160), with parameter types. */
export function loadEndpointTools(): EndpointTool[] {
  if (!cache) {
    const raw = JSON.parse(
      readFileSync(new URL('../data/endpoints.json', import.meta.url), 'utf8'),
    ) as RawTable;
    cache = Object.entries(raw.endpoints).map(([key, e]) => ({
      tool: key.startsWith(PREFIX) ? key.slice(PREFIX.length) : key,
      method: e.method.toUpperCase(),
      path: e.endpoint,
      required: e.required_params.map((p) => ({ name: p.name, type: p.type })),
      optional: e.optional_params.map((p) => ({ name: p.name, type: p.type })),
    }));
  }
  return cache;
}

/** Every tool of data/endpoints.json (the seed mcp-cldkctl's table): 160 tools over 147 method+path routes. */
export function loadRoutes(): RouteSummary[] {
  return loadEndpointTools().map((t) => ({
    tool: t.tool,
    method: t.method,
    path: t.path,
    required: t.required.map((p) => p.name),
    optional: t.optional.map((p) => p.name),
  }));
}

export function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

/**
 * Routes the simulator answers beyond endpoints.json, for what the portal's token tab does (list, delete) but
 * the seed's table lacks. Their paths are inferred from the token routes that are in the table.
 */
export const EXTENSION_TOOLS: EndpointTool[] = [
  { tool: 'token_list', method: 'GET', path: '/core/cldkctl/token', required: [], optional: [] },
  {
    tool: 'token_delete',
    method: 'DELETE',
    path: '/core/cldkctl/token/:token_id',
    required: [{ name: 'token_id', type: 'string' }],
    optional: [],
  },
];
