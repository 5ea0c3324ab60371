import { resolve } from 'node:path';
import { ConfigError, type OptionSpec } from '@cloudmcp/toolkit';
import * as z from 'zod';
import {
  DEFAULT_IMPERSONATION_PREFIX,
  type ImpersonationSettings,
  impersonationPrefixProblem,
} from './impersonation.js';
import type { CliTool } from './runner/index.js';
import type { CliSettings } from './tools/cli/tool.js';

/**
 * The options of the kubectl/helm/istioctl/argocd tools, the same in every server that has them (Kubernetes,
 * OKE, OCM): where the binaries are, how long a command may run, what it may read and fetch; and whether
 * the cluster sees each HTTP caller rather than the server (`--impersonate-caller`).
 */
export const CLI_OPTIONS: OptionSpec[] = [
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
    description:
      'The istioctl binary. The istioctl tool is listed when it is found (--cli-dirs, PATH) or set here.',
  },
  {
    name: 'argocd-path',
    type: 'string',
    env: ['ARGOCD_PATH'],
    valueName: 'FILE',
    defaultText: 'argocd',
    description:
      'The argocd binary. The argocd tool is listed when it is found (--cli-dirs, PATH) or set here.',
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
  {
    name: 'impersonate-caller',
    type: 'boolean',
    env: ['CLOUDMCP_IMPERSONATE_CALLER'],
    description:
      "Act on the cluster as each HTTP caller: every API request carries Impersonate-User (the OAuth token's " +
      '`sub`) and Impersonate-Group (its `groups`), with the prefixes below, and kubectl/helm get --as/--as-group, ' +
      "so the cluster's RBAC decides per person. Needs --http and --oauth-issuer; the server's own identity " +
      'needs `impersonate` on users and groups. A call without a subject is refused, as are istioctl and argocd ' +
      'with --argocd-server (they cannot impersonate).',
  },
  {
    name: 'impersonate-user-prefix',
    type: 'string',
    env: ['CLOUDMCP_IMPERSONATE_USER_PREFIX'],
    valueName: 'PREFIX',
    defaultText: DEFAULT_IMPERSONATION_PREFIX,
    description:
      "Put before the caller's subject (as kube-apiserver's --oidc-username-prefix): `oidc:` makes `alice` the " +
      'user `oidc:alice` in RBAC. Empty for none; names starting `system:` are always refused.',
  },
  {
    name: 'impersonate-group-prefix',
    type: 'string',
    env: ['CLOUDMCP_IMPERSONATE_GROUP_PREFIX'],
    valueName: 'PREFIX',
    defaultText: DEFAULT_IMPERSONATION_PREFIX,
    description: "Put before each of the caller's groups (as kube-apiserver's --oidc-groups-prefix).",
  },
];

const prefix = z
  .string()
  .default(DEFAULT_IMPERSONATION_PREFIX)
  .superRefine((value, ctx) => {
    const problem = impersonationPrefixProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const cliToolShape = {
  kubectlPath: z.string().min(1).optional(),
  helmPath: z.string().min(1).optional(),
  istioctlPath: z.string().min(1).optional(),
  argocdPath: z.string().min(1).optional(),
  cliDirs: z.array(z.string().min(1)).optional(),
  cliTimeout: z.number().positive().max(3600).default(60),
  cliLocalFiles: z.boolean().default(false),
  cliAllowedUrls: z.array(z.string().url()).optional(),
  argocdServer: z.string().min(1).optional(),
  argocdAuthToken: z.string().min(1).optional(),
};

const impersonationShape = {
  impersonateCaller: z.boolean().default(false),
  impersonateUserPrefix: prefix,
  impersonateGroupPrefix: prefix,
};

/** The validated values of `CLI_OPTIONS` (camelCase keys); spread into a server's config schema. */
export const cliConfigShape = { ...cliToolShape, ...impersonationShape };

/** What the CLI tools' settings are made of (`cliSettings`). */
export type CliConfig = z.output<z.ZodObject<typeof cliToolShape>>;
/** The `--impersonate-*` values (`impersonationSettings`). */
export type ImpersonationConfig = z.output<z.ZodObject<typeof impersonationShape>>;

/** What else the CLI settings depend on: the common options and the transport. */
export interface CliSettingsContext {
  /** Serving HTTP: with no `--cli-allowed-urls`, nothing may be fetched (a tenant could aim it inward). */
  http: boolean;
  allowSecrets: boolean;
  /** The result's token budget (`--max-output-tokens`, default 20 000). */
  maxOutputTokens?: number;
  /** Kubeconfigs from requests may name loopback/link-local servers (`--allow-local-clusters`). */
  allowLocalClusters?: boolean;
}

/** The CLI tools' settings (`deps.cli`) from the options. */
export function cliSettings(config: CliConfig, context: CliSettingsContext): CliSettings {
  const argocdEnv: Record<string, string> = {};
  if (config.argocdServer) argocdEnv['ARGOCD_SERVER'] = config.argocdServer;
  if (config.argocdAuthToken) argocdEnv['ARGOCD_AUTH_TOKEN'] = config.argocdAuthToken;
  const binaries: Partial<Record<CliTool, string>> = {};
  if (config.kubectlPath) binaries.kubectl = config.kubectlPath;
  if (config.helmPath) binaries.helm = config.helmPath;
  if (config.istioctlPath) binaries.istioctl = config.istioctlPath;
  if (config.argocdPath) binaries.argocd = config.argocdPath;
  // URLs commands may fetch: the operator's list; otherwise any on stdio (the user's own machine) and none
  // over HTTP, where a tenant could make the server a scanner of its own network
  const allowedUrls = config.cliAllowedUrls ?? (context.http ? [] : undefined);
  return {
    binaries,
    // relative directories would be skipped by the lookup (as relative PATH entries are): anchor them here
    searchDirs: (config.cliDirs ?? []).map((dir) => resolve(dir)),
    timeoutMs: config.cliTimeout * 1000,
    allowLocalFiles: config.cliLocalFiles,
    allowSecrets: context.allowSecrets,
    ...(allowedUrls ? { allowedUrls } : {}),
    allowLocalClusters: context.allowLocalClusters === true,
    argocdEnv,
    // about 4 bytes a token: the output fits the result's token budget (20 000 tokens by default)
    maxOutputBytes: Math.max(16 * 1024, (context.maxOutputTokens ?? 20_000) * 4),
  };
}

/**
 * The impersonation settings when `--impersonate-caller` is on, else undefined. It needs callers with a
 * subject: over stdio there is no caller, and the static `--http-token` names no one, so without `--http` and
 * `--oauth-issuer` it is a configuration error (exit 2) rather than a server that would refuse every call.
 */
export function impersonationSettings(
  config: ImpersonationConfig,
  common: { http?: unknown; oauthIssuer?: string | undefined },
): ImpersonationSettings | undefined {
  if (!config.impersonateCaller) return undefined;
  if (!common.http || !common.oauthIssuer) {
    throw new ConfigError(
      '--impersonate-caller (CLOUDMCP_IMPERSONATE_CALLER) acts as each OAuth caller over HTTP: add --http and ' +
        '--oauth-issuer (over stdio, or with only --http-token, no caller has a name to act as)',
    );
  }
  return { userPrefix: config.impersonateUserPrefix, groupPrefix: config.impersonateGroupPrefix };
}

/**
 * For a server whose clusters cannot act as the caller: `--impersonate-caller` is a configuration error
 * saying why (exit 2), never a flag accepted and then ignored.
 */
export function refuseImpersonation(config: ImpersonationConfig, server: string, why: string): void {
  if (!config.impersonateCaller) return;
  throw new ConfigError(
    `--impersonate-caller (CLOUDMCP_IMPERSONATE_CALLER) is not available in ${server}: ${why}; ` +
      'run without it',
  );
}
