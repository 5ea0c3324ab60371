import { ANNOTATIONS, badInput, pageOutput, parseYamlInput, ToolError } from '@cloudmcp/toolkit';
import * as z from 'zod';
import type { KubeList, KubeObject, KubeTable, ResourceType } from '../client.js';
import { kubeToolError } from '../errors.js';
import { type Pod, podStatus, readyCount, restarts } from '../pods.js';
import {
  age,
  clean,
  fieldSelectorIn,
  flag,
  kubePage,
  labelSelectorIn,
  namespaceFilterIn,
  namespaceIn,
  nonEmpty,
  objectSchema,
  pageIn,
  withPage,
  withSuggestions,
} from './common.js';
import { kubeTool } from './define.js';

const kindIn = nonEmpty().describe('e.g. `deploy`, `certificates.cert-manager.io`');
const apiVersionIn = nonEmpty().optional().describe('When ambiguous, e.g. `apps/v1`');

const resourceRow = z.object({
  name: z.string(),
  namespace: z.string().optional(),
  age: z.string(),
  created: z.string().optional(),
  info: z.string().describe('The other columns `kubectl get` shows, as `column=value` pairs'),
  kind: z.string().optional(),
  type: z.string().optional().describe('Secrets: their type'),
  keys: z.array(z.string()).optional().describe('Secrets and ConfigMaps: the data keys (never the values)'),
  data: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('Secrets: values are shown only when the server runs with --allow-secrets'),
});
type ResourceRow = z.input<typeof resourceRow>;

function cellText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Rows from a server-side Table: name and namespace from the row's metadata, the rest as `info`. */
function tableRows(table: KubeTable): ResourceRow[] {
  const cols = table.columnDefinitions;
  const nameIdx = cols.findIndex((c) => c.format === 'name' || c.name === 'Name');
  const skip = new Set(['name', 'namespace', 'age', 'created at']);
  return table.rows.map((row) => {
    const meta = row.object?.metadata;
    const info = cols
      .map((c, i) => ({ c, v: cellText(row.cells[i]) }))
      .filter(({ c, v }) => !skip.has(c.name.toLowerCase()) && (c.priority ?? 0) === 0 && v !== '')
      .map(({ c, v }) => `${c.name.toLowerCase().replace(/\s+/g, '-')}=${v}`)
      .join(' ');
    const created = meta?.creationTimestamp;
    return {
      name: meta?.name ?? cellText(row.cells[Math.max(nameIdx, 0)]),
      ...(meta?.namespace ? { namespace: meta.namespace } : {}),
      age: age(created),
      ...(created ? { created } : {}),
      info,
    };
  });
}

/** Rows from a plain list (servers without Table support): a short summary for the common kinds. */
function objectRows(type: ResourceType, items: KubeObject[]): ResourceRow[] {
  return items.map((o) => {
    const created = o.metadata?.creationTimestamp;
    let info = '';
    if (type.kind === 'Pod') {
      const pod = o as Pod;
      info = `ready=${readyCount(pod)} status=${podStatus(pod)} restarts=${restarts(pod)}`;
    } else if (type.kind === 'Deployment' || type.kind === 'StatefulSet' || type.kind === 'ReplicaSet') {
      const spec = o['spec'] as { replicas?: number } | undefined;
      const status = o['status'] as { readyReplicas?: number } | undefined;
      info = `ready=${status?.readyReplicas ?? 0}/${spec?.replicas ?? 0}`;
    } else if (type.kind === 'ConfigMap') {
      info = `data=${Object.keys((o['data'] as object | undefined) ?? {}).length}`;
    }
    return {
      name: o.metadata?.name ?? '',
      ...(o.metadata?.namespace ? { namespace: o.metadata.namespace } : {}),
      age: age(created),
      ...(created ? { created } : {}),
      info,
    };
  });
}

/** Secrets: keys and type in the table; `data` goes to the formatter, which hides values by default. */
function secretRows(items: KubeObject[]): ResourceRow[] {
  return items.map((s) => {
    const data = { ...((s['data'] as Record<string, unknown> | undefined) ?? {}) };
    const keys = Object.keys(data);
    const created = s.metadata?.creationTimestamp;
    const type = typeof s['type'] === 'string' ? (s['type'] as string) : 'Opaque';
    return {
      kind: 'Secret',
      name: s.metadata?.name ?? '',
      ...(s.metadata?.namespace ? { namespace: s.metadata.namespace } : {}),
      age: age(created),
      ...(created ? { created } : {}),
      info: `type=${type} keys=${keys.join(',') || '<none>'}`,
      type,
      keys,
      ...(keys.length ? { data } : {}),
    };
  });
}

export const resourceList = kubeTool({
  name: 'resource_list',
  title: 'List resources of any kind',
  description: 'Objects of any kind as `kubectl get` lists them; Secrets show keys only.',
  toolset: 'core',
  input: z.object({
    kind: kindIn,
    api_version: apiVersionIn,
    namespace: namespaceFilterIn,
    label_selector: labelSelectorIn,
    field_selector: fieldSelectorIn,
    ...pageIn({ defaultLimit: 500, maxLimit: 500 }),
  }),
  output: z.object({
    kind: z.string(),
    api_version: z.string(),
    namespaced: z.boolean(),
    ...pageOutput(resourceRow),
  }),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'objects',
    narrowHint: 'filter by namespace or label_selector',
    columns: [
      { header: 'namespace', value: (r) => r.namespace, collapseWhenUniform: true },
      { header: 'name', value: (r) => r.name },
      { header: 'info', value: (r) => r.info, maxWidth: 100 },
      { header: 'age', value: (r) => r.age },
    ],
  },
  async handler(input, { client, signal }) {
    const type = await client.resolve(input.kind, {
      ...(input.api_version ? { apiVersion: input.api_version } : {}),
      signal,
    });
    if (!type.verbs.includes('list') && type.verbs.length > 0) {
      throw badInput('kind', `${type.resource} cannot be listed (verbs: ${type.verbs.join(', ')})`);
    }
    const base = {
      ...(type.namespaced && input.namespace ? { namespace: input.namespace } : {}),
      ...(input.label_selector ? { labelSelector: input.label_selector } : {}),
      ...(input.field_selector ? { fieldSelector: input.field_selector } : {}),
      signal,
    };
    const isSecret = type.group === '' && type.resource === 'secrets';
    let lastTable: KubeTable | KubeList | undefined;
    const result = await kubePage(
      input,
      async (opts) => {
        if (isSecret) return client.list(type, { ...base, ...opts });
        const body = await client.listTable(type, { ...base, ...opts });
        lastTable = body;
        return body.kind === 'Table'
          ? { items: (body as KubeTable).rows, metadata: body.metadata }
          : (body as KubeList);
      },
      (items) => {
        if (isSecret) return secretRows(items as KubeObject[]);
        if (lastTable?.kind === 'Table')
          return tableRows({ ...(lastTable as KubeTable), rows: items as never });
        return objectRows(type, items as KubeObject[]);
      },
    );
    return withPage({ kind: type.kind, api_version: type.apiVersion, namespaced: type.namespaced }, result);
  },
});

export const resourceGet = kubeTool({
  name: 'resource_get',
  title: 'Get a resource of any kind',
  description: 'One object of any kind as YAML, Secret values hidden.',
  toolset: 'core',
  input: z.object({
    kind: kindIn,
    name: nonEmpty().describe('Exact name'),
    namespace: namespaceIn,
    api_version: apiVersionIn,
  }),
  output: z.object({ object: objectSchema }),
  annotations: ANNOTATIONS.read,
  render: { kind: 'object', select: (o) => o.object },
  async handler(input, { client, signal }) {
    const type = await client.resolve(input.kind, {
      ...(input.api_version ? { apiVersion: input.api_version } : {}),
      signal,
    });
    const namespace = type.namespaced ? (input.namespace ?? client.defaultNamespace) : undefined;
    const object = await withSuggestions(client, type, input.name, namespace, signal, () =>
      client.get(type, input.name, { ...(namespace ? { namespace } : {}), signal }),
    );
    // Built-in objects come back without kind/apiVersion in some lists; a single GET has them, but be sure.
    return { object: clean({ apiVersion: type.apiVersion, kind: type.kind, ...object }) };
  },
});

// ---- apply -------------------------------------------------------------------------------------

const applyResult = z.object({
  kind: z.string(),
  name: z.string(),
  namespace: z.string().optional(),
  api_version: z.string(),
  action: z.enum(['created', 'configured']),
});

/** Parses the manifest argument into objects: YAML/JSON text (multi-document) or an object (a `List` too). */
function manifestObjects(manifest: unknown): KubeObject[] {
  // text is read with a bounded cost (tokens, documents, aliases): a huge body cannot stall the server
  const docs: unknown[] = typeof manifest === 'string' ? parseYamlInput(manifest, 'manifest') : [manifest];
  const objects: KubeObject[] = [];
  for (const doc of docs) {
    if (doc === null || doc === undefined) continue;
    if (typeof doc !== 'object' || Array.isArray(doc)) {
      throw badInput('manifest', 'each document must be a Kubernetes object (a mapping)');
    }
    const o = doc as KubeObject;
    if (typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o['items'])) {
      objects.push(...(o['items'] as KubeObject[]));
    } else objects.push(o);
  }
  if (objects.length === 0) throw badInput('manifest', 'no objects found');
  if (objects.length > 50) throw badInput('manifest', `${objects.length} objects; apply at most 50 at once`);
  for (const [i, o] of objects.entries()) {
    const where = objects.length > 1 ? `object ${i + 1}: ` : '';
    if (typeof o.apiVersion !== 'string' || !o.apiVersion)
      throw badInput('manifest', `${where}apiVersion is missing`);
    if (typeof o.kind !== 'string' || !o.kind) throw badInput('manifest', `${where}kind is missing`);
    if (typeof o.metadata?.name !== 'string' || !o.metadata.name) {
      throw badInput(
        'manifest',
        `${where}metadata.name is missing (server-side apply needs a name; generateName is not supported)`,
      );
    }
  }
  return objects;
}

function describeTarget(type: ResourceType, name: string): string {
  return `${type.resource}${type.group ? `.${type.group}` : ''}/${name}`;
}

export const resourceApply = kubeTool({
  name: 'resource_apply',
  title: 'Apply manifests',
  description: 'Creates or updates objects by server-side apply (`kubectl apply --server-side`).',
  toolset: 'core',
  input: z.object({
    manifest: z
      .union([nonEmpty(), z.record(z.string(), z.unknown())])
      .describe('YAML/JSON text (`---` between documents) or one object'),
    namespace: nonEmpty().optional().describe("For objects naming none; default: the context's"),
    dry_run: flag('Validate on the server, save nothing'),
    force: flag('Take over conflicting fields'),
  }),
  output: z.object({ results: z.array(applyResult), dry_run: z.boolean() }),
  annotations: ANNOTATIONS.change,
  render: {
    kind: 'text',
    text: (o) =>
      o.results
        .map(
          (r) =>
            `${r.kind.toLowerCase()}/${r.name}${r.namespace ? ` (namespace ${r.namespace})` : ''} ${r.action}` +
            `${o.dry_run ? ' (dry run, nothing saved)' : ''}`,
        )
        .join('\n'),
  },
  async handler(input, { client, signal }) {
    const objects = manifestObjects(input.manifest);
    const planned: Array<{ type: ResourceType; object: KubeObject }> = [];
    for (const object of objects) {
      const type = await client.resolve(object.kind!, {
        apiVersion: object.apiVersion!,
        field: 'manifest',
        signal,
      });
      const metadata = { ...object.metadata };
      if (type.namespaced) {
        if (input.namespace && metadata.namespace && metadata.namespace !== input.namespace) {
          throw badInput(
            'namespace',
            `${object.kind} ${metadata.name} names namespace "${metadata.namespace}", not "${input.namespace}"`,
          );
        }
        metadata.namespace = metadata.namespace ?? input.namespace ?? client.defaultNamespace;
      } else delete metadata.namespace;
      planned.push({ type, object: { ...object, metadata } });
    }
    const results: Array<z.input<typeof applyResult>> = [];
    for (const { type, object } of planned) {
      try {
        const { created } = await client.apply(type, object, {
          force: input.force,
          dryRun: input.dry_run,
          signal,
        });
        results.push({
          kind: type.kind,
          name: object.metadata!.name!,
          ...(type.namespaced ? { namespace: object.metadata!.namespace! } : {}),
          api_version: type.apiVersion,
          action: created ? 'created' : 'configured',
        });
      } catch (error) {
        const mapped = kubeToolError(error);
        if (!(mapped instanceof ToolError) || planned.length === 1) throw mapped;
        const done = results.map((r) => `${r.kind}/${r.name} ${r.action}`).join(', ') || 'nothing';
        throw new ToolError(
          `Applying ${describeTarget(type, object.metadata!.name!)} failed (${results.length} of ` +
            `${planned.length} applied before it: ${done}). ${mapped.message}`,
          mapped.details,
        );
      }
    }
    return { results, dry_run: input.dry_run === true };
  },
});

export const resourceDelete = kubeTool({
  name: 'resource_delete',
  title: 'Delete a resource',
  description: 'Deletes one object of any kind, as `kubectl delete` does.',
  toolset: 'core',
  input: z.object({
    kind: kindIn,
    name: nonEmpty().describe('Exact name'),
    namespace: namespaceIn,
    api_version: apiVersionIn,
    dry_run: flag('Check only'),
  }),
  output: z.object({
    kind: z.string(),
    name: z.string(),
    namespace: z.string().optional(),
    result: z.enum(['deleted', 'deletion started', 'would be deleted (dry run)']),
  }),
  annotations: ANNOTATIONS.destroy,
  confirmMessage: (input) =>
    `Delete ${input.kind} "${input.name}"${input.namespace ? ` in namespace ${input.namespace}` : ''}`,
  render: {
    kind: 'text',
    text: (o) => `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}: ${o.result}.`,
  },
  async handler(input, { client, signal }) {
    const type = await client.resolve(input.kind, {
      ...(input.api_version ? { apiVersion: input.api_version } : {}),
      signal,
    });
    const namespace = type.namespaced ? (input.namespace ?? client.defaultNamespace) : undefined;
    const answer = await withSuggestions(client, type, input.name, namespace, signal, () =>
      client.delete(type, input.name, {
        ...(namespace ? { namespace } : {}),
        dryRun: input.dry_run,
        propagationPolicy: 'Background',
        signal,
      }),
    );
    return {
      kind: type.kind,
      name: input.name,
      ...(namespace ? { namespace } : {}),
      result: deleteResult(answer, input.dry_run === true),
    };
  },
});

export function deleteResult(
  answer: KubeObject,
  dryRun: boolean,
): 'deleted' | 'deletion started' | 'would be deleted (dry run)' {
  if (dryRun) return 'would be deleted (dry run)';
  const finalizing =
    answer.kind !== 'Status' &&
    Boolean(answer.metadata?.deletionTimestamp) &&
    (((answer.metadata?.['finalizers'] as string[] | undefined) ?? []).length > 0 || answer.kind === 'Pod');
  return finalizing ? 'deletion started' : 'deleted';
}

export const resourceTools = [resourceList, resourceGet, resourceApply, resourceDelete];
