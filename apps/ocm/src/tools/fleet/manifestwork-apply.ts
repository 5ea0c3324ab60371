import { KubeApiError, type KubeObject } from '@cloudmcp/kube';
import { ANNOTATIONS, badInput, defineTool, poll, ToolError } from '@cloudmcp/toolkit';
import * as z from 'zod';
import { hubError, isOurs } from '../../resources.js';
import {
  assertCluster,
  type Ctx,
  clusterIn,
  conditionSchema,
  hubClient,
  OCM,
  ownAccessWork,
} from './common.js';
import { accessGrants } from './manifest-access.js';
import { manifestKey, parseManifests } from './manifests-input.js';
import { workOutputOf } from './manifestworks.js';
import {
  deleteOption,
  type ManifestWork,
  manifestName,
  manifestRow,
  manifestRows,
  manifestsOf,
  manifestTable,
  progressText,
  workState,
} from './work-status.js';

const output = z.object({
  cluster: z.string(),
  name: z.string(),
  action: z.enum(['created', 'configured']),
  dry_run: z.boolean(),
  state: z
    .enum(['available', 'applied', 'failed', 'pending', 'not waited'])
    .describe('available: every manifest applied and available; failed: the agent could not apply one'),
  waited_seconds: z.number().optional(),
  delete_option: z.string(),
  dropped: z
    .array(z.string())
    .describe(
      'Manifests the work had before and no longer lists: removed from the managed cluster (kept with Orphan)',
    ),
  conditions: z.array(conditionSchema),
  manifests: z.array(manifestRow),
});
type Output = z.output<typeof output>;

function summary(o: Output): string {
  const what = `ManifestWork ${o.cluster}/${o.name} ${o.dry_run ? `would be ${o.action} (dry run, nothing saved)` : o.action}`;
  const state: Record<Output['state'], string> = {
    available: 'every manifest is applied and available on the cluster.',
    applied: `applied, not every resource available yet after ${o.waited_seconds ?? 0}s; follow it with manifestwork_get.`,
    failed: 'the work agent could not apply every manifest (see the messages).',
    pending: `the work agent has not reported on it after ${o.waited_seconds ?? 0}s; follow it with manifestwork_get.`,
    'not waited': 'not waited for; follow it with manifestwork_get.',
  };
  const lines = [
    `${what} (${o.manifests.length} manifests): ${o.dry_run ? 'validated by the hub.' : state[o.state]}`,
  ];
  if (o.dropped.length) {
    const fate = o.delete_option === 'Orphan' ? 'left on the cluster (Orphan)' : 'deleted from the cluster';
    lines.push(`No longer in the work, so ${fate}: ${o.dropped.join(', ')}`);
  }
  if (!o.dry_run) lines.push(manifestTable(o.manifests));
  return lines.join('\n');
}

export const manifestworkApply = defineTool({
  name: 'manifestwork_apply',
  title: 'Apply a ManifestWork',
  description:
    'Deploys objects to a managed cluster as a ManifestWork (created or replaced) and waits for the work agent, ' +
    "with each manifest's status. Asks first when it removes manifests, grants access or carries OCM objects.",
  toolset: 'fleet',
  input: z.object({
    cluster: clusterIn,
    name: z
      .string()
      .min(1)
      .max(253)
      .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'a DNS subdomain name')
      .describe('New or existing'),
    manifests: z
      .union([z.string().min(1).max(2_000_000), z.array(z.record(z.string(), z.unknown())).min(1).max(100)])
      .describe('Objects to deploy: YAML/JSON text (`---` between documents) or an array; at most 100'),
    delete_option: z
      .enum(['Foreground', 'Orphan'])
      .optional()
      .describe('On deletion: Foreground (default) deletes the resources, Orphan leaves them'),
    wait_seconds: z
      .number()
      .int()
      .min(0)
      .max(600)
      .default(60)
      .describe('Wait this long for the agent to apply them'),
    dry_run: z.boolean().default(false).describe('Validate on the hub, save nothing'),
  }),
  output,
  // creating is not destructive; replacing manifests may delete resources, and asks first (asksToConfirm)
  annotations: { ...ANNOTATIONS.change, destructiveHint: true },
  asksToConfirm: true,
  render: { kind: 'text', text: summary },
  async handler(input, ctx: Ctx) {
    const manifests = parseManifests(input.manifests);
    const access = accessGrants(manifests, ctx.deps.settings.serviceAccount);
    if (access.toSelf.length) {
      throw badInput(
        'manifests',
        `${access.toSelf[0]} to this server's own service account (${ctx.deps.settings.serviceAccount}). Its ` +
          'access on a managed cluster is set by connect_cluster alone, from the roles the operator allows ' +
          `(${ctx.deps.settings.allowedRoles.join(', ')}).`,
        'Leave that binding out; for more access, call connect_cluster with another allowed cluster_role.',
      );
    }
    try {
      const client = await hubClient(ctx);
      await assertCluster(client, input.cluster, ctx.signal);
      const before = await client
        .get<ManifestWork>(OCM.manifestWorks, input.name, { namespace: input.cluster, signal: ctx.signal })
        .catch((error: unknown) => {
          if (error instanceof KubeApiError && error.code === 404) return undefined;
          throw error;
        });
      if (before && isOurs(before)) throw ownAccessWork(input.cluster, input.name);
      const policy = input.delete_option ?? 'Foreground';
      const kept = new Set(manifests.map(manifestKey));
      const dropped = before ? manifestsOf(before).filter((m) => !kept.has(manifestKey(m))) : [];
      const droppedNames = dropped.map((m) =>
        manifestName({
          kind: String(m.kind),
          namespace: m.metadata?.namespace,
          name: String(m.metadata?.name),
        }),
      );
      if (dropped.length && !input.dry_run && policy !== 'Orphan') {
        await ctx.confirmDestructive(
          `Replace ManifestWork "${input.name}" on cluster "${input.cluster}": the work agent deletes ` +
            `${dropped.length} resource(s) it no longer lists from the managed cluster (${droppedNames.slice(0, 5).join(', ')}` +
            `${dropped.length > 5 ? ', …' : ''})`,
        );
      }
      if (access.grants.length && !input.dry_run) {
        await ctx.confirmDestructive(
          `ManifestWork "${input.name}" on cluster "${input.cluster}" grants or changes access on the managed ` +
            `cluster: ${access.grants.slice(0, 5).join('; ')}${access.grants.length > 5 ? '; …' : ''}`,
        );
      }
      const work: KubeObject = {
        apiVersion: OCM.manifestWorks.apiVersion,
        kind: OCM.manifestWorks.kind,
        metadata: { name: input.name, namespace: input.cluster },
        spec: {
          workload: { manifests },
          ...(input.delete_option ? { deleteOption: { propagationPolicy: input.delete_option } } : {}),
        },
      };
      // the tool's promise is "the work lists exactly these manifests": take the fields over from any writer
      const applied = await client.apply(OCM.manifestWorks, work, {
        force: true,
        dryRun: input.dry_run,
        signal: ctx.signal,
      });
      let current = applied.object as ManifestWork;
      let waited: number | undefined;
      if (!input.dry_run && input.wait_seconds > 0) {
        const started = Date.now();
        const outcome = await poll({
          check: async (signal) => {
            current = await client.get<ManifestWork>(OCM.manifestWorks, input.name, {
              namespace: input.cluster,
              signal,
            });
            const state = workState(current);
            return {
              done: state === 'available' || state === 'failed',
              result: current,
              message: progressText(current),
            };
          },
          timeoutMs: input.wait_seconds * 1000,
          signal: ctx.signal,
          onProgress: (p) => ctx.progress(p),
        });
        waited = Math.round((Date.now() - started) / 1000);
        if (outcome.status === 'done') current = outcome.result;
      }
      const result: Output = {
        cluster: input.cluster,
        name: input.name,
        action: applied.created ? 'created' : 'configured',
        dry_run: input.dry_run,
        state: input.dry_run || input.wait_seconds === 0 ? 'not waited' : workState(current),
        ...(waited !== undefined ? { waited_seconds: waited } : {}),
        delete_option: deleteOption(current),
        dropped: droppedNames,
        conditions: workOutputOf(current).conditions,
        manifests: manifestRows(current),
      };
      if (result.state === 'failed') {
        const failing = result.manifests.filter((m) => m.applied === 'False');
        throw new ToolError(
          `ManifestWork ${input.cluster}/${input.name} was ${result.action}, but the work agent could not apply ` +
            `${failing.length || 'some'} of its ${result.manifests.length} manifests.`,
          {
            ...(failing[0]?.message
              ? { upstreamMessage: `${manifestName(failing[0])}: ${failing[0].message}` }
              : {}),
            next: 'Fix the manifest named in the message and apply again; manifestwork_get shows the status.',
            output: { structured: result, text: manifestTable(result.manifests) },
          },
        );
      }
      return result;
    } catch (error) {
      throw hubError(error);
    }
  },
});
