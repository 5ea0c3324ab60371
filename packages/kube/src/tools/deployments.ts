import { ANNOTATIONS, pageOutput, poll, ToolError } from '@cloudmcp/toolkit';
import * as z from 'zod';
import { type KubeClient, type KubeObject, TYPES } from '../client.js';
import {
  age,
  kubePage,
  labelSelectorIn,
  namespaceFilterIn,
  namespaceIn,
  nonEmpty,
  pageIn,
  withSuggestions,
} from './common.js';
import { kubeTool } from './define.js';

interface Deployment extends KubeObject {
  spec?: {
    replicas?: number;
    paused?: boolean;
    template?: {
      metadata?: { annotations?: Record<string, string> };
      spec?: { containers?: Array<{ name: string; image?: string }> };
    };
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>;
  };
}

const deploymentNameIn = nonEmpty().describe('Deployment name');

async function getDeployment(
  client: KubeClient,
  name: string,
  namespace: string,
  signal: AbortSignal,
): Promise<Deployment> {
  return withSuggestions(client, TYPES.deployments, name, namespace, signal, () =>
    client.get<Deployment>(TYPES.deployments, name, { namespace, signal }),
  );
}

const deploymentRow = z.object({
  namespace: z.string(),
  name: z.string(),
  ready: z.string().describe('Ready replicas / desired'),
  up_to_date: z.number().int(),
  available: z.number().int(),
  age: z.string(),
  images: z.array(z.string()),
  paused: z.boolean().optional(),
  created: z.string().optional(),
});

export const deploymentList = kubeTool({
  name: 'deployment_list',
  title: 'List deployments',
  description: 'Deployments as `kubectl get deployments` shows them, with images.',
  toolset: 'workloads',
  input: z.object({
    namespace: namespaceFilterIn,
    label_selector: labelSelectorIn,
    ...pageIn({ defaultLimit: 500, maxLimit: 1000 }),
  }),
  output: z.object(pageOutput(deploymentRow)),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'deployments',
    narrowHint: 'filter by namespace or label_selector',
    columns: [
      { header: 'namespace', value: (d) => d.namespace, collapseWhenUniform: true },
      { header: 'name', value: (d) => d.name },
      { header: 'ready', value: (d) => d.ready },
      { header: 'up-to-date', value: (d) => d.up_to_date },
      { header: 'available', value: (d) => d.available },
      { header: 'age', value: (d) => d.age },
      { header: 'images', value: (d) => d.images, maxWidth: 60 },
    ],
  },
  async handler(input, { client, signal }) {
    return kubePage(
      input,
      (opts) =>
        client.list<Deployment>(TYPES.deployments, {
          ...opts,
          ...(input.namespace ? { namespace: input.namespace } : {}),
          ...(input.label_selector ? { labelSelector: input.label_selector } : {}),
          signal,
        }),
      (items) =>
        items.map((d) => {
          const created = d.metadata?.creationTimestamp;
          return {
            namespace: d.metadata?.namespace ?? '',
            name: d.metadata?.name ?? '',
            ready: `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`,
            up_to_date: d.status?.updatedReplicas ?? 0,
            available: d.status?.availableReplicas ?? 0,
            age: age(created),
            images: (d.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? ''),
            ...(d.spec?.paused ? { paused: true } : {}),
            ...(created ? { created } : {}),
          };
        }),
    );
  },
});

export const deploymentScale = kubeTool({
  name: 'deployment_scale',
  title: 'Scale a deployment',
  description: "Sets a deployment's replica count (`kubectl scale`).",
  toolset: 'workloads',
  input: z.object({
    name: deploymentNameIn,
    namespace: namespaceIn,
    replicas: z.number().int().min(0).max(10_000).describe('Desired count'),
  }),
  output: z.object({
    name: z.string(),
    namespace: z.string(),
    previous: z.number().int(),
    replicas: z.number().int(),
  }),
  annotations: ANNOTATIONS.change,
  render: {
    kind: 'text',
    text: (o) =>
      o.previous === o.replicas
        ? `Deployment ${o.namespace}/${o.name} already has ${o.replicas} replicas.`
        : `Deployment ${o.namespace}/${o.name} scaled from ${o.previous} to ${o.replicas} replicas. ` +
          'Follow it with deployment_rollout_status.',
  },
  async handler(input, { client, signal }) {
    const namespace = input.namespace ?? client.defaultNamespace;
    const scale = await withSuggestions(client, TYPES.deployments, input.name, namespace, signal, () =>
      client.get<{ spec?: { replicas?: number } }>(TYPES.deployments, input.name, {
        namespace,
        subresource: 'scale',
        signal,
      }),
    );
    const previous = scale.spec?.replicas ?? 0;
    if (previous !== input.replicas) {
      await client.patch(
        TYPES.deployments,
        input.name,
        { spec: { replicas: input.replicas } },
        { namespace, subresource: 'scale', signal },
      );
    }
    return { name: input.name, namespace, previous, replicas: input.replicas };
  },
});

export const deploymentRestart = kubeTool({
  name: 'deployment_restart',
  title: 'Restart a deployment',
  description: 'Rolling restart of a deployment (`kubectl rollout restart`).',
  toolset: 'workloads',
  input: z.object({ name: deploymentNameIn, namespace: namespaceIn }),
  output: z.object({ name: z.string(), namespace: z.string(), restarted_at: z.string() }),
  annotations: ANNOTATIONS.create,
  render: {
    kind: 'text',
    text: (o) =>
      `Deployment ${o.namespace}/${o.name} restarting (restartedAt ${o.restarted_at}). ` +
      'Follow it with deployment_rollout_status.',
  },
  async handler(input, { client, signal }) {
    const namespace = input.namespace ?? client.defaultNamespace;
    const deployment = await getDeployment(client, input.name, namespace, signal);
    if (deployment.spec?.paused) {
      throw new ToolError(`Deployment ${namespace}/${input.name} is paused; a restart would not roll out.`, {
        next: 'Resume it first (resource_apply with spec.paused: false), then restart.',
      });
    }
    const restartedAt = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    await client.patch(
      TYPES.deployments,
      input.name,
      {
        spec: {
          template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': restartedAt } } },
        },
      },
      { namespace, signal },
    );
    return { name: input.name, namespace, restarted_at: restartedAt };
  },
});

interface RolloutState {
  done: boolean;
  failed: boolean;
  message: string;
}

/** kubectl's DeploymentStatusViewer logic. */
export function rolloutState(d: Deployment): RolloutState {
  const name = d.metadata?.name ?? '';
  const generation = d.metadata?.generation ?? 0;
  const status = d.status ?? {};
  if (generation > (status.observedGeneration ?? 0)) {
    return { done: false, failed: false, message: 'Waiting for deployment spec update to be observed...' };
  }
  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return { done: false, failed: true, message: `deployment "${name}" exceeded its progress deadline` };
  }
  const want = d.spec?.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const total = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  if (updated < want) {
    return {
      done: false,
      failed: false,
      message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${want} new replicas have been updated...`,
    };
  }
  if (total > updated) {
    return {
      done: false,
      failed: false,
      message: `Waiting for deployment "${name}" rollout to finish: ${total - updated} old replicas are pending termination...`,
    };
  }
  if (available < updated) {
    return {
      done: false,
      failed: false,
      message: `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...`,
    };
  }
  return { done: true, failed: false, message: `deployment "${name}" successfully rolled out` };
}

const rolloutOutput = z.object({
  name: z.string(),
  namespace: z.string(),
  done: z.boolean(),
  failed: z.boolean().describe('The rollout exceeded its progress deadline'),
  message: z.string(),
  replicas: z.number().int().describe('Desired'),
  updated: z.number().int(),
  ready: z.number().int(),
  available: z.number().int(),
  conditions: z.array(
    z.object({
      type: z.string(),
      status: z.string(),
      reason: z.string().optional(),
      message: z.string().optional(),
    }),
  ),
  waited_seconds: z.number().optional(),
});

export const deploymentRolloutStatus = kubeTool({
  name: 'deployment_rollout_status',
  title: 'Deployment rollout status',
  description: "A deployment's rollout status (`kubectl rollout status`); can wait.",
  toolset: 'workloads',
  input: z.object({
    name: deploymentNameIn,
    namespace: namespaceIn,
    wait_seconds: z.number().int().min(0).max(600).default(0).describe('Wait up to this long'),
  }),
  output: rolloutOutput,
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'text',
    text: (o) =>
      `${o.message} (${o.namespace}; desired ${o.replicas}, updated ${o.updated}, ready ${o.ready}, available ${o.available})` +
      (o.failed ? '. Look at pods_not_ready and event_list for why.' : '') +
      (!o.done && !o.failed && o.waited_seconds ? ` — still in progress after ${o.waited_seconds}s.` : ''),
  },
  async handler(input, { client, signal, ctx }) {
    const namespace = input.namespace ?? client.defaultNamespace;
    let deployment = await getDeployment(client, input.name, namespace, signal);
    let waited: number | undefined;
    if (input.wait_seconds > 0 && !rolloutState(deployment).done && !rolloutState(deployment).failed) {
      const started = Date.now();
      const outcome = await poll({
        check: async (s) => {
          deployment = await client.get<Deployment>(TYPES.deployments, input.name, { namespace, signal: s });
          const state = rolloutState(deployment);
          return { done: state.done || state.failed, result: deployment, message: state.message };
        },
        timeoutMs: input.wait_seconds * 1000,
        signal,
        onProgress: (p) => ctx.progress(p),
      });
      waited = Math.round((Date.now() - started) / 1000);
      if (outcome.status === 'done') deployment = outcome.result;
    }
    const state = rolloutState(deployment);
    const status = deployment.status ?? {};
    return {
      name: input.name,
      namespace,
      done: state.done,
      failed: state.failed,
      message: state.message,
      replicas: deployment.spec?.replicas ?? 1,
      updated: status.updatedReplicas ?? 0,
      ready: status.readyReplicas ?? 0,
      available: status.availableReplicas ?? 0,
      conditions: (status.conditions ?? []).map((c) => ({
        type: c.type,
        status: c.status,
        ...(c.reason ? { reason: c.reason } : {}),
        ...(c.message ? { message: c.message } : {}),
      })),
      ...(waited !== undefined ? { waited_seconds: waited } : {}),
    };
  },
});

export const deploymentTools = [deploymentList, deploymentScale, deploymentRestart, deploymentRolloutStatus];
