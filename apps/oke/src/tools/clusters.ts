import { ANNOTATIONS, defineTool } from '@cloudmcp/toolkit';
import * as z from 'zod';
import { CLUSTER_ENDPOINTS } from '../config.js';
import type { Cluster, ClusterSummary, Compartment } from '../oci/api.js';
import {
  type Ctx,
  clusterField,
  clusterOf,
  compartmentField,
  compartmentOf,
  ociPageInput,
  ociPageOutput,
  shortTime,
} from './common.js';

const compartmentRow = z.object({
  name: z.string().optional(),
  id: z.string().optional(),
  parent: z.string().optional().describe('Parent compartment OCID'),
  state: z.string().optional(),
  description: z.string().optional(),
});

function compartmentRowOf(c: Compartment): z.input<typeof compartmentRow> {
  return {
    name: c.name,
    id: c.id,
    parent: c.compartmentId,
    state: c.lifecycleState,
    ...(c.description ? { description: c.description } : {}),
  };
}

export const compartmentList = defineTool({
  name: 'compartment_list',
  title: 'List compartments',
  description:
    'Lists the compartments under one (default: the tenancy, the root), the whole tree unless `subtree` is ' +
    'false. Compartment OCIDs go into cluster_list, node_pool_list and work_request_list.',
  toolset: 'oci',
  input: z.object({
    parent: z.string().optional().describe('Compartment OCID to list under (default: the tenancy)'),
    subtree: z.boolean().default(true).describe('Every level below `parent`, not only its children'),
    ...ociPageInput(100),
  }),
  output: z.object(ociPageOutput(compartmentRow)),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'compartments',
    columns: [
      { header: 'name', value: (c) => c.name },
      { header: 'state', value: (c) => c.state },
      { header: 'id', value: (c) => c.id },
    ],
  },
  async handler(input, ctx: Ctx) {
    const answer = await ctx.deps.oci.listCompartments({
      ...(input.parent !== undefined ? { compartmentId: input.parent } : {}),
      subtree: input.subtree,
      limit: input.limit,
      ...(input.cursor !== undefined ? { page: input.cursor } : {}),
      signal: ctx.signal,
    });
    return {
      items: answer.items.map(compartmentRowOf),
      ...(answer.nextPage ? { next_cursor: answer.nextPage } : {}),
    };
  },
});

const CLUSTER_STATES = ['CREATING', 'ACTIVE', 'FAILED', 'DELETING', 'DELETED', 'UPDATING'] as const;

const clusterRow = z.object({
  name: z.string().optional(),
  id: z.string().optional(),
  state: z.string().optional(),
  version: z.string().optional().describe('Kubernetes version of the control plane'),
  type: z.string().optional().describe('BASIC_CLUSTER or ENHANCED_CLUSTER'),
  public_endpoint: z.string().optional().describe('host:port'),
  private_endpoint: z.string().optional().describe('host:port'),
  upgrades: z.array(z.string()).optional().describe('Kubernetes versions it can be upgraded to'),
  created: z.string().optional(),
});

function clusterRowOf(c: ClusterSummary | Cluster): z.input<typeof clusterRow> {
  return {
    name: c.name,
    id: c.id,
    state: c.lifecycleState,
    version: c.kubernetesVersion,
    type: c.type,
    public_endpoint: c.endpoints?.publicEndpoint,
    private_endpoint: c.endpoints?.privateEndpoint,
    ...(c.availableKubernetesUpgrades?.length ? { upgrades: c.availableKubernetesUpgrades } : {}),
    created: shortTime(c.metadata?.timeCreated),
  };
}

export const clusterList = defineTool({
  name: 'cluster_list',
  title: 'List OKE clusters',
  description:
    'Lists the OKE clusters of a compartment (default: the server default) with state, Kubernetes version, ' +
    'type and API endpoints; deleted ones only when asked by `state`. A cluster name or OCID from it goes into ' +
    'every Kubernetes tool as `cluster`.',
  toolset: 'oci',
  input: z.object({
    compartment: compartmentField,
    name: z.string().max(255).optional().describe('Only the cluster with this exact name'),
    state: z
      .array(z.enum(CLUSTER_STATES))
      .optional()
      .describe('Only clusters in these states (default: all but DELETED)'),
    ...ociPageInput(100),
  }),
  output: z.object(ociPageOutput(clusterRow)),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'clusters',
    columns: [
      { header: 'name', value: (c) => c.name },
      { header: 'state', value: (c) => c.state },
      { header: 'version', value: (c) => c.version },
      { header: 'type', value: (c) => c.type?.replace('_CLUSTER', '') },
      { header: 'public', value: (c) => c.public_endpoint },
      { header: 'private', value: (c) => c.private_endpoint },
      { header: 'id', value: (c) => c.id },
    ],
  },
  async handler(input, ctx: Ctx) {
    const compartmentId = compartmentOf(input, ctx);
    const states = input.state ?? CLUSTER_STATES.filter((s) => s !== 'DELETED');
    const answer = await ctx.deps.oci.listClusters({
      compartmentId,
      lifecycleStates: [...states],
      ...(input.name !== undefined ? { name: input.name } : {}),
      limit: input.limit,
      ...(input.cursor !== undefined ? { page: input.cursor } : {}),
      signal: ctx.signal,
    });
    ctx.deps.directory.note(answer.items, compartmentId);
    return {
      items: answer.items.map(clusterRowOf),
      ...(answer.nextPage ? { next_cursor: answer.nextPage } : {}),
    };
  },
});

export const clusterGet = defineTool({
  name: 'cluster_get',
  title: 'Get an OKE cluster',
  description:
    'One OKE cluster in full: state and details, Kubernetes version and available upgrades, type, endpoints, ' +
    'VCN and endpoint subnet, public IP, NSGs, network and add-on options, image policy, who created it and when.',
  toolset: 'oci',
  input: z.object({ cluster: clusterField }),
  output: z.looseObject({
    name: z.string().optional(),
    id: z.string().optional(),
    state: z.string().optional(),
  }),
  annotations: ANNOTATIONS.read,
  render: { kind: 'object' },
  async handler(input, ctx: Ctx) {
    const ref = await clusterOf(input, ctx);
    const c = await ctx.deps.oci.getCluster(ref.id, { signal: ctx.signal });
    return {
      ...clusterRowOf(c),
      ...(c.lifecycleDetails ? { details: c.lifecycleDetails } : {}),
      compartment: c.compartmentId,
      vcn: c.vcnId,
      endpoint_subnet: c.endpointConfig?.subnetId,
      public_ip: c.endpointConfig?.isPublicIpEnabled,
      ...(c.endpointConfig?.nsgIds?.length ? { nsgs: c.endpointConfig.nsgIds } : {}),
      ...(c.endpoints?.vcnHostnameEndpoint ? { vcn_hostname: c.endpoints.vcnHostnameEndpoint } : {}),
      options: c.options,
      image_policy: c.imagePolicyConfig?.isPolicyEnabled ?? false,
      pod_network: c.clusterPodNetworkOptions?.map((o) => o.cniType),
      created_by: c.metadata?.createdByUserId,
      updated: shortTime(c.metadata?.timeUpdated),
    };
  },
});

export const kubeconfigGet = defineTool({
  name: 'kubeconfig_get',
  title: 'Get a cluster kubeconfig',
  description:
    "A cluster's kubeconfig as OCI returns it (CreateKubeconfig, token version 2.0.0): its user runs " +
    '`oci ce cluster generate-token`, so it holds no secret. For kubectl on your own machine; the tools here ' +
    'need none of it.',
  toolset: 'oci',
  input: z.object({
    cluster: clusterField,
    endpoint: z
      .enum(CLUSTER_ENDPOINTS)
      .optional()
      .describe("Which API endpoint it points at (default: the server's)"),
  }),
  // Not `kubeconfig`: output under that key is redacted whole as a credential, and this one holds none.
  output: z.object({ cluster: z.string(), endpoint: z.string(), yaml: z.string() }),
  annotations: ANNOTATIONS.read,
  render: { kind: 'text', text: (o) => o.yaml },
  async handler(input, ctx: Ctx) {
    const ref = await clusterOf(input, ctx);
    const endpoint = input.endpoint ?? ctx.deps.settings.endpoint;
    const kubeconfig = await ctx.deps.oci.createKubeconfig(ref.id, { endpoint, signal: ctx.signal });
    return { cluster: ref.id, endpoint, yaml: kubeconfig };
  },
});
