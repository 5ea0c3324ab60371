import { age, KubeApiError, type KubeObject, kubePage } from '@cloudmcp/kube';
import { ANNOTATIONS, defineTool, pageInput, pageOutput, type ToolContext } from '@cloudmcp/toolkit';
import * as z from 'zod';
import type { OcmDeps } from '../deps.js';
import { CLUSTERSET_LABEL, conditionOf, HUB_ACCESS_NEXT, hubError, OCM_TYPES } from '../resources.js';
import { selectorOf } from '../targets.js';

/** The reserved claim names, shown by their first word (`platform`, `product`…). */
const RESERVED_CLAIM = /^(id\.k8s\.io|[a-z]+\.open-cluster-management\.io)$/;

/**
 * What a cluster's agent writes is read within bounds, so one hostile cluster cannot fill the answer: OCM's
 * agent reports at most 20 claims of its own besides the reserved ones, the CRD caps a claim's value at
 * 1024 characters and no API server's URL is longer than 2048.
 */
const MAX_CLAIMS = 50;
const MAX_CLAIM_VALUE = 1024;
const MAX_URL = 2048;

/** `text` cut to `max` characters, ending in '…' when cut. */
const bounded = (text: string, max: number): string =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

const clusterRow = z.object({
  name: z.string(),
  accepted: z.boolean().describe('spec.hubAcceptsClient'),
  url: z
    .string()
    .optional()
    .describe("The managed cluster's API server (spec.managedClusterClientConfigs[0].url)"),
  joined: z.string().describe('ManagedClusterJoined: True, False, Unknown, or empty when not reported'),
  available: z.string().describe('ManagedClusterConditionAvailable: True, False or Unknown'),
  age: z.string(),
  clusterset: z.string().optional().describe('Its ManagedClusterSet (label)'),
  claims: z
    .record(z.string(), z.string())
    .optional()
    .describe(`status.clusterClaims, reserved names shortened (the first ${MAX_CLAIMS})`),
  claims_omitted: z.number().int().optional().describe('Claims past the first ones, left out'),
  labels: z.record(z.string(), z.string()).optional(),
  kubernetes: z.string().optional().describe('status.version.kubernetes'),
  connected: z.string().optional().describe('The ClusterRole this server is connected with, when it is'),
});
type ClusterRow = z.infer<typeof clusterRow>;

function claimsOf(cluster: KubeObject): { claims?: Record<string, string>; claims_omitted?: number } {
  const claims = (
    cluster['status'] as { clusterClaims?: Array<{ name?: unknown; value?: unknown }> } | undefined
  )?.clusterClaims;
  const valid = (Array.isArray(claims) ? claims : []).filter(
    (c): c is { name: string; value: string } => typeof c?.name === 'string' && typeof c.value === 'string',
  );
  const out: Record<string, string> = {};
  for (const claim of valid.slice(0, MAX_CLAIMS)) {
    const name = RESERVED_CLAIM.test(claim.name) ? claim.name.split('.')[0]! : claim.name;
    out[bounded(name, 253)] = bounded(claim.value, MAX_CLAIM_VALUE);
  }
  return {
    ...(Object.keys(out).length ? { claims: out } : {}),
    ...(valid.length > MAX_CLAIMS ? { claims_omitted: valid.length - MAX_CLAIMS } : {}),
  };
}

function rowOf(cluster: KubeObject, connectedRole: (name: string) => string | undefined): ClusterRow {
  const name = cluster.metadata?.name ?? '';
  const spec = cluster['spec'] as
    | { hubAcceptsClient?: boolean; managedClusterClientConfigs?: Array<{ url?: string }> }
    | undefined;
  const labels = cluster.metadata?.labels;
  const kubernetes = (cluster['status'] as { version?: { kubernetes?: unknown } } | undefined)?.version
    ?.kubernetes;
  const url = spec?.managedClusterClientConfigs?.[0]?.url;
  const role = connectedRole(name);
  return {
    name,
    accepted: spec?.hubAcceptsClient === true,
    ...(typeof url === 'string' && url ? { url: bounded(url, MAX_URL) } : {}),
    joined: conditionOf(cluster, 'ManagedClusterJoined')?.status ?? '',
    available: conditionOf(cluster, 'ManagedClusterConditionAvailable')?.status ?? '',
    age: age(cluster.metadata?.creationTimestamp),
    ...(labels?.[CLUSTERSET_LABEL] ? { clusterset: labels[CLUSTERSET_LABEL] } : {}),
    ...claimsOf(cluster),
    ...(labels && Object.keys(labels).length ? { labels } : {}),
    ...(typeof kubernetes === 'string' && kubernetes ? { kubernetes: bounded(kubernetes, 64) } : {}),
    ...(role ? { connected: role } : {}),
  };
}

/** `platform=Other product=OpenShift …`: the claims in one cell. */
function compactClaims(claims: Record<string, string> | undefined): string {
  return Object.entries(claims ?? {})
    .filter(([name]) => name !== 'id')
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
}

export const clusters = defineTool({
  name: 'clusters',
  title: 'List managed clusters',
  description:
    "Managed clusters of the OCM hub: accepted, API URL, available, cluster set, claims, and this server's connection and role.",
  toolset: 'clusters',
  input: z.object({
    label_selector: z.string().min(1).max(4096).optional().describe('e.g. `env=prod`'),
    ...pageInput({ defaultLimit: 100, maxLimit: 500 }),
  }),
  output: z.object(pageOutput(clusterRow)),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'managed clusters',
    narrowHint: 'narrow with label_selector',
    columns: [
      { header: 'name', value: (c) => c.name },
      { header: 'hub accepted', value: (c) => c.accepted },
      { header: 'url', value: (c) => c.url },
      { header: 'joined', value: (c) => c.joined },
      { header: 'available', value: (c) => c.available },
      { header: 'age', value: (c) => c.age },
      { header: 'set', value: (c) => c.clusterset, collapseWhenUniform: true },
      { header: 'connected', value: (c) => c.connected ?? '-' },
      { header: 'claims', value: (c) => compactClaims(c.claims) },
    ],
  },
  async handler(input, ctx: ToolContext<OcmDeps>) {
    // checked here so a bad selector is named as bad input, not as the API server's 400
    if (input.label_selector !== undefined) selectorOf(input.label_selector, 'label_selector');
    const hub = await ctx.deps.kube.hubClient(ctx.signal);
    const connected = (name: string) => ctx.deps.connections.get(name)?.role;
    try {
      return await kubePage(
        input,
        (page) =>
          hub.list(OCM_TYPES.managedClusters, {
            ...page,
            ...(input.label_selector !== undefined ? { labelSelector: input.label_selector } : {}),
            signal: ctx.signal,
          }),
        (items) => items.map((cluster) => rowOf(cluster, connected)),
      );
    } catch (error) {
      throw hubError(
        error,
        error instanceof KubeApiError && error.code === 403 ? { next: HUB_ACCESS_NEXT } : {},
      );
    }
  },
});
