import {
  type CliKubeconfigs,
  type CredentialSource,
  type KubeClient,
  type KubeconfigDocument,
  KubeTargets,
  type KubeTargetsOptions,
  LabelSelectorError,
  matchesLabels,
  parseLabelSelector,
  withCredential,
} from '@cloudmcp/kube';
import { badInput, ToolError } from '@cloudmcp/toolkit';
import { ClusterConnections, type ConnectSettings } from './connect/connections.js';
import type { HubKubeconfig } from './hub.js';
import { OCM_TYPES } from './resources.js';

/** The hub's target name; the seed's `default` is accepted as an alias. */
export const HUB = 'hub';
const HUB_NAMES = new Set([HUB, 'default']);

/** A ManagedCluster name: its hub namespace is named after it, so a DNS label. */
const CLUSTER_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** What a fan-out tool's `cluster` takes besides `*`, in the words its description uses. */
export const SELECTOR_WORDING =
  'Or a label selector over the managed clusters (`env=prod`, `region in (eu,us)`, `!canary`): the ' +
  'connected clusters it matches (a match that is not connected is listed as unreachable).';

/** Whether a target argument is a label selector rather than a name (a bare `key` is a name). */
export function isSelector(value: string): boolean {
  return value.includes('=') || / (not)?in \(/.test(value) || value.trimStart().startsWith('!');
}

/** A label selector from a tool argument, parsed strictly; bad input names the field. */
export function selectorOf(value: string, field: string): ReturnType<typeof parseLabelSelector> {
  try {
    return parseLabelSelector(value);
  } catch (error) {
    if (!(error instanceof LabelSelectorError)) throw error;
    throw badInput(
      field,
      `not a label selector: ${error.message}.`,
      'e.g. `env=prod`, `env in (prod,staging),tier!=db` or `!canary`; or one cluster name from `clusters`.',
    );
  }
}

/** A managed cluster's name from a tool argument: a DNS label, else bad input naming the field. */
export function clusterNameOf(value: string, field: string): string {
  if (CLUSTER_NAME.test(value)) return value;
  if (isSelector(value)) {
    throw badInput(
      field,
      'a label selector names several clusters, and this tool works on one.',
      'Pass one cluster name from `clusters`; selectors work on the scans (pods_not_ready, …) and connect_cluster.',
    );
  }
  throw badInput(
    field,
    `"${value.slice(0, 80)}" is not a cluster name (lowercase letters, digits and '-', at most 63).`,
    'Pass a name from `clusters`, or `hub` for the hub.',
  );
}

export interface OcmTargetsOptions extends Pick<KubeTargetsOptions, 'timeoutMs' | 'userAgent'> {
  hub: HubKubeconfig;
  settings: ConnectSettings;
}

/**
 * The hub and the managed clusters as targets of the Kubernetes and CLI tools. `hub` (or `default`) is the
 * hub through the operator's kubeconfig; a managed cluster is reached through the service account this
 * server connects as (see connect/), on first use with the default role. Its kubeconfig is built in memory
 * from what the hub says (server URL, CA) and its token is read from the hub, never written anywhere.
 */
export class OcmTargets extends KubeTargets {
  readonly connections: ClusterConnections;
  private readonly hub: HubKubeconfig;

  constructor(options: OcmTargetsOptions) {
    super([], {
      by: 'cluster',
      defaultTarget: HUB,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.userAgent !== undefined ? { userAgent: options.userAgent } : {}),
    });
    this.hub = options.hub;
    this.set(HUB, options.hub.doc);
    this.connections = new ClusterConnections(this, options.settings);
  }

  /** The target a tool argument names: the hub for none, `hub` or `default`, else a cluster name. */
  targetOf(value: string | undefined, field = 'cluster'): string {
    if (value === undefined || HUB_NAMES.has(value)) return HUB;
    return clusterNameOf(value, field);
  }

  /** A managed cluster not yet connected is connected first, with the default role. */
  override async client(
    name?: string,
    opts: { field?: string; signal?: AbortSignal } = {},
  ): Promise<KubeClient> {
    const target = this.targetOf(name, opts.field);
    if (target !== HUB) await this.connections.ensure(target, opts.signal ? { signal: opts.signal } : {});
    return super.client(target, opts);
  }

  /** The hub's client, for the OCM tools and the connection steps. */
  hubClient(signal?: AbortSignal): Promise<KubeClient> {
    return super.client(HUB, signal ? { signal } : {});
  }

  /**
   * `*`: the hub and every connected cluster. A label selector: the managed clusters whose labels match,
   * read from the hub now; the ones not connected are kept, so the fan-out names them as unreachable.
   */
  override async fanOutNames(value: string, signal?: AbortSignal): Promise<string[] | undefined> {
    if (value === '*') return this.names();
    if (!isSelector(value)) return undefined;
    const selector = selectorOf(value, 'cluster');
    const hub = await this.hubClient(signal);
    const { items } = await hub.listAll(OCM_TYPES.managedClusters, { ...(signal ? { signal } : {}) });
    const matching = items
      .filter((c) => matchesLabels(selector, c.metadata?.labels))
      .map((c) => c.metadata?.name ?? '')
      .filter((name) => CLUSTER_NAME.test(name))
      .sort();
    if (matching.length === 0) {
      throw new ToolError(`No managed cluster matches the label selector \`${value}\`.`, {
        next: 'See the clusters and their labels with `clusters` (its `label_selector` takes the same syntax).',
      });
    }
    return matching;
  }

  /** A fan-out connects nobody: a cluster it names that is not connected is unreachable, with why. */
  override fanOutClient(
    name: string,
    opts: { field?: string; signal?: AbortSignal } = {},
  ): Promise<KubeClient> {
    if (name !== HUB && !this.connections.get(name)) {
      return Promise.reject(new ToolError('not connected; connect_cluster first'));
    }
    return super.client(name, opts);
  }

  protected override describe(name: string): string {
    return name === HUB ? `the hub (context "${this.hub.context}")` : `cluster "${name}"`;
  }

  /** The one-target kubeconfig a CLI command runs with; a managed cluster's carries its current token. */
  async cliKubeconfig(name: string, signal?: AbortSignal): Promise<KubeconfigDocument> {
    const target = this.targetOf(name);
    if (target === HUB) return this.hub.doc;
    const connection = await this.connections.ensure(target, signal ? { signal } : {});
    // a CLI child cannot retry after a 401 with a newer token: read the token Secret again now
    return withCredential(connection.doc, await connection.credentials.refresh(signal));
  }

  /** Makes a connected cluster a target (its credential source reads the token from the hub). */
  attach(cluster: string, doc: KubeconfigDocument, credentials: CredentialSource): void {
    this.set(cluster, doc, credentials);
  }

  /** Forgets a cluster's target and closes its connections. */
  detach(cluster: string): void {
    this.remove(cluster);
  }
}

/** The CLI tools' view of the targets: the hub's own kubeconfig, or a managed cluster's with its token. */
export function ocmCliKubeconfigs(targets: OcmTargets): CliKubeconfigs {
  return {
    origin: 'server',
    untrusted: false,
    names: () => targets.names(),
    defaultTarget: () => HUB,
    forTarget: (name, signal) => targets.cliKubeconfig(name, signal),
  };
}
