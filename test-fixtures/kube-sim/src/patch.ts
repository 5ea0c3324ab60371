import { ApiError } from './errors.js';
import { child, type Schema } from './schema.js';

// biome-ignore lint/suspicious/noExplicitAny: JSON values
export type Json = any;
export type JsonObject = Record<string, Json>;

export const clone = <T>(v: T): T => (v === undefined ? v : structuredClone(v));

export function isObj(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ak = Object.keys(a as object);
  const bo = b as JsonObject;
  if (ak.length !== Object.keys(bo).length) return false;
  return ak.every((k) => Object.hasOwn(bo, k) && deepEqual((a as JsonObject)[k], bo[k]));
}

const invalidPatch = (msg: string) => new ApiError(422, 'Invalid', msg, { causes: [{ message: msg }] });

// ---- RFC 7386 JSON merge patch -----------------------------------------------------------------------------

export function mergePatch(target: Json, patch: Json): Json {
  if (!isObj(patch)) return clone(patch);
  const out: JsonObject = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

// ---- RFC 6902 JSON patch -------------------------------------------------------------------------------------

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw invalidPatch(`json patch: invalid path ${JSON.stringify(path)}`);
  return path
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function resolveParent(doc: Json, parts: string[], op: string, path: string): { parent: Json; key: string } {
  let cur = doc;
  for (const p of parts.slice(0, -1)) {
    const next = Array.isArray(cur) ? cur[Number(p)] : isObj(cur) ? cur[p] : undefined;
    if (next === undefined || next === null) {
      throw invalidPatch(`doc is missing path: "${path}": missing value`);
    }
    cur = next;
  }
  if (!Array.isArray(cur) && !isObj(cur))
    throw invalidPatch(`${op} operation does not apply: doc is missing path: "${path}"`);
  return { parent: cur, key: parts[parts.length - 1] ?? '' };
}

function getAt(doc: Json, path: string): Json {
  let cur = doc;
  for (const p of pointer(path)) {
    cur = Array.isArray(cur) ? cur[Number(p)] : isObj(cur) ? cur[p] : undefined;
    if (cur === undefined) throw invalidPatch(`doc is missing path: "${path}": missing value`);
  }
  return cur;
}

function addAt(doc: Json, path: string, value: Json, op: string): Json {
  const parts = pointer(path);
  if (parts.length === 0) return clone(value);
  const { parent, key } = resolveParent(doc, parts, op, path);
  if (Array.isArray(parent)) {
    const i = key === '-' ? parent.length : Number(key);
    if (!Number.isInteger(i) || i < 0 || i > parent.length) {
      throw invalidPatch(`${op} operation does not apply: doc is missing path: "${path}"`);
    }
    parent.splice(i, 0, clone(value));
  } else parent[key] = clone(value);
  return doc;
}

function removeAt(doc: Json, path: string, op: string): Json {
  const parts = pointer(path);
  const { parent, key } = resolveParent(doc, parts, op, path);
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (!Number.isInteger(i) || i < 0 || i >= parent.length) {
      throw invalidPatch(`${op} operation does not apply: doc is missing path: "${path}"`);
    }
    parent.splice(i, 1);
  } else {
    if (!Object.hasOwn(parent, key)) {
      throw invalidPatch(`${op} operation does not apply: doc is missing path: "${path}"`);
    }
    delete parent[key];
  }
  return doc;
}

export function jsonPatch(target: Json, ops: Json): Json {
  if (!Array.isArray(ops))
    throw new ApiError(
      400,
      'BadRequest',
      'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
    );
  let doc = clone(target);
  for (const op of ops) {
    if (!isObj(op)) throw invalidPatch('json patch: operation must be an object');
    const path = String(op.path ?? '');
    switch (op.op) {
      case 'add':
        doc = addAt(doc, path, op.value, 'add');
        break;
      case 'remove':
        doc = removeAt(doc, path, 'remove');
        break;
      case 'replace': {
        getAt(doc, path);
        const parts = pointer(path);
        if (parts.length === 0) doc = clone(op.value);
        else {
          const { parent, key } = resolveParent(doc, parts, 'replace', path);
          if (Array.isArray(parent)) parent[Number(key)] = clone(op.value);
          else parent[key] = clone(op.value);
        }
        break;
      }
      case 'move': {
        const v = getAt(doc, String(op.from));
        doc = removeAt(doc, String(op.from), 'move');
        doc = addAt(doc, path, v, 'move');
        break;
      }
      case 'copy':
        doc = addAt(doc, path, getAt(doc, String(op.from)), 'copy');
        break;
      case 'test':
        if (!deepEqual(getAt(doc, path), op.value))
          throw invalidPatch(`testing value ${path} failed: test failed`);
        break;
      default:
        throw invalidPatch(`Unexpected kind: ${String(op.op)}`);
    }
  }
  return doc;
}

// ---- strategic merge patch -------------------------------------------------------------------------------------

const DIRECTIVE = '$patch';
const RETAIN = '$retainKeys';
const ORDER = '$setElementOrder/';
const DEL_PRIM = '$deleteFromPrimitiveList/';

/** Applies a strategic merge patch, using the schema's merge keys and strategies (built-in kinds only). */
export function strategicMergePatch(original: Json, patch: Json, sc: Schema | undefined): Json {
  if (!isObj(patch)) return clone(patch);
  return mergeMap(isObj(original) ? original : {}, patch, sc);
}

function mergeMap(orig: JsonObject, patch: JsonObject, sc: Schema | undefined): JsonObject | undefined {
  const directive = patch[DIRECTIVE];
  if (directive === 'delete') return undefined;
  if (directive === 'replace') {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(patch)) if (k !== DIRECTIVE) out[k] = clone(v);
    return out;
  }
  let out: JsonObject = { ...orig };
  if (Array.isArray(patch[RETAIN])) {
    const keep = new Set(patch[RETAIN] as string[]);
    out = Object.fromEntries(Object.entries(out).filter(([k]) => keep.has(k)));
  }
  const orders: [string, Json[]][] = [];
  for (const [k, v] of Object.entries(patch)) {
    if (k === DIRECTIVE || k === RETAIN) continue;
    if (k.startsWith(ORDER)) {
      orders.push([k.slice(ORDER.length), v as Json[]]);
      continue;
    }
    if (k.startsWith(DEL_PRIM)) {
      const field = k.slice(DEL_PRIM.length);
      const drop = new Set((v as Json[]).map((x) => JSON.stringify(x)));
      if (Array.isArray(out[field]))
        out[field] = out[field].filter((x: Json) => !drop.has(JSON.stringify(x)));
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    const cs = child(sc, k);
    if (isObj(v)) {
      const merged = isObj(out[k]) && !cs?.atomic ? mergeMap(out[k], v, cs) : mergeMap({}, v, cs);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
      continue;
    }
    if (Array.isArray(v)) {
      out[k] = mergeList(Array.isArray(out[k]) ? out[k] : [], v, cs);
      continue;
    }
    out[k] = v;
  }
  for (const [field, order] of orders) {
    if (Array.isArray(out[field])) out[field] = applyOrder(out[field], order, child(sc, field));
  }
  return out;
}

function mergeList(orig: Json[], patch: Json[], sc: Schema | undefined): Json[] {
  const strategy = sc?.patchStrategy ?? '';
  if (!strategy.includes('merge')) {
    return patch.filter((p) => !(isObj(p) && p[DIRECTIVE] !== undefined)).map(clone);
  }
  if (patch.some((p) => isObj(p) && p[DIRECTIVE] === 'replace')) {
    return patch.filter((p) => !(isObj(p) && p[DIRECTIVE] === 'replace')).map(clone);
  }
  const key = sc?.mergeKey;
  if (!key || !patch.every(isObj)) {
    // Primitive list with merge strategy: union, keeping order.
    const out = [...orig];
    for (const p of patch) if (!out.some((o) => deepEqual(o, p))) out.push(clone(p));
    return out;
  }
  const out = orig.map(clone);
  for (const p of patch as JsonObject[]) {
    const i = out.findIndex((o) => isObj(o) && deepEqual(o[key], p[key]));
    if (p[DIRECTIVE] === 'delete') {
      if (i >= 0) out.splice(i, 1);
      continue;
    }
    if (i >= 0) {
      const merged = mergeMap(out[i], p, sc?.items);
      if (merged === undefined) out.splice(i, 1);
      else out[i] = merged;
    } else {
      const fresh = mergeMap({}, p, sc?.items);
      if (fresh !== undefined) out.push(fresh);
    }
  }
  return out;
}

function applyOrder(list: Json[], order: Json[], sc: Schema | undefined): Json[] {
  const key = sc?.mergeKey;
  const id = (x: Json) => (key && isObj(x) ? JSON.stringify(x[key]) : JSON.stringify(x));
  const pos = new Map(order.map((o, i) => [id(o), i]));
  const ordered = list.filter((x) => pos.has(id(x))).sort((a, b) => pos.get(id(a))! - pos.get(id(b))!);
  const rest = list.filter((x) => !pos.has(id(x)));
  return [...ordered, ...rest];
}
