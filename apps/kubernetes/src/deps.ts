import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { resolve } from 'node:path';
import {
  CLI_TOOLS,
  type CliTool,
  detectClis,
  type KubeconfigDocument,
  type KubeDeps,
  KubeTargets,
} from '@cloudmcp/kube';
import { ConfigError, type Logger, ToolError } from '@cloudmcp/toolkit';
import type { KubernetesConfig } from './config.js';
import {
  contextNames,
  decodeUntrustedKubeconfig,
  loadUserKubeconfig,
  UntrustedKubeconfigError,
} from './kubeconfig.js';
import { VERSION } from './version.js';

/** Where the CLI tools find their binaries and how they run. */
export interface CliSettings {
  /** A configured binary per tool (a path, or a name looked up in `searchDirs` then PATH). */
  binaries: Partial<Record<CliTool, string>>;
  /** Searched before PATH. */
  searchDirs: string[];
  timeoutMs: number;
  /** `--cli-local-files`: commands may read or write files on this machine. */
  allowLocalFiles: boolean;
  /** `--allow-secrets`: Secret values in CLI output are kept. */
  allowSecrets: boolean;
  /** Extra environment of the argocd child (ARGOCD_SERVER, ARGOCD_AUTH_TOKEN). */
  argocdEnv: Record<string, string>;
  /** Cap per output stream, in bytes, after redaction. */
  maxOutputBytes: number;
}

/** A kubeconfig that replaces the server's for one HTTP request (the `X-Kubeconfig` header). */
export interface RequestKubeconfig {
  /** The decoded, checked document; undefined when the header was rejected. */
  doc?: KubeconfigDocument;
  /** Why the header was rejected (never its content). */
  problem?: string;
}

/** What every tool handler of the Kubernetes server receives as `ctx.deps`. */
export interface KubernetesDeps extends KubeDeps {
  /** The targets the kube tools use: the user's kubeconfig, or the request's X-Kubeconfig. */
  kube: KubeTargets;
  /** The user's merged kubeconfig, in memory: what the CLI tools use when a call brings none. */
  kubeconfig: KubeconfigDocument | undefined;
  /** Set for an HTTP request that carried `X-Kubeconfig`: it overrides everything else for that request. */
  request?: RequestKubeconfig;
  cli: CliSettings;
  /** For the KubeTargets made per request. */
  targetOptions: { timeoutMs: number; userAgent: string };
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

  override async client(): Promise<never> {
    throw headerRejected(this.problem);
  }
}

/**
 * Builds the targets from the user's kubeconfig and the CLI settings. Cheap and offline: files are read,
 * nothing is sent until the first tool call, and `@kubernetes/client-node` loads on first use.
 */
export function createDeps(
  config: KubernetesConfig & { allowSecrets?: boolean; maxOutputTokens?: number },
  logger: Logger,
): KubernetesDeps {
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
  const names = user.doc ? contextNames(user.doc) : [];
  if (config.context !== undefined && !names.includes(config.context)) {
    throw new ConfigError(
      `--context (KUBE_CONTEXT): no context "${config.context}" in the kubeconfig` +
        (names.length ? `; contexts: ${names.slice(0, 20).join(', ')}` : ''),
    );
  }
  const targetOptions = {
    timeoutMs: config.requestTimeout * 1000,
    userAgent: `cloudmcp-kubernetes/${VERSION}`,
  };
  const kube = new KubeTargets(user.doc ?? [], {
    ...targetOptions,
    ...(config.context !== undefined ? { defaultTarget: config.context } : {}),
  });
  const argocdEnv: Record<string, string> = {};
  if (config.argocdServer) argocdEnv['ARGOCD_SERVER'] = config.argocdServer;
  if (config.argocdAuthToken) argocdEnv['ARGOCD_AUTH_TOKEN'] = config.argocdAuthToken;
  const binaries: Partial<Record<CliTool, string>> = {};
  if (config.kubectlPath) binaries.kubectl = config.kubectlPath;
  if (config.helmPath) binaries.helm = config.helmPath;
  if (config.istioctlPath) binaries.istioctl = config.istioctlPath;
  if (config.argocdPath) binaries.argocd = config.argocdPath;
  return {
    kube,
    kubeconfig: user.doc,
    targetOptions,
    cli: {
      binaries,
      // relative directories would be skipped by the lookup (as relative PATH entries are): anchor them here
      searchDirs: (config.cliDirs ?? []).map((dir) => resolve(dir)),
      timeoutMs: config.cliTimeout * 1000,
      allowLocalFiles: config.cliLocalFiles,
      allowSecrets: config.allowSecrets === true,
      argocdEnv,
      // about 4 bytes a token: the output fits the result's token budget (20 000 tokens by default)
      maxOutputBytes: Math.max(16 * 1024, (config.maxOutputTokens ?? 20_000) * 4),
    },
  };
}

/** Request kubeconfigs seen lately, by a hash of the header: their clients (and connections) are reused. */
const MAX_CACHED_REQUEST_TARGETS = 16;
const requestTargets = new Map<string, { kube: KubeTargets; request: RequestKubeconfig }>();

function headerValue(req: IncomingMessage): string | undefined {
  const raw = req.headers[KUBECONFIG_HEADER];
  const value = Array.isArray(raw) ? raw.join('') : raw;
  return value === undefined || value.trim() === '' ? undefined : value;
}

/**
 * Over HTTP: a request carrying `X-Kubeconfig` (base64, or one-line YAML/JSON) runs every tool against that
 * kubeconfig instead of the server's, and the CLI tools ignore their `kubeconfig` argument. The header is
 * checked as untrusted (no exec plugins, auth providers or file references), never logged, never echoed.
 * A rejected header fails each tool call with the reason; tools/list still works.
 */
export function requestDeps(deps: KubernetesDeps, req: IncomingMessage): KubernetesDeps {
  const value = headerValue(req);
  if (value === undefined) return deps;
  const key = createHash('sha256').update(value).digest('hex');
  let entry = requestTargets.get(key);
  if (entry) {
    requestTargets.delete(key); // most recently used last
  } else {
    try {
      const doc = decodeUntrustedKubeconfig(value);
      entry = { kube: new KubeTargets(doc, { ...deps.targetOptions, untrusted: true }), request: { doc } };
    } catch (error) {
      const problem = error instanceof UntrustedKubeconfigError ? error.message : 'it could not be read';
      entry = { kube: new RejectedTargets(problem), request: { problem } };
    }
    while (requestTargets.size >= MAX_CACHED_REQUEST_TARGETS) {
      const [oldest, old] = requestTargets.entries().next().value as [string, { kube: KubeTargets }];
      requestTargets.delete(oldest);
      old.kube.close();
    }
  }
  requestTargets.set(key, entry);
  return { ...deps, kube: entry.kube, request: entry.request };
}

/** `/healthz`: which CLIs this server can run (present or not, never where), and how many contexts. */
export async function health(deps: KubernetesDeps): Promise<Record<string, unknown>> {
  const found = await detectClis({ binaries: deps.cli.binaries, dirs: deps.cli.searchDirs });
  return {
    contexts: deps.kube.size,
    clis: Object.fromEntries(CLI_TOOLS.map((tool) => [tool, found[tool] !== null])),
  };
}
