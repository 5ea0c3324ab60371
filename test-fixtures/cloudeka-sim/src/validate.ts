import type { ParamSpec } from './endpoints.js';
import { badRequest } from './errors.js';
import { isObject } from './kube-objects.js';
import type { RouteDef } from './router.js';

export interface Args {
  params: Record<string, string>;
  query: Record<string, string>;
  body: Record<string, unknown>;
}

/** Like a Go `binding:"required"`: absent, null and "" all count as missing. */
export function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

function lookup(args: Args, name: string): unknown {
  if (present(args.params[name])) return args.params[name];
  if (present(args.body[name])) return args.body[name];
  return args.query[name];
}

const TYPE_TEXT: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  dict: 'an object',
  list: 'an array',
};

function typeOk(type: string, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
    case 'dict':
      return isObject(value);
    case 'list':
      return Array.isArray(value);
    default:
      return true;
  }
}

/**
 * Checks a request against the arguments endpoints.json declares for its route. A route shared by two tools
 * accepts either tool's arguments. Missing: 400 `<field> is required` (the first field of the closest tool);
 * a JSON body field of the wrong type: 400 `<field> must be a string|an integer|…`. Path and query values are
 * strings by nature and only checked for presence.
 */
export function checkArgs(route: RouteDef, args: Args): void {
  let best: { missing: string[]; specs: ParamSpec[] } | undefined;
  for (const tool of route.tools) {
    const missing = tool.required.filter((p) => !present(lookup(args, p.name))).map((p) => p.name);
    if (!best || missing.length < best.missing.length)
      best = { missing, specs: [...tool.required, ...tool.optional] };
  }
  if (!best) return;
  if (best.missing.length > 0) throw badRequest(`${best.missing[0]} is required`);
  for (const spec of best.specs) {
    const value = args.body[spec.name];
    if (present(value) && !present(args.params[spec.name]) && !typeOk(spec.type, value)) {
      throw badRequest(`${spec.name} must be ${TYPE_TEXT[spec.type] ?? spec.type}`);
    }
  }
}
