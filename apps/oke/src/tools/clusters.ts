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
  description: 'Compartments under one, the whole tree unless `subtree` is false.',
  toolset: 'oci',
  input: z.object({
    parent: z.string().optional().describe('Compartment OCID; default: the tenancy'),
    subtree: z.boolean().default(true).describe('Every level, not only children'),
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
  description: 'OKE clusters of a compartment with state, version, type and endpoints.',
  toolset: 'oci',
  input: z.object({
    compartment: compartmentField,
    name: z.string().max(255).optional().describe('Exact name'),
    state: z.array(z.enum(CLUSTER_STATES)).optional().describe('Default: all but DELETED'),
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
  description: 'One OKE cluster in full, with its available upgrades and network.',
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
    "A cluster's kubeconfig for kubectl on your own machine (no secret: it runs `oci ce cluster generate-token`).",
  toolset: 'oci',
  input: z.object({
    cluster: clusterField,
    endpoint: z.enum(CLUSTER_ENDPOINTS).optional().describe("Default: the server's"),
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
