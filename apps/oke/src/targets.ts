import {
  bearerTokenCredentials,
  type CliKubeconfigs,
  type CredentialSource,
  IN_CLUSTER,
  type KubeClient,
  type KubeconfigDocument,
  KubeTargets,
  type KubeTargetsOptions,
  withCredential,
} from '@cloudmcp/kube';
import { ToolError } from '@cloudmcp/toolkit';
import type { ClusterEndpoint } from './config.js';
import type { ClusterDirectory, ClusterRef } from './directory.js';
import { okeKubeconfig } from './kubeconfig.js';
import type { OciApi } from './oci/api.js';
import type { ClusterTokens } from './oci/cluster-token.js';

/** What the targets need from the rest of the server. */
export interface OkeTargetsOptions
  extends Pick<KubeTargetsOptions, 'timeoutMs' | 'userAgent' | 'impersonate'> {
  directory: ClusterDirectory;
  tokens: ClusterTokens;
  /** CreateKubeconfig for one cluster: the YAML text OCI answers. */
  api: Pick<OciApi, 'createKubeconfig'>;
  endpoint: ClusterEndpoint;
  /** The compartment cluster names are looked up in (the current default). */
  compartment(): string | undefined;
  /** The cluster a call that names none goes to (the current default). */
  defaultCluster(): string | undefined;
  /** The pod's own cluster (`--in-cluster`), reachable as `in-cluster`. */
  inCluster?: { source: KubeconfigDocument; credentials: CredentialSource };
}

interface Reached {
  doc: KubeconfigDocument;
  credentials: CredentialSource;
}

/**
 * The clusters of OKE as targets of the Kubernetes tools. A target is a cluster name or OCID; the first
 * call to a cluster asks OCI for its kubeconfig (CreateKubeconfig), takes away the exec user (which would
 * run `oci ce cluster generate-token`) and gives the client in-process cluster tokens instead. One client
 * per cluster, whichever name a call used; calls to two clusters never share a token.
 */
export class OkeTargets extends KubeTargets {
  private readonly oke: OkeTargetsOptions;
  private readonly reached = new Map<string, Reached>();
  private readonly pending = new Map<string, Promise<string>>();

  constructor(options: OkeTargetsOptions) {
    // the kubeconfig comes from OCI's answer: rebuilt from the allowlist (no exec, no files); its server is
    // the address OCI (or the operator's --oci-endpoint) gave, so loopback is not refused
    super([], {
      by: 'cluster',
      untrusted: true,
      allowLocal: true,
      timeoutMs: options.timeoutMs,
      userAgent: options.userAgent,
      ...(options.impersonate ? { impersonate: true } : {}),
    });
    this.oke = options;
    if (options.inCluster) this.reach(IN_CLUSTER, options.inCluster.source, options.inCluster.credentials);
  }

  /** The clusters seen so far (listed or named), for the CLI tools and, after a listing, `*`. */
  override names(): string[] {
    const seen = this.oke.directory.refs().map((ref) => this.oke.directory.label(ref));
    return this.oke.inCluster ? [IN_CLUSTER, ...seen] : seen;
  }

  /**
   * `*`: the default compartment's clusters (listed now, or from the directory's 30 s cache) and every
   * other cluster seen, so a scan across clusters needs no cluster_list first.
   */
  override async namesForFanOut(signal?: AbortSignal): Promise<string[]> {
    const compartment = this.oke.compartment();
    if (compartment) await this.oke.directory.list(compartment, signal);
    return this.names();
  }

  override get defaultTarget(): string | undefined {
    return this.oke.defaultCluster() ?? (this.oke.inCluster ? IN_CLUSTER : undefined);
  }

  override async client(
    name?: string,
    opts: { field?: string; signal?: AbortSignal } = {},
  ): Promise<KubeClient> {
    const key = await this.target(name, opts.signal);
    return super.client(key, opts);
  }

  /** A cluster is named in messages as calls name it (its name, or its OCID when names repeat). */
  protected override describe(key: string): string {
    const ref = this.oke.directory.refs().find((r) => r.id === key);
    return `cluster "${ref ? this.oke.directory.label(ref) : key}"`;
  }

  /** The one-cluster kubeconfig a CLI command runs with: a fresh cluster token inline. */
  async cliKubeconfig(name: string, signal?: AbortSignal): Promise<KubeconfigDocument> {
    const key = await this.target(name, signal);
    const reached = this.reached.get(key)!;
    return withCredential(reached.doc, await reached.credentials.get(signal));
  }

  /** The target key of a cluster named either way, its kubeconfig fetched on first use. */
  private async target(name: string | undefined, signal?: AbortSignal): Promise<string> {
    const wanted = name ?? this.defaultTarget;
    if (wanted === IN_CLUSTER && this.oke.inCluster) return IN_CLUSTER;
    if (wanted === undefined) {
      throw new ToolError('No cluster given, and no default cluster is set.', {
        next: 'Pass `cluster` (a name from cluster_list, or an OCID), or set one with defaults_set (OKE_CLUSTER_ID).',
      });
    }
    const ref = await this.oke.directory.resolve(wanted, this.oke.compartment(), signal);
    if (this.reached.has(ref.id)) return ref.id;
    let loading = this.pending.get(ref.id);
    if (!loading) {
      loading = this.fetchKubeconfig(ref, signal).finally(() => this.pending.delete(ref.id));
      this.pending.set(ref.id, loading);
    }
    return loading;
  }

  private async fetchKubeconfig(ref: ClusterRef, signal?: AbortSignal): Promise<string> {
    const text = await this.oke.api.createKubeconfig(ref.id, {
      endpoint: this.oke.endpoint,
      ...(signal ? { signal } : {}),
    });
    this.reach(ref.id, okeKubeconfig(text, ref.id), bearerTokenCredentials(this.oke.tokens.source(ref.id)));
    return ref.id;
  }

  private reach(key: string, doc: KubeconfigDocument, credentials: CredentialSource): void {
    this.set(key, doc, credentials);
    this.reached.set(key, { doc, credentials });
  }
}

/** The CLI tools' view of the OKE targets: each command gets its cluster's kubeconfig with a fresh token. */
export function okeCliKubeconfigs(targets: OkeTargets): CliKubeconfigs {
  return {
    origin: 'server',
    untrusted: false,
    names: () => targets.names(),
    defaultTarget: () => targets.defaultTarget,
    forTarget: (name, signal) => targets.cliKubeconfig(name, signal),
  };
}
