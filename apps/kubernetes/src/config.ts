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
  {
    name: 'kubectl-path',
    type: 'string',
    env: ['KUBECTL_PATH'],
    valueName: 'FILE',
    defaultText: 'kubectl',
    description: 'The kubectl binary: a path, or a name looked up in --cli-dirs then PATH.',
  },
  {
    name: 'helm-path',
    type: 'string',
    env: ['HELM_PATH'],
    valueName: 'FILE',
    defaultText: 'helm',
    description: 'The helm binary.',
  },
  {
    name: 'istioctl-path',
    type: 'string',
    env: ['ISTIOCTL_PATH'],
    valueName: 'FILE',
    defaultText: 'istioctl',
    description: 'The istioctl binary.',
  },
  {
    name: 'argocd-path',
    type: 'string',
    env: ['ARGOCD_PATH'],
    valueName: 'FILE',
    defaultText: 'argocd',
    description: 'The argocd binary.',
  },
  {
    name: 'cli-dirs',
    type: 'list',
    env: ['CLOUDMCP_CLI_DIRS'],
    valueName: 'DIR,DIR',
    description: 'Directories searched for the CLI binaries before PATH.',
  },
  {
    name: 'cli-timeout',
    type: 'number',
    env: ['CLOUDMCP_CLI_TIMEOUT'],
    valueName: 'SECONDS',
    defaultText: '60',
    description: 'How long one kubectl/helm/istioctl/argocd command may run before it is stopped.',
  },
  {
    name: 'cli-local-files',
    type: 'boolean',
    env: ['CLOUDMCP_CLI_LOCAL_FILES'],
    description:
      "Let CLI commands read or write files on this machine's disk (`-f ./app.yaml`, `helm install ./chart`, " +
      '`--values`, template files). Off by default; `-` with `stdin` always works.',
  },
  {
    name: 'cli-allowed-urls',
    type: 'list',
    env: ['CLOUDMCP_CLI_ALLOWED_URLS'],
    valueName: 'PREFIX,PREFIX',
    defaultText: 'any over stdio, none over HTTP',
    description:
      'URL prefixes CLI commands may fetch (`kubectl apply -f https://…`, `helm --repo`, chart URLs, ' +
      '`oci://`), e.g. `https://charts.example.com/,oci://registry.example.com/`. Over HTTP a tenant could ' +
      'otherwise make this server fetch from its own network, so there nothing is fetched unless listed.',
  },
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
  {
    name: 'argocd-server',
    type: 'string',
    env: ['ARGOCD_SERVER'],
    valueName: 'HOST[:PORT]',
    description:
      'Argo CD API server for the argocd tool; without it argocd runs with --core over the kubeconfig.',
  },
  {
    name: 'argocd-auth-token',
    type: 'string',
    env: ['ARGOCD_AUTH_TOKEN'],
    secret: true,
    description:
      'Argo CD token used with --argocd-server (passed to argocd in its environment, never shown).',
  },
];

export const kubernetesConfigSchema = z.object({
  kubeconfig: z.string().optional(),
  inCluster: z.boolean().default(false),
  context: z.string().min(1).optional(),
  requestTimeout: z.number().positive().max(3600).default(30),
  kubectlPath: z.string().min(1).optional(),
  helmPath: z.string().min(1).optional(),
  istioctlPath: z.string().min(1).optional(),
  argocdPath: z.string().min(1).optional(),
  cliDirs: z.array(z.string().min(1)).optional(),
  cliTimeout: z.number().positive().max(3600).default(60),
  cliLocalFiles: z.boolean().default(false),
  cliAllowedUrls: z.array(z.string().url()).optional(),
  allowLocalClusters: z.boolean().default(false),
  argocdServer: z.string().min(1).optional(),
  argocdAuthToken: z.string().min(1).optional(),
});
export type KubernetesConfig = z.output<typeof kubernetesConfigSchema>;
