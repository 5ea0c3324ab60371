import { ANNOTATIONS, cursorOffset, page, pageInput, pageOutput } from '@cloudmcp/toolkit';
import * as z from 'zod';
import { TYPES } from '../client.js';
import { age, kubePage } from './common.js';
import { kubeTool } from './define.js';

export const contextList = kubeTool({
  name: 'context_list',
  title: 'List contexts',
  description:
    'Lists the Kubernetes contexts (clusters) this server can reach: name, cluster, API server URL, default ' +
    'namespace, and which one is used when a tool is called without `context`. No network call. Pass a ' +
    'name as `context` to any other tool.',
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
  description:
    'Lists namespaces with their status (Active/Terminating) and age. Use a name as `namespace` in other ' +
    'tools; `resource_list` with kind `namespaces` and a label selector narrows further.',
  toolset: 'core',
  input: z.object({ ...pageInput({ defaultLimit: 200, maxLimit: 1000 }) }),
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
  description:
    'Lists the resource types this cluster serves (like `kubectl api-resources`), CRDs included: plural ' +
    'name, short names, API version, whether namespaced, kind and verbs. Any name or short name here works ' +
    'as `kind` in resource_list, resource_get and resource_delete.',
  toolset: 'core',
  input: z.object({
    group: z.string().optional().describe('Only this API group (`apps`, `networking.k8s.io`; `core` for v1)'),
    keyword: z.string().optional().describe('Only types whose name, kind or short name contains this'),
    ...pageInput({ defaultLimit: 300, maxLimit: 1000 }),
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
