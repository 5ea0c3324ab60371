import { CLI_OPTIONS, cliConfigShape } from '@cloudmcp/kube';
import type { OptionSpec } from '@cloudmcp/toolkit';
import * as z from 'zod';
import { prometheusConfigShape, prometheusOptions } from './prometheus/config.js';

/** The service account (and ManagedServiceAccount) the server connects as, unless told otherwise. */
export const DEFAULT_SERVICE_ACCOUNT = 'cloudmcp-ocm';

/** The OCM server's own options: the hub's kubeconfig, and what access to managed clusters it may set up. */
export const ocmOptions: OptionSpec[] = [
  {
    name: 'kubeconfig',
    type: 'string',
    env: ['KUBECONFIG'],
    valueName: 'FILE[:FILE…]',
    defaultText: '~/.kube/config',
    description:
      "The hub cluster's kubeconfig, several files joined by ':' and merged like kubectl does. Its context " +
      '(--context, else current-context) is the hub; managed clusters are reached through it.',
  },
  {
    name: 'context',
    type: 'string',
    env: ['OCM_HUB_CONTEXT'],
    valueName: 'NAME',
    description: "The hub's context in the kubeconfig (default: its current-context).",
  },
  {
    name: 'allowed-roles',
    type: 'list',
    env: ['OCM_ALLOWED_ROLES'],
    valueName: 'ROLE,ROLE',
    defaultText: 'view',
    description:
      'ClusterRoles connect_cluster may bind on a managed cluster (`cluster_role`). `cluster-admin` only if ' +
      'listed here; under --read-only only `view` is used.',
  },
  {
    name: 'default-role',
    type: 'string',
    env: ['OCM_DEFAULT_ROLE'],
    valueName: 'ROLE',
    defaultText: 'view',
    description:
      'ClusterRole of a connection made on first use (a tool naming a cluster not yet connected) or by ' +
      'connect_cluster without `cluster_role`; must be in --allowed-roles.',
  },
  {
    name: 'service-account',
    type: 'string',
    env: ['OCM_SERVICE_ACCOUNT'],
    valueName: 'NAME',
    defaultText: DEFAULT_SERVICE_ACCOUNT,
    description:
      'Name of the ManagedServiceAccount (and the service account on each managed cluster) this server ' +
      'connects as; give each server sharing a hub its own.',
  },
  {
    name: 'connect-timeout',
    type: 'number',
    env: ['OCM_CONNECT_TIMEOUT'],
    valueName: 'SECONDS',
    defaultText: '120',
    description:
      'How long connect_cluster waits for the role binding to be applied and the token to be projected.',
  },
  {
    name: 'token-validity',
    type: 'number',
    env: ['OCM_TOKEN_VALIDITY'],
    valueName: 'HOURS',
    defaultText: '24',
    description:
      'Validity of the service-account tokens the managed-serviceaccount add-on projects (it renews them ' +
      'before they expire); the add-on itself defaults to a year.',
  },
  {
    name: 'request-timeout',
    type: 'number',
    env: ['OCM_REQUEST_TIMEOUT'],
    valueName: 'SECONDS',
    defaultText: '30',
    description:
      'Timeout of one Kubernetes API request, hub or managed (reads are retried on 429/5xx/resets).',
  },
  ...prometheusOptions,
  ...CLI_OPTIONS,
];

/** A ClusterRole name as RBAC takes it (`view`, `system:aggregate-to-view`, `acme.io:reader`). */
const role = z
  .string()
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9.:]*[a-z0-9])?$/, 'a ClusterRole name (lowercase letters, digits, - . :)');

export const ocmConfigSchema = z.object({
  kubeconfig: z.string().optional(),
  context: z.string().min(1).optional(),
  allowedRoles: z.array(role).min(1).default(['view']),
  defaultRole: role.default('view'),
  // a DNS label short enough that `<name>-rbac` (the ManifestWork) is one too
  serviceAccount: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]{0,56}[a-z0-9])?$/, 'a DNS label of at most 58 characters')
    .default(DEFAULT_SERVICE_ACCOUNT),
  connectTimeout: z.number().positive().max(3600).default(120),
  tokenValidity: z
    .number()
    .int()
    .min(1)
    .max(24 * 366)
    .default(24),
  requestTimeout: z.number().positive().max(3600).default(30),
  ...prometheusConfigShape,
  ...cliConfigShape,
});
export type OcmConfig = z.output<typeof ocmConfigSchema>;
