/** The served API surface: built-in resource types plus CRD versions, and the discovery documents. */
import { createHash } from 'node:crypto';
import { invalidValue, required, type StatusCause } from './errors.js';
import { isObj, type JsonObject } from './patch.js';
import {
  ALL_VERBS,
  BUILTIN_GROUP_ORDER,
  BUILTIN_TYPES,
  type PrinterColumn,
  type ResourceType,
  storageVersionHash,
} from './resources.js';
import { builtinSchema, fromOpenAPI, type Schema } from './schema.js';

/** Kubernetes version priority: v1 > v1beta2 > v1beta1 > v1alpha1 > other (kube-aware sort). */
export function versionPriority(v: string): number {
  const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
  if (!m) return 0;
  const major = Number(m[1]);
  const stage = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
  const minor = m[3] === undefined ? 0 : Number(m[3]);
  return stage * 1e6 + major * 1e3 + minor;
}

export class Registry {
  private types: ResourceType[] = [...BUILTIN_TYPES];
  private crdGroupsOrder: string[] = [];
  private schemas = new Map<ResourceType, Schema>();
  /** Bumped on every CRD change; part of the OpenAPI hashes. */
  generation = 0;

  all(): ResourceType[] {
    return this.types;
  }

  find(group: string, version: string, plural: string): ResourceType | undefined {
    return this.types.find((t) => t.group === group && t.version === version && t.plural === plural);
  }

  forKind(group: string, version: string, kind: string): ResourceType | undefined {
    return this.types.find((t) => t.group === group && t.version === version && t.kind === kind);
  }

  /** The preferred version of a group/kind (e.g. for storage access by kind). */
  forGroupKind(group: string, kind: string): ResourceType | undefined {
    const candidates = this.types.filter((t) => t.group === group && t.kind === kind);
    return candidates.sort((a, b) => versionPriority(b.version) - versionPriority(a.version))[0];
  }

  forStorage(storage: string): ResourceType | undefined {
    const c = this.types.filter((t) => t.storage === storage && !t.virtual);
    const core = c.find((t) => t.group === '');
    return core ?? c.sort((a, b) => versionPriority(b.version) - versionPriority(a.version))[0];
  }

  schema(t: ResourceType): Schema {
    let s = this.schemas.get(t);
    if (!s) {
      s = t.builtin ? builtinSchema(t.group, t.version, t.kind) : fromOpenAPI(t.crdSchema);
      this.schemas.set(t, s);
    }
    return s;
  }

  groups(): { name: string; versions: string[] }[] {
    const names = [
      ...BUILTIN_GROUP_ORDER,
      ...this.crdGroupsOrder.filter((g) => !BUILTIN_GROUP_ORDER.includes(g)),
    ];
    const out: { name: string; versions: string[] }[] = [];
    for (const name of names) {
      const versions = [...new Set(this.types.filter((t) => t.group === name).map((t) => t.version))];
      if (versions.length === 0) continue;
      versions.sort((a, b) => versionPriority(b) - versionPriority(a));
      out.push({ name, versions });
    }
    return out;
  }

  groupVersions(): { group: string; version: string }[] {
    return [
      { group: '', version: 'v1' },
      ...this.groups().flatMap((g) => g.versions.map((v) => ({ group: g.name, version: v }))),
    ];
  }

  // ---- discovery documents ---------------------------------------------------------------------------------

  apiVersions(serverAddress: string): JsonObject {
    return {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
    };
  }

  private groupDoc(g: { name: string; versions: string[] }): JsonObject {
    const versions = g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v }));
    return { name: g.name, versions, preferredVersion: versions[0] };
  }

  apiGroupList(): JsonObject {
    return { kind: 'APIGroupList', apiVersion: 'v1', groups: this.groups().map((g) => this.groupDoc(g)) };
  }

  apiGroup(name: string): JsonObject | undefined {
    const g = this.groups().find((x) => x.name === name);
    return g ? { kind: 'APIGroup', apiVersion: 'v1', ...this.groupDoc(g) } : undefined;
  }

  resourceList(group: string, version: string): JsonObject | undefined {
    const types = this.types.filter((t) => t.group === group && t.version === version);
    if (types.length === 0) return undefined;
    const resources: JsonObject[] = [];
    for (const t of types) {
      const r: JsonObject = {
        name: t.plural,
        singularName: t.singular,
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: t.verbs,
      };
      if (t.shortNames.length) r.shortNames = t.shortNames;
      if (t.categories.length) r.categories = t.categories;
      if (!t.virtual) r.storageVersionHash = storageVersionHash(t.group, t.version, t.kind);
      resources.push(r);
      for (const s of t.subresources) {
        const sr: JsonObject = { name: `${t.plural}/${s.name}`, singularName: '', namespaced: t.namespaced };
        if (s.group !== undefined) sr.group = s.group;
        if (s.version !== undefined) sr.version = s.version;
        sr.kind = s.kind;
        sr.verbs = s.verbs;
        resources.push(sr);
      }
    }
    resources.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const doc: JsonObject = {
      kind: 'APIResourceList',
      groupVersion: group ? `${group}/${version}` : version,
      resources,
    };
    if (group) doc.apiVersion = 'v1';
    return doc;
  }

  // ---- CRDs -----------------------------------------------------------------------------------------------

  /** Structural checks of a CustomResourceDefinition (422 causes). */
  validateCrd(crd: JsonObject): StatusCause[] {
    const out: StatusCause[] = [];
    const spec = crd.spec;
    if (!isObj(spec)) return [required('spec')];
    if (!spec.group) out.push(required('spec.group'));
    const names = spec.names ?? {};
    if (!names.plural) out.push(required('spec.names.plural'));
    if (!names.kind) out.push(required('spec.names.kind'));
    if (!names.listKind && names.kind) names.listKind = `${names.kind}List`;
    if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
      out.push({
        reason: 'FieldValueNotSupported',
        message: `Unsupported value: "${spec.scope ?? ''}": supported values: "Cluster", "Namespaced"`,
        field: 'spec.scope',
      });
    }
    if (names.plural && spec.group && crd.metadata?.name !== `${names.plural}.${spec.group}`) {
      out.push(
        invalidValue('metadata.name', crd.metadata?.name ?? '', 'must be spec.names.plural+"."+spec.group'),
      );
    }
    const versions = (spec.versions ?? []) as JsonObject[];
    if (versions.length === 0) out.push(required('spec.versions'));
    const storage = versions.filter((v) => v.storage === true);
    if (versions.length > 0 && storage.length !== 1) {
      out.push(
        invalidValue(
          'spec.versions',
          versions.map((v) => v.name),
          'must have exactly one version marked as storage version',
        ),
      );
    }
    const existing = this.types.find(
      (t) =>
        t.group === spec.group &&
        t.plural === names.plural &&
        (t.builtin || t.storage !== `${spec.group}/${names.plural}`),
    );
    if (existing?.builtin)
      out.push(invalidValue('spec.group', spec.group, 'conflicts with a built-in resource'));
    return out;
  }

  /** Registers (or re-registers) the served versions of an Established CRD. */
  registerCrd(crd: JsonObject): void {
    this.unregisterCrd(crd.metadata.name, false);
    const spec = crd.spec;
    const names = spec.names;
    const group = spec.group as string;
    for (const v of (spec.versions ?? []) as JsonObject[]) {
      if (v.served === false) continue;
      const subs = v.subresources ?? spec.subresources ?? {};
      const t: ResourceType = {
        group,
        version: v.name,
        kind: names.kind,
        listKind: names.listKind ?? `${names.kind}List`,
        plural: names.plural,
        singular: names.singular ?? String(names.kind).toLowerCase(),
        namespaced: spec.scope === 'Namespaced',
        shortNames: names.shortNames ?? [],
        categories: names.categories ?? [],
        verbs: ALL_VERBS,
        subresources: [],
        storage: `${group}/${names.plural}`,
        hasStatus: isObj(subs.status),
        builtin: false,
        crdSchema: v.schema?.openAPIV3Schema ?? spec.validation?.openAPIV3Schema,
        printerColumns: (
          (v.additionalPrinterColumns ?? spec.additionalPrinterColumns ?? []) as PrinterColumn[]
        ).map((c) => ({ ...c, jsonPath: c.jsonPath ?? (c as unknown as JsonObject).JSONPath })),
      };
      if (isObj(subs.scale)) {
        t.scale = {
          specReplicasPath: subs.scale.specReplicasPath,
          statusReplicasPath: subs.scale.statusReplicasPath,
          ...(subs.scale.labelSelectorPath ? { labelSelectorPath: subs.scale.labelSelectorPath } : {}),
        };
        t.subresources.push({
          name: 'scale',
          kind: 'Scale',
          verbs: ['get', 'patch', 'update'],
          group: 'autoscaling',
          version: 'v1',
        });
      }
      if (t.hasStatus)
        t.subresources.push({ name: 'status', kind: names.kind, verbs: ['get', 'patch', 'update'] });
      this.types.push(t);
    }
    if (!this.crdGroupsOrder.includes(group)) this.crdGroupsOrder.push(group);
    this.generation++;
  }

  unregisterCrd(name: string, bump = true): void {
    const [plural, ...rest] = name.split('.');
    const group = rest.join('.');
    const before = this.types.length;
    this.types = this.types.filter((t) => t.builtin || !(t.group === group && t.plural === plural));
    for (const k of [...this.schemas.keys()]) if (!this.types.includes(k)) this.schemas.delete(k);
    if (!this.types.some((t) => t.group === group))
      this.crdGroupsOrder = this.crdGroupsOrder.filter((g) => g !== group);
    if (bump && before !== this.types.length) this.generation++;
  }

  /** A stable hash for a group-version's OpenAPI document (changes when its CRDs change). */
  openapiHash(group: string, version: string): string {
    const sig = this.types
      .filter((t) => t.group === group && t.version === version)
      .map((t) => `${t.kind}:${t.builtin ? '' : JSON.stringify(t.crdSchema ?? {})}`)
      .join('|');
    return createHash('sha512').update(sig).digest('hex').toUpperCase().slice(0, 128);
  }
}
