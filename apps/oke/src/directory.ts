import { closeNames } from '@cloudmcp/kube';
import { ToolError } from '@cloudmcp/toolkit';
import type { ClusterSummary, OciApi } from './oci/api.js';
import { isOcid } from './oci/ocid.js';

/** What the server knows of a cluster to reach it: enough to ask for its kubeconfig and name it. */
export interface ClusterRef {
  id: string;
  name: string;
  compartmentId: string;
}

/** The two OCI reads cluster names are resolved with. */
export type ClusterLookup = Pick<OciApi, 'getCluster' | 'listClusters'>;

/** The most clusters one compartment listing reads (10 pages of 100). */
const MAX_LISTED = 1000;

/** How long a compartment's cluster list answers name lookups before it is read again. */
const LIST_TTL_MS = 30_000;

/**
 * Resolves what a tool's `cluster` argument says — an OCID, or a cluster name in the default compartment —
 * into a ClusterRef, and remembers the clusters it has seen (for `*` and the CLI tools' target list).
 * Deleted clusters are never targets.
 */
export class ClusterDirectory {
  private readonly known = new Map<string, ClusterRef>();
  private readonly asking = new Map<string, Promise<ClusterRef>>();
  private listed: { compartmentId: string; at: number; refs: Promise<ClusterRef[]> } | undefined;

  constructor(
    private readonly lookup: ClusterLookup,
    private readonly now: () => number = Date.now,
  ) {}

  /** Every cluster seen so far, in the order first seen. */
  refs(): ClusterRef[] {
    return [...this.known.values()];
  }

  /** The clusters of a compartment (cached for a short while), remembered. */
  list(compartmentId: string, signal?: AbortSignal): Promise<ClusterRef[]> {
    const fresh =
      this.listed && this.listed.compartmentId === compartmentId && this.now() - this.listed.at < LIST_TTL_MS;
    if (!fresh) {
      const refs = this.listAll(compartmentId, signal).then((clusters) =>
        clusters
          .filter((c) => c.id && c.name && c.lifecycleState !== 'DELETED')
          .map((c) =>
            this.remember({ id: c.id!, name: c.name!, compartmentId: c.compartmentId ?? compartmentId }),
          ),
      );
      this.listed = { compartmentId, at: this.now(), refs };
      refs.catch(() => {
        if (this.listed?.refs === refs) this.listed = undefined;
      });
    }
    return this.listed!.refs;
  }

  /**
   * A cluster by OCID (asked of OCI once), or by name: a name only one seen cluster has (in any compartment,
   * as `*` and the CLI tools list them), else a cluster of that name in `compartmentId`.
   */
  async resolve(
    wanted: string,
    compartmentId: string | undefined,
    signal?: AbortSignal,
  ): Promise<ClusterRef> {
    if (isOcid(wanted)) {
      const seen = this.known.get(wanted);
      if (seen) return seen;
      if (!wanted.startsWith('ocid1.cluster.')) {
        throw new ToolError(`Invalid input \`cluster\`: "${wanted}" is an OCID, but not a cluster's.`, {
          next: 'Pass a cluster OCID (ocid1.cluster.…) or a cluster name from cluster_list.',
        });
      }
      // concurrent first calls naming one OCID share its GetCluster (bounded by the request timeout, not by
      // one caller's signal)
      let asking = this.asking.get(wanted);
      if (!asking) {
        asking = this.lookup
          .getCluster(wanted)
          .then((cluster) =>
            this.remember({
              id: wanted,
              name: cluster.name ?? wanted,
              compartmentId: cluster.compartmentId ?? '',
            }),
          )
          .finally(() => this.asking.delete(wanted));
        this.asking.set(wanted, asking);
      }
      return asking;
    }
    const byName = this.refs().filter((r) => r.name === wanted);
    if (byName.length === 1) return byName[0]!;
    if (!compartmentId) {
      throw new ToolError(
        `Invalid input \`cluster\`: no compartment to look up the cluster name "${wanted}" in.`,
        {
          next: 'Pass the cluster OCID, or set a default compartment (defaults_set, or OKE_COMPARTMENT_ID).',
        },
      );
    }
    const listed = await this.list(compartmentId, signal);
    const matches = listed.filter((r) => r.name === wanted);
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) {
      throw new ToolError(`Invalid input \`cluster\`: ${matches.length} clusters are named "${wanted}".`, {
        next: `Pass one of their OCIDs: ${matches.map((m) => m.id).join(', ')}.`,
      });
    }
    const names = listed.map((r) => r.name);
    const close = closeNames(wanted, names, 3);
    throw new ToolError(
      `Invalid input \`cluster\`: no cluster named "${wanted}" in compartment ${compartmentId}.`,
      {
        next: close.length
          ? `Did you mean ${close.map((c) => `"${c}"`).join(', ')}?`
          : names.length
            ? `Clusters there: ${names.slice(0, 20).join(', ')}. A cluster elsewhere: pass its OCID.`
            : 'That compartment has no clusters: pass a cluster OCID, or list another compartment (cluster_list).',
      },
    );
  }

  /** The name a cluster goes by in tool results: its name, or its OCID when another seen cluster shares it. */
  label(ref: ClusterRef): string {
    const same = this.refs().filter((r) => r.name === ref.name);
    return same.length > 1 ? ref.id : ref.name;
  }

  /** Clusters seen in a listing made elsewhere (cluster_list), remembered for names and `*`. */
  note(clusters: ClusterSummary[], compartmentId: string): void {
    for (const c of clusters) {
      if (c.id && c.name && c.lifecycleState !== 'DELETED') {
        this.remember({ id: c.id, name: c.name, compartmentId: c.compartmentId ?? compartmentId });
      }
    }
  }

  private async listAll(compartmentId: string, signal?: AbortSignal): Promise<ClusterSummary[]> {
    const all: ClusterSummary[] = [];
    let page: string | undefined;
    do {
      const answer = await this.lookup.listClusters({
        compartmentId,
        limit: 100,
        ...(page ? { page } : {}),
        ...(signal ? { signal } : {}),
      });
      all.push(...answer.items);
      page = answer.nextPage;
    } while (page && all.length < MAX_LISTED);
    return all;
  }

  private remember(ref: ClusterRef): ClusterRef {
    const seen = this.known.get(ref.id);
    if (seen && seen.name === ref.name && seen.compartmentId === ref.compartmentId) return seen;
    this.known.set(ref.id, ref);
    return ref;
  }
}
