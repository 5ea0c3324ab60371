import { age, kubePage } from '@cloudmcp/kube';
import { ANNOTATIONS, defineTool, pageInput, pageOutput } from '@cloudmcp/toolkit';
import * as z from 'zod';
import { hubError } from '../../resources.js';
import {
  assertCluster,
  type Ctx,
  clusterIn,
  conditionOut,
  conditionSchema,
  conditionStatus,
  conditionsOf,
  hubClient,
  OCM,
} from './common.js';
import {
  deleteOption,
  type ManifestWork,
  manifestRow,
  manifestRows,
  manifestsOf,
  manifestTable,
  workReason,
  workState,
} from './work-status.js';

const workRow = z.object({
  cluster: z.string(),
  name: z.string(),
  manifests: z.number().int().describe('How many manifests it carries'),
  applied: z.string().describe('Work-level Applied condition: True, False, Unknown, or empty'),
  available: z.string().describe('Work-level Available condition'),
  state: z.enum(['available', 'applied', 'failed', 'pending']),
  reason: z.string().optional().describe('Why it is not available: the failing manifest and its message'),
  age: z.string(),
  created: z.string().optional(),
});

export function workRowOf(work: ManifestWork): z.input<typeof workRow> {
  const conditions = conditionsOf(work);
  const reason = workReason(work);
  const created = work.metadata?.creationTimestamp;
  return {
    cluster: work.metadata?.namespace ?? '',
    name: work.metadata?.name ?? '',
    manifests: manifestsOf(work).length,
    applied: conditionStatus(conditions, 'Applied'),
    available: conditionStatus(conditions, 'Available'),
    state: workState(work),
    ...(reason ? { reason } : {}),
    age: age(created),
    ...(created ? { created } : {}),
  };
}

export const manifestworkList = defineTool({
  name: 'manifestwork_list',
  title: 'List ManifestWorks',
  description: 'ManifestWorks on the hub: cluster, manifests, Applied/Available, and why one fails.',
  toolset: 'fleet',
  input: z.object({
    cluster: clusterIn.optional().describe('Default: every cluster'),
    label_selector: z.string().min(1).max(1000).optional().describe('e.g. `app=web`'),
    ...pageInput({ defaultLimit: 100, maxLimit: 500 }),
  }),
  output: z.object(pageOutput(workRow)),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'ManifestWorks',
    narrowHint: 'pass cluster or label_selector',
    columns: [
      { header: 'cluster', value: (r) => r.cluster, collapseWhenUniform: true },
      { header: 'name', value: (r) => r.name },
      { header: 'manifests', value: (r) => r.manifests },
      { header: 'applied', value: (r) => r.applied || '-' },
      { header: 'available', value: (r) => r.available || '-' },
      { header: 'age', value: (r) => r.age },
      { header: 'reason', value: (r) => r.reason ?? '', maxWidth: 100 },
    ],
  },
  async handler(input, ctx: Ctx) {
    try {
      const client = await hubClient(ctx);
      const page = await kubePage(
        input,
        (opts) =>
          client.list<ManifestWork>(OCM.manifestWorks, {
            ...opts,
            ...(input.cluster ? { namespace: input.cluster } : {}),
            ...(input.label_selector ? { labelSelector: input.label_selector } : {}),
            signal: ctx.signal,
          }),
        (items) => items.map(workRowOf),
      );
      // an empty list for a cluster that does not exist would read as "nothing deployed there"
      if (input.cluster && page.items.length === 0 && !input.cursor) {
        await assertCluster(client, input.cluster, ctx.signal);
      }
      return page;
    } catch (error) {
      throw hubError(error);
    }
  },
});

const workOutput = z.object({
  cluster: z.string(),
  name: z.string(),
  state: z.enum(['available', 'applied', 'failed', 'pending']),
  delete_option: z
    .string()
    .describe('Propagation policy on deletion: Foreground removes the resources, Orphan keeps them'),
  generation: z.number().int().optional(),
  age: z.string(),
  created: z.string().optional(),
  conditions: z.array(conditionSchema),
  manifests: z.array(manifestRow),
});

export function workOutputOf(work: ManifestWork): z.input<typeof workOutput> {
  const created = work.metadata?.creationTimestamp;
  return {
    cluster: work.metadata?.namespace ?? '',
    name: work.metadata?.name ?? '',
    state: workState(work),
    delete_option: deleteOption(work),
    ...(work.metadata?.generation !== undefined ? { generation: work.metadata.generation } : {}),
    age: age(created),
    ...(created ? { created } : {}),
    conditions: conditionsOf(work).map(conditionOut),
    manifests: manifestRows(work),
  };
}

export const manifestworkGet = defineTool({
  name: 'manifestwork_get',
  title: 'Get a ManifestWork',
  description:
    "One ManifestWork: each manifest's Applied/Available status and message, feedback and conditions.",
  toolset: 'fleet',
  input: z.object({
    cluster: clusterIn,
    name: z.string().min(1).max(253).describe('ManifestWork name'),
  }),
  output: workOutput,
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'text',
    text: (o) =>
      [
        `ManifestWork ${o.cluster}/${o.name}: ${o.state} · ${o.manifests.length} manifests · delete option ` +
          `${o.delete_option} · age ${o.age}`,
        o.conditions.length
          ? o.conditions
              .map(
                (c) =>
                  `${c.type}=${c.status}${c.reason ? ` (${c.reason}${c.message ? `: ${c.message}` : ''})` : ''}`,
              )
              .join('\n')
          : 'No conditions yet: the work agent has not reported.',
        manifestTable(o.manifests),
      ].join('\n'),
  },
  async handler(input, ctx: Ctx) {
    try {
      const client = await hubClient(ctx);
      const work = await client.get<ManifestWork>(OCM.manifestWorks, input.name, {
        namespace: input.cluster,
        signal: ctx.signal,
      });
      return workOutputOf(work);
    } catch (error) {
      throw hubError(error, {
        notFound: `ManifestWork "${input.name}" for cluster "${input.cluster}"`,
        next: `List the works of that cluster with manifestwork_list (cluster: "${input.cluster}").`,
      });
    }
  },
});
