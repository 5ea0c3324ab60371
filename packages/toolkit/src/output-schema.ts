import { isSecretKey } from '@cloudmcp/format';
import type { Tool } from '@modelcontextprotocol/server';
import * as z from 'zod';
import type { AnyTool } from './tool.js';

// What tools/list advertises as a tool's output, and what the SDK checks each result against. Clients
// compile every output schema they are given (the full zod conversion was 40 % of tools/list and most of
// a client's first-list time), and no model needs the shape of every upstream field: a list tool's
// structuredContent is the table it shows (see render.ts), one small schema for all of them; an object
// tool's is the whole object, described by its top-level fields alone, one type each.

type JsonSchema = Tool['inputSchema'];
type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array';

export interface OutputSchema {
  /** Advertised in tools/list. */
  json: JsonSchema;
  /** The same shape as zod, for the SDK to check each result's structuredContent against. */
  zod: z.ZodType;
}

// The advertised list schema names only what every list has; a list's other fields (total, next_cursor,
// uniform, the tool's own notes) are allowed beside them, and the zod the SDK checks with spells them out.
const LIST: OutputSchema = {
  json: {
    type: 'object',
    properties: { columns: { type: 'array' }, rows: { type: 'array' } },
    required: ['columns', 'rows'],
  },
  zod: z.looseObject({
    columns: z.array(z.string()),
    rows: z.array(z.array(z.string())),
    uniform: z.record(z.string(), z.string()).optional(),
    total: z.number().int().optional(),
    next_cursor: z.string().optional(),
  }),
};

const cache = new WeakMap<AnyTool, OutputSchema>();

/** A tool's compact output schema, made once per process. */
export function outputSchemaOf(tool: AnyTool): OutputSchema {
  if (tool.render.kind === 'list') return LIST;
  let schema = cache.get(tool);
  if (!schema) {
    schema = shallowSchema(z.toJSONSchema(tool.output, { target: 'draft-2020-12', io: 'output' }));
    cache.set(tool, schema);
  }
  return schema;
}

/**
 * An object's schema cut to its top-level fields, each with the one JSON type it has (none where it may
 * be of several). A nullable field is no longer required: results leave top-level nulls out.
 */
function shallowSchema(full: Record<string, unknown>): OutputSchema {
  const fields = (full['properties'] ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set((full['required'] ?? []) as string[]);
  const properties: Record<string, { type?: JsonType }> = {};
  const shape: Record<string, z.ZodType> = {};
  for (const [name, field] of Object.entries(fields)) {
    const { nullable, ...declared } = typeOf(field);
    // render.ts redacts structuredContent: a number under a credential's name comes as the string
    // [REDACTED], which a number's schema would refuse, losing the whole answer
    const hidden = isSecretKey(name) && (declared.type === 'number' || declared.type === 'integer');
    const type = hidden ? undefined : declared.type;
    if (nullable) required.delete(name);
    properties[name] = type ? { type } : {};
    shape[name] = required.has(name) ? ZOD_OF[type ?? 'any'] : ZOD_OF[type ?? 'any'].optional();
  }
  return {
    json: {
      type: 'object',
      properties,
      ...(required.size ? { required: [...required] } : {}),
    },
    zod: z.looseObject(shape),
  };
}

const ZOD_OF: Record<JsonType | 'any', z.ZodType> = {
  string: z.string(),
  number: z.number(),
  integer: z.number().int(),
  boolean: z.boolean(),
  object: z.record(z.string(), z.unknown()),
  array: z.array(z.unknown()),
  any: z.unknown(),
};

const JSON_TYPES = new Set<string>(['string', 'number', 'integer', 'boolean', 'object', 'array']);

/** The single JSON type of a schema (null aside), if it has one. */
function typeOf(schema: Record<string, unknown>): { type?: JsonType; nullable: boolean } {
  const declared = schema['type'];
  const members = (schema['anyOf'] ?? schema['oneOf']) as Record<string, unknown>[] | undefined;
  let types: string[];
  if (typeof declared === 'string') types = [declared];
  else if (Array.isArray(declared)) types = declared as string[];
  else if (members) types = members.map((member) => typeOf(member).type ?? (isNull(member) ? 'null' : 'any'));
  else if ('const' in schema) types = [jsonTypeOfValue(schema['const'])];
  else if (Array.isArray(schema['enum'])) types = (schema['enum'] as unknown[]).map(jsonTypeOfValue);
  else types = ['any'];
  const nullable = types.includes('null');
  const kinds = new Set(types.filter((type) => type !== 'null'));
  if (kinds.has('integer') && kinds.has('number')) kinds.delete('integer');
  if (kinds.size !== 1) return { nullable };
  const [only] = kinds;
  return JSON_TYPES.has(only!) ? { type: only as JsonType, nullable } : { nullable };
}

function isNull(schema: Record<string, unknown>): boolean {
  return schema['type'] === 'null';
}

function jsonTypeOfValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}
