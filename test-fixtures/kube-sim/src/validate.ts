import type { Schema } from './schema.js';

export interface ShapeProblems {
  /** `spec.template.spec.containers[0].imagee` */
  unknown: string[];
  /** wrong JSON types: path, expected schema type, got JSON type */
  types: { path: string; expected: string; got: string; value: unknown }[];
}

export function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function join(path: string, field: string): string {
  return path ? `${path}.${field}` : field;
}

function typeOk(sc: Schema, v: unknown): boolean {
  if (v === null) return true;
  switch (sc.type) {
    case 'any':
      return true;
    case 'object':
      return typeof v === 'object' && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    case 'int-or-string':
    case 'quantity':
      return typeof v === 'string' || typeof v === 'number';
  }
}

/** Walks a value against a schema; with `prune`, unknown fields are deleted in place. */
export function checkShape(value: unknown, sc: Schema, prune: boolean, path = ''): ShapeProblems {
  const out: ShapeProblems = { unknown: [], types: [] };
  walk(value, sc, path, prune, out);
  return out;
}

function walk(v: unknown, sc: Schema, path: string, prune: boolean, out: ShapeProblems): void {
  if (v === null || v === undefined) return;
  if (!typeOk(sc, v)) {
    out.types.push({ path, expected: sc.type, got: jsonType(v), value: v });
    return;
  }
  if (sc.type === 'array') {
    const items = sc.items;
    if (!items) return;
    (v as unknown[]).forEach((item, i) => {
      walk(item, items, `${path}[${i}]`, prune, out);
    });
    return;
  }
  if (sc.type !== 'object') return;
  const o = v as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    const p = sc.props?.[key] ?? sc.additional;
    if (p) {
      walk(o[key], p, join(path, key), prune, out);
    } else if (!sc.open) {
      out.unknown.push(join(path, key));
      if (prune) delete o[key];
    }
  }
}

/** Required fields missing, as `spec.selector` paths (only where the schema says so). */
export function missingRequired(v: unknown, sc: Schema, path = ''): string[] {
  const out: string[] = [];
  const rec = (val: unknown, s: Schema, p: string) => {
    if (val === null || val === undefined) return;
    if (s.type === 'array' && Array.isArray(val) && s.items) {
      val.forEach((item, i) => {
        rec(item, s.items!, `${p}[${i}]`);
      });
      return;
    }
    if (s.type !== 'object' || typeof val !== 'object' || Array.isArray(val)) return;
    const o = val as Record<string, unknown>;
    for (const r of s.required ?? []) {
      if (o[r] === undefined || o[r] === null) out.push(join(p, r));
    }
    for (const [k, child] of Object.entries(o)) {
      const cs = s.props?.[k] ?? s.additional;
      if (cs) rec(child, cs, join(p, k));
    }
  };
  rec(v, sc, path);
  return out;
}

const GO_TYPES: Record<string, string> = {
  string: 'string',
  integer: 'int32',
  number: 'float64',
  boolean: 'bool',
  object: 'map[string]interface {}',
  array: '[]interface {}',
  'int-or-string': 'intstr.IntOrString',
  quantity: 'resource.Quantity',
};

/** The decoding error text of a built-in kind, as the apiserver's JSON serializer reports it. */
export function decodeErrorMessage(kind: string, version: string, t: ShapeProblems['types'][number]): string {
  const goType = GO_TYPES[t.expected] ?? t.expected;
  const got = t.got === 'object' ? 'object' : t.got;
  return `${kind} in version "${version}" cannot be handled as a ${kind}: json: cannot unmarshal ${got} into Go struct field .${t.path} of type ${goType}`;
}

/** Fills `default` values from a structural schema (CRD defaulting), in place. */
export function applySchemaDefaults(v: unknown, sc: Schema): void {
  if (sc.type === 'array' && Array.isArray(v) && sc.items) {
    for (const item of v) applySchemaDefaults(item, sc.items);
    return;
  }
  if (sc.type !== 'object' || typeof v !== 'object' || v === null || Array.isArray(v)) return;
  const o = v as Record<string, unknown>;
  for (const [k, child] of Object.entries(sc.props ?? {})) {
    if (o[k] === undefined && child.default !== undefined) o[k] = structuredClone(child.default);
    if (o[k] !== undefined && o[k] !== null) applySchemaDefaults(o[k], child);
  }
  if (sc.additional)
    for (const [k, val] of Object.entries(o)) if (!sc.props?.[k]) applySchemaDefaults(val, sc.additional);
}
