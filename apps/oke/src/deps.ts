import {
  type CliDeps,
  cliSettings,
  type ImpersonationSettings,
  type InClusterOptions,
  impersonationSettings,
  inClusterKubeconfig,
} from '@cloudmcp/kube';
import { HttpClient, type Logger } from '@cloudmcp/toolkit';
import type { ClusterEndpoint, OkeConfig } from './config.js';
import { ClusterDirectory } from './directory.js';
import { OciApi } from './oci/api.js';
import { OciAuth } from './oci/auth.js';
import { ClusterTokens } from './oci/cluster-token.js';
import { OkeTargets, okeCliKubeconfigs } from './targets.js';
import { VERSION } from './version.js';

/** The defaults a call that names no compartment or cluster uses; `defaults_set` changes them (stdio only). */
export interface OkeDefaults {
  compartment?: string;
  cluster?: string;
}

/** What every tool handler of the OKE server receives as `ctx.deps`. */
export interface OkeDeps extends CliDeps {
  kube: OkeTargets;
  auth: OciAuth;
  oci: OciApi;
  tokens: ClusterTokens;
  directory: ClusterDirectory;
  defaults: OkeDefaults;
  /** `--impersonate-caller`: the cluster tools act as their caller on every cluster (see `okeTools`). */
  impersonation?: ImpersonationSettings;
  settings: {
    endpoint: ClusterEndpoint;
    ociEndpoint?: string;
    inCluster: boolean;
    /** How long node_pool_scale and work_request_get wait for a work request. */
    workRequestTimeoutMs: number;
    workRequestPollMs: number;
  };
}

/**
 * Builds the server's dependencies from the configuration: the OCI profile is read (a ConfigError names the
 * file and key), nothing is signed or sent, and no OCI SDK module is loaded until the first tool call.
 */
export function createDeps(
  config: OkeConfig & {
    allowSecrets?: boolean;
    maxOutputTokens?: number;
    http?: unknown;
    oauthIssuer?: string;
  },
  _logger: Logger,
  inClusterOptions: InClusterOptions = {},
): OkeDeps {
  const impersonation = impersonationSettings(config, config);
  const auth = new OciAuth({
    profile: {
      ...(config.ociConfig !== undefined ? { configFile: config.ociConfig } : {}),
      ...(config.profile !== undefined ? { profile: config.profile } : {}),
      ...(config.region !== undefined ? { region: config.region } : {}),
      ...(config.auth !== undefined ? { auth: config.auth } : {}),
    },
  });
  const userAgent = `cloudmcp-oke/${VERSION}`;
  const oci = new OciApi({
    auth,
    ...(config.ociEndpoint !== undefined ? { endpoint: config.ociEndpoint } : {}),
    http: new HttpClient({ timeoutMs: config.requestTimeout * 1000, userAgent, name: 'oci' }),
  });
  const tokens = new ClusterTokens({ auth });
  const directory = new ClusterDirectory(oci);
  const compartment = config.compartment ?? auth.profile.tenancy;
  const defaults: OkeDefaults = {
    ...(compartment !== undefined ? { compartment } : {}),
    ...(config.cluster !== undefined ? { cluster: config.cluster } : {}),
  };
  const inCluster = config.inCluster ? inClusterKubeconfig(inClusterOptions) : undefined;
  const kube = new OkeTargets({
    directory,
    tokens,
    api: oci,
    endpoint: config.clusterEndpoint,
    compartment: () => defaults.compartment,
    defaultCluster: () => defaults.cluster,
    timeoutMs: config.requestTimeout * 1000,
    userAgent,
    // every request to a cluster (in-cluster too) acts as the call's caller, over the cluster token of this
    // server's OCI identity, which needs `impersonate` in the cluster's RBAC
    impersonate: impersonation !== undefined,
    ...(inCluster ? { inCluster: { source: inCluster.source, credentials: inCluster.credentials } } : {}),
  });
  return {
    kube,
    kubeconfigs: okeCliKubeconfigs(kube),
    auth,
    oci,
    tokens,
    directory,
    defaults,
    ...(impersonation ? { impersonation } : {}),
    settings: {
      endpoint: config.clusterEndpoint,
      ...(config.ociEndpoint !== undefined ? { ociEndpoint: config.ociEndpoint } : {}),
      inCluster: config.inCluster,
      workRequestTimeoutMs: config.workRequestTimeout * 1000,
      workRequestPollMs: config.workRequestPollMs,
    },
    cli: cliSettings(config, {
      http: config.http !== undefined,
      allowSecrets: config.allowSecrets === true,
      ...(config.maxOutputTokens !== undefined ? { maxOutputTokens: config.maxOutputTokens } : {}),
    }),
  };
}
