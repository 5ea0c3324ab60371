import { CLI_OPTIONS, cliConfigShape } from '@cloudmcp/kube';
import type { OptionSpec } from '@cloudmcp/toolkit';
import * as z from 'zod';

/** How OKE answers CreateKubeconfig: which API endpoint of the cluster the kubeconfig points at. */
export const CLUSTER_ENDPOINTS = [
  'PUBLIC_ENDPOINT',
  'PRIVATE_ENDPOINT',
  'VCN_HOSTNAME',
  'LEGACY_KUBERNETES',
] as const;
export type ClusterEndpoint = (typeof CLUSTER_ENDPOINTS)[number];

/** The OKE server's own options; the OCI CLI's and the OKE MCP server's environment variables keep working. */
export const okeOptions: OptionSpec[] = [
  {
    name: 'oci-config',
    type: 'string',
    env: ['OCI_CONFIG_FILE'],
    valueName: 'FILE',
    defaultText: '~/.oci/config',
    description:
      'The OCI configuration file (as written by `oci setup config` or `oci session authenticate`).',
  },
  {
    name: 'profile',
    type: 'string',
    env: ['OCI_CLI_PROFILE', 'OCI_PROFILE'],
    valueName: 'NAME',
    defaultText: 'DEFAULT',
    description: 'The profile of the configuration file; keys it lacks are taken from [DEFAULT].',
  },
  {
    name: 'region',
    type: 'string',
    env: ['OCI_REGION', 'OCI_CLI_REGION'],
    valueName: 'REGION',
    description: "The region (e.g. us-ashburn-1); default: the profile's `region`.",
  },
  {
    name: 'auth',
    type: 'string',
    env: ['OCI_CLI_AUTH'],
    valueName: 'api_key|security_token|instance_principal',
    description:
      'How requests are signed; default: security_token when the profile has security_token_file, else api_key.',
  },
  {
    name: 'oci-endpoint',
    type: 'string',
    env: ['OCI_ENDPOINT'],
    valueName: 'URL',
    description:
      'Base URL replacing the regional Container Engine and Identity endpoints (a proxy, a private endpoint, ' +
      'a simulator), e.g. http://127.0.0.1:9000; the API version path is added.',
  },
  {
    name: 'compartment',
    type: 'string',
    env: ['OKE_COMPARTMENT_ID'],
    valueName: 'OCID',
    description: "Compartment used when a tool names none (default: the profile's tenancy, the root).",
  },
  {
    name: 'cluster',
    type: 'string',
    env: ['OKE_CLUSTER_ID'],
    valueName: 'OCID|NAME',
    description: 'Cluster used when a tool names none.',
  },
  {
    name: 'cluster-endpoint',
    type: 'string',
    env: ['OKE_ENDPOINT', 'OKE_KUBE_ENDPOINT'],
    valueName: 'PUBLIC|PRIVATE|VCN_HOSTNAME|LEGACY',
    defaultText: 'PUBLIC',
    description:
      "Which API endpoint of a cluster the Kubernetes tools use (PRIVATE from inside the cluster's VCN or over a bastion).",
  },
  {
    name: 'in-cluster',
    type: 'boolean',
    env: ['OKE_IN_CLUSTER'],
    description:
      "In a pod on OKE: the pod's own service account reaches the cluster it runs in (named `in-cluster`); " +
      'OCI calls still use the configured auth.',
  },
  {
    name: 'request-timeout',
    type: 'number',
    env: ['OKE_REQUEST_TIMEOUT'],
    valueName: 'SECONDS',
    defaultText: '30',
    description: 'Timeout of one OCI or Kubernetes API request (reads are retried on 429/5xx/resets).',
  },
  {
    name: 'work-request-timeout',
    type: 'number',
    env: ['OKE_WORK_REQUEST_TIMEOUT'],
    valueName: 'SECONDS',
    defaultText: '900',
    description: 'How long node_pool_scale waits for its work request before returning its id.',
  },
  {
    name: 'work-request-poll-ms',
    type: 'number',
    env: ['OKE_WORK_REQUEST_POLL_MS'],
    valueName: 'MS',
    defaultText: '2000',
    description: 'First wait between work request polls (it grows up to 5x).',
  },
  ...CLI_OPTIONS,
];

/** `PUBLIC` → `PUBLIC_ENDPOINT`, as the seed's OKE_ENDPOINT values were written. */
function endpointName(value: string): string {
  const upper = value.trim().toUpperCase();
  if (upper === 'PUBLIC' || upper === 'PRIVATE') return `${upper}_ENDPOINT`;
  if (upper === 'LEGACY') return 'LEGACY_KUBERNETES';
  return upper;
}

export const okeConfigSchema = z.object({
  ociConfig: z.string().min(1).optional(),
  profile: z.string().min(1).optional(),
  region: z
    .string()
    .regex(/^[a-z]{2,}-[a-z]+-\d+$/, 'a region like us-ashburn-1')
    .optional(),
  auth: z.enum(['api_key', 'security_token', 'instance_principal']).optional(),
  ociEndpoint: z
    .string()
    .url()
    .refine((url) => /^https?:\/\//.test(url), 'an http(s) URL')
    .optional(),
  compartment: z
    .string()
    .regex(
      /^ocid1\.(compartment|tenancy)\.[a-z0-9-]+\.[a-z0-9-]*\.[a-z0-9]+$/,
      'a compartment or tenancy OCID',
    )
    .optional(),
  cluster: z.string().min(1).max(255).optional(),
  clusterEndpoint: z.preprocess(
    (value) => (typeof value === 'string' ? endpointName(value) : value),
    z.enum(CLUSTER_ENDPOINTS).default('PUBLIC_ENDPOINT'),
  ),
  inCluster: z.boolean().default(false),
  requestTimeout: z.number().positive().max(3600).default(30),
  workRequestTimeout: z.number().positive().max(86_400).default(900),
  workRequestPollMs: z.number().int().min(10).max(60_000).default(2000),
  ...cliConfigShape,
});
export type OkeConfig = z.output<typeof okeConfigSchema>;
