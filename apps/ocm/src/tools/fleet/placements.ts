import { age, type KubeClient, type KubeObject } from '@cloudmcp/kube';
import { ANNOTATIONS, cursorOffset, defineTool, page, pageInput, pageOutput } from '@cloudmcp/toolkit';
import * as z from 'zod';
import { hubError } from '../../resources.js';
import {
  type Condition,
  type Ctx,
  conditionOut,
  conditionSchema,
  conditionsOf,
  findCondition,
  hubClient,
  OCM,
  PLACEMENT_LABEL,
} from './common.js';
import { type LabelSelector, selectorText } from './selectors.js';

interface Placement extends KubeObject {
  spec?: {
    clusterSets?: string[];
    numberOfClusters?: number;
    predicates?: Array<{
      requiredClusterSelector?: {
        labelSelector?: LabelSelector;
        claimSelector?: LabelSelector;
        celSelector?: { celExpressions?: string[] };
      };
    }>;
    prioritizerPolicy?: {
      mode?: string;
      configurations?: Array<{
        scoreCoordinate?: {
          type?: string;
          builtIn?: string;
          addOn?: { resourceName?: string; scoreName?: string };
        };
        weight?: number;
      }>;
    };
    tolerations?: Array<{
      key?: string;
      operator?: string;
      value?: string;
      effect?: string;
      tolerationSeconds?: number;
    }>;
    decisionStrategy?: { groupStrategy?: { clustersPerDecisionGroup?: string | number } };
  };
  status?: { numberOfSelectedClusters?: number; conditions?: Condition[] };
}

interface PlacementDecision extends KubeObject {
  status?: { decisions?: Array<{ clusterName: string; reason?: string }> };
}

/** The clusters each placement's decisions name, by `namespace/placement`. */
async function decisionsByPlacement(
  client: KubeClient,
  namespace: string | undefined,
  signal: AbortSignal,
): Promise<Map<string, PlacementDecision[]>> {
  const { items } = await client.listAll<PlacementDecision>(OCM.placementDecisions, {
    ...(namespace ? { namespace } : {}),
    labelSelector: PLACEMENT_LABEL,
    signal,
    max: 10_000,
  });
  const by = new Map<string, PlacementDecision[]>();
  for (const d of items) {
    const key = `${d.metadata?.namespace}/${d.metadata?.labels?.[PLACEMENT_LABEL]}`;
    by.set(key, [...(by.get(key) ?? []), d]);
  }
  return by;
}

const clustersOf = (decisions: PlacementDecision[] | undefined): string[] =>
  (decisions ?? []).flatMap((d) => (d.status?.decisions ?? []).map((c) => c.clusterName));

const placementRow = z.object({
  namespace: z.string(),
  name: z.string(),
  succeeded: z.string().describe('PlacementSatisfied: True when every decision is scheduled'),
  reason: z.string().optional(),
  selected: z.number().int().describe('numberOfSelectedClusters'),
  clusters: z.array(z.string()).describe('The clusters its PlacementDecisions name'),
  age: z.string(),
});

export const placementList = defineTool({
  name: 'placement_list',
  title: 'List Placements',
  description: 'Placements on the hub: satisfied or why not, and the clusters selected.',
  toolset: 'fleet',
  input: z.object({
    namespace: z.string().min(1).max(63).optional().describe('Omit for all namespaces'),
    ...pageInput({ defaultLimit: 100, maxLimit: 500 }),
  }),
  output: z.object(pageOutput(placementRow)),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'Placements',
    narrowHint: 'pass namespace',
    columns: [
      { header: 'namespace', value: (r) => r.namespace, collapseWhenUniform: true },
      { header: 'name', value: (r) => r.name },
      { header: 'succeeded', value: (r) => r.succeeded || '-' },
      { header: 'reason', value: (r) => r.reason ?? '' },
      { header: 'selected', value: (r) => r.selected },
      { header: 'clusters', value: (r) => r.clusters, maxWidth: 80 },
      { header: 'age', value: (r) => r.age },
    ],
  },
  async handler(input, ctx: Ctx) {
    try {
      const offset = cursorOffset(input.cursor);
      const client = await hubClient(ctx);
      const { items } = await client.listAll<Placement>(OCM.placements, {
        ...(input.namespace ? { namespace: input.namespace } : {}),
        signal: ctx.signal,
        max: 10_000,
      });
      const shown = items.slice(offset, offset + input.limit);
      const decisions = shown.length
        ? await decisionsByPlacement(client, input.namespace, ctx.signal)
        : new Map();
      const rows = shown.map((p) => {
        const satisfied = findCondition(conditionsOf(p), 'PlacementSatisfied');
        return {
          namespace: p.metadata?.namespace ?? '',
          name: p.metadata?.name ?? '',
          succeeded: satisfied?.status ?? '',
          ...(satisfied?.reason ? { reason: satisfied.reason } : {}),
          selected: p.status?.numberOfSelectedClusters ?? 0,
          clusters: clustersOf(decisions.get(`${p.metadata?.namespace}/${p.metadata?.name}`)),
          age: age(p.metadata?.creationTimestamp),
        };
      });
      return page(rows, { offset, total: items.length });
    } catch (error) {
      throw hubError(error);
    }
  },
});

/** What to do about an unsatisfied placement, by the scheduler's reason. */
const UNSATISFIED: Record<string, string> = {
  NoManagedClusterSetBindings:
    'Bind a ManagedClusterSet to the namespace: a ManagedClusterSetBinding named after the set, spec.clusterSet: <set> (see clusterset_list).',
  AllManagedClusterSetsEmpty: 'The bound ManagedClusterSets have no clusters (see clusterset_list).',
  NoIntersection: 'None of spec.clusterSets is bound to this namespace (see `bindings`).',
  NoManagedClusterMatched:
    'No cluster of the bound sets matches the predicates: compare their label and claim selectors with the clusters (`clusters`).',
  NotAllDecisionsScheduled:
    'Fewer clusters match than numberOfClusters asks for (or some are tainted without a toleration).',
};

const placementOutput = z.object({
  namespace: z.string(),
  name: z.string(),
  cluster_sets: z
    .array(z.string())
    .describe('spec.clusterSets; empty means every set bound to the namespace'),
  number_of_clusters: z.number().int().optional(),
  predicates: z.array(z.string()).describe('Each requiredClusterSelector, compact (ORed)'),
  prioritizers: z.string().optional(),
  tolerations: z.array(z.string()).optional(),
  bindings: z
    .array(z.string())
    .describe('ManagedClusterSetBindings in the namespace, with their Bound status'),
  selected: z.number().int(),
  conditions: z.array(conditionSchema),
  why_not: z.string().optional().describe('When not satisfied: what the reason means and what to do'),
  decisions: z.array(
    z.object({
      decision: z.string(),
      clusters: z.array(z.object({ cluster: z.string(), reason: z.string().optional() })),
    }),
  ),
});

function predicateText(p: NonNullable<NonNullable<Placement['spec']>['predicates']>[number]): string {
  const s = p.requiredClusterSelector ?? {};
  const parts = [
    s.labelSelector ? `labels: ${selectorText(s.labelSelector)}` : '',
    s.claimSelector ? `claims: ${selectorText(s.claimSelector)}` : '',
    s.celSelector?.celExpressions?.length ? `cel: ${s.celSelector.celExpressions.join(' && ')}` : '',
  ].filter(Boolean);
  return parts.join('; ') || 'every cluster';
}

export const placementGet = defineTool({
  name: 'placement_get',
  title: 'Get a Placement',
  description:
    'One Placement: cluster sets, predicates, prioritizers, tolerations, bindings, conditions and decisions.',
  toolset: 'fleet',
  input: z.object({
    namespace: z.string().min(1).max(63).describe('Namespace of the Placement'),
    name: z.string().min(1).max(253).describe('Placement name'),
  }),
  output: placementOutput,
  annotations: ANNOTATIONS.read,
  render: { kind: 'object' },
  async handler(input, ctx: Ctx) {
    try {
      const client = await hubClient(ctx);
      const p = await client.get<Placement>(OCM.placements, input.name, {
        namespace: input.namespace,
        signal: ctx.signal,
      });
      const [decisions, bindings] = await Promise.all([
        client.listAll<PlacementDecision>(OCM.placementDecisions, {
          namespace: input.namespace,
          labelSelector: `${PLACEMENT_LABEL}=${input.name}`,
          signal: ctx.signal,
        }),
        client.listAll(OCM.clusterSetBindings, { namespace: input.namespace, signal: ctx.signal }),
      ]);
      const spec = p.spec ?? {};
      const conditions = conditionsOf(p);
      const satisfied = findCondition(conditions, 'PlacementSatisfied');
      const whyNot =
        satisfied && satisfied.status !== 'True'
          ? [satisfied.message, UNSATISFIED[satisfied.reason ?? '']].filter(Boolean).join(' — ')
          : undefined;
      const prioritizers = spec.prioritizerPolicy?.configurations
        ?.map((c) => {
          const coordinate = c.scoreCoordinate ?? {};
          const name =
            coordinate.builtIn ?? `${coordinate.addOn?.resourceName}/${coordinate.addOn?.scoreName}`;
          return `${name}${c.weight !== undefined ? `×${c.weight}` : ''}`;
        })
        .join(', ');
      return {
        namespace: input.namespace,
        name: input.name,
        cluster_sets: spec.clusterSets ?? [],
        ...(spec.numberOfClusters !== undefined ? { number_of_clusters: spec.numberOfClusters } : {}),
        predicates: (spec.predicates ?? []).map(predicateText),
        ...(spec.prioritizerPolicy
          ? {
              prioritizers: `${spec.prioritizerPolicy.mode ?? 'Additive'}${prioritizers ? `: ${prioritizers}` : ''}`,
            }
          : {}),
        ...(spec.tolerations?.length
          ? {
              tolerations: spec.tolerations.map(
                (t) =>
                  `${t.key ?? '*'} ${t.operator ?? 'Equal'}${t.value ? ` ${t.value}` : ''}${t.effect ? ` (${t.effect})` : ''}` +
                  `${t.tolerationSeconds !== undefined ? ` for ${t.tolerationSeconds}s` : ''}`,
              ),
            }
          : {}),
        bindings: bindings.items.map((b) => {
          const bound = findCondition(conditionsOf(b), 'Bound');
          return `${b.metadata?.name}${bound ? ` (Bound=${bound.status}${bound.reason ? `, ${bound.reason}` : ''})` : ''}`;
        }),
        selected: p.status?.numberOfSelectedClusters ?? 0,
        conditions: conditions.map(conditionOut),
        ...(whyNot ? { why_not: whyNot } : {}),
        decisions: decisions.items.map((d) => ({
          decision: d.metadata?.name ?? '',
          clusters: (d.status?.decisions ?? []).map((c) => ({
            cluster: c.clusterName,
            ...(c.reason ? { reason: c.reason } : {}),
          })),
        })),
      };
    } catch (error) {
      throw hubError(error, {
        notFound: `Placement "${input.name}" in namespace "${input.namespace}"`,
        next: 'List the placements with placement_list.',
      });
    }
  },
});
