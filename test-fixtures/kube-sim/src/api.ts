/**
 * REST semantics over the store: create/get/list/update/patch/delete with the generic registry's rules
 * (resourceVersion preconditions, generation, status and scale subresources, field validation, defaulting,
 * managedFields, server-side apply, finalizers, graceful pod deletion, garbage collection hooks).
 */
import { randomUUID } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import {
  ApiError,
  alreadyExists,
  badRequest,
  conflict,
  EXPIRED_CONTINUE,
  gone,
  invalid,
  MODIFIED,
  methodNotAllowed,
  notFound,
  required,
  unsupportedMediaType,
} from './errors.js';
import { type FieldContext, recordUpdate, apply as ssaApply } from './managed.js';
import {
  clone,
  deepEqual,
  isObj,
  type Json,
  type JsonObject,
  jsonPatch,
  mergePatch,
  strategicMergePatch,
} from './patch.js';
import type { UserInfo } from './rbac.js';
import type { Registry } from './registry.js';
import { gvString, type ResourceType } from './resources.js';
import {
  checkFieldSelector,
  matchFields,
  matchLabels,
  parseFieldSelector,
  parseLabelSelector,
  selectorString,
} from './selectors.js';
import type { Store } from './store.js';
import {
  applyDefaults,
  generationContent,
  tracksGeneration,
  validateName,
  validateObject,
} from './strategy.js';
import { applySchemaDefaults, checkShape, decodeErrorMessage, missingRequired } from './validate.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface WriteOptions {
  user: UserInfo;
  fieldManager?: string;
  dryRun?: boolean;
  fieldValidation?: FieldValidation;
  subresource?: string;
  force?: boolean;
  /** internal writes (controllers, seed) skip validation and managedFields when false */
  track?: boolean;
  /** managedFields to store on create instead of an Update entry (server-side apply creating an object) */
  managed?: JsonObject[];
}

export interface WriteResult {
  status: number;
  body: JsonObject;
  warnings: string[];
}

export interface ListOptions {
  labelSelector?: string | null;
  fieldSelector?: string | null;
  limit?: number;
  continue?: string | null;
  resourceVersion?: string | null;
  resourceVersionMatch?: string | null;
}

export interface ListResult {
  items: JsonObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface Hooks {
  /** called for every stored write, after it is stored */
  afterCreate?(t: ResourceType, obj: JsonObject): void;
  beforeCreate?(t: ResourceType, obj: JsonObject, opts: WriteOptions): void;
  afterDelete?(t: ResourceType, obj: JsonObject, propagation: string): void;
}

const GEN_CHARS = 'bcdfghjklmnpqrstvwxz2456789';
export function randomSuffix(n = 5): string {
  let s = '';
  for (let i = 0; i < n; i++) s += GEN_CHARS[Math.floor(Math.random() * GEN_CHARS.length)];
  return s;
}

export function rfc3339(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

export function managerFromUserAgent(ua: string | undefined): string {
  if (!ua) return 'unknown';
  const prefix = ua.split('/')[0] ?? ua;
  return prefix.slice(0, 128) || 'unknown';
}

/** Converts between the stored representation and a served version (events.k8s.io/v1 Events; CRD versions). */
export function toServedVersion(t: ResourceType, stored: JsonObject): JsonObject {
  const out = clone(stored);
  if (t.group === 'events.k8s.io' && t.kind === 'Event') {
    const e: JsonObject = {
      kind: 'Event',
      apiVersion: 'events.k8s.io/v1',
      metadata: out.metadata,
      eventTime: out.eventTime ?? null,
    };
    if (out.series) e.series = out.series;
    if (out.reportingComponent || out.source?.component)
      e.reportingController = out.reportingComponent || out.source?.component;
    if (out.reportingInstance || out.source?.host)
      e.reportingInstance = out.reportingInstance || out.source?.host;
    if (out.action) e.action = out.action;
    if (out.reason) e.reason = out.reason;
    e.regarding = out.involvedObject ?? {};
    if (out.related) e.related = out.related;
    if (out.message) e.note = out.message;
    if (out.type) e.type = out.type;
    if (out.source) e.deprecatedSource = out.source;
    if (out.firstTimestamp) e.deprecatedFirstTimestamp = out.firstTimestamp;
    if (out.lastTimestamp) e.deprecatedLastTimestamp = out.lastTimestamp;
    if (out.count) e.deprecatedCount = out.count;
    return e;
  }
  out.apiVersion = gvString(t.group, t.version);
  out.kind = t.kind;
  return out;
}

export function fromServedVersion(t: ResourceType, obj: JsonObject): JsonObject {
  if (t.group === 'events.k8s.io' && t.kind === 'Event') {
    const e: JsonObject = { apiVersion: 'v1', kind: 'Event', metadata: obj.metadata ?? {} };
    e.involvedObject = obj.regarding ?? {};
    if (obj.reason) e.reason = obj.reason;
    if (obj.note) e.message = obj.note;
    if (obj.type) e.type = obj.type;
    e.eventTime = obj.eventTime ?? null;
    if (obj.series) e.series = obj.series;
    if (obj.action) e.action = obj.action;
    if (obj.related) e.related = obj.related;
    e.reportingComponent = obj.reportingController ?? '';
    e.reportingInstance = obj.reportingInstance ?? '';
    e.source = obj.deprecatedSource ?? {};
    if (obj.deprecatedFirstTimestamp) e.firstTimestamp = obj.deprecatedFirstTimestamp;
    if (obj.deprecatedLastTimestamp) e.lastTimestamp = obj.deprecatedLastTimestamp;
    if (obj.deprecatedCount) e.count = obj.deprecatedCount;
    return e;
  }
  return obj;
}

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start })).toString('base64url');
}

function decodeContinue(token: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as ContinueToken;
    if (t.v !== 'meta.k8s.io/v1' || typeof t.rv !== 'number' || typeof t.start !== 'string')
      throw new Error('bad');
    return t;
  } catch {
    throw badRequest(
      `continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)`,
    );
  }
}

function dig(o: JsonObject, path: string): Json {
  return path
    .replace(/^\./, '')
    .split('.')
    .reduce<Json>((a, k) => (isObj(a) ? a[k] : undefined), o);
}

function setDeep(o: JsonObject, path: string, value: Json): void {
  const parts = path.replace(/^\./, '').split('.');
  let cur = o;
  for (const p of parts.slice(0, -1)) {
    if (!isObj(cur[p])) cur[p] = {};
    cur = cur[p];
  }
  cur[parts[parts.length - 1]!] = value;
}

export class Api {
  hooks: Hooks = {};
  /** Delay before a gracefully deleted pod disappears (the "kubelet" stopping containers). */
  podTerminationMs = 250;
  private timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly store: Store,
    readonly registry: Registry,
    readonly clock: () => Date = () => new Date(),
  ) {}

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** Called after a deferred action (graceful pod removal) ran; the controllers use it to detect idleness. */
  onTimer?: () => void;

  get pendingTimers(): number {
    return this.timers.size;
  }

  later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
      this.onTimer?.();
    }, ms);
    this.timers.add(t);
  }

  nowString(): string {
    return rfc3339(this.clock());
  }

  namespaceOf(t: ResourceType, ns: string | undefined): string | undefined {
    return t.namespaced ? ns : undefined;
  }

  // ---- reads ------------------------------------------------------------------------------------------------

  getStored(t: ResourceType, ns: string | undefined, name: string): JsonObject {
    const o = this.store.get(t.storage, this.namespaceOf(t, ns), name);
    if (!o) throw notFound(t.group, t.plural, name);
    return o;
  }

  get(t: ResourceType, ns: string | undefined, name: string, subresource = ''): JsonObject {
    const o = this.getStored(t, ns, name);
    if (subresource === 'scale') return this.scaleOf(t, o);
    return toServedVersion(t, o);
  }

  list(t: ResourceType, ns: string | undefined, opts: ListOptions): ListResult {
    const labels = parseLabelSelector(opts.labelSelector);
    const fields = parseFieldSelector(opts.fieldSelector);
    checkFieldSelector(fields, `${t.group}/${t.plural}`, this.selectableFields(t));
    const namespace = this.namespaceOf(t, ns);
    let rv = this.store.rv;
    let start = '';
    let entries: [string, JsonObject][];
    if (opts.continue) {
      const tok = decodeContinue(opts.continue);
      if (tok.rv < this.store.compactedRv) throw gone(EXPIRED_CONTINUE);
      rv = tok.rv;
      start = tok.start;
      entries = this.store.listAt(t.storage, rv, namespace);
    } else if (opts.resourceVersion && opts.resourceVersionMatch === 'Exact') {
      rv = Number(opts.resourceVersion);
      if (rv < this.store.compactedRv) {
        throw gone(`too old resource version: ${opts.resourceVersion} (${this.store.compactedRv})`);
      }
      entries = this.store.listAt(t.storage, rv, namespace);
    } else {
      entries = this.store
        .peekAll(t.storage, namespace)
        .map((o) => [this.relKey(o, namespace), o] as [string, JsonObject]);
    }
    const prefixLen = namespace ? namespace.length + 1 : 0;
    const keyed = entries.map(
      ([k, o]) => [namespace && k.startsWith(`${namespace}/`) ? k.slice(prefixLen) : k, o] as const,
    );
    const matching = keyed.filter(
      ([k, o]) => k >= start && matchLabels(labels, o.metadata?.labels) && matchFields(fields, o),
    );
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
    const page = limit ? matching.slice(0, limit) : matching;
    const result: ListResult = {
      items: page.map(([, o]) => toServedVersion(t, o)),
      resourceVersion: String(rv),
    };
    if (limit && matching.length > limit) {
      const last = page[page.length - 1]![0];
      result.continue = encodeContinue(rv, `${last}\u0000`);
      if (labels.length === 0 && fields.length === 0) result.remainingItemCount = matching.length - limit;
    }
    return result;
  }

  private relKey(o: JsonObject, namespace: string | undefined): string {
    const ns = o.metadata?.namespace;
    return ns && !namespace ? `${ns}/${o.metadata.name}` : (o.metadata?.name as string);
  }

  selectableFields(t: ResourceType): string[] {
    if (t.builtin) return [];
    const crd = this.store.get(
      'apiextensions.k8s.io/customresourcedefinitions',
      undefined,
      `${t.plural}.${t.group}`,
    );
    const v = ((crd?.spec?.versions ?? []) as JsonObject[]).find((x) => x.name === t.version);
    return ((v?.selectableFields ?? []) as JsonObject[]).map((f) => String(f.jsonPath).replace(/^\./, ''));
  }

  scaleOf(t: ResourceType, o: JsonObject): JsonObject {
    if (!t.scale) throw notFound(t.group, `${t.plural}/scale`, o.metadata.name);
    const status: JsonObject = { replicas: dig(o, t.scale.statusReplicasPath) ?? 0 };
    if (t.builtin && o.spec?.selector) status.selector = selectorString(o.spec.selector);
    else if (t.scale.labelSelectorPath) {
      const sel = dig(o, t.scale.labelSelectorPath);
      if (sel !== undefined) status.selector = sel;
    }
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: {
        name: o.metadata.name,
        namespace: o.metadata.namespace,
        uid: o.metadata.uid,
        resourceVersion: o.metadata.resourceVersion,
        creationTimestamp: o.metadata.creationTimestamp,
      },
      spec: { replicas: dig(o, t.scale.specReplicasPath) ?? 0 },
      status,
    };
  }

  // ---- write pipeline --------------------------------------------------------------------------------------

  private checkKind(t: ResourceType, body: JsonObject, subresource: string): void {
    if (subresource === 'scale') return;
    const want = gvString(t.group, t.version);
    if (body.apiVersion !== undefined && body.apiVersion !== want) {
      throw badRequest(
        `the API version in the data (${body.apiVersion}) does not match the expected API version (${want})`,
      );
    }
    if (body.kind !== undefined && body.kind !== t.kind) {
      throw badRequest(`the kind in the data (${body.kind}) does not match the expected kind (${t.kind})`);
    }
  }

  /** Field validation, type checks, defaulting and kind validation. Returns warnings. */
  private admit(
    t: ResourceType,
    obj: JsonObject,
    old: JsonObject | undefined,
    opts: WriteOptions,
    applyPatch = false,
  ): string[] {
    const warnings: string[] = [];
    if (opts.track === false) {
      applyDefaults(t, obj);
      return warnings;
    }
    const schema = this.registry.schema(t);
    const mode = opts.fieldValidation ?? 'Warn';
    const shape = checkShape(obj, schema, mode !== 'Strict');
    if (shape.types.length > 0) {
      const first = shape.types[0]!;
      if (t.builtin) throw badRequest(decodeErrorMessage(t.kind, t.version, first));
      throw invalid(
        t.group,
        t.kind,
        obj.metadata?.name ?? '',
        shape.types.map((x) => ({
          reason: 'FieldValueTypeInvalid',
          message: `Invalid value: "${x.got}": ${x.path} in body must be of type ${x.expected}: "${x.got}"`,
          field: x.path,
        })),
      );
    }
    if (shape.unknown.length > 0) {
      if (mode === 'Strict') {
        if (applyPatch) {
          throw badRequest(
            `failed to create typed patch object (${t.group}/${t.version}, Kind=${t.kind}): ${shape.unknown.map((u) => `.${u}: field not declared in schema`).join(', ')}`,
          );
        }
        throw badRequest(
          `strict decoding error: ${shape.unknown.map((u) => `unknown field "${u}"`).join(', ')}`,
        );
      }
      if (mode === 'Warn') for (const u of shape.unknown) warnings.push(`unknown field "${u}"`);
    }
    applyDefaults(t, obj);
    if (!t.builtin) {
      applySchemaDefaults(obj, schema);
      const missing = missingRequired(obj, schema).filter((p) => !p.startsWith('status'));
      if (missing.length > 0) throw invalid(t.group, t.kind, obj.metadata?.name ?? '', missing.map(required));
    }
    const causes = validateObject(t, obj, old);
    if (causes.length > 0) throw invalid(t.group, t.kind, obj.metadata?.name ?? '', causes);
    return warnings;
  }

  private fieldCtx(t: ResourceType, subresource: string): FieldContext {
    return {
      schema: this.registry.schema(t),
      apiVersion: gvString(t.group, t.version),
      subresource,
      hasStatus: t.hasStatus,
      now: this.nowString(),
    };
  }

  private ensureNamespace(t: ResourceType, ns: string | undefined, opts: WriteOptions): void {
    if (!t.namespaced || !ns || opts.track === false) return;
    const n = this.store.get('namespaces', undefined, ns);
    if (!n) throw notFound('', 'namespaces', ns);
    if (n.metadata?.deletionTimestamp || n.status?.phase === 'Terminating') {
      throw new ApiError(
        403,
        'Forbidden',
        `${t.plural} "${''}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
        { kind: t.plural },
      );
    }
  }

  create(t: ResourceType, ns: string | undefined, input: JsonObject, opts: WriteOptions): WriteResult {
    if (!isObj(input)) throw badRequest("Object 'Kind' is missing in 'null'");
    this.checkKind(t, input, '');
    const obj = fromServedVersion(t, clone(input));
    obj.metadata ??= {};
    if (!(t.group === 'events.k8s.io' && t.kind === 'Event')) {
      obj.apiVersion = gvString(t.group, t.version);
      obj.kind = t.kind;
    }
    const meta = obj.metadata;
    if (t.namespaced) {
      if (meta.namespace && ns && meta.namespace !== ns) {
        throw badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      meta.namespace = ns ?? meta.namespace;
      if (!meta.namespace) throw badRequest('an empty namespace may not be set during creation');
    } else delete meta.namespace;
    if (!meta.name) {
      if (meta.generateName) meta.name = `${meta.generateName}${randomSuffix()}`;
      else if (opts.track !== false) {
        throw invalid(t.group, t.kind, '', [
          {
            reason: 'FieldValueRequired',
            message: 'Required value: name or generateName is required',
            field: 'metadata.name',
          },
        ]);
      }
    }
    if (opts.track !== false) {
      const causes = validateName(t, meta.name);
      if (causes.length > 0) throw invalid(t.group, t.kind, meta.name, causes);
      if (
        Array.isArray(meta.managedFields) &&
        meta.managedFields.length > 0 &&
        opts.fieldManager === undefined
      ) {
        delete meta.managedFields;
      }
    }
    this.ensureNamespace(t, meta.namespace, opts);
    const warnings = this.admit(t, obj, undefined, opts);
    if (this.store.get(t.storage, this.namespaceOf(t, meta.namespace), meta.name)) {
      throw alreadyExists(t.group, t.plural, meta.name);
    }
    this.prepareCreate(t, obj, opts);
    if (opts.track !== false) {
      delete obj.metadata.managedFields;
      if (opts.managed) obj.metadata.managedFields = opts.managed;
      else recordUpdate(undefined, obj, opts.fieldManager ?? 'unknown', this.fieldCtx(t, ''));
    }
    this.hooks.beforeCreate?.(t, obj, opts);
    if (opts.dryRun) return { status: 201, body: toServedVersion(t, obj), warnings };
    const stored = this.store.create(t.storage, obj);
    this.hooks.afterCreate?.(t, stored);
    return { status: 201, body: toServedVersion(t, stored), warnings };
  }

  private prepareCreate(t: ResourceType, obj: JsonObject, opts: WriteOptions): void {
    const meta = obj.metadata;
    if (opts.track !== false || !meta.uid) meta.uid = randomUUID();
    if (opts.track !== false || !meta.creationTimestamp) meta.creationTimestamp = this.nowString();
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.selfLink;
    if (tracksGeneration(t)) meta.generation = 1;
    else delete meta.generation;
    if (t.hasStatus && opts.track !== false) {
      delete obj.status;
    }
  }

  private prepareUpdate(t: ResourceType, obj: JsonObject, old: JsonObject, subresource: string): JsonObject {
    let next = obj;
    if (subresource === 'status') {
      next = { ...clone(old), status: obj.status };
      if (isObj(obj.metadata)) {
        // Status writers may still touch metadata.managedFields bookkeeping only.
        next.metadata = clone(old.metadata);
      }
    } else if (t.hasStatus) {
      if (old.status !== undefined) next.status = clone(old.status);
      else delete next.status;
    }
    const meta = next.metadata;
    meta.uid = old.metadata.uid;
    meta.creationTimestamp = old.metadata.creationTimestamp;
    meta.name = old.metadata.name;
    if (old.metadata.namespace) meta.namespace = old.metadata.namespace;
    if (old.metadata.deletionTimestamp) meta.deletionTimestamp = old.metadata.deletionTimestamp;
    else delete meta.deletionTimestamp;
    if (old.metadata.deletionGracePeriodSeconds !== undefined) {
      meta.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
    }
    delete meta.selfLink;
    if (tracksGeneration(t)) {
      const gen = Number(old.metadata.generation ?? 1);
      meta.generation = deepEqual(generationContent(next), generationContent(old)) ? gen : gen + 1;
    }
    return next;
  }

  private checkIdentity(t: ResourceType, ns: string | undefined, name: string, obj: JsonObject): void {
    const meta = obj.metadata ?? {};
    if (meta.name !== undefined && meta.name !== '' && meta.name !== name) {
      throw badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${name})`);
    }
    if (t.namespaced && meta.namespace && ns && meta.namespace !== ns) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
  }

  /** Stores `next` over `old` after the common update checks; deletes it when its last finalizer went away. */
  private commitUpdate(
    t: ResourceType,
    old: JsonObject,
    next: JsonObject,
    opts: WriteOptions,
    subresource: string,
    preconditionRv: string | undefined,
    managedSubresource = subresource,
  ): WriteResult {
    if (preconditionRv && preconditionRv !== old.metadata.resourceVersion) {
      throw conflict(t.group, t.plural, old.metadata.name, MODIFIED);
    }
    const prepared = this.prepareUpdate(t, next, old, subresource);
    const warnings = this.admit(t, prepared, old, opts);
    if (opts.track !== false) {
      recordUpdate(old, prepared, opts.fieldManager ?? 'unknown', this.fieldCtx(t, managedSubresource));
    }
    return this.store_(t, old, prepared, opts, warnings);
  }

  private store_(
    t: ResourceType,
    old: JsonObject,
    next: JsonObject,
    opts: WriteOptions,
    warnings: string[],
  ): WriteResult {
    if (opts.dryRun) return { status: 200, body: toServedVersion(t, next), warnings };
    // A no-op write keeps the resourceVersion, as the real apiserver does.
    const cmpOld = {
      ...old,
      metadata: { ...old.metadata, managedFields: undefined, resourceVersion: undefined },
    };
    const cmpNew = {
      ...next,
      metadata: { ...next.metadata, managedFields: undefined, resourceVersion: undefined },
    };
    if (deepEqual(cmpOld, cmpNew)) return { status: 200, body: toServedVersion(t, old), warnings };
    if (
      next.metadata.deletionTimestamp &&
      (next.metadata.finalizers ?? []).length === 0 &&
      t.kind !== 'Pod'
    ) {
      const deleted = this.store.delete(t.storage, next.metadata.namespace, next.metadata.name) ?? next;
      this.hooks.afterDelete?.(t, deleted, 'Background');
      return { status: 200, body: toServedVersion(t, next), warnings };
    }
    const stored = this.store.update(t.storage, next);
    return { status: 200, body: toServedVersion(t, stored), warnings };
  }

  update(
    t: ResourceType,
    ns: string | undefined,
    name: string,
    input: JsonObject,
    opts: WriteOptions,
  ): WriteResult {
    if (!isObj(input)) throw badRequest("Object 'Kind' is missing in 'null'");
    const sub = opts.subresource ?? '';
    this.checkKind(t, input, sub);
    const old = this.getStored(t, ns, name);
    if (sub === 'scale') {
      return this.writeScale(t, old, input, opts);
    }
    const obj = fromServedVersion(t, clone(input));
    obj.metadata ??= {};
    this.checkIdentity(t, ns, name, obj);
    const rv = obj.metadata.resourceVersion as string | undefined;
    if (!rv && !t.builtin) {
      throw invalid(t.group, t.kind, name, [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: 0x0: must be specified for an update',
          field: 'metadata.resourceVersion',
        },
      ]);
    }
    obj.metadata.managedFields = old.metadata.managedFields;
    return this.commitUpdate(t, old, obj, opts, sub, rv);
  }

  private writeScale(t: ResourceType, old: JsonObject, scale: JsonObject, opts: WriteOptions): WriteResult {
    if (!t.scale) throw notFound(t.group, `${t.plural}/scale`, old.metadata.name);
    const rv = scale.metadata?.resourceVersion as string | undefined;
    if (rv && rv !== old.metadata.resourceVersion)
      throw conflict(t.group, t.plural, old.metadata.name, MODIFIED);
    const replicas = scale.spec?.replicas;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      throw invalid('autoscaling', 'Scale', old.metadata.name, [
        {
          reason: 'FieldValueInvalid',
          message: `Invalid value: ${replicas}: must be greater than or equal to 0`,
          field: 'spec.replicas',
        },
      ]);
    }
    const next = clone(old);
    setDeep(next, t.scale.specReplicasPath, replicas);
    const res = this.commitUpdate(t, old, next, { ...opts, subresource: '' }, '', undefined, 'scale');
    const stored = this.store.get(t.storage, old.metadata.namespace, old.metadata.name) ?? next;
    return { ...res, body: this.scaleOf(t, opts.dryRun ? next : stored) };
  }

  patch(
    t: ResourceType,
    ns: string | undefined,
    name: string,
    contentType: string,
    raw: string,
    opts: WriteOptions,
  ): WriteResult {
    const sub = opts.subresource ?? '';
    const type = contentType.split(';')[0]!.trim();
    if (type === 'application/apply-patch+yaml' || type === 'application/apply-patch+cbor') {
      return this.applyPatch(t, ns, name, raw, opts);
    }
    let patch: Json;
    try {
      patch = JSON.parse(raw);
    } catch (e) {
      throw badRequest(`error decoding patch: ${(e as Error).message}`);
    }
    const old = this.getStored(t, ns, name);
    const current = sub === 'scale' ? this.scaleOf(t, old) : toServedVersion(t, old);
    let patched: Json;
    switch (type) {
      case 'application/json-patch+json':
        patched = jsonPatch(current, patch);
        break;
      case 'application/merge-patch+json':
        if (!isObj(patch))
          throw badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
        patched = mergePatch(current, patch);
        break;
      case 'application/strategic-merge-patch+json':
        if (!t.builtin) {
          throw unsupportedMediaType(
            'application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
          );
        }
        if (!isObj(patch))
          throw badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
        patched = strategicMergePatch(current, patch, sub === 'scale' ? undefined : this.registry.schema(t));
        break;
      default:
        throw unsupportedMediaType(
          t.builtin
            ? 'application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml'
            : 'application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
        );
    }
    if (!isObj(patched)) throw badRequest('patched object is not a JSON object');
    if (sub === 'scale') return this.writeScale(t, old, patched, opts);
    this.checkKind(t, patched, sub);
    const obj = fromServedVersion(t, patched);
    obj.metadata ??= {};
    this.checkIdentity(t, ns, name, obj);
    const rv =
      obj.metadata.resourceVersion !== old.metadata.resourceVersion
        ? obj.metadata.resourceVersion
        : undefined;
    if (
      !deepEqual(obj.metadata.managedFields, old.metadata.managedFields) &&
      Array.isArray(obj.metadata.managedFields)
    ) {
      // Clients may reset managedFields with an empty list.
      if (obj.metadata.managedFields.length === 0) {
        const next = this.prepareUpdate(t, obj, old, sub);
        delete next.metadata.managedFields;
        const warnings = this.admit(t, next, old, opts);
        return this.store_(t, old, next, opts, warnings);
      }
    }
    obj.metadata.managedFields = old.metadata.managedFields;
    return this.commitUpdate(t, old, obj, opts, sub, rv);
  }

  private applyPatch(
    t: ResourceType,
    ns: string | undefined,
    name: string,
    raw: string,
    opts: WriteOptions,
  ): WriteResult {
    const sub = opts.subresource ?? '';
    if (!opts.fieldManager) {
      throw badRequest('PATCH, application/apply-patch+yaml requires fieldManager to be set');
    }
    let config: Json;
    try {
      config = parseYaml(raw);
    } catch (e) {
      throw badRequest(`error decoding YAML: ${(e as Error).message}`);
    }
    if (!isObj(config)) throw badRequest('error decoding YAML: the applied configuration must be an object');
    if (sub === 'scale') throw methodNotAllowed();
    if (!config.apiVersion || !config.kind) {
      throw badRequest("Object 'Kind' is missing in '{}'");
    }
    this.checkKind(t, config, sub);
    config.metadata ??= {};
    this.checkIdentity(t, ns, name, config);
    if (Array.isArray(config.metadata.managedFields) && config.metadata.managedFields.length > 0) {
      throw badRequest('metadata.managedFields must be nil');
    }
    delete config.metadata.managedFields;
    const schema = this.registry.schema(t);
    const mode = opts.fieldValidation ?? 'Strict';
    const shape = checkShape(config, schema, mode !== 'Strict');
    const warnings: string[] = [];
    if (shape.unknown.length > 0) {
      if (mode === 'Strict') {
        throw badRequest(
          `failed to create typed patch object (${t.group}/${t.version}, Kind=${t.kind}): ${shape.unknown.map((u) => `.${u}: field not declared in schema`).join(', ')}`,
        );
      }
      if (mode === 'Warn') for (const u of shape.unknown) warnings.push(`unknown field "${u}"`);
    }
    const stored = this.store.get(t.storage, this.namespaceOf(t, ns), name);
    const served = config;
    const ctx = this.fieldCtx(t, sub);
    const identity = { group: t.group, resource: t.plural, name };
    if (!stored) {
      if (sub) throw notFound(t.group, t.plural, name);
      const merged = ssaApply(undefined, served, opts.fieldManager, opts.force ?? false, ctx, identity);
      const managed = merged.metadata.managedFields;
      delete merged.metadata.managedFields;
      const res = this.create(t, ns, merged, { ...opts, track: true, fieldValidation: 'Ignore', managed });
      return { ...res, warnings: [...warnings, ...res.warnings] };
    }
    const live = toServedVersion(t, stored);
    if (t.hasStatus && sub === '') delete served.status;
    let merged = ssaApply(live, served, opts.fieldManager, opts.force ?? false, ctx, identity);
    merged = fromServedVersion(t, merged);
    const managed = merged.metadata.managedFields;
    const rv = served.metadata?.resourceVersion as string | undefined;
    if (rv && rv !== stored.metadata.resourceVersion) throw conflict(t.group, t.plural, name, MODIFIED);
    const prepared = this.prepareUpdate(t, merged, stored, sub);
    prepared.metadata.managedFields = managed;
    const w = this.admit(t, prepared, stored, { ...opts, fieldValidation: 'Ignore' });
    return this.store_(t, stored, prepared, opts, [...warnings, ...w]);
  }

  // ---- delete ---------------------------------------------------------------------------------------------------

  delete(
    t: ResourceType,
    ns: string | undefined,
    name: string,
    options: JsonObject,
    opts: WriteOptions,
  ): WriteResult {
    const old = this.getStored(t, ns, name);
    const pre = options.preconditions ?? {};
    if (pre.uid && pre.uid !== old.metadata.uid) {
      throw conflict(
        t.group,
        t.plural,
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`,
      );
    }
    if (pre.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) {
      throw conflict(
        t.group,
        t.plural,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`,
      );
    }
    let propagation =
      (options.propagationPolicy as string | undefined) ?? (options.orphanDependents ? 'Orphan' : undefined);
    propagation ??= 'Background';
    const grace = options.gracePeriodSeconds as number | undefined;
    if (opts.dryRun) return { status: 200, body: this.deletedBody(t, old), warnings: [] };

    // Namespaces: Terminating while their content is removed.
    if (t.group === '' && t.kind === 'Namespace') {
      if (old.metadata.deletionTimestamp) return { status: 200, body: toServedVersion(t, old), warnings: [] };
      const next = clone(old);
      next.metadata.deletionTimestamp = this.nowString();
      next.status = { ...(next.status ?? {}), phase: 'Terminating' };
      const stored = this.store.update(t.storage, next);
      this.hooks.afterDelete?.(t, stored, propagation);
      return { status: 200, body: toServedVersion(t, stored), warnings: [] };
    }

    const finalizers = (old.metadata.finalizers ?? []) as string[];
    const graceful =
      t.group === '' && t.kind === 'Pod' && grace !== 0 && old.spec?.nodeName && this.podTerminationMs > 0;
    if (finalizers.length > 0 || graceful || propagation === 'Foreground') {
      if (old.metadata.deletionTimestamp) return { status: 200, body: toServedVersion(t, old), warnings: [] };
      const next = clone(old);
      next.metadata.deletionTimestamp = this.nowString();
      next.metadata.deletionGracePeriodSeconds = graceful
        ? (grace ?? old.spec?.terminationGracePeriodSeconds ?? 30)
        : 0;
      if (propagation === 'Foreground' && !finalizers.includes('foregroundDeletion')) {
        next.metadata.finalizers = [...finalizers, 'foregroundDeletion'];
      }
      const stored = this.store.update(t.storage, next);
      this.hooks.afterDelete?.(t, stored, propagation);
      if (graceful && finalizers.length === 0) {
        this.later(this.podTerminationMs, () => {
          const cur = this.store.get(t.storage, old.metadata.namespace, name);
          if (cur && cur.metadata.uid === old.metadata.uid && (cur.metadata.finalizers ?? []).length === 0) {
            this.store.delete(t.storage, old.metadata.namespace, name);
          }
        });
      }
      return { status: 200, body: toServedVersion(t, stored), warnings: [] };
    }
    const deleted = this.store.delete(t.storage, this.namespaceOf(t, ns), name) ?? old;
    this.hooks.afterDelete?.(t, deleted, propagation);
    return { status: 200, body: this.deletedBody(t, deleted), warnings: [] };
  }

  private deletedBody(t: ResourceType, o: JsonObject): JsonObject {
    // Most built-in registries answer a Success Status; pods, namespaces and custom resources return the object.
    if (!t.builtin || t.kind === 'Pod' || t.kind === 'Namespace' || t.kind === 'CustomResourceDefinition') {
      return toServedVersion(t, o);
    }
    const details: JsonObject = { name: o.metadata.name };
    if (t.group) details.group = t.group;
    details.kind = t.plural;
    details.uid = o.metadata.uid;
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
  }

  deleteCollection(
    t: ResourceType,
    ns: string | undefined,
    q: ListOptions,
    options: JsonObject,
    opts: WriteOptions,
  ): JsonObject {
    const { items, resourceVersion } = this.list(t, ns, {
      labelSelector: q.labelSelector,
      fieldSelector: q.fieldSelector,
    });
    const out: JsonObject[] = [];
    for (const item of items) {
      try {
        const res = this.delete(t, item.metadata.namespace, item.metadata.name, options, opts);
        out.push(res.body.kind === 'Status' ? item : res.body);
      } catch (e) {
        if (!(e instanceof ApiError && e.code === 404)) throw e;
      }
    }
    return {
      kind: t.listKind,
      apiVersion: gvString(t.group, t.version),
      metadata: { resourceVersion },
      items: out,
    };
  }
}
