/**
 * Field management for server-side apply: FieldsV1 sets, managedFields bookkeeping for Update operations,
 * the Apply merge, ownership-based field removal and conflict detection — a compact rendition of
 * sigs.k8s.io/structured-merge-diff as the apiserver's fieldmanager uses it.
 */
import { ApiError } from './errors.js';
import { clone, deepEqual, isObj, type Json, type JsonObject } from './patch.js';
import { child, type Schema } from './schema.js';

export class FNode {
  member = false;
  children = new Map<string, FNode>();

  get(key: string): FNode {
    let c = this.children.get(key);
    if (!c) {
      c = new FNode();
      this.children.set(key, c);
    }
    return c;
  }

  empty(): boolean {
    return !this.member && this.children.size === 0;
  }
}

export function toFieldsV1(n: FNode): JsonObject {
  const out: JsonObject = {};
  if (n.member && n.children.size > 0) out['.'] = {};
  for (const [k, c] of [...n.children].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (c.empty()) continue;
    out[k] = toFieldsV1(c);
  }
  return out;
}

export function fromFieldsV1(js: Json): FNode {
  const n = new FNode();
  if (!isObj(js)) return n;
  const keys = Object.keys(js);
  if (keys.length === 0) n.member = true;
  for (const k of keys) {
    if (k === '.') n.member = true;
    else n.children.set(k, fromFieldsV1(js[k]));
  }
  return n;
}

/** Every member path, as lists of element keys. */
export function members(n: FNode, prefix: string[] = [], out: string[][] = []): string[][] {
  if (n.member && prefix.length > 0) out.push(prefix);
  for (const [k, c] of n.children) members(c, [...prefix, k], out);
  return out;
}

export function hasPath(n: FNode, path: string[]): boolean {
  let cur: FNode | undefined = n;
  for (const p of path) {
    cur = cur.children.get(p);
    if (!cur) return false;
  }
  return cur.member;
}

export function insert(n: FNode, path: string[]): void {
  let cur = n;
  for (const p of path) cur = cur.get(p);
  cur.member = true;
}

export function removePath(n: FNode, path: string[]): void {
  const rec = (node: FNode, i: number): void => {
    if (i === path.length) {
      node.member = false;
      return;
    }
    const c = node.children.get(path[i]!);
    if (!c) return;
    rec(c, i + 1);
    if (c.empty()) node.children.delete(path[i]!);
  };
  rec(n, 0);
}

export function union(a: FNode, b: FNode): FNode {
  const out = new FNode();
  out.member = a.member || b.member;
  for (const src of [a, b]) {
    for (const [k, c] of src.children) {
      const existing = out.children.get(k);
      out.children.set(k, existing ? union(existing, c) : union(new FNode(), c));
    }
  }
  return out;
}

// ---- path elements ------------------------------------------------------------------------------------------

function itemKey(item: Json, sc: Schema): string {
  if (sc.listType === 'map' && isObj(item)) {
    const keyObj: JsonObject = {};
    for (const k of [...(sc.keys ?? [])].sort()) {
      const v = item[k] ?? sc.items?.props?.[k]?.default;
      if (v !== undefined) keyObj[k] = v;
    }
    return `k:${JSON.stringify(keyObj)}`;
  }
  return `v:${JSON.stringify(item)}`;
}

/** `.spec.template.spec.containers[name="nginx"].image` */
export function pathString(path: string[]): string {
  return path
    .map((p) => {
      if (p.startsWith('f:')) return `.${p.slice(2)}`;
      if (p.startsWith('k:')) {
        const o = JSON.parse(p.slice(2)) as JsonObject;
        return `[${Object.entries(o)
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(',')}]`;
      }
      if (p.startsWith('v:')) return `[=${p.slice(2)}]`;
      if (p.startsWith('i:')) return `[${p.slice(2)}]`;
      return p;
    })
    .join('');
}

interface Located {
  found: boolean;
  value?: Json;
  parent?: Json;
  index?: number | string;
}

function locate(root: Json, path: string[], sc: Schema | undefined): Located {
  let cur: Json = root;
  let s = sc;
  let parent: Json;
  let index: number | string | undefined;
  for (const p of path) {
    if (p.startsWith('f:')) {
      const f = p.slice(2);
      if (!isObj(cur) || !Object.hasOwn(cur, f)) return { found: false };
      parent = cur;
      index = f;
      cur = cur[f];
      s = child(s, f);
    } else {
      if (!Array.isArray(cur) || !s) return { found: false };
      const listSchema = s;
      const i = cur.findIndex((item) => itemKey(item, listSchema) === p);
      if (i < 0) return { found: false };
      parent = cur;
      index = i;
      cur = cur[i];
      s = listSchema.items;
    }
  }
  return { found: true, value: cur, parent, index };
}

function deleteAt(root: Json, path: string[], sc: Schema | undefined): void {
  const loc = locate(root, path, sc);
  if (!loc.found || loc.parent === undefined) return;
  if (Array.isArray(loc.parent)) loc.parent.splice(loc.index as number, 1);
  else delete loc.parent[loc.index as string];
}

// ---- sets from values -------------------------------------------------------------------------------------------

/** Fields the apiserver never tracks in managedFields. */
const STRIPPED_META = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
]);

function stripTop(n: FNode, subresource: string, hasStatus: boolean): FNode {
  n.children.delete('f:apiVersion');
  n.children.delete('f:kind');
  const meta = n.children.get('f:metadata');
  if (meta) {
    for (const f of STRIPPED_META) meta.children.delete(`f:${f}`);
    if (meta.empty() || (meta.children.size === 0 && !meta.member)) n.children.delete('f:metadata');
    meta.member = false;
    if (meta.children.size === 0) n.children.delete('f:metadata');
  }
  if (hasStatus) {
    if (subresource === 'status') {
      for (const k of [...n.children.keys()])
        if (k !== 'f:status' && k !== 'f:metadata') n.children.delete(k);
    } else n.children.delete('f:status');
  }
  return n;
}

/** The set of fields an applied configuration specifies (leaves, list items, empty maps). */
export function setOf(value: Json, sc: Schema | undefined): FNode {
  const n = new FNode();
  fill(n, value, sc);
  return n;
}

function fill(n: FNode, value: Json, sc: Schema | undefined): void {
  if (isObj(value) && !sc?.atomic && (sc === undefined || sc.type === 'object' || sc.type === 'any')) {
    const keys = Object.keys(value).filter((k) => value[k] !== null);
    if (keys.length === 0) {
      n.member = true;
      return;
    }
    for (const k of keys) fill(n.get(`f:${k}`), value[k], child(sc, k));
    return;
  }
  if (Array.isArray(value) && sc?.type === 'array' && (sc.listType === 'map' || sc.listType === 'set')) {
    if (value.length === 0) {
      n.member = true;
      return;
    }
    for (const item of value) {
      const c = n.get(itemKey(item, sc));
      c.member = true;
      if (sc.listType === 'map') {
        for (const [k, v] of Object.entries(isObj(item) ? item : {})) {
          if (v !== null) fill(c.get(`f:${k}`), v, child(sc.items, k));
        }
      }
    }
    return;
  }
  n.member = true;
}

/** Fields added or changed from `before` to `after` (what an Update operation takes ownership of). */
function changed(before: Json, after: Json, sc: Schema | undefined, n: FNode): void {
  if (deepEqual(before, after)) return;
  if (
    isObj(after) &&
    isObj(before) &&
    !sc?.atomic &&
    (sc === undefined || sc.type === 'object' || sc.type === 'any')
  ) {
    for (const [k, v] of Object.entries(after)) {
      if (v === null) continue;
      const cs = child(sc, k);
      if (!Object.hasOwn(before, k) || before[k] === null) added(n.get(`f:${k}`), v, cs);
      else changed(before[k], v, cs, n.get(`f:${k}`));
    }
    return;
  }
  if (
    Array.isArray(after) &&
    Array.isArray(before) &&
    sc?.type === 'array' &&
    sc.listType !== 'atomic' &&
    sc.listType
  ) {
    for (const item of after) {
      const key = itemKey(item, sc);
      const old = before.find((b) => itemKey(b, sc) === key);
      if (old === undefined) added(n.get(key), item, sc, true);
      else if (sc.listType === 'map') changed(old, item, sc.items, n.get(key));
    }
    return;
  }
  n.member = true;
}

function added(n: FNode, value: Json, sc: Schema | undefined, listItem = false): void {
  if (listItem) {
    n.member = true;
    if (sc?.listType === 'map' && isObj(value)) {
      for (const [k, v] of Object.entries(value))
        if (v !== null) added(n.get(`f:${k}`), v, child(sc.items, k));
    }
    return;
  }
  if (isObj(value) && !sc?.atomic && (sc === undefined || sc.type === 'object' || sc.type === 'any')) {
    // A map (or untyped object) that did not exist is itself owned ("."); typed structs are not.
    if (
      sc === undefined ||
      sc.additional !== undefined ||
      sc.type === 'any' ||
      Object.keys(value).length === 0
    ) {
      n.member = true;
    }
    for (const [k, v] of Object.entries(value)) if (v !== null) added(n.get(`f:${k}`), v, child(sc, k));
    return;
  }
  if (Array.isArray(value) && sc?.type === 'array' && (sc.listType === 'map' || sc.listType === 'set')) {
    n.member = true;
    for (const item of value) added(n.get(itemKey(item, sc)), item, sc, true);
    return;
  }
  n.member = true;
}

/** Member paths of `before` that no longer exist in `after`. */
function removedPaths(
  before: Json,
  after: Json,
  sc: Schema | undefined,
  prefix: string[],
  out: string[][],
): void {
  if (isObj(before) && !sc?.atomic && (sc === undefined || sc.type === 'object' || sc.type === 'any')) {
    for (const k of Object.keys(before)) {
      const p = [...prefix, `f:${k}`];
      if (!isObj(after) || !Object.hasOwn(after, k)) out.push(p);
      else removedPaths(before[k], after[k], child(sc, k), p, out);
    }
    return;
  }
  if (Array.isArray(before) && sc?.type === 'array' && (sc.listType === 'map' || sc.listType === 'set')) {
    for (const item of before) {
      const key = itemKey(item, sc);
      const p = [...prefix, key];
      const now = Array.isArray(after) ? after.find((a) => itemKey(a, sc) === key) : undefined;
      if (now === undefined) out.push(p);
      else if (sc.listType === 'map') removedPaths(item, now, sc.items, p, out);
    }
  }
}

// ---- managedFields entries -----------------------------------------------------------------------------------------

export interface ManagedEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: JsonObject;
  subresource?: string;
}

interface Managers {
  entries: { entry: ManagedEntry; set: FNode }[];
}

function readManagers(obj: JsonObject): Managers {
  const list = (obj.metadata?.managedFields ?? []) as ManagedEntry[];
  return { entries: list.filter(isObj).map((e) => ({ entry: { ...e }, set: fromFieldsV1(e.fieldsV1) })) };
}

function writeManagers(obj: JsonObject, m: Managers): void {
  const out: ManagedEntry[] = [];
  for (const { entry, set } of m.entries) {
    if (set.empty() || set.children.size === 0) continue;
    out.push({ ...entry, fieldsV1: toFieldsV1(set) });
  }
  obj.metadata ??= {};
  if (out.length > 0) obj.metadata.managedFields = out;
  else delete obj.metadata.managedFields;
}

const sameEntry = (e: ManagedEntry, manager: string, op: string, sub: string) =>
  e.manager === manager && e.operation === op && (e.subresource ?? '') === sub;

export interface FieldContext {
  schema: Schema | undefined;
  apiVersion: string;
  subresource: string;
  hasStatus: boolean;
  now: string;
}

/** Records an Update (create/update/patch) by `manager` on `after` (mutated: metadata.managedFields). */
export function recordUpdate(
  before: JsonObject | undefined,
  after: JsonObject,
  manager: string,
  ctx: FieldContext,
): void {
  const m = readManagers(before ?? {});
  if (!before) m.entries = [];
  const set = new FNode();
  changed(before ?? {}, after, ctx.schema, set);
  stripTop(set, ctx.subresource, ctx.hasStatus);
  const gone: string[][] = [];
  if (before) removedPaths(before, after, ctx.schema, [], gone);
  const changedPaths = members(set);
  for (const e of m.entries) {
    if (sameEntry(e.entry, manager, 'Update', ctx.subresource)) continue;
    for (const p of [...changedPaths, ...gone]) removePath(e.set, p);
  }
  if (changedPaths.length > 0) {
    const existing = m.entries.find((e) => sameEntry(e.entry, manager, 'Update', ctx.subresource));
    if (existing) {
      existing.set = union(existing.set, set);
      existing.entry.time = ctx.now;
      existing.entry.apiVersion = ctx.apiVersion;
    } else {
      const entry: ManagedEntry = {
        manager,
        operation: 'Update',
        apiVersion: ctx.apiVersion,
        time: ctx.now,
        fieldsType: 'FieldsV1',
        fieldsV1: {},
      };
      if (ctx.subresource) entry.subresource = ctx.subresource;
      m.entries.push({ entry, set });
    }
  }
  for (const e of m.entries) for (const p of gone) removePath(e.set, p);
  writeManagers(after, m);
}

// ---- apply ---------------------------------------------------------------------------------------------------

function applyMerge(live: Json, config: Json, sc: Schema | undefined): Json {
  if (
    isObj(config) &&
    isObj(live) &&
    !sc?.atomic &&
    (sc === undefined || sc.type === 'object' || sc.type === 'any')
  ) {
    const out: JsonObject = { ...live };
    for (const [k, v] of Object.entries(config)) {
      if (v === null) continue;
      out[k] = applyMerge(live[k], v, child(sc, k));
    }
    return out;
  }
  if (Array.isArray(config) && Array.isArray(live) && sc?.type === 'array') {
    if (sc.listType === 'map') {
      const out = live.map(clone);
      for (const item of config) {
        const key = itemKey(item, sc);
        const i = out.findIndex((o) => itemKey(o, sc) === key);
        if (i >= 0) out[i] = applyMerge(out[i], item, sc.items);
        else out.push(clone(item));
      }
      return out;
    }
    if (sc.listType === 'set') {
      const out = live.map(clone);
      for (const item of config) if (!out.some((o) => deepEqual(o, item))) out.push(clone(item));
      return out;
    }
  }
  return clone(config);
}

function conflictMessage(conflicts: { manager: ManagedEntry; path: string[] }[]): string {
  const who = (e: ManagedEntry) => {
    let s = JSON.stringify(e.manager);
    if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
    if (e.operation === 'Update') s += ` using ${e.apiVersion}`;
    return s;
  };
  if (conflicts.length === 1) {
    const c = conflicts[0]!;
    return `Apply failed with 1 conflict: conflict with ${who(c.manager)}: ${pathString(c.path)}`;
  }
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) {
    const k = who(c.manager);
    byManager.set(k, [...(byManager.get(k) ?? []), pathString(c.path)]);
  }
  const lines: string[] = [];
  for (const k of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${k}:`);
    for (const p of byManager.get(k)!) lines.push(`- ${p}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

export interface ApplyResult {
  object: JsonObject;
}

/**
 * Server-side apply of `config` by `manager` onto `live` (undefined when creating). Throws a 409 Conflict
 * Status naming the other managers' fields unless `force`.
 */
export function apply(
  live: JsonObject | undefined,
  config: JsonObject,
  manager: string,
  force: boolean,
  ctx: FieldContext,
  identity: { group: string; resource: string; name: string },
): JsonObject {
  const m = readManagers(live ?? {});
  const applied = stripTop(setOf(config, ctx.schema), ctx.subresource, ctx.hasStatus);
  const base = live ?? {};
  let merged = applyMerge(base, config, ctx.schema) as JsonObject;

  const appliedPaths = members(applied);
  const conflicts: { manager: ManagedEntry; path: string[]; entry: (typeof m.entries)[number] }[] = [];
  for (const e of m.entries) {
    if (sameEntry(e.entry, manager, 'Apply', ctx.subresource)) continue;
    for (const p of appliedPaths) {
      if (!hasPath(e.set, p)) continue;
      const before = locate(base, p, ctx.schema);
      const after = locate(merged, p, ctx.schema);
      if (before.found && after.found && deepEqual(before.value, after.value)) continue;
      if (p[p.length - 1]?.startsWith('k:') || p[p.length - 1]?.startsWith('v:')) {
        if (before.found) continue;
      }
      conflicts.push({ manager: e.entry, path: p, entry: e });
    }
  }
  if (conflicts.length > 0 && !force) {
    throw new ApiError(409, 'Conflict', conflictMessage(conflicts), {
      name: identity.name,
      ...(identity.group ? { group: identity.group } : {}),
      kind: identity.resource,
      causes: conflicts.map((c) => ({
        reason: 'FieldManagerConflict',
        message: `conflict with ${JSON.stringify(c.manager.manager)}${c.manager.operation === 'Update' ? ` using ${c.manager.apiVersion}` : ''}`,
        field: pathString(c.path),
      })),
    });
  }
  for (const c of conflicts) removePath(c.entry.set, c.path);

  // Fields this manager applied before but no longer does, and nobody else owns, are removed.
  const mine = m.entries.find((e) => sameEntry(e.entry, manager, 'Apply', ctx.subresource));
  if (mine) {
    for (const p of members(mine.set)) {
      if (hasPath(applied, p)) continue;
      if (m.entries.some((e) => e !== mine && hasPath(e.set, p))) continue;
      // A parent that is still applied keeps its own value where the schema makes it atomic.
      deleteAt(merged, p, ctx.schema);
    }
  }
  merged = merged as JsonObject;
  if (mine) {
    mine.set = applied;
    mine.entry.time = ctx.now;
    mine.entry.apiVersion = ctx.apiVersion;
  } else {
    const entry: ManagedEntry = {
      manager,
      operation: 'Apply',
      apiVersion: ctx.apiVersion,
      time: ctx.now,
      fieldsType: 'FieldsV1',
      fieldsV1: {},
    };
    if (ctx.subresource) entry.subresource = ctx.subresource;
    m.entries.push({ entry, set: applied });
  }
  writeManagers(merged, m);
  return merged;
}

/** Drops every managedFields entry's ownership of fields that were reset (e.g. status on the main resource). */
export function resetManaged(obj: JsonObject): void {
  if (obj.metadata && Array.isArray(obj.metadata.managedFields) && obj.metadata.managedFields.length === 0) {
    delete obj.metadata.managedFields;
  }
}
