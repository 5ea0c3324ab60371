import { KubeApiError } from '@cloudmcp/kube';
import { ANNOTATIONS, defineTool, poll } from '@cloudmcp/toolkit';
import * as z from 'zod';
import { hubError, isOurs } from '../../resources.js';
import { type Ctx, clusterIn, hubClient, OCM, ownAccessWork } from './common.js';
import { deleteOption, type ManifestWork, manifestName, manifestRows } from './work-status.js';

const output = z.object({
  cluster: z.string(),
  name: z.string(),
  delete_option: z.string(),
  resources: z.array(z.string()).describe('The resources the work deployed'),
  result: z
    .enum(['deleted', 'deleting'])
    .describe('deleting: the work agent is still cleaning up (its finalizer)'),
  waited_seconds: z.number().optional(),
});

export const manifestworkDelete = defineTool({
  name: 'manifestwork_delete',
  title: 'Delete a ManifestWork',
  description:
    'Deletes a ManifestWork; the work agent removes what it deployed (unless Orphan). Waits until it is gone.',
  toolset: 'fleet',
  input: z.object({
    cluster: clusterIn,
    name: z.string().min(1).max(253).describe('ManifestWork name'),
    wait_seconds: z.number().int().min(0).max(600).default(30).describe('Wait this long until it is gone'),
  }),
  output,
  annotations: ANNOTATIONS.destroy,
  // the question names what goes, which only the work itself says: asked from the handler
  asksToConfirm: true,
  render: {
    kind: 'text',
    text: (o) => {
      const fate = o.delete_option === 'Orphan' ? 'left on the cluster (Orphan)' : 'removed from the cluster';
      const state =
        o.result === 'deleted'
          ? `deleted; its ${o.resources.length} resource(s) ${fate}`
          : `being deleted: the work agent is still cleaning up after ${o.waited_seconds ?? 0}s; check with manifestwork_list`;
      return `ManifestWork ${o.cluster}/${o.name} ${state}.${o.resources.length ? `\nResources: ${o.resources.join(', ')}` : ''}`;
    },
  },
  async handler(input, ctx: Ctx) {
    try {
      const client = await hubClient(ctx);
      const get = (signal: AbortSignal) =>
        client.get<ManifestWork>(OCM.manifestWorks, input.name, { namespace: input.cluster, signal });
      const work = await get(ctx.signal);
      if (isOurs(work)) throw ownAccessWork(input.cluster, input.name);
      const resources = manifestRows(work).map(manifestName);
      const policy = deleteOption(work);
      const fate =
        policy === 'Orphan'
          ? `leaves its ${resources.length} resource(s) on the managed cluster (delete option Orphan)`
          : `removes its ${resources.length} resource(s) from the managed cluster`;
      await ctx.confirmDestructive(
        `Delete ManifestWork "${input.name}" on cluster "${input.cluster}": ${fate}` +
          (resources.length
            ? ` (${resources.slice(0, 5).join(', ')}${resources.length > 5 ? ', …' : ''})`
            : ''),
      );
      await client.delete(OCM.manifestWorks, input.name, { namespace: input.cluster, signal: ctx.signal });
      const gone = async (signal: AbortSignal) =>
        get(signal).then(
          () => false,
          (error: unknown) => {
            if (error instanceof KubeApiError && error.code === 404) return true;
            throw error;
          },
        );
      let deleted = await gone(ctx.signal);
      let waited: number | undefined;
      if (!deleted && input.wait_seconds > 0) {
        const started = Date.now();
        const outcome = await poll({
          check: async (signal) => ({
            done: await gone(signal),
            result: true,
            message: 'waiting for the work agent to clean up',
          }),
          timeoutMs: input.wait_seconds * 1000,
          signal: ctx.signal,
          onProgress: (p) => ctx.progress(p),
        });
        waited = Math.round((Date.now() - started) / 1000);
        deleted = outcome.status === 'done';
      }
      return {
        cluster: input.cluster,
        name: input.name,
        delete_option: policy,
        resources,
        result: deleted ? ('deleted' as const) : ('deleting' as const),
        ...(waited !== undefined ? { waited_seconds: waited } : {}),
      };
    } catch (error) {
      throw hubError(error, {
        notFound: `ManifestWork "${input.name}" for cluster "${input.cluster}"`,
        next: `List the works of that cluster with manifestwork_list (cluster: "${input.cluster}").`,
      });
    }
  },
});
