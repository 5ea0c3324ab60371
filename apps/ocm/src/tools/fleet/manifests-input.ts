/**
 * The `manifests` argument of `manifestwork_apply`, read strictly: YAML or JSON text (one list of objects,
 * several `---` documents, or a `List`), or an array of objects. Each must be a Kubernetes object with
 * apiVersion, kind and metadata.name; what only a server writes (status, uid, resourceVersion, managedFields
 * …) is dropped. Bounded: 100 manifests, 500 KiB of JSON in all (the OCM work webhook's own limit).
 */
import type { KubeObject } from '@cloudmcp/kube';
import { badInput, parseYamlInput } from '@cloudmcp/toolkit';
import { groupOf } from './common.js';

export const MAX_MANIFESTS = 100;
export const MAX_MANIFEST_BYTES = 500 * 1024;

const API_VERSION =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?v\d+((alpha|beta)\d+)?$/;
const KIND = /^[A-Z][A-Za-z0-9]{0,62}$/;
const NAME = /^[a-zA-Z0-9]([-a-zA-Z0-9_.:]{0,251}[a-zA-Z0-9])?$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** Metadata only an API server writes; sent in a manifest they would fail or mislead. */
const SERVER_METADATA = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The objects a document holds: a list's elements, a `…List`'s items, or itself. */
function objectsOf(doc: unknown): unknown[] {
  if (Array.isArray(doc)) return doc;
  if (
    isObject(doc) &&
    typeof doc['kind'] === 'string' &&
    doc['kind'].endsWith('List') &&
    Array.isArray(doc['items'])
  ) {
    return doc['items'];
  }
  return [doc];
}

/** Group, kind, namespace and name: what makes two manifests the same resource. */
export function manifestKey(o: KubeObject): string {
  return [groupOf(o.apiVersion), o.kind, o.metadata?.namespace ?? '', o.metadata?.name].join('/');
}

export function parseManifests(value: string | Array<Record<string, unknown>>): KubeObject[] {
  const docs = typeof value === 'string' ? parseYamlInput(value, 'manifests') : [value];
  const objects = docs.flatMap(objectsOf);
  if (objects.length === 0) throw badInput('manifests', 'no objects found');
  if (objects.length > MAX_MANIFESTS) {
    throw badInput(
      'manifests',
      `${objects.length} objects; a ManifestWork here carries at most ${MAX_MANIFESTS}`,
      'Split them over several works.',
    );
  }
  const seen = new Set<string>();
  const manifests = objects.map((object, i) => {
    const where = objects.length > 1 ? `object ${i + 1}: ` : '';
    if (!isObject(object)) throw badInput('manifests', `${where}not a Kubernetes object (a mapping)`);
    const { apiVersion, kind, metadata, status: _status, ...rest } = object;
    if (typeof apiVersion !== 'string' || !API_VERSION.test(apiVersion)) {
      throw badInput('manifests', `${where}apiVersion is missing or not like \`v1\` or \`apps/v1\``);
    }
    if (typeof kind !== 'string' || !KIND.test(kind))
      throw badInput('manifests', `${where}kind is missing or not a Kind`);
    if (!isObject(metadata)) throw badInput('manifests', `${where}metadata is missing`);
    const { name, namespace } = metadata;
    if (typeof name !== 'string' || !NAME.test(name)) {
      throw badInput(
        'manifests',
        `${where}metadata.name is missing or not a name (generateName is not supported)`,
      );
    }
    if (namespace !== undefined && (typeof namespace !== 'string' || !NAMESPACE.test(namespace))) {
      throw badInput('manifests', `${where}metadata.namespace is not a namespace name`);
    }
    const cleanMetadata = Object.fromEntries(
      Object.entries(metadata).filter(([key]) => !SERVER_METADATA.includes(key)),
    );
    const manifest = { apiVersion, kind, metadata: cleanMetadata, ...rest } as KubeObject;
    const key = manifestKey(manifest);
    if (seen.has(key))
      throw badInput(
        'manifests',
        `${where}${kind} ${namespace ? `${namespace}/` : ''}${name} is listed twice`,
      );
    seen.add(key);
    return manifest;
  });
  const bytes = Buffer.byteLength(JSON.stringify(manifests));
  if (bytes > MAX_MANIFEST_BYTES) {
    throw badInput(
      'manifests',
      `${Math.ceil(bytes / 1024)} KiB of manifests; a ManifestWork holds at most ${MAX_MANIFEST_BYTES / 1024} KiB`,
      'Split them over several works.',
    );
  }
  return manifests;
}
