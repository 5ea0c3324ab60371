import { ANNOTATIONS, defineTool, ToolError } from '@cloudmcp/toolkit';
import * as z from 'zod';
import type { NodePool, NodePoolSummary } from '../oci/api.js';
import { isOcid } from '../oci/ocid.js';
import { type Ctx, clusterField, clusterOf, compartmentOf, ociPageInput, ociPageOutput } from './common.js';
import { failedWorkRequest, followWorkRequest } from './work-requests.js';

const nodePoolRow = z.object({
  name: z.string().optional(),
  id: z.string().optional(),
  state: z.string().optional(),
  version: z.string().optional().describe('Kubernetes version of the nodes'),
  shape: z.string().optional(),
  ocpus: z.number().optional(),
  memory_gb: z.number().optional(),
  size: z.number().optional().describe('Nodes wanted'),
});

function rowOf(p: NodePoolSummary | NodePool): z.input<typeof nodePoolRow> {
  return {
    name: p.name,
    id: p.id,
    state: p.lifecycleState,
    version: p.kubernetesVersion,
    shape: p.nodeShape,
    ...(p.nodeShapeConfig?.ocpus !== undefined ? { ocpus: p.nodeShapeConfig.ocpus } : {}),
    ...(p.nodeShapeConfig?.memoryInGBs !== undefined ? { memory_gb: p.nodeShapeConfig.memoryInGBs } : {}),
    ...(p.nodeConfigDetails?.size !== undefined ? { size: p.nodeConfigDetails.size } : {}),
  };
}

const nodePoolField = z.string().min(1).max(255).describe('OCID, or name in `cluster`');

/** The node pool a call names: an OCID as is, a name looked up in the cluster. */
async function nodePoolId(
  input: { node_pool: string; cluster?: string | undefined },
  ctx: Ctx,
): Promise<string> {
  if (isOcid(input.node_pool)) return input.node_pool;
  const cluster = await clusterOf(input, ctx);
  const answer = await ctx.deps.oci.listNodePools({
    compartmentId: cluster.compartmentId || compartmentOf({}, ctx),
    clusterId: cluster.id,
    limit: 1000,
    signal: ctx.signal,
  });
  const pools = answer.items.filter((p) => p.lifecycleState !== 'DELETED');
  const match = pools.filter((p) => p.name === input.node_pool);
  if (match.length === 1 && match[0]!.id) return match[0]!.id;
  throw new ToolError(
    match.length > 1
      ? `Invalid input \`node_pool\`: ${match.length} node pools of ${cluster.name} are named "${input.node_pool}".`
      : `Invalid input \`node_pool\`: no node pool named "${input.node_pool}" in cluster ${cluster.name}.`,
    {
      next: pools.length
        ? `Node pools there: ${pools.map((p) => `${p.name} (${p.id})`).join(', ')}.`
        : 'That cluster has no node pools.',
    },
  );
}

export const nodePoolList = defineTool({
  name: 'node_pool_list',
  title: 'List node pools',
  description: 'Node pools of a cluster or compartment with state, version, shape and size.',
  toolset: 'oci',
  input: z.object({
    cluster: clusterField,
    all_clusters: z.boolean().default(false).describe("The compartment's, not one cluster's"),
    compartment: z.string().optional().describe('With all_clusters; default: the server default'),
    ...ociPageInput(100),
  }),
  output: z.object(ociPageOutput(nodePoolRow)),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'node pools',
    columns: [
      { header: 'name', value: (p) => p.name },
      { header: 'state', value: (p) => p.state },
      { header: 'version', value: (p) => p.version },
      { header: 'shape', value: (p) => p.shape },
      { header: 'size', value: (p) => p.size },
      { header: 'id', value: (p) => p.id },
    ],
  },
  async handler(input, ctx: Ctx) {
    const cluster = input.all_clusters ? undefined : await clusterOf(input, ctx);
    const compartmentId = cluster?.compartmentId || compartmentOf(input, ctx);
    const answer = await ctx.deps.oci.listNodePools({
      compartmentId,
      ...(cluster ? { clusterId: cluster.id } : {}),
      limit: input.limit,
      ...(input.cursor !== undefined ? { page: input.cursor } : {}),
      signal: ctx.signal,
    });
    return { items: answer.items.map(rowOf), ...(answer.nextPage ? { next_cursor: answer.nextPage } : {}) };
  },
});

const nodeRow = z.object({
  name: z.string().optional(),
  state: z.string().optional(),
  private_ip: z.string().optional(),
  public_ip: z.string().optional(),
  ad: z.string().optional().describe('Availability domain'),
  fault_domain: z.string().optional(),
  version: z.string().optional(),
  error: z.string().optional(),
  id: z.string().optional(),
});

export const nodePoolGet = defineTool({
  name: 'node_pool_get',
  title: 'Get a node pool',
  description: 'One node pool with its nodes (state, IPs, domains, errors), shape, image and placement.',
  toolset: 'oci',
  input: z.object({
    node_pool: nodePoolField,
    cluster: clusterField.describe('The cluster, when node_pool is a name'),
  }),
  output: nodePoolRow.extend({
    cluster: z.string().optional(),
    details: z.string().optional(),
    image: z.string().optional(),
    subnets: z.array(z.string()).optional(),
    placement: z.array(z.string()).optional().describe('"<availability domain> <subnet OCID>"'),
    nodes: z.array(nodeRow),
  }),
  annotations: ANNOTATIONS.read,
  render: { kind: 'object' },
  async handler(input, ctx: Ctx) {
    const id = await nodePoolId(input, ctx);
    const p = await ctx.deps.oci.getNodePool(id, { signal: ctx.signal });
    return {
      ...rowOf(p),
      cluster: p.clusterId,
      ...(p.lifecycleDetails ? { details: p.lifecycleDetails } : {}),
      image: p.nodeSourceDetails?.imageId ?? p.nodeImageName,
      ...(p.subnetIds?.length ? { subnets: p.subnetIds } : {}),
      placement: p.nodeConfigDetails?.placementConfigs?.map((c) => `${c.availabilityDomain} ${c.subnetId}`),
      nodes: (p.nodes ?? []).map((n) => ({
        name: n.name,
        state: n.lifecycleState,
        private_ip: n.privateIp,
        ...(n.publicIp ? { public_ip: n.publicIp } : {}),
        ad: n.availabilityDomain,
        fault_domain: n.faultDomain,
        version: n.kubernetesVersion,
        ...(n.nodeError ? { error: `${n.nodeError.code}: ${n.nodeError.message}` } : {}),
        id: n.id,
      })),
    };
  },
});

export const nodePoolScale = defineTool({
  name: 'node_pool_scale',
  title: 'Scale a node pool',
  description: "Sets a node pool's size and follows the work request until it ends.",
  toolset: 'oci',
  input: z.object({
    node_pool: nodePoolField,
    cluster: clusterField.describe('The cluster, when node_pool is a name'),
    size: z.number().int().min(0).max(1000).describe('Nodes wanted'),
    wait: z.boolean().default(true).describe('Follow the work request'),
  }),
  output: z.object({
    node_pool: z.string(),
    from: z.number().optional().describe('Size before'),
    to: z.number(),
    work_request: z.string(),
    status: z.string().optional(),
    resume: z.string().optional(),
  }),
  annotations: { ...ANNOTATIONS.change, destructiveHint: true },
  asksToConfirm: true,
  render: { kind: 'object' },
  async handler(input, ctx: Ctx) {
    const id = await nodePoolId(input, ctx);
    const before = await ctx.deps.oci.getNodePool(id, { signal: ctx.signal });
    const from = before.nodeConfigDetails?.size;
    if (from !== undefined && input.size < from) {
      await ctx.confirmDestructive(
        `Scale node pool ${before.name ?? id} from ${from} to ${input.size} nodes (${from - input.size} deleted)`,
      );
    }
    const { workRequestId } = await ctx.deps.oci.updateNodePoolSize(id, input.size, { signal: ctx.signal });
    const base = {
      node_pool: before.name ?? id,
      ...(from !== undefined ? { from } : {}),
      to: input.size,
      work_request: workRequestId,
    };
    if (!input.wait) {
      return {
        ...base,
        resume: `Follow it with work_request_get(work_request: "${workRequestId}", wait: true).`,
      };
    }
    const detail = await followWorkRequest(ctx, workRequestId);
    if (detail.status === 'FAILED' || detail.status === 'CANCELED') {
      throw failedWorkRequest(detail, `Scaling node pool ${before.name ?? id}`);
    }
    return {
      ...base,
      status: detail.status,
      ...(detail.resume ? { resume: detail.resume } : {}),
    };
  },
});
