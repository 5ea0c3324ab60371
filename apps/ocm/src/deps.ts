import { type CliDeps, cliSettings, refuseImpersonation } from '@cloudmcp/kube';
import { ConfigError, type Logger, type ToolContext } from '@cloudmcp/toolkit';
import type { OcmConfig } from './config.js';
import type { ClusterConnections } from './connect/connections.js';
import { loadHubKubeconfig } from './hub.js';
import { type PrometheusSettings, prometheusSettings } from './prometheus/config.js';
import { HUB, OcmTargets, ocmCliKubeconfigs } from './targets.js';
import { VERSION } from './version.js';

export { HUB };

/** A connected managed cluster, for clients that are not a KubeClient (Prometheus). */
export interface ManagedAccess {
  cluster: string;
  /** The ManagedCluster's spec.managedClusterClientConfigs[0].url. */
  server: string;
  /** The token Secret's ca.crt (PEM). */
  caPem: string;
  /** The current (rotated) service-account token, read from the hub. */
  token(signal?: AbortSignal): Promise<string>;
}

export interface Connections {
  /** Connects with the default role when not yet connected (progress + cancellable through ctx), then the access. */
  access(cluster: string, ctx: ToolContext<OcmDeps>): Promise<ManagedAccess>;
}

/** What every tool handler of the OCM server receives as `ctx.deps`. */
export interface OcmDeps extends CliDeps {
  /** `hub` and the managed clusters; a managed cluster not yet connected is connected on first use. */
  kube: OcmTargets;
  connections: ClusterConnections;
  settings: {
    allowedRoles: string[];
    defaultRole: string;
    serviceAccount: string;
    connectTimeoutMs: number;
    tokenValidityHours: number;
    /** `--read-only`: connections bind `view` only. */
    readOnly: boolean;
    prometheus: PrometheusSettings;
  };
}

/** The only role a read-only server binds. */
export const READ_ONLY_ROLE = 'view';

/** The roles this server may bind, from the operator's options; a default it may not bind is a ConfigError. */
export function roleSettings(config: Pick<OcmConfig, 'allowedRoles' | 'defaultRole'>, readOnly: boolean) {
  const allowed = [...new Set(config.allowedRoles)];
  if (readOnly) {
    if (!allowed.includes(READ_ONLY_ROLE)) {
      throw new ConfigError(
        `--read-only connects to managed clusters with ClusterRole ${READ_ONLY_ROLE} only, and ` +
          `--allowed-roles (OCM_ALLOWED_ROLES) does not list it (${allowed.join(', ')})`,
      );
    }
    return { allowedRoles: [READ_ONLY_ROLE], defaultRole: READ_ONLY_ROLE };
  }
  if (!allowed.includes(config.defaultRole)) {
    throw new ConfigError(
      `--default-role (OCM_DEFAULT_ROLE) ${config.defaultRole} is not in --allowed-roles ` +
        `(OCM_ALLOWED_ROLES): ${allowed.join(', ')}`,
    );
  }
  return { allowedRoles: allowed, defaultRole: config.defaultRole };
}

/**
 * Builds the server's dependencies: the hub's kubeconfig is read (a ConfigError names the problem), nothing
 * is sent, and client-node loads on the first call. `home` replaces the home directory (tests).
 */
export function createDeps(
  config: OcmConfig & {
    readOnly?: boolean;
    allowSecrets?: boolean;
    maxOutputTokens?: number;
    http?: unknown;
  },
  _logger: Logger,
  home?: string,
): OcmDeps {
  refuseImpersonation(
    config,
    'ocm-mcp',
    'managed clusters are reached as one ServiceAccount per cluster, bound to an allowed role; acting as each ' +
      'caller would need that account to hold `impersonate`, which defeats the role allowlist',
  );
  const readOnly = config.readOnly === true;
  const roles = roleSettings(config, readOnly);
  const hub = loadHubKubeconfig(config.kubeconfig, config.context, home);
  const settings = {
    ...roles,
    serviceAccount: config.serviceAccount,
    connectTimeoutMs: config.connectTimeout * 1000,
    tokenValidityHours: config.tokenValidity,
    readOnly,
  };
  const kube = new OcmTargets({
    hub,
    settings,
    timeoutMs: config.requestTimeout * 1000,
    userAgent: `cloudmcp-ocm/${VERSION}`,
  });
  return {
    kube,
    connections: kube.connections,
    kubeconfigs: ocmCliKubeconfigs(kube),
    settings: { ...settings, prometheus: prometheusSettings(config) },
    cli: cliSettings(config, {
      http: config.http !== undefined,
      allowSecrets: config.allowSecrets === true,
      ...(config.maxOutputTokens !== undefined ? { maxOutputTokens: config.maxOutputTokens } : {}),
    }),
  };
}
