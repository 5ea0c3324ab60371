import { age, type KubeObject } from '@cloudmcp/kube';
import { ANNOTATIONS, cursorOffset, defineTool, page, pageInput, pageOutput } from '@cloudmcp/toolkit';
import * as z from 'zod';
import { hubError } from '../../resources.js';
import { CLUSTERSET_LABEL, type Ctx, hubClient, OCM } from './common.js';
import { type LabelSelector, selectorMatches, selectorText } from './selectors.js';

interface ClusterSet extends KubeObject {
  spec?: { clusterSelector?: { selectorType?: string; labelSelector?: LabelSelector } };
}

const setRow = z.object({
  name: z.string(),
  selector: z.string().describe('ExclusiveClusterSetLabel, or LabelSelector with its selector'),
  clusters: z.array(z.string()).describe('The ManagedClusters in it'),
  bindings: z
    .array(z.string())
    .describe('Namespaces it is bound to (ManagedClusterSetBindings): where Placements may use it'),
  age: z.string(),
});

export const clustersetList = defineTool({
  name: 'clusterset_list',
  title: 'List ManagedClusterSets',
  description: 'ManagedClusterSets: how each selects clusters, its clusters and the namespaces bound to it.',
  toolset: 'fleet',
  input: z.object(pageInput({ defaultLimit: 100, maxLimit: 500 })),
  output: z.object(pageOutput(setRow)),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'cluster sets',
    columns: [
      { header: 'name', value: (r) => r.name },
      { header: 'selector', value: (r) => r.selector },
      { header: 'clusters', value: (r) => r.clusters, maxWidth: 80 },
      { header: 'bound to', value: (r) => r.bindings, maxWidth: 60 },
      { header: 'age', value: (r) => r.age },
    ],
  },
  async handler(input, ctx: Ctx) {
    try {
      const offset = cursorOffset(input.cursor);
      const client = await hubClient(ctx);
      const [sets, clusters, bindings] = await Promise.all([
        client.listAll<ClusterSet>(OCM.clusterSets, { signal: ctx.signal, max: 10_000 }),
        client.listAll(OCM.managedClusters, { signal: ctx.signal, max: 10_000 }),
        client.listAll<KubeObject & { spec?: { clusterSet?: string } }>(OCM.clusterSetBindings, {
          signal: ctx.signal,
          max: 10_000,
        }),
      ]);
      const rows = sets.items.slice(offset, offset + input.limit).map((set) => {
        const name = set.metadata?.name ?? '';
        const selector = set.spec?.clusterSelector ?? {};
        const type = selector.selectorType ?? 'ExclusiveClusterSetLabel';
        const members = clusters.items.filter((c) => {
          const labels = c.metadata?.labels ?? {};
          return type === 'LabelSelector'
            ? selectorMatches(selector.labelSelector ?? {}, labels)
            : labels[CLUSTERSET_LABEL] === name;
        });
        return {
          name,
          selector:
            type === 'LabelSelector' ? `LabelSelector: ${selectorText(selector.labelSelector ?? {})}` : type,
          clusters: members.map((c) => c.metadata?.name ?? ''),
          bindings: bindings.items
            .filter((b) => b.spec?.clusterSet === name)
            .map((b) => b.metadata?.namespace ?? ''),
          age: age(set.metadata?.creationTimestamp),
        };
      });
      return page(rows, { offset, total: sets.items.length });
    } catch (error) {
      throw hubError(error);
    }
  },
});
