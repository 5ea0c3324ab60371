import { mapLimit, matchesLabels } from '@cloudmcp/kube';
import {
  ANNOTATIONS,
  type AnyTool,
  badInput,
  defineTool,
  type ToolAnnotations,
  type ToolContext,
  ToolError,
} from '@cloudmcp/toolkit';
import * as z from 'zod';
import type { Connection } from '../connect/connections.js';
import { type Removal, workName } from '../connect/steps.js';
import type { OcmDeps } from '../deps.js';
import { OCM_TYPES } from '../resources.js';
import { HUB, isSelector, selectorOf } from '../targets.js';

type Ctx = ToolContext<OcmDeps>;

/** How many clusters one selector connects at once. */
const CONNECT_CONCURRENCY = 4;
/** The most clusters one selector may connect: each costs two objects on the hub and a wait. */
const MAX_CONNECT = 50;

/**
 * Under --read-only the two tools stay, marked read-only: what they write is this server's own access
 * (a ManagedServiceAccount and a ManifestWork binding `view`, on the hub), never a workload, and without
 * them a read-only server could not read any managed cluster. See the README's security model.
 */
function annotationsFor(readOnly: boolean): ToolAnnotations {
  return readOnly ? ANNOTATIONS.read : ANNOTATIONS.change;
}

const outcomeRow = z.object({
  cluster: z.string(),
  outcome: z.enum(['connected', 'failed']),
  role: z.string().optional().describe('The ClusterRole bound to the service account'),
  user: z.string().optional().describe('Who this server is on the managed cluster'),
  server: z.string().optional().describe("The managed cluster's API server"),
  error: z.string().optional().describe('Why it failed: the step and the cause'),
});
type OutcomeRow = z.infer<typeof outcomeRow>;

function connectedRow(connection: Connection): OutcomeRow {
  return {
    cluster: connection.cluster,
    outcome: 'connected',
    role: connection.role,
    user: connection.user,
    server: connection.server,
  };
}

/** The cluster names `cluster` stands for: one name, or the managed clusters a selector matches. */
async function clustersNamed(value: string, ctx: Ctx): Promise<{ names: string[]; selector: boolean }> {
  if (value === HUB || value === 'default') {
    throw badInput(
      'cluster',
      "the hub is reached with this server's own kubeconfig; there is nothing to connect.",
      'Pass a managed cluster from `clusters`; the hub is `hub` in every other tool.',
    );
  }
  if (!isSelector(value)) return { names: [ctx.deps.kube.targetOf(value)], selector: false };
  const selector = selectorOf(value, 'cluster');
  const hub = await ctx.deps.kube.hubClient(ctx.signal);
  const { items } = await hub.listAll(OCM_TYPES.managedClusters, { signal: ctx.signal });
  const names = items
    .filter((c) => matchesLabels(selector, c.metadata?.labels))
    .map((c) => c.metadata?.name ?? '')
    .filter(Boolean)
    .sort();
  if (names.length === 0) {
    throw new ToolError(`No managed cluster matches the label selector \`${value}\`.`, {
      next: 'See the clusters and their labels with `clusters`.',
    });
  }
  if (names.length > MAX_CONNECT) {
    throw new ToolError(
      `The selector matches ${names.length} clusters; one call connects at most ${MAX_CONNECT}.`,
      {
        next: 'Narrow the selector (add a label requirement), or connect them in several calls.',
      },
    );
  }
  return { names, selector: true };
}

function connectTool(readOnly: boolean) {
  return defineTool({
    name: 'connect_cluster',
    title: 'Connect to a managed cluster',
    description:
      'Gives this server access to a managed cluster with a ClusterRole, through OCM. Tools connect on first ' +
      'use with the default role: call this for another role, or for the clusters a label selector matches.' +
      (readOnly ? ' Read-only: only `view` is bound.' : ''),
    toolset: 'clusters',
    input: z.object({
      cluster: z
        .string()
        .min(1)
        .max(4096)
        .describe('Name, or a label selector (`env=prod`) for every cluster it matches'),
      cluster_role: z
        .string()
        .min(1)
        .max(253)
        .optional()
        .describe(
          readOnly
            ? 'Only `view` (read-only server)'
            : "One of the operator's allowed roles; default: the server's (normally `view`)",
        ),
    }),
    output: z.object({
      items: z.array(outcomeRow),
      connected: z.number().int().describe('How many clusters are now connected'),
      failed: z.number().int().describe('How many could not be connected'),
    }),
    annotations: annotationsFor(readOnly),
    render: {
      kind: 'list',
      noun: 'clusters',
      columns: [
        { header: 'cluster', value: (r) => r.cluster },
        { header: 'outcome', value: (r) => r.outcome },
        { header: 'role', value: (r) => r.role },
        { header: 'user', value: (r) => r.user },
        { header: 'error', value: (r) => r.error },
      ],
    },
    async handler(input, ctx: Ctx) {
      const { connections } = ctx.deps;
      const role = connections.checkRole(input.cluster_role ?? connections.settings.defaultRole);
      const { names, selector } = await clustersNamed(input.cluster, ctx);
      if (!selector) {
        // one cluster: its steps as progress, and a failure is the call's error (step, cause, fix)
        const connection = await connections.connect(names[0]!, role, {
          signal: ctx.signal,
          progress: (update) => ctx.progress(update),
        });
        return { items: [connectedRow(connection)], connected: 1, failed: 0 };
      }
      let done = 0;
      const rows = await mapLimit(names, CONNECT_CONCURRENCY, async (cluster): Promise<OutcomeRow> => {
        try {
          return connectedRow(await connections.connect(cluster, role, { signal: ctx.signal }));
        } catch (error) {
          if (ctx.signal.aborted) throw error;
          return {
            cluster,
            outcome: 'failed',
            role,
            error: error instanceof Error ? error.message : String(error),
          };
        } finally {
          done++;
          await ctx.progress({ progress: done, total: names.length, message: `${cluster} done` });
        }
      });
      const connected = rows.filter((r) => r.outcome === 'connected').length;
      return { items: rows, connected, failed: rows.length - connected };
    },
  });
}

const removal = z
  .enum(['deleted', 'absent', 'not ours'])
  .describe("`not ours`: an object of that name without this server's label, another tool's: left alone");

/** One access object's fate, as the text says it. */
function fate(object: string, outcome: Removal): string {
  return outcome === 'not ours' ? `${object} is not this server's: left alone` : `${object} ${outcome}`;
}

const ROLE_BINDING_FATE: Record<Removal, string> = {
  deleted: 'removed by the work agent with the ManifestWork',
  absent: 'none of ours (there was no ManifestWork)',
  'not ours': 'none of ours (the ManifestWork of that name is not this server’s)',
};

function disconnectTool(readOnly: boolean) {
  return defineTool({
    name: 'disconnect_cluster',
    title: 'Disconnect from a managed cluster',
    description:
      "Removes this server's access to a managed cluster (its service account and role binding); nothing else changes.",
    toolset: 'clusters',
    input: z.object({
      cluster: z.string().min(1).max(63).describe('Managed cluster name'),
    }),
    output: z.object({
      cluster: z.string(),
      service_account: z.string().describe('The ManagedServiceAccount this server connects as'),
      managed_service_account: removal,
      manifest_work: removal,
      role_binding: z.string().describe('What happened to the role binding on the managed cluster'),
      was_connected: z.boolean().describe('Whether this server process was connected to it'),
    }),
    annotations: annotationsFor(readOnly),
    render: {
      kind: 'text',
      text: (out) =>
        `Disconnected from ${out.cluster}: ` +
        `${fate(`ManagedServiceAccount ${out.cluster}/${out.service_account}`, out.managed_service_account)}, ` +
        `${fate(`ManifestWork ${out.cluster}/${workName(out.service_account)}`, out.manifest_work)}; ` +
        `role binding: ${out.role_binding}.` +
        (out.was_connected ? '' : ' (This server was not connected to it; leftovers were cleaned up.)'),
    },
    async handler(input, ctx: Ctx) {
      const cluster = ctx.deps.kube.targetOf(input.cluster);
      if (cluster === HUB) {
        throw badInput(
          'cluster',
          'the hub is not a connection of this server.',
          'Pass a managed cluster name.',
        );
      }
      const removed = await ctx.deps.connections.disconnect(cluster, {
        signal: ctx.signal,
        progress: (update) => ctx.progress(update),
      });
      return {
        cluster,
        service_account: ctx.deps.settings.serviceAccount,
        ...removed,
        role_binding: ROLE_BINDING_FATE[removed.manifest_work],
      };
    },
  });
}

/** connect_cluster and disconnect_cluster, as the server's policy shapes them. */
export function connectTools(readOnly: boolean): AnyTool<OcmDeps>[] {
  return [connectTool(readOnly), disconnectTool(readOnly)] as unknown as AnyTool<OcmDeps>[];
}
