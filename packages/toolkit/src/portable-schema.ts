import type { Tool } from '@modelcontextprotocol/server';
import * as z from 'zod';
import type { ZodShapeObject } from './tool.js';

// zod writes JSON Schema 2020-12 the way a validator likes it; hosts hand input schemas to models whose
// tool-calling APIs accept a narrower dialect (no type arrays, no null unions for optional fields, few
// formats, no $ref), and every keyword is paid for in tokens. The input schema tools/list advertises is
// zod's conversion made portable: one `type` per node where no union is needed, and without what carries
// nothing for a model. Parsing still uses the zod schema itself, so nothing accepted changes.

type JsonSchema = Record<string, unknown>;

/** Formats every JSON Schema consumer knows; others are left out (their zod pattern stays). */
export const PORTABLE_FORMATS: ReadonlySet<string> = new Set([
  'date-time',
  'date',
  'time',
  'email',
  'uri',
  'uuid',
  'ipv4',
  'ipv6',
  'hostname',
]);

/** The input schema of a zod object as tools/list advertises it (see {@link portableSchema}). */
export function portableInputSchema(schema: ZodShapeObject): Tool['inputSchema'] {
  const { $schema: _, ...json } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' });
  return portableSchema(json) as Tool['inputSchema'];
}

/**
 * Rewrites a JSON Schema into the portable dialect: `type: [a, b]` becomes one type (less `null`) or an
 * `anyOf` of single types; a `null` member of `anyOf`/`oneOf` is dropped (absent says the same), a union
 * left with one member becomes that member, and `oneOf` becomes `anyOf`; zod's safe-integer bounds,
 * `propertyNames: {type: string}` and `additionalProperties: {}` (all implied) go; an integer's
 * `exclusiveMinimum`/`exclusiveMaximum` become `minimum`/`maximum`; a common `format` replaces the
 * pattern zod writes beside it, and an uncommon one is dropped. `additionalProperties: false` stays.
 */
export function portableSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(portableSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  let node: JsonSchema = {};
  for (const [key, value] of Object.entries(schema as JsonSchema)) {
    if (MAPS.has(key)) node[key] = mapValues(value as Record<string, unknown>, portableSchema);
    else if (SCHEMAS.has(key) || LISTS.has(key)) node[key] = portableSchema(value);
    else node[key] = value;
  }
  node = singleType(node);
  node = withoutNullMember(node);
  dropImplied(node);
  integerBounds(node);
  commonFormat(node);
  return node;
}

// Keywords whose value is a map of schemas, a schema, or a list of schemas.
const MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
const SCHEMAS = new Set([
  'items',
  'additionalProperties',
  'not',
  'contains',
  'propertyNames',
  'if',
  'then',
  'else',
]);
const LISTS = new Set(['anyOf', 'oneOf', 'allOf', 'prefixItems']);

function mapValues(map: Record<string, unknown>, f: (value: unknown) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(map).map(([key, value]) => [key, f(value)]));
}

function singleType(node: JsonSchema): JsonSchema {
  const types = node['type'];
  if (!Array.isArray(types)) return node;
  const kinds = (types as string[]).filter((type) => type !== 'null');
  const { type: _, ...rest } = node;
  if (kinds.length === 1) return { ...rest, type: kinds[0] };
  return { ...rest, anyOf: kinds.map((type) => ({ type })) };
}

function withoutNullMember(node: JsonSchema): JsonSchema {
  const key = 'anyOf' in node ? 'anyOf' : 'oneOf' in node ? 'oneOf' : undefined;
  if (!key) return node;
  const members = (node[key] as JsonSchema[]).filter((member) => member['type'] !== 'null');
  const { [key]: _, ...rest } = node;
  if (members.length === 0) return rest;
  if (members.length === 1) return { ...members[0], ...rest };
  return { ...rest, anyOf: members };
}

function dropImplied(node: JsonSchema): void {
  if (node['minimum'] === Number.MIN_SAFE_INTEGER) delete node['minimum'];
  if (node['maximum'] === Number.MAX_SAFE_INTEGER) delete node['maximum'];
  if (isStringKeys(node['propertyNames'])) delete node['propertyNames'];
  const extra = node['additionalProperties'];
  if (extra !== null && typeof extra === 'object' && Object.keys(extra).length === 0) {
    delete node['additionalProperties'];
  }
}

function isStringKeys(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (value as JsonSchema)['type'] === 'string';
}

function integerBounds(node: JsonSchema): void {
  if (node['type'] !== 'integer') return;
  const low = node['exclusiveMinimum'];
  if (typeof low === 'number') {
    delete node['exclusiveMinimum'];
    node['minimum'] = Math.max(Math.floor(low) + 1, (node['minimum'] as number | undefined) ?? -Infinity);
  }
  const high = node['exclusiveMaximum'];
  if (typeof high === 'number') {
    delete node['exclusiveMaximum'];
    node['maximum'] = Math.min(Math.ceil(high) - 1, (node['maximum'] as number | undefined) ?? Infinity);
  }
}

function commonFormat(node: JsonSchema): void {
  const format = node['format'];
  if (typeof format !== 'string') return;
  if (PORTABLE_FORMATS.has(format)) delete node['pattern'];
  else delete node['format'];
}

/**
 * What keeps a tool's input schema from being portable, one line per finding with its path: type arrays,
 * `oneOf`, an `anyOf` that is not a real union (fewer than two members, or a `null` one), references,
 * `allOf`/`not`/conditionals, formats outside {@link PORTABLE_FORMATS}, a node without a type, and a root
 * that is not a closed object.
 */
export function portabilityIssues(schema: unknown): string[] {
  const issues: string[] = [];
  const root = schema as JsonSchema;
  if (root['type'] !== 'object' || root['additionalProperties'] !== false) {
    issues.push('(root): not an object with additionalProperties false');
  }
  checkNode(schema, '(root)', issues);
  return issues;
}

const UNPORTABLE = ['$ref', '$defs', 'definitions', '$schema', 'allOf', 'oneOf', 'not', 'if', 'then', 'else'];

function checkNode(schema: unknown, path: string, issues: string[]): void {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    issues.push(`${path}: not a schema object`);
    return;
  }
  const node = schema as JsonSchema;
  for (const key of UNPORTABLE) if (key in node) issues.push(`${path}: ${key}`);
  if (Array.isArray(node['type'])) issues.push(`${path}: type array ${JSON.stringify(node['type'])}`);
  const members = node['anyOf'] as unknown[] | undefined;
  if (members !== undefined) {
    if (members.length < 2) issues.push(`${path}: anyOf of ${members.length}`);
    if (members.some((member) => (member as JsonSchema)['type'] === 'null')) {
      issues.push(`${path}: anyOf with null`);
    }
    for (const [i, member] of members.entries()) checkNode(member, `${path}.anyOf[${i}]`, issues);
  } else if (!('type' in node) && !('enum' in node) && !('const' in node)) {
    issues.push(`${path}: no type`);
  }
  const format = node['format'];
  if (typeof format === 'string' && !PORTABLE_FORMATS.has(format)) issues.push(`${path}: format ${format}`);
  for (const [name, child] of Object.entries((node['properties'] ?? {}) as JsonSchema)) {
    checkNode(child, `${path}.${name}`, issues);
  }
  if (node['items'] !== undefined) checkNode(node['items'], `${path}[]`, issues);
  const extra = node['additionalProperties'];
  if (extra !== undefined && typeof extra !== 'boolean') checkNode(extra, `${path}{}`, issues);
}
