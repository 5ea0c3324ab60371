/**
 * OpenAPI documents: /openapi/v3 (index + one document per group-version, generated from the structural
 * schemas, with the PATCH operations' `fieldValidation` parameter so kubectl relies on server-side field
 * validation) and a minimal protobuf /openapi/v2 (kubectl's validator fetches it eagerly).
 */
import type { JsonObject } from './patch.js';
import type { Registry } from './registry.js';
import type { ResourceType } from './resources.js';
import type { Schema } from './schema.js';

export const K8S_VERSION = { major: '1', minor: '35', gitVersion: 'v1.35.0' };

function toJsonSchema(s: Schema): JsonObject {
  const out: JsonObject = {};
  if (s.description) out.description = s.description;
  switch (s.type) {
    case 'object': {
      out.type = 'object';
      if (s.props && Object.keys(s.props).length > 0) {
        out.properties = Object.fromEntries(Object.entries(s.props).map(([k, v]) => [k, toJsonSchema(v)]));
      }
      if (s.additional) out.additionalProperties = toJsonSchema(s.additional);
      if (s.open) out['x-kubernetes-preserve-unknown-fields'] = true;
      if (s.atomic) out['x-kubernetes-map-type'] = 'atomic';
      if (s.required?.length) out.required = s.required;
      break;
    }
    case 'array':
      out.type = 'array';
      out.items = s.items ? toJsonSchema(s.items) : {};
      if (s.listType) out['x-kubernetes-list-type'] = s.listType;
      if (s.keys) out['x-kubernetes-list-map-keys'] = s.keys;
      if (s.mergeKey) out['x-kubernetes-patch-merge-key'] = s.mergeKey;
      if (s.patchStrategy) out['x-kubernetes-patch-strategy'] = s.patchStrategy;
      break;
    case 'int-or-string':
      out['x-kubernetes-int-or-string'] = true;
      out.anyOf = [{ type: 'integer' }, { type: 'string' }];
      break;
    case 'quantity':
      out.anyOf = [{ type: 'integer' }, { type: 'string' }];
      out['x-kubernetes-int-or-string'] = true;
      break;
    case 'any':
      out['x-kubernetes-preserve-unknown-fields'] = true;
      break;
    default:
      out.type = s.type;
      if (s.format) out.format = s.format;
      if (s.enum) out.enum = s.enum;
  }
  if (s.nullable) out.nullable = true;
  return out;
}

function defName(t: ResourceType): string {
  if (!t.builtin) return `${t.group.split('.').reverse().join('.')}.${t.version}.${t.kind}`;
  const group = t.group === '' ? 'core' : t.group.replace(/\.k8s\.io$/, '').replace(/\.authorization$/, '');
  return `io.k8s.api.${group}.${t.version}.${t.kind}`;
}

const q = (name: string, description: string, type = 'string'): JsonObject => ({
  name,
  in: 'query',
  description,
  schema: { type, uniqueItems: true },
});

const DRY_RUN = q('dryRun', 'When present, indicates that modifications should not be persisted.');
const FIELD_MANAGER = q(
  'fieldManager',
  'fieldManager is a name associated with the actor or entity that is making these changes.',
);
const FIELD_VALIDATION = q(
  'fieldValidation',
  'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict',
);
const FORCE = q('force', 'Force is going to "force" Apply requests.', 'boolean');

function gvDoc(reg: Registry, group: string, version: string): JsonObject | undefined {
  const types = reg.all().filter((t) => t.group === group && t.version === version && !t.virtual);
  const virtual = reg.all().filter((t) => t.group === group && t.version === version && t.virtual);
  if (types.length === 0 && virtual.length === 0) return undefined;
  const prefix = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const paths: JsonObject = {};
  const schemas: JsonObject = {};
  for (const t of [...types, ...virtual]) {
    const name = defName(t);
    const gvk = { group: t.group, kind: t.kind, version: t.version };
    const schema = toJsonSchema(reg.schema(t));
    schema['x-kubernetes-group-version-kind'] = [gvk];
    schemas[name] = schema;
    const ref = { $ref: `#/components/schemas/${name}` };
    const body = (types: string[]) => ({
      content: Object.fromEntries(types.map((ct) => [ct, { schema: ref }])),
      required: true,
    });
    const ok = { '200': { description: 'OK', content: { 'application/json': { schema: ref } } } };
    const op = (action: string, extra: JsonObject = {}) => ({
      operationId: `${action}${t.kind}`,
      responses: ok,
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
      ...extra,
    });
    const base = t.namespaced ? `${prefix}/namespaces/{namespace}/${t.plural}` : `${prefix}/${t.plural}`;
    const patchTypes = [
      'application/json-patch+json',
      'application/merge-patch+json',
      'application/apply-patch+yaml',
    ];
    paths[base] = {
      get: op('list'),
      ...(t.virtual
        ? {}
        : {
            post: op('post', {
              parameters: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION],
              requestBody: body(['application/json']),
            }),
          }),
    };
    paths[`${base}/{name}`] = {
      get: op('get'),
      ...(t.virtual
        ? {}
        : {
            put: op('put', {
              parameters: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION],
              requestBody: body(['application/json']),
            }),
            patch: op('patch', {
              parameters: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE],
              requestBody: body(patchTypes),
            }),
            delete: op('delete'),
          }),
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: K8S_VERSION.gitVersion },
    paths,
    components: { schemas },
  };
}

export function openapiV3Index(reg: Registry): JsonObject {
  const paths: JsonObject = {};
  for (const { group, version } of reg.groupVersions()) {
    const key = group ? `apis/${group}/${version}` : `api/${version}`;
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${reg.openapiHash(group, version)}` };
  }
  return { paths };
}

/** `/openapi/v3/api/v1`, `/openapi/v3/apis/apps/v1` */
export function openapiV3Doc(reg: Registry, rest: string): JsonObject | undefined {
  const parts = rest.split('/').filter(Boolean);
  if (parts[0] === 'api' && parts.length === 2) return gvDoc(reg, '', parts[1]!);
  if (parts[0] === 'apis' && parts.length === 3) return gvDoc(reg, parts[1]!, parts[2]!);
  return undefined;
}

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return out;
}

function field(num: number, bytes: Buffer): Buffer {
  return Buffer.concat([Buffer.from([(num << 3) | 2, ...varint(bytes.length)]), bytes]);
}

/** gnostic openapi_v2.Document { swagger: "2.0", info: { title, version } } with no paths or definitions. */
export function openapiV2Protobuf(): Buffer {
  const info = Buffer.concat([
    field(1, Buffer.from('Kubernetes')),
    field(2, Buffer.from(K8S_VERSION.gitVersion)),
  ]);
  return Buffer.concat([field(1, Buffer.from('2.0')), field(2, info)]);
}
