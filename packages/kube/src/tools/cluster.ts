import { ANNOTATIONS, cursorOffset, page, pageOutput } from '@cloudmcp/toolkit';
import * as z from 'zod';
import { TYPES } from '../client.js';
import { age, kubePage, pageIn } from './common.js';
import { kubeTool } from './define.js';

export const contextList = kubeTool({
  name: 'context_list',
  title: 'List contexts',
  description: 'Kubeconfig contexts and which one is the default.',
  toolset: 'core',
  input: z.object({}),
  output: z.object(
    pageOutput(
      z.object({
        name: z.string(),
        cluster: z.string(),
        server: z.string(),
        user: z.string(),
        namespace: z.string().optional(),
        default: z.boolean(),
      }),
    ),
  ),
  annotations: ANNOTATIONS.read,
  noClient: true,
  render: {
    kind: 'list',
    noun: 'contexts',
    columns: [
      { header: 'current', value: (t) => (t.default ? '*' : '') },
      { header: 'name', value: (t) => t.name },
      { header: 'cluster', value: (t) => t.cluster },
      { header: 'server', value: (t) => t.server },
      { header: 'namespace', value: (t) => t.namespace },
    ],
  },
  async handler(_input, { ctx }) {
    const items = ctx.deps.kube.list().map((t) => ({
      name: t.name,
      cluster: t.cluster,
      server: t.server,
      user: t.user,
      ...(t.namespace ? { namespace: t.namespace } : {}),
      default: t.default,
    }));
    return { items, total: items.length };
  },
});

const namespaceRow = z.object({
  name: z.string(),
  status: z.string().optional(),
  age: z.string(),
  created: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
});

export const namespaceList = kubeTool({
  name: 'namespace_list',
  title: 'List namespaces',
  description: 'Namespaces with status and age.',
  toolset: 'core',
  input: z.object({ ...pageIn({ defaultLimit: 500, maxLimit: 1000 }) }),
  output: z.object(pageOutput(namespaceRow)),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'namespaces',
    columns: [
      { header: 'name', value: (n) => n.name },
      { header: 'status', value: (n) => n.status },
      { header: 'age', value: (n) => n.age },
    ],
  },
  async handler(input, { client, signal }) {
    return kubePage(
      input,
      (opts) => client.list(TYPES.namespaces, { ...opts, signal }),
      (items) =>
        items.map((ns) => ({
          name: ns.metadata?.name ?? '',
          status: (ns['status'] as { phase?: string } | undefined)?.phase,
          age: age(ns.metadata?.creationTimestamp),
          created: ns.metadata?.creationTimestamp,
          ...(ns.metadata?.labels ? { labels: ns.metadata.labels } : {}),
        })),
    );
  },
});

const typeRow = z.object({
  name: z.string().describe('Plural resource name, as `kind` accepts it'),
  short_names: z.array(z.string()),
  api_version: z.string(),
  namespaced: z.boolean(),
  kind: z.string(),
  verbs: z.array(z.string()),
});

export const apiResourceList = kubeTool({
  name: 'api_resource_list',
  title: 'List resource types',
  description: 'Resource types served (CRDs too); their names work as `kind`.',
  toolset: 'core',
  input: z.object({
    group: z.string().optional().describe('e.g. `apps`; `core` for v1'),
    keyword: z.string().optional().describe('Part of a name or kind'),
    ...pageIn({ defaultLimit: 500, maxLimit: 1000 }),
  }),
  output: z.object(pageOutput(typeRow)),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'resource types',
    narrowHint: 'filter by group or keyword',
    columns: [
      { header: 'name', value: (t) => t.name },
      { header: 'shortnames', value: (t) => t.short_names },
      { header: 'apiversion', value: (t) => t.api_version },
      { header: 'namespaced', value: (t) => t.namespaced },
      { header: 'kind', value: (t) => t.kind },
    ],
  },
  async handler(input, { client, signal }) {
    const group = input.group === 'core' ? '' : input.group;
    const keyword = input.keyword?.toLowerCase();
    const all = (await client.resourceTypes(signal))
      .filter((t) => group === undefined || t.group === group)
      .filter(
        (t) =>
          !keyword ||
          t.resource.includes(keyword) ||
          t.kind.toLowerCase().includes(keyword) ||
          t.shortNames.some((s) => s.includes(keyword)),
      )
      .map((t) => ({
        name: t.resource,
        short_names: t.shortNames,
        api_version: t.apiVersion,
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: t.verbs,
      }));
    const offset = cursorOffset(input.cursor);
    return page(all.slice(offset, offset + input.limit), { offset, total: all.length });
  },
});

export const clusterTools = [contextList, namespaceList, apiResourceList];
