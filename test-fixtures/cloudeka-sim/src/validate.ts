import type { RouteContract } from './contract.js';
import { badRequest } from './errors.js';
import { isObject } from './kube-objects.js';

/**
 * A request's arguments as a handler may read them: the path parameters, and `values` — the query of a GET
 * or DELETE, the JSON body of a POST, PUT or PATCH. The other place is never read, as a Go handler binds one:
 * arguments sent in the query of a POST (or the body of a GET) are missing.
 */
export interface Args {
  params: Record<string, string>;
  values: Record<string, unknown>;
}

/** Where a method's arguments travel (the seed sends them so). */
export const QUERY_METHODS = new Set(['GET', 'DELETE']);

/** Like a Go `binding:"required"`: absent, null and "" all count as missing. */
export function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/** A named argument: the path parameter, else the query or body value. */
export function argument(args: Args, name: string): unknown {
  return present(args.params[name]) ? args.params[name] : args.values[name];
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
 * Checks a request against its route's one contract: 400 `<field> is required` for the first missing
 * argument (or `<x>_data.<field>` inside its object), 400 `<field> must be a string|an integer|…` for a JSON
 * body field of the wrong type. Query values are strings by nature and only checked for presence.
 */
export function checkArgs(contract: RouteContract, args: Args): void {
  for (const spec of contract.required) {
    if (!present(argument(args, spec.name))) throw badRequest(`${spec.name} is required`);
  }
  if (!QUERY_METHODS.has(contract.method)) {
    for (const spec of [...contract.required, ...contract.optional]) {
      const value = args.values[spec.name];
      if (present(value) && !present(args.params[spec.name]) && !typeOk(spec.type, value)) {
        throw badRequest(`${spec.name} must be ${TYPE_TEXT[spec.type] ?? spec.type}`);
      }
    }
  }
  const { body } = contract;
  if (!body) return;
  const inner = args.values[body.field] as Record<string, unknown>;
  for (const name of body.required) {
    if (!present(inner[name])) throw badRequest(`${body.field}.${name} is required`);
  }
}
