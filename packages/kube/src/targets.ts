import { ToolError } from '@cloudmcp/toolkit';
import type { KubeConfig } from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';
import { isLean, type KubeConnection, kubeConfigConnection, leanConnection } from './auth/connection.js';
import { KubeClient } from './client.js';
import type { CredentialSource } from './kubeconfig/credential-source.js';
import { parseUntrustedKubeconfig } from './kubeconfig/parse.js';
import { rebuildKubeconfig } from './kubeconfig/rebuild.js';
import { kubeconfigText } from './kubeconfig/text.js';
import { closeNames } from './names.js';

/**
 * A kubeconfig held in memory: its YAML text, the parsed document (a plain object in kubeconfig shape), or a
 * `KubeConfig` from `@kubernetes/client-node`. Nothing is read from or written to disk by this package.
 */
export type KubeconfigSource = string | KubeconfigDocument | KubeConfig;

/** A kubeconfig document as a plain object (`apiVersion: v1, kind: Config, clusters, users, contexts`). */
export interface KubeconfigDocument {
  apiVersion?: string;
  kind?: string;
  clusters?: Array<{ name: string; cluster: Record<string, unknown> }>;
  users?: Array<{ name: string; user: Record<string, unknown> }>;
  contexts?: Array<{ name: string; context: { cluster: string; user: string; namespace?: string } }>;
  'current-context'?: string;
  [key: string]: unknown;
}

/**
 * A target `resolve` built: its kubeconfig, and the credentials made in this process for it when its user
 * holds none (OKE cluster tokens). The source is ours, not the document's: an untrusted document is still
 * rebuilt from the allowlist.
 */
export interface ResolvedTarget {
  source: KubeconfigSource;
  credentials?: CredentialSource;
}

/** What `context_list` shows about a target. Never credentials. */
export interface TargetInfo {
  /** The name tools take (context name, or cluster name when targets are clusters). */
  name: string;
  context: string;
  cluster: string;
  user: string;
  server: string;
  namespace?: string;
  default: boolean;
}

export interface KubeTargetsOptions {
  /** Tools take context names (kubeconfig users) or cluster names (OKE, OCM). Default `context`. */
  by?: 'context' | 'cluster';
  /** The target used when a call names none; default the kubeconfig's current context (or the first). */
  defaultTarget?: string;
  /**
   * The kubeconfig came from outside (an HTTP header, a tool argument, an upstream answer): every source is
   * parsed strictly and rebuilt from an allowlist (`parseUntrustedKubeconfig`, `rebuildKubeconfig`): server
   * URLs, inline CA data, tokens and inline client certificates only, so nothing runs a command, reads a
   * file or goes through a proxy here. Refusals throw `UntrustedKubeconfigError` naming the field.
   */
  untrusted?: boolean;
  /**
   * With `untrusted`: whether clusters may be reached at loopback, link-local, unspecified or cloud-metadata
   * addresses. Default false: connections to them are refused when they are made (a DNS answer that changes
   * later is caught too), with a message naming `--allow-local-clusters`. Trusted kubeconfigs are not limited.
   */
  allowLocal?: boolean;
  /** Per-attempt request timeout, default 30 000 ms. */
  timeoutMs?: number;
  /** Extra attempts for reads on 429/5xx/resets, default 3. Writes are never retried. */
  retries?: number;
  userAgent?: string;
  /** How long discovery is cached per target, default 5 minutes. */
  discoveryTtlMs?: number;
  /**
   * Called for a name no kubeconfig holds (OKE and OCM build kubeconfigs on demand). Return a source whose
   * current context is that target (with its credential source: `{ source, credentials }`), or undefined
   * when there is no such target.
   */
  resolve?: (name: string, signal?: AbortSignal) => Promise<KubeconfigSource | ResolvedTarget | undefined>;
  /**
   * Every client acts as the current tool call's caller (`--impersonate-caller`; see impersonation.ts and
   * `KubeClientOptions.impersonate`). One client per target still serves every caller: the identity is read
   * per request, and what a client caches (discovery, connections) is the same for every user.
   */
  impersonate?: boolean;
}

interface Entry {
  info: TargetInfo;
  /** The kubeconfig document and context of this target, when it came as one (not as a KubeConfig). */
  document?: { doc: KubeconfigDocument; context: string };
  /** Builds the client-node KubeConfig for this target (its current context set). */
  load: (mod: ClientNode) => KubeConfig;
  /** Credentials made in this process, for a target whose kubeconfig user holds none. */
  credentials?: CredentialSource;
  client?: Promise<KubeClient>;
}

type ClientNode = typeof import('@kubernetes/client-node');

let clientNode: Promise<ClientNode> | undefined;

/**
 * Loads `@kubernetes/client-node` once, on first use (a third of a second and ~50 MB: servers start without
 * it, and targets whose users need no auth provider or proxy never load it).
 */
export function loadClientNode(): Promise<ClientNode> {
  clientNode ??= import('@kubernetes/client-node');
  return clientNode;
}

/**
 * The clusters a server can talk to, from kubeconfigs held in memory, with one lazily created and cached
 * `KubeClient` per target. No global state: a server (or an HTTP request carrying its own kubeconfig)
 * makes its own.
 */
export class KubeTargets {
  readonly by: 'context' | 'cluster';
  private readonly opts: KubeTargetsOptions;
  private readonly entries = new Map<string, Entry>();
  private defaultName: string | undefined;

  constructor(sources: KubeconfigSource | KubeconfigSource[] = [], opts: KubeTargetsOptions = {}) {
    this.opts = opts;
    this.by = opts.by ?? 'context';
    for (const source of Array.isArray(sources) ? sources : [sources]) this.add(source);
    if (opts.defaultTarget !== undefined) this.defaultName = opts.defaultTarget;
  }

  /**
   * Adds the contexts (or clusters) of a kubeconfig. Names already present are kept (the first kubeconfig
   * wins, as with `KUBECONFIG=a:b`). Returns the names added.
   */
  add(source: KubeconfigSource): string[] {
    const added: string[] = [];
    for (const entry of this.entriesOf(source)) {
      if (this.entries.has(entry.info.name)) continue;
      this.entries.set(entry.info.name, entry);
      added.push(entry.info.name);
    }
    return added;
  }

  /**
   * Sets (or replaces) one target from a kubeconfig whose current context is that target, under `name`,
   * with `credentials` when its user holds none (see `KubeClientOptions.credentials`). A replaced target's
   * connections are closed. For servers that build kubeconfigs at run time.
   */
  set(name: string, source: KubeconfigSource, credentials?: CredentialSource): void {
    const entries = this.entriesOf(source);
    const entry = entries.find((e) => e.info.default) ?? entries[0];
    if (!entry) throw new Error(`kubeconfig for ${name} has no contexts`);
    this.remove(name);
    this.entries.set(name, {
      ...entry,
      info: { ...entry.info, name },
      ...(credentials ? { credentials } : {}),
    });
  }

  remove(name: string): boolean {
    const entry = this.entries.get(name);
    if (!entry) return false;
    entry.client?.then((c) => c.close()).catch(() => {});
    this.entries.delete(name);
    return true;
  }

  /** Target names, in kubeconfig order. */
  names(): string[] {
    return [...this.entries.keys()];
  }

  /**
   * The targets `*` asks. By default the known names; a server whose targets are discovered (OKE's clusters)
   * looks them up first.
   */
  async namesForFanOut(_signal?: AbortSignal): Promise<string[]> {
    return this.names();
  }

  /**
   * The targets a fan-out tool's target argument names, or undefined when it names one target: `*` is every
   * target (`namesForFanOut`). A server may take more (OCM: a label selector over its clusters).
   */
  async fanOutNames(value: string, signal?: AbortSignal): Promise<string[] | undefined> {
    return value === '*' ? this.namesForFanOut(signal) : undefined;
  }

  /**
   * The client a fan-out asks for one of the names `fanOutNames` gave. By default the target's client; a
   * server may refuse a target it named but will not reach on a fan-out (OCM: a managed cluster the selector
   * matched that is not connected, rather than connecting every match): the error lands in `unreachable`.
   */
  fanOutClient(name: string, opts: { field?: string; signal?: AbortSignal } = {}): Promise<KubeClient> {
    return this.client(name, opts);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Whether these targets came from a request (an HTTP header, a tool argument) and are checked as such. */
  get untrusted(): boolean {
    return this.opts.untrusted === true;
  }

  /** The target used when a call names none. */
  get defaultTarget(): string | undefined {
    if (this.defaultName !== undefined && this.entries.has(this.defaultName)) return this.defaultName;
    const flagged = [...this.entries.values()].find((e) => e.info.default);
    return flagged?.info.name ?? this.names()[0];
  }

  /** What each target is (names, cluster, server URL, namespace), never credentials. */
  list(): TargetInfo[] {
    const current = this.defaultTarget;
    return [...this.entries.values()].map((e) => ({ ...e.info, default: e.info.name === current }));
  }

  /**
   * Readies now (in the background when not awaited) what the first call would otherwise wait for, without
   * touching the network: the default target's client with its connection pool and TLS context (which loads
   * Node's root CA store), the global `Headers`/`Response` (Node loads undici on first touch), and client-node
   * only when a target needs it (an auth provider or a proxy).
   */
  async warm(): Promise<void> {
    void [globalThis.Headers, globalThis.Response];
    const needsClientNode = [...this.entries.values()].some(
      (e) => !e.document || !isLean(e.document.doc, e.document.context),
    );
    const name = this.defaultTarget;
    await Promise.all([
      needsClientNode ? loadClientNode() : undefined,
      name !== undefined && this.entries.has(name) ? this.client(name).then((c) => c.prepare()) : undefined,
    ]);
  }

  /**
   * The client of one target (the default when `name` is undefined), created on first use. `field` names
   * the tool argument in errors.
   */
  async client(name?: string, opts: { field?: string; signal?: AbortSignal } = {}): Promise<KubeClient> {
    const field = opts.field ?? this.by;
    const wanted = name ?? this.defaultTarget;
    if (wanted === undefined) {
      throw new ToolError('No Kubernetes cluster is configured.', {
        next: 'Start the server with a kubeconfig (KUBECONFIG or --kubeconfig) that has at least one context.',
      });
    }
    let entry = this.entries.get(wanted) ?? this.byOtherName(wanted);
    if (!entry && this.opts.resolve) {
      const resolved = await this.opts.resolve(wanted, opts.signal);
      if (resolved !== undefined) {
        if (isResolvedTarget(resolved)) this.set(wanted, resolved.source, resolved.credentials);
        else this.set(wanted, resolved);
        entry = this.entries.get(wanted);
      }
    }
    if (!entry) {
      const names = this.names();
      const close = closeNames(wanted, names, 3);
      throw new ToolError(`Invalid input \`${field}\`: no ${this.by} named "${wanted}".`, {
        next: close.length
          ? `Did you mean ${close.map((c) => `"${c}"`).join(', ')}?`
          : names.length
            ? `Known ${this.by}s: ${names.slice(0, 20).join(', ')}.`
            : `No ${this.by}s are configured.`,
      });
    }
    const found = entry;
    found.client ??= this.connection(found).then(
      (connection) =>
        new KubeClient({
          target: found.info.name,
          describe: this.describe(found.info.name),
          connection,
          ...(this.opts.timeoutMs !== undefined ? { timeoutMs: this.opts.timeoutMs } : {}),
          ...(this.opts.retries !== undefined ? { retries: this.opts.retries } : {}),
          ...(this.opts.userAgent !== undefined ? { userAgent: this.opts.userAgent } : {}),
          ...(this.opts.discoveryTtlMs !== undefined ? { discoveryTtlMs: this.opts.discoveryTtlMs } : {}),
          refuseLocalAddresses: this.opts.untrusted === true && this.opts.allowLocal !== true,
          ...(this.opts.impersonate ? { impersonate: true } : {}),
        }),
    );
    found.client.catch(() => {
      found.client = undefined;
    });
    return found.client;
  }

  /** A target's connection: read from its document here, through client-node only when it needs it. */
  private async connection(entry: Entry): Promise<KubeConnection> {
    const { name } = entry.info;
    if (entry.document) {
      const lean = leanConnection(entry.document.doc, entry.document.context, name, entry.credentials);
      if (lean) return lean;
    }
    return kubeConfigConnection(entry.load(await loadClientNode()), name, entry.credentials);
  }

  /** How messages name a target: `context "prod"`, or `cluster "…"` when targets are clusters. */
  protected describe(name: string): string {
    return `${this.by} "${name}"`;
  }

  /** Closes every client's pooled connections. */
  close(): void {
    for (const entry of this.entries.values()) entry.client?.then((c) => c.close()).catch(() => {});
  }

  /** A context named by its cluster (or a cluster by its context), when that is unambiguous. */
  private byOtherName(name: string): Entry | undefined {
    const matches = [...this.entries.values()].filter((e) =>
      this.by === 'context' ? e.info.cluster === name : e.info.context === name,
    );
    return matches.length === 1 ? matches[0] : undefined;
  }

  private entriesOf(source: KubeconfigSource): Entry[] {
    if (this.opts.untrusted) return this.fromDocument(untrustedDocument(source));
    if (isKubeConfig(source)) return this.fromKubeConfig(source);
    return this.fromDocument(typeof source === 'string' ? parseDocument(source) : source);
  }

  private fromDocument(doc: KubeconfigDocument): Entry[] {
    const clusters = new Map((doc.clusters ?? []).map((c) => [c.name, c.cluster ?? {}]));
    const text = kubeconfigText(doc);
    return this.pick(
      (doc.contexts ?? []).map((c) => ({
        context: c.name,
        cluster: c.context?.cluster ?? '',
        user: c.context?.user ?? '',
        server: String(clusters.get(c.context?.cluster ?? '')?.['server'] ?? ''),
        ...(c.context?.namespace ? { namespace: c.context.namespace } : {}),
      })),
      doc['current-context'],
      (mod, context) => {
        const kc = new mod.KubeConfig();
        kc.loadFromString(text);
        kc.setCurrentContext(context);
        return kc;
      },
      doc,
    );
  }

  private fromKubeConfig(kc: KubeConfig): Entry[] {
    const clusters = kc.getClusters();
    const users = kc.getUsers();
    const contexts = kc.getContexts();
    return this.pick(
      contexts.map((c) => ({
        context: c.name,
        cluster: c.cluster,
        user: c.user,
        server: clusters.find((cl) => cl.name === c.cluster)?.server ?? '',
        ...(c.namespace ? { namespace: c.namespace } : {}),
      })),
      kc.getCurrentContext(),
      (mod, context) => {
        const copy = new mod.KubeConfig();
        copy.loadFromOptions({ clusters, users, contexts, currentContext: context });
        return copy;
      },
    );
  }

  private pick(
    contexts: Array<Omit<TargetInfo, 'name' | 'default'>>,
    current: string | undefined,
    load: (mod: ClientNode, context: string) => KubeConfig,
    doc?: KubeconfigDocument,
  ): Entry[] {
    // With clusters as targets, a cluster is reached through the current context when that uses it,
    // otherwise through the first context that does.
    const nameOf = (c: Omit<TargetInfo, 'name' | 'default'>) =>
      this.by === 'cluster' ? c.cluster : c.context;
    const entries: Entry[] = [];
    for (const name of new Set(contexts.map(nameOf))) {
      if (!name) continue;
      const using = contexts.filter((c) => nameOf(c) === name);
      const chosen = using.find((c) => c.context === current) ?? using[0]!;
      entries.push({
        info: { ...chosen, name, default: chosen.context === current },
        ...(doc ? { document: { doc, context: chosen.context } } : {}),
        load: (mod) => load(mod, chosen.context),
      });
    }
    return entries;
  }
}

function isKubeConfig(source: KubeconfigSource): source is KubeConfig {
  return (
    typeof source === 'object' && source !== null && typeof (source as KubeConfig).getContexts === 'function'
  );
}

/** `{ source, credentials? }` rather than a kubeconfig: no kubeconfig has a top-level `source` alone. */
function isResolvedTarget(value: KubeconfigSource | ResolvedTarget): value is ResolvedTarget {
  if (typeof value !== 'object' || value === null || isKubeConfig(value as KubeconfigSource)) return false;
  const keys = Object.keys(value);
  return keys.includes('source') && keys.every((key) => key === 'source' || key === 'credentials');
}

function parseDocument(text: string): KubeconfigDocument {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    throw new Error(`kubeconfig is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw new Error('kubeconfig is not a YAML mapping');
  return doc as KubeconfigDocument;
}

/** A source from outside, read strictly and rebuilt from the allowlist; a KubeConfig through its export. */
function untrustedDocument(source: KubeconfigSource): KubeconfigDocument {
  if (typeof source === 'string') return parseUntrustedKubeconfig(source);
  return rebuildKubeconfig(isKubeConfig(source) ? JSON.parse(source.exportConfig()) : source);
}
