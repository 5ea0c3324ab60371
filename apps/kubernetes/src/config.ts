import { CLI_OPTIONS, cliConfigShape } from '@cloudmcp/kube';
import type { OptionSpec } from '@cloudmcp/toolkit';
import * as z from 'zod';

/** The Kubernetes server's own options; `KUBECONFIG` keeps working as it does for kubectl. */
export const kubernetesOptions: OptionSpec[] = [
  {
    name: 'kubeconfig',
    type: 'string',
    env: ['KUBECONFIG'],
    valueName: 'FILE[:FILE…]',
    defaultText: '~/.kube/config',
    description:
      "Kubeconfig file(s), several joined by ':' and merged like kubectl does (the first file to name a " +
      'context, cluster or user wins; missing files are skipped). Every context becomes a target.',
  },
  {
    name: 'in-cluster',
    type: 'boolean',
    env: ['KUBERNETES_IN_CLUSTER'],
    description:
      'In a pod: its own service account is the one context, `in-cluster` (API server from ' +
      'KUBERNETES_SERVICE_HOST/PORT; token, CA and namespace from /var/run/secrets/kubernetes.io/serviceaccount; ' +
      'a rotated token is picked up within seconds). Not with --kubeconfig.',
  },
  {
    name: 'context',
    type: 'string',
    env: ['KUBE_CONTEXT'],
    valueName: 'NAME',
    description: "Context used when a tool names none (default: the kubeconfig's current-context).",
  },
  {
    name: 'request-timeout',
    type: 'number',
    env: ['KUBE_REQUEST_TIMEOUT'],
    valueName: 'SECONDS',
    defaultText: '30',
    description: 'Timeout of one Kubernetes API request (reads are retried on 429/5xx/resets).',
  },
  ...CLI_OPTIONS,
  {
    name: 'allow-local-clusters',
    type: 'boolean',
    env: ['CLOUDMCP_ALLOW_LOCAL_CLUSTERS'],
    description:
      "Let kubeconfigs that requests bring (the X-Kubeconfig header, the CLI tools' `kubeconfig` argument) " +
      'name servers on loopback or link-local addresses (127.0.0.0/8, ::1, 169.254.0.0/16 and cloud metadata ' +
      "addresses). Off by default: such a kubeconfig would point this server at its own host. The server's " +
      'own kubeconfig is trusted and never checked.',
  },
];

export const kubernetesConfigSchema = z.object({
  kubeconfig: z.string().optional(),
  inCluster: z.boolean().default(false),
  context: z.string().min(1).optional(),
  requestTimeout: z.number().positive().max(3600).default(30),
  allowLocalClusters: z.boolean().default(false),
  ...cliConfigShape,
});
export type KubernetesConfig = z.output<typeof kubernetesConfigSchema>;
