import type { KubeObject } from '@cloudmcp/kube';
import { ANNOTATIONS, cursorOffset, defineTool, page, pageInput, pageOutput } from '@cloudmcp/toolkit';
import * as z from 'zod';
import { hubError } from '../../resources.js';
import {
  assertCluster,
  type Condition,
  type Ctx,
  clusterIn,
  conditionStatus,
  conditionsOf,
  findCondition,
  hubClient,
  OCM,
} from './common.js';

interface ClusterAddOn extends KubeObject {
  spec?: { installNamespace?: string };
  status?: { namespace?: string; conditions?: Condition[] };
}

interface ManagementAddOn extends KubeObject {
  spec?: { addOnMeta?: { displayName?: string }; installStrategy?: { type?: string } };
}

const addonRow = z.object({
  cluster: z.string(),
  addon: z.string(),
  available: z.string(),
  degraded: z.string(),
  progressing: z.string(),
  namespace: z.string().optional().describe('Where its agent runs on the managed cluster'),
  message: z.string().optional().describe('Why it is not available, when it says'),
});

const managementRow = z.object({
  name: z.string(),
  display_name: z.string().optional(),
  install_strategy: z
    .string()
    .describe('Manual (enabled per cluster) or Placements (installed where they select)'),
  installed_on: z.number().int().describe('Clusters that have it (ManagedClusterAddOns)'),
});

const output = z.object({
  ...pageOutput(addonRow),
  addons: z
    .array(managementRow)
    .optional()
    .describe('Without `cluster`: the add-ons the hub offers (ClusterManagementAddOns)'),
  missing: z
    .array(z.string())
    .optional()
    .describe('With `cluster`: add-ons the hub offers that this cluster does not have'),
});
type Output = z.output<typeof output>;

function notes(o: Output): string[] {
  const lines: string[] = [];
  if (o.addons?.length) {
    lines.push(
      `Add-ons the hub offers: ${o.addons
        .map(
          (a) =>
            `${a.name} (${a.install_strategy}, on ${a.installed_on} cluster${a.installed_on === 1 ? '' : 's'})`,
        )
        .join(', ')}`,
    );
  }
  if (o.missing?.length) lines.push(`Not installed on this cluster: ${o.missing.join(', ')}`);
  return lines;
}

export const addonList = defineTool({
  name: 'addon_list',
  title: 'List add-ons',
  description:
    'OCM add-ons on managed clusters: status, agent namespace and why one is not available; also what the hub offers.',
  toolset: 'fleet',
  input: z.object({
    cluster: clusterIn.optional().describe('Default: every cluster'),
    ...pageInput({ defaultLimit: 200, maxLimit: 1000 }),
  }),
  output,
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'add-ons',
    narrowHint: 'pass cluster',
    columns: [
      { header: 'cluster', value: (r) => r.cluster, collapseWhenUniform: true },
      { header: 'addon', value: (r) => r.addon },
      { header: 'available', value: (r) => r.available || '-' },
      { header: 'degraded', value: (r) => r.degraded || '-' },
      { header: 'progressing', value: (r) => r.progressing || '-' },
      { header: 'namespace', value: (r) => r.namespace ?? '' },
      { header: 'message', value: (r) => r.message ?? '', maxWidth: 80 },
    ],
    notes,
  },
  async handler(input, ctx: Ctx) {
    try {
      const offset = cursorOffset(input.cursor);
      const client = await hubClient(ctx);
      if (input.cluster) await assertCluster(client, input.cluster, ctx.signal);
      const [installed, offered] = await Promise.all([
        client.listAll<ClusterAddOn>(OCM.clusterAddOns, {
          ...(input.cluster ? { namespace: input.cluster } : {}),
          signal: ctx.signal,
          max: 20_000,
        }),
        client.listAll<ManagementAddOn>(OCM.clusterManagementAddOns, { signal: ctx.signal, max: 1000 }),
      ]);
      const rows = installed.items.map((a) => {
        const conditions = conditionsOf(a);
        const available = findCondition(conditions, 'Available');
        const namespace = a.status?.namespace ?? a.spec?.installNamespace;
        return {
          cluster: a.metadata?.namespace ?? '',
          addon: a.metadata?.name ?? '',
          available: available?.status ?? '',
          degraded: conditionStatus(conditions, 'Degraded'),
          progressing: conditionStatus(conditions, 'Progressing'),
          ...(namespace ? { namespace } : {}),
          ...(available && available.status !== 'True' && available.message
            ? { message: available.message }
            : {}),
        };
      });
      const result: Output = page(rows.slice(offset, offset + input.limit), { offset, total: rows.length });
      const names = offered.items.map((m) => m.metadata?.name ?? '');
      if (input.cluster) {
        const have = new Set(rows.map((r) => r.addon));
        const missing = names.filter((n) => !have.has(n));
        if (missing.length) result.missing = missing;
      } else if (offset === 0) {
        result.addons = offered.items.map((m) => {
          const name = m.metadata?.name ?? '';
          return {
            name,
            ...(m.spec?.addOnMeta?.displayName && m.spec.addOnMeta.displayName !== name
              ? { display_name: m.spec.addOnMeta.displayName }
              : {}),
            install_strategy: m.spec?.installStrategy?.type ?? 'Manual',
            installed_on: rows.filter((r) => r.addon === name).length,
          };
        });
      }
      return result;
    } catch (error) {
      throw hubError(error);
    }
  },
});
