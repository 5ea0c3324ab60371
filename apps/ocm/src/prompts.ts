import { type AnyPrompt, definePrompt } from '@cloudmcp/toolkit';
import * as z from 'zod';

export const fleetHealth = definePrompt({
  name: 'fleet_health',
  title: 'Check the health of the fleet',
  description:
    'Which managed clusters are unavailable, and what is unhealthy on the available ones: clusters, ' +
    'least-privilege connections, then one scan across the fleet for unready and crash-looping pods.',
  args: {
    selector: z
      .string()
      .optional()
      .describe('Label selector over the managed clusters (e.g. `env=prod`); default: every cluster'),
  },
  text: ({ selector }) => {
    const over = selector ? `\`cluster: "${selector}"\`` : '`cluster: "*"`';
    return [
      `Check the health of the fleet${selector ? ` (the managed clusters matching \`${selector}\`)` : ''}.`,
      'Use the tools in this order:',
      '1. `clusters`: which managed clusters are not joined or not available (and since when); they cannot be asked.',
      `2. \`connect_cluster\` with \`cluster: "${selector ?? '<each available cluster>'}"\` and no \`cluster_role\` (the default, least privilege): connects the ones not yet connected.`,
      `3. \`pods_not_ready\` and \`pods_crashlooping\` with ${over}: one table each across the clusters; a cluster listed under \`unreachable\` went down or is not connected.`,
      '4. For the worst cluster: `event_list` (type "Warning") and `top_nodes` there.',
      '5. `addon_list` when a cluster cannot be connected (the managed-serviceaccount add-on is missing or unavailable).',
      'Then answer with a short table: cluster, status, what is wrong (one line each), and the first thing to ' +
        'look at. Change nothing.',
    ].join('\n');
  },
});

export const investigateCluster = definePrompt({
  name: 'investigate_cluster',
  title: 'Investigate one managed cluster',
  description:
    'Why a managed cluster is unhealthy or slow: its OCM status, then nodes, failing pods, events and ' +
    'resource use through Prometheus.',
  args: {
    cluster: z.string().describe('The ManagedCluster to investigate'),
  },
  text: ({ cluster }) =>
    [
      `Investigate the managed cluster \`${cluster}\`. Pass \`cluster: "${cluster}"\` to every tool.`,
      'Use the tools in this order and stop as soon as the cause is clear:',
      '1. `clusters`: is it joined and available, and what do its claims say (version, platform)?',
      '2. `addon_list` for it: are its add-ons available?',
      '3. `node_list`: nodes not Ready, pressure conditions, taints.',
      '4. `pods_not_ready`, `pods_crashlooping` and `probe_failures`: what fails where.',
      '5. `event_list` (type "Warning"): scheduling, image pulls, probes, OOM kills.',
      '6. `prometheus` with `ql: "sum(rate(container_cpu_usage_seconds_total{container!=\\"\\"}[5m])) by (namespace)"` ' +
        'and `ql: "sum(container_memory_working_set_bytes{container!=\\"\\"}) by (namespace)"`: where the CPU and ' +
        'memory go (a range query over the last hour when something changed recently).',
      '7. `manifestwork_list` for it: a ManifestWork that failed to apply is often the change that broke it.',
      'Then answer: the cause in one sentence, the evidence (quote the event, log line or metric), and the fix ' +
        'as a concrete change. Do not change anything before the user agrees.',
    ].join('\n'),
});

export const ocmPrompts: AnyPrompt[] = [fleetHealth, investigateCluster];
