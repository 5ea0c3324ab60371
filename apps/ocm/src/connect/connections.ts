import { jwtExpiry } from '@cloudmcp/auth-cache';
import {
  type CredentialSource,
  type ExecCredential,
  KubeApiError,
  type KubeClient,
  type KubeconfigDocument,
  type KubeObject,
  SharedCredential,
  TYPES,
} from '@cloudmcp/kube';
import { badInput, type ToolContext, ToolError } from '@cloudmcp/toolkit';
import type { Connections, ManagedAccess, OcmDeps } from '../deps.js';
import { managedKubeconfig } from './kubeconfig.js';
import {
  CONNECT_STEPS,
  type ConnectStep,
  establish,
  type StepReport,
  type Teardown,
  teardown,
  tokenSecretData,
} from './steps.js';

/** The operator's choices about the access this server sets up on managed clusters. */
export interface ConnectSettings {
  /** ClusterRoles a connection may bind (`--allowed-roles`). */
  allowedRoles: string[];
  /** The role of a connection made on first use or without `cluster_role`. */
  defaultRole: string;
  /** The ManagedServiceAccount's (and service account's) name. */
  serviceAccount: string;
  connectTimeoutMs: number;
  tokenValidityHours: number;
}

/** What the connections need from the targets: the hub, and a place to put a connected cluster. */
export interface ConnectionHost {
  hubClient(signal?: AbortSignal): Promise<KubeClient>;
  attach(cluster: string, doc: KubeconfigDocument, credentials: CredentialSource): void;
  detach(cluster: string): void;
}

/** One managed cluster this server is connected to. */
export interface Connection {
  cluster: string;
  role: string;
  /** `system:serviceaccount:<namespace>:<name>` on the managed cluster. */
  user: string;
  server: string;
  caPem: string;
  /** The kubeconfig (no credentials in it), for the CLI tools. */
  doc: KubeconfigDocument;
  /** The token, read from the hub's Secret: cached a minute, read again on expiry, a 401 or `refresh()`. */
  credentials: SharedCredential;
  /** ISO time the connection was made. */
  since: string;
}

export interface ConnectOptions {
  signal?: AbortSignal;
  /** Progress notifications of the call (connect_cluster, or a tool connecting on first use). */
  progress?: ToolContext<unknown>['progress'];
}

/** How long a token read from the hub is used before it is read again (rotation shows within this). */
const TOKEN_RECHECK_MS = 60_000;

/** Progress of one connect: each step one unit, the wait's polls creeping within its unit. */
function stepReport(cluster: string, progress: ConnectOptions['progress']): StepReport {
  let last = 0;
  return async (step: ConnectStep, message: string, fraction = 0) => {
    const index = CONNECT_STEPS.indexOf(step);
    const value = Math.max(index + Math.min(fraction, 0.99), last + 0.001);
    last = value;
    await progress?.({
      progress: value,
      total: CONNECT_STEPS.length,
      message: `${cluster}: step ${index + 1}/${CONNECT_STEPS.length} (${step}): ${message}`,
    });
  };
}

/**
 * The managed clusters this server is connected to, in this process only (nothing is written to disk): it
 * connects (connect/steps.ts), keeps each cluster's kubeconfig and token source, and disconnects. Work on
 * one cluster runs one operation at a time; concurrent first uses share one connect.
 */
export class ClusterConnections implements Connections {
  private readonly connected = new Map<string, Connection>();
  private readonly queue = new Map<string, Promise<unknown>>();
  private readonly firstUse = new Map<string, Promise<Connection>>();

  constructor(
    private readonly host: ConnectionHost,
    readonly settings: ConnectSettings,
  ) {}

  get(cluster: string): Connection | undefined {
    return this.connected.get(cluster);
  }

  list(): Connection[] {
    return [...this.connected.values()];
  }

  /** `role` if the operator allows it, else bad input naming `cluster_role` and the allowlist. */
  checkRole(role: string): string {
    if (this.settings.allowedRoles.includes(role)) return role;
    throw badInput(
      'cluster_role',
      `ClusterRole "${role}" is not one this server may bind; allowed: ${this.settings.allowedRoles.join(', ')}.`,
      'Pick one of those. The operator sets the list with --allowed-roles (OCM_ALLOWED_ROLES).',
    );
  }

  /** The connection of a cluster, connecting with the default role first when there is none. */
  ensure(cluster: string, opts: ConnectOptions = {}): Promise<Connection> {
    const known = this.connected.get(cluster);
    if (known) return Promise.resolve(known);
    let pending = this.firstUse.get(cluster);
    if (!pending) {
      pending = this.serial(cluster, () =>
        Promise.resolve(this.connected.get(cluster) ?? this.open(cluster, this.settings.defaultRole, opts)),
      ).finally(() => this.firstUse.delete(cluster));
      this.firstUse.set(cluster, pending);
    }
    return pending;
  }

  /** Connects (again) with `role`, which must be allowed; idempotent, and a role change rebinds. */
  connect(cluster: string, role: string, opts: ConnectOptions = {}): Promise<Connection> {
    this.checkRole(role);
    return this.serial(cluster, () => this.open(cluster, role, opts));
  }

  /** Removes the access objects of a cluster (whether or not this process connected it) and forgets it. */
  disconnect(cluster: string, opts: ConnectOptions = {}): Promise<Teardown & { was_connected: boolean }> {
    return this.serial(cluster, async () => {
      const hub = await this.host.hubClient(opts.signal);
      const wasConnected = this.connected.has(cluster);
      const removed = await teardown(
        hub,
        cluster,
        this.settings.serviceAccount,
        this.settings.connectTimeoutMs,
        {
          ...(opts.signal ? { signal: opts.signal } : {}),
          report: async (message, fraction) => {
            await opts.progress?.({ progress: fraction, total: 1, message: `${cluster}: ${message}` });
          },
        },
      );
      this.forget(cluster);
      return { ...removed, was_connected: wasConnected };
    });
  }

  /** For tools that are not KubeClient users (Prometheus): the cluster's address, CA and current token. */
  async access(cluster: string, ctx: ToolContext<OcmDeps>): Promise<ManagedAccess> {
    const connection = await this.ensure(cluster, { signal: ctx.signal, progress: (u) => ctx.progress(u) });
    return {
      cluster,
      server: connection.server,
      caPem: connection.caPem,
      // read again each time: this caller cannot retry with a newer token after a 401
      token: async (signal) => {
        const credential = await connection.credentials.refresh(signal);
        return credential.token ?? '';
      },
    };
  }

  /** Runs the steps and keeps the result: the cluster becomes a target of every tool. */
  private async open(cluster: string, role: string, opts: ConnectOptions): Promise<Connection> {
    const hub = await this.host.hubClient(opts.signal);
    const report = stepReport(cluster, opts.progress);
    const established = await establish(
      hub,
      {
        cluster,
        role,
        serviceAccount: this.settings.serviceAccount,
        tokenValidityHours: this.settings.tokenValidityHours,
        timeoutMs: this.settings.connectTimeoutMs,
      },
      { ...(opts.signal ? { signal: opts.signal } : {}), report },
    );
    await report('kubeconfig', 'building the kubeconfig in memory');
    const doc = managedKubeconfig(cluster, established.server, established.caPem);
    const credentials = new SharedCredential(() => this.readToken(cluster, established.secretName), {
      maxAgeMs: TOKEN_RECHECK_MS,
    });
    const connection: Connection = {
      cluster,
      role,
      user: established.user,
      server: established.server,
      caPem: established.caPem,
      doc,
      credentials,
      since: new Date().toISOString(),
    };
    this.host.attach(cluster, doc, credentials);
    this.connected.set(cluster, connection);
    return connection;
  }

  /** The token as the hub holds it now (the add-on rewrites the Secret when it rotates the token). */
  private async readToken(cluster: string, secretName: string): Promise<ExecCredential> {
    const hub = await this.host.hubClient();
    let secret: KubeObject;
    try {
      secret = await hub.get(TYPES.secrets, secretName, { namespace: cluster });
    } catch (error) {
      if (!(error instanceof KubeApiError) || error.code !== 404) throw error;
      this.forget(cluster);
      throw new ToolError(
        `The token Secret of cluster "${cluster}" is gone from the hub (disconnected elsewhere?).`,
        {
          next: `Connect again with connect_cluster (cluster "${cluster}").`,
        },
      );
    }
    const data = tokenSecretData(secret);
    if (!data) {
      throw new ToolError(`The token Secret ${cluster}/${secretName} on the hub holds no usable token now.`, {
        next: 'Try again shortly (the add-on may be rotating it), or connect again with connect_cluster.',
      });
    }
    const expiresAt = jwtExpiry(data.token);
    return expiresAt === undefined ? { token: data.token } : { token: data.token, expiresAt };
  }

  private forget(cluster: string): void {
    if (!this.connected.delete(cluster)) return;
    this.host.detach(cluster);
  }

  /** Runs `fn` after every earlier operation on the same cluster has ended, whatever their outcome. */
  private serial<T>(cluster: string, fn: () => Promise<T>): Promise<T> {
    const before = this.queue.get(cluster) ?? Promise.resolve();
    const run = before.then(fn, fn);
    this.queue.set(cluster, run);
    const clear = (): void => {
      if (this.queue.get(cluster) === run) this.queue.delete(cluster);
    };
    run.then(clear, clear);
    return run;
  }
}
