import { createHash } from 'node:crypto';
import {
  CLI_TOOLS,
  type CliDeps,
  type CliKubeconfigs,
  type CredentialSource,
  checkContext,
  cliSettings,
  detectClis,
  documentKubeconfigs,
  type ImpersonationSettings,
  IN_CLUSTER,
  type InClusterOptions,
  impersonationSettings,
  type KubeconfigDocument,
  KubeTargets,
  loadUserKubeconfig,
  parseUntrustedKubeconfig,
  UntrustedKubeconfigError,
  withCredential,
} from '@cloudmcp/kube';
import { type Logger, ToolError } from '@cloudmcp/toolkit';
import type { KubernetesConfig } from './config.js';
import { loadInClusterKubeconfig } from './kubeconfig.js';
import { VERSION } from './version.js';

/** What every tool handler of the Kubernetes server receives as `ctx.deps`. */
export interface KubernetesDeps extends CliDeps {
  /** The targets the kube tools use: the user's kubeconfig, or the request's X-Kubeconfig. */
  kube: KubeTargets;
  /** For the KubeTargets made per request. */
  targetOptions: { timeoutMs: number; userAgent: string; allowLocal: boolean; impersonate: boolean };
  /** `--impersonate-caller`: the tools act as their caller on every cluster (see `kubernetesTools`). */
  impersonation?: ImpersonationSettings;
}

export const KUBECONFIG_HEADER = 'x-kubeconfig';

/** The error every tool returns for a request whose X-Kubeconfig was rejected. */
export function headerRejected(problem: string): ToolError {
  return new ToolError(`The X-Kubeconfig header of this request was rejected: ${problem}.`, {
    next:
      'The header must hold a kubeconfig (base64, or YAML/JSON on one line) with inline credentials only: ' +
      'tokens, client certificates and CAs as *-data; no exec plugins, auth providers or file paths. Fix it ' +
      'in the client configuration; it cannot be changed from here.',
  });
}

/** Targets that fail every call with the header's problem (context_list included). */
class RejectedTargets extends KubeTargets {
  private readonly problem: string;

  constructor(problem: string) {
    super([]);
    this.problem = problem;
  }

  override list(): never {
    throw headerRejected(this.problem);
  }

  override names(): never {
    throw headerRejected(this.problem);
  }

  override async client(): Promise<never> {
    throw headerRejected(this.problem);
  }
}

/** The CLI tools' view of a rejected header: every call fails with its problem. */
function rejectedKubeconfigs(problem: string): CliKubeconfigs {
  const fail = (): never => {
    throw headerRejected(problem);
  };
  return {
    origin: 'header',
    untrusted: true,
    names: fail,
    defaultTarget: fail,
    forTarget: async () => fail(),
  };
}

/** The server's own kubeconfig, and the credential source of its one context in a pod (`--in-cluster`). */
interface ServerKubeconfig {
  doc: KubeconfigDocument | undefined;
  credentials?: CredentialSource;
}

function serverKubeconfig(
  config: KubernetesConfig,
  logger: Logger,
  inCluster: InClusterOptions,
): ServerKubeconfig {
  if (config.inCluster) {
    const pod = loadInClusterKubeconfig(config.kubeconfig, inCluster);
    const server = pod.source.clusters?.[0]?.cluster['server'];
    logger.info(`in-cluster: the pod's service account (namespace ${pod.namespace}) at ${String(server)}`);
    return { doc: pod.source, credentials: pod.credentials };
  }
  const user = loadUserKubeconfig(config.kubeconfig);
  for (const file of user.missing) {
    if (user.doc) logger.warn(`kubeconfig ${file} does not exist; skipped`);
  }
  if (!user.doc) {
    logger.warn(
      `no kubeconfig (${user.missing.join(', ')} does not exist): tools will answer that no cluster is ` +
        'configured; set KUBECONFIG or --kubeconfig (over HTTP, clients may send X-Kubeconfig)',
    );
  }
  return { doc: user.doc };
}

/**
 * The CLI tools' kubeconfigs from the server's own; with a credential source (in a pod), each command's
 * kubeconfig carries the credential valid at that moment, so a rotated token reaches kubectl too.
 */
function serverCliKubeconfigs(
  doc: KubeconfigDocument,
  credentials: CredentialSource | undefined,
  defaultTarget: string | undefined,
): CliKubeconfigs {
  const kubeconfigs = documentKubeconfigs(doc, {
    origin: 'server',
    untrusted: false,
    ...(defaultTarget !== undefined ? { defaultTarget } : {}),
  });
  if (!credentials) return kubeconfigs;
  return {
    ...kubeconfigs,
    forTarget: async (name, signal) => {
      const one = await kubeconfigs.forTarget(name, signal);
      return one && withCredential(one, await credentials.get(signal));
    },
  };
}

/**
 * Builds the targets from the user's kubeconfig (or the pod's service account with `--in-cluster`) and the
 * CLI settings. Cheap and offline: files are read, nothing is sent until the first tool call, and
 * `@kubernetes/client-node` loads on first use. `inCluster` points the in-cluster loader elsewhere (tests).
 */
export function createDeps(
  config: KubernetesConfig & {
    allowSecrets?: boolean;
    maxOutputTokens?: number;
    http?: unknown;
    oauthIssuer?: string;
  },
  logger: Logger,
  inCluster: InClusterOptions = {},
): KubernetesDeps {
  const impersonation = impersonationSettings(config, config);
  const own = serverKubeconfig(config, logger, inCluster);
  if (config.context !== undefined) checkContext(own.doc, config.context, '--context (KUBE_CONTEXT)');
  const targetOptions = {
    timeoutMs: config.requestTimeout * 1000,
    userAgent: `cloudmcp-kubernetes/${VERSION}`,
    allowLocal: config.allowLocalClusters,
    // X-Kubeconfig targets too: every API request of a call acts as its caller, whoever's credentials
    impersonate: impersonation !== undefined,
  };
  const kube = new KubeTargets(own.credentials ? [] : (own.doc ?? []), {
    timeoutMs: targetOptions.timeoutMs,
    userAgent: targetOptions.userAgent,
    impersonate: targetOptions.impersonate,
    ...(config.context !== undefined ? { defaultTarget: config.context } : {}),
  });
  if (own.doc && own.credentials) kube.set(IN_CLUSTER, own.doc, own.credentials);
  return {
    kube,
    kubeconfigs: own.doc ? serverCliKubeconfigs(own.doc, own.credentials, config.context) : undefined,
    targetOptions,
    ...(impersonation ? { impersonation } : {}),
    cli: cliSettings(config, {
      http: config.http !== undefined,
      allowSecrets: config.allowSecrets === true,
      allowLocalClusters: config.allowLocalClusters,
      ...(config.maxOutputTokens !== undefined ? { maxOutputTokens: config.maxOutputTokens } : {}),
    }),
  };
}

/** Request kubeconfigs seen lately, by a hash of the header: their clients (and connections) are reused. */
const MAX_CACHED_REQUEST_TARGETS = 16;
type RequestEntry = Pick<KubernetesDeps, 'kube' | 'kubeconfigs'>;
const requestTargets = new Map<string, RequestEntry>();

function headerValue(headers: Headers): string | undefined {
  const value = headers.get(KUBECONFIG_HEADER);
  return value === null || value.trim() === '' ? undefined : value;
}

function requestEntry(deps: KubernetesDeps, value: string): RequestEntry {
  try {
    // rebuilt from an allowlist: nothing of the header's own text reaches client-node or a CLI
    const doc = parseUntrustedKubeconfig(value);
    return {
      kube: new KubeTargets(doc, { ...deps.targetOptions, untrusted: true }),
      kubeconfigs: documentKubeconfigs(doc, { origin: 'header', untrusted: true }),
    };
  } catch (error) {
    const problem = error instanceof UntrustedKubeconfigError ? error.message : 'it could not be read';
    return { kube: new RejectedTargets(problem), kubeconfigs: rejectedKubeconfigs(problem) };
  }
}

/**
 * Over HTTP: a request carrying `X-Kubeconfig` (base64, or one-line YAML/JSON) runs every tool against that
 * kubeconfig instead of the server's, and the CLI tools ignore their `kubeconfig` argument. The header is
 * untrusted: parsed strictly and rebuilt from an allowlist of fields, its servers may not be loopback or
 * link-local addresses (unless --allow-local-clusters), never logged, never echoed. A rejected header fails
 * each tool call with the reason; tools/list still works.
 */
export function requestDeps(deps: KubernetesDeps, headers: Headers): KubernetesDeps {
  const value = headerValue(headers);
  if (value === undefined) return deps;
  const key = createHash('sha256').update(value).digest('hex');
  let entry = requestTargets.get(key);
  if (entry) {
    requestTargets.delete(key); // most recently used last
  } else {
    entry = requestEntry(deps, value);
    while (requestTargets.size >= MAX_CACHED_REQUEST_TARGETS) {
      const [oldest, old] = requestTargets.entries().next().value as [string, RequestEntry];
      requestTargets.delete(oldest);
      old.kube.close();
    }
  }
  requestTargets.set(key, entry);
  return { ...deps, ...entry };
}

/** `/healthz`: which CLIs this server can run (present or not, never where), and how many contexts. */
export async function health(deps: KubernetesDeps): Promise<Record<string, unknown>> {
  const found = await detectClis({ binaries: deps.cli.binaries, dirs: deps.cli.searchDirs });
  return {
    contexts: deps.kube.size,
    clis: Object.fromEntries(CLI_TOOLS.map((tool) => [tool, found[tool] !== null])),
  };
}
