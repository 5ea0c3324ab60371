import * as z from 'zod';
import type { ZodShapeObject } from './tool.js';

// zod objects strip keys they do not know, so a misspelt argument (`namepsace`) used to vanish and the call
// ran with the default instead. Tool inputs are made strict here, at every depth, once per tool selection:
// one schema then both rejects unknown keys (zod's `unrecognized_keys`) and tells clients
// `additionalProperties: false` in tools/list. An object the tool author made loose on purpose (a catchall,
// `z.looseObject`) stays as written; records are maps, not argument lists, and keep any key. Intersections
// are left alone: each side of a strict intersection would reject the other side's keys.

type Def = { type: string } & Record<string, unknown>;

/** Definition keys that hold one child schema, and those that hold a list of them (zod 4 `_zod.def`). */
const CHILD = ['innerType', 'element', 'valueType', 'in'] as const;
const CHILDREN = ['options', 'items'] as const;

const isSchema = (value: unknown): value is z.ZodType => value instanceof z.ZodType;

function strict(node: z.ZodType): z.ZodType {
  const def = node._zod.def as unknown as Def;
  if (def.type === 'intersection' || def.type === 'lazy') return node;
  const changes: Record<string, unknown> = {};
  if (def.type === 'object') {
    const shape = def['shape'] as Record<string, z.ZodType>;
    const rebuilt = Object.fromEntries(Object.entries(shape).map(([key, child]) => [key, strict(child)]));
    if (Object.keys(shape).some((key) => rebuilt[key] !== shape[key])) changes['shape'] = rebuilt;
    if (def['catchall'] === undefined) changes['catchall'] = z.never();
  }
  for (const key of CHILD) {
    const child = def[key];
    const rebuilt = isSchema(child) ? strict(child) : child;
    if (rebuilt !== child) changes[key] = rebuilt;
  }
  for (const key of CHILDREN) {
    const list = def[key];
    if (!Array.isArray(list)) continue;
    const rebuilt = list.map((child) => (isSchema(child) ? strict(child) : child));
    if (rebuilt.some((child, i) => child !== list[i])) changes[key] = rebuilt;
  }
  if (Object.keys(changes).length === 0) return node;
  // Copy the definition with its getters (a default's value is one) and replace only what changed.
  const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(def));
  for (const [key, value] of Object.entries(changes)) {
    Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
  }
  const rebuilt = (node as z.ZodType & { clone(def: object): z.ZodType }).clone(copy);
  // Descriptions live in zod's registry under the original; a clone given a new definition has no parent.
  const { id: _, ...meta } = z.globalRegistry.get(node) ?? {};
  if (Object.keys(meta).length) z.globalRegistry.add(rebuilt, meta);
  return rebuilt;
}

/** A tool's input with every object strict (unknown keys rejected), descriptions and defaults kept. */
export function strictInput(schema: ZodShapeObject): ZodShapeObject {
  return strict(schema) as ZodShapeObject;
}
