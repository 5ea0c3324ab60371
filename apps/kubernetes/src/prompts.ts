import { type AnyPrompt, definePrompt } from '@cloudmcp/toolkit';
import * as z from 'zod';

const contextArg = z
  .string()
  .optional()
  .describe('Kubeconfig context (cluster) to look in; default: the current context');

function onContext(context: string | undefined): string {
  return context ? ` Pass \`context: "${context}"\` to every tool.` : '';
}

export const troubleshootWorkload = definePrompt({
  name: 'troubleshoot_workload',
  title: 'Troubleshoot a workload',
  description:
    'Find out why a Deployment, StatefulSet, DaemonSet, Job or Pod is not healthy: pods, events, logs, ' +
    'probes, then a diagnosis and a proposed fix.',
  args: {
    namespace: z.string().describe('Namespace of the workload'),
    name: z.string().describe('Name of the workload'),
    kind: z.string().optional().describe('Deployment (default), StatefulSet, DaemonSet, Job or Pod'),
    context: contextArg,
  },
  text: ({ namespace, name, kind, context }) => {
    const k = kind?.trim() || 'Deployment';
    const isPod = /^pods?$/i.test(k);
    return [
      `Troubleshoot the ${k} \`${name}\` in namespace \`${namespace}\`.${onContext(context)}`,
      'Use the tools in this order and stop as soon as the cause is clear:',
      isPod
        ? `1. \`pod_get\` (namespace "${namespace}", name "${name}"): phase, conditions, container states, restarts and recent events.`
        : `1. \`resource_get\` (kind "${k}", namespace "${namespace}", name "${name}"): replicas, conditions and the pod selector (spec.selector.matchLabels).`,
      isPod
        ? '2. Skip to step 3.'
        : `2. \`pod_list\` (namespace "${namespace}", label_selector from that selector): which pods are not Running/Ready and how often they restart.`,
      `3. \`pod_get\` for each unhealthy pod (at most three): container states, last termination reason and exit code, and its events.`,
      `4. \`event_list\` (namespace "${namespace}", kind "${k}", name "${name}", type "Warning"): scheduling, image pull, quota and probe warnings.`,
      '5. `pod_logs` of a crashing container with `previous: true` (the run that crashed), then without it; keep `tail_lines` small.',
      `6. \`probe_failures\` and \`pods_not_ready\` (namespace "${namespace}") when pods run but are not Ready.`,
      `7. \`pods_crashlooping\` (namespace "${namespace}") when restarts keep climbing; \`top_pods\` when an OOMKilled exit (137) or throttling is suspected.`,
      '8. `can_i` when a call is refused (403) or the workload itself reports RBAC errors.',
      'Then answer: the cause in one sentence, the evidence (quote the event or log line), and the fix as a ' +
        'concrete change (a manifest patch for `resource_apply`, or a command). Do not change anything before ' +
        'the user agrees.',
    ].join('\n');
  },
});

export const explainRolloutFailure = definePrompt({
  name: 'explain_rollout_failure',
  title: 'Explain a failing rollout',
  description:
    'Explain why a Deployment rollout is stuck or failing: rollout status, the new ReplicaSet’s pods, events, ' +
    'logs and probes, and what to do (fix forward or roll back).',
  args: {
    namespace: z.string().describe('Namespace of the Deployment'),
    deployment: z.string().describe('Name of the Deployment'),
    context: contextArg,
  },
  text: ({ namespace, deployment, context }) =>
    [
      `Explain why the rollout of Deployment \`${deployment}\` in namespace \`${namespace}\` is not completing.${onContext(context)}`,
      'Use the tools in this order:',
      `1. \`deployment_rollout_status\` (namespace "${namespace}", name "${deployment}"): updated, ready and available replicas, and the Progressing condition (ProgressDeadlineExceeded?).`,
      `2. \`resource_get\` (kind "Deployment", namespace "${namespace}", name "${deployment}"): the pod template (image, probes, resources) and the strategy (maxUnavailable, maxSurge).`,
      `3. \`resource_list\` (kind "ReplicaSet", namespace "${namespace}", label_selector from the Deployment's selector): the newest ReplicaSet (highest revision) against the previous one.`,
      `4. \`pod_list\` (namespace "${namespace}", same label_selector): the new pods that are not Ready.`,
      '5. `pod_get` for one or two of them: container states (ImagePullBackOff, CrashLoopBackOff, Pending) and their events.',
      `6. \`event_list\` (namespace "${namespace}", type "Warning"): FailedScheduling, FailedCreate (quota), image pull and probe warnings.`,
      '7. `pod_logs` with `previous: true` for a crashing container, then `probe_failures` when pods run but never become Ready.',
      'Then answer: what blocks the rollout (one sentence), the evidence, and the two ways out: the fix to ' +
        'roll forward (what to change in the manifest) or a rollback (`kubectl rollout undo ' +
        `deployment/${deployment} -n ${namespace}\` through the kubectl tool). Do neither before the user agrees.`,
    ].join('\n'),
});

export const kubernetesPrompts: AnyPrompt[] = [troubleshootWorkload, explainRolloutFailure];
