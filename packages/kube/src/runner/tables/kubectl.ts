/**
 * Per-tool policy tables: which commands exist, which only read, which are never run, which flags are
 * refused, and which flags take a value (to find the command after global flags the way cobra does).
 *
 * The flag lists of kubectl 1.35 and helm 4.1 were taken from the binaries' own `--help`; istioctl's and
 * argocd's from their command references. A boolean listed here must really be a boolean (or have a
 * no-value default) in the tool, because the command is found by skipping the values of value-taking flags:
 * anything not listed is treated as ambiguous before the command and refused there.
 */
import type { CliTool } from './errors.js';
import type { CheckContext } from './policy.js';

/** Flags known at one command level: long names without dashes and one-character shorthands. */
export interface LevelFlags {
  /** Flags that take a value (`--context NAME`, `-n NS`). */
  readonly value?: readonly string[];
  /** Flags that take none (booleans, and flags with a no-value default such as kubectl `--dry-run`). */
  readonly bool?: readonly string[];
}

export interface Refusal {
  /** Why, completing "Refused `X`: …". */
  readonly why: string;
  /** What to do instead. */
  readonly next: string;
}

export interface VerbRule {
  /** `refused`: never run, whatever the mode. */
  readonly access: 'read' | 'write' | 'refused';
  /** Deletes or replaces something (for confirmation prompts). */
  readonly destructive?: boolean;
  /** For refused commands: why and what instead. */
  readonly refusal?: Refusal;
  /** Subcommands (aliases share the same rule object). Without it, the command is a leaf. */
  readonly sub?: Readonly<Record<string, VerbRule>>;
  /** Rule for subcommands not in `sub`; without it they are refused as unknown. */
  readonly otherSub?: VerbRule;
  /** A group that also runs without a subcommand (`kubectl cluster-info`, `kubectl create -f`). */
  readonly bare?: boolean;
  /** Flags of this command that may come before its subcommand. */
  readonly flags?: LevelFlags;
  /** Reads or writes files on the server's disk: refused unless local files are allowed. Says how. */
  readonly localFiles?: string;
  /** Extra checks on the whole command (throw a CliRefused). */
  readonly check?: (ctx: CheckContext) => void;
}

export interface LocalPathFlags {
  /** Long flags whose value is a path on the server's disk. */
  readonly long: readonly string[];
  /** Short flags whose value is a path, for a given command path (`logs -f` is `--follow` in kubectl). */
  readonly short: (verb: string) => string;
  /** Values that are not local paths: URLs and `-` (stdin). */
  readonly remote: RegExp;
}

export interface ToolPolicy {
  readonly tool: CliTool;
  /** Flags of the root command, valid before the verb. */
  readonly globals: LevelFlags;
  /** Long flags refused anywhere in the command (names without dashes, `_` read as `-`). */
  readonly refusedFlags: Readonly<Record<string, Refusal>>;
  /** Short flags refused anywhere (`-s` is kubectl `--server`). */
  readonly refusedShorts: Readonly<Record<string, Refusal>>;
  /** Short flags that take a value in every command where they exist: a shorthand group stops there. */
  readonly valueShorts: (verb: string) => string;
  /** Long flags known to take a value, to tell flag values from positional arguments. */
  readonly valueLongs: readonly string[];
  /** Long flags known to be booleans, likewise. */
  readonly boolLongs: readonly string[];
  readonly localPaths: LocalPathFlags;
  /** Whether the tool takes `-n NAMESPACE` (added when the command has none). */
  readonly namespaceFlag: boolean;
  readonly verbs: Readonly<Record<string, VerbRule>>;
}

// ---------------------------------------------------------------------------------------------------------
// Helpers

const read: VerbRule = { access: 'read' };
const write: VerbRule = { access: 'write' };
const destroy: VerbRule = { access: 'write', destructive: true };

function refused(why: string, next: string): VerbRule {
  return { access: 'refused', refusal: { why, next } };
}

function group(
  sub: Record<string, VerbRule>,
  extra: Omit<VerbRule, 'sub' | 'access'> & { access?: VerbRule['access'] } = {},
): VerbRule {
  return { access: 'read', ...extra, sub };
}

/** `names` may hold aliases separated by `|`: `list|ls`. */
function table(entries: Record<string, VerbRule>): Record<string, VerbRule> {
  const out: Record<string, VerbRule> = {};
  for (const [names, rule] of Object.entries(entries)) {
    const own = { ...rule }; // one object per command, shared by its aliases only
    for (const name of names.split('|')) out[name] = own;
  }
  return out;
}

const URL_OR_STDIN = /^(?:-|https?:\/\/.+)$/i;
const URL_OR_STDIN_OR_OCI = /^(?:-|(?:https?|oci):\/\/.+)$/i;

// ---------------------------------------------------------------------------------------------------------
// Refused flags shared by the Kubernetes clients

const KUBECONFIG_NEXT =
  'The kubeconfig comes from the server (or the `kubeconfig` argument); pick a context in it with `--context`.';

const KUBE_CREDENTIAL_FLAGS: Record<string, Refusal> = {
  kubeconfig: {
    why: 'it points the tool at another kubeconfig file on the server',
    next: KUBECONFIG_NEXT,
  },
  token: {
    why: 'it replaces the kubeconfig credentials with a bearer token',
    next: 'Pass a kubeconfig that holds the credentials instead.',
  },
  as: {
    why: 'it impersonates another user',
    next: 'Check what an identity may do with `kubectl auth can-i … ` (without `--as`) or an access-review tool.',
  },
  'as-group': { why: 'it impersonates another group', next: 'Run without impersonation.' },
  'as-uid': { why: 'it impersonates another user', next: 'Run without impersonation.' },
  'as-user-extra': { why: 'it impersonates another user', next: 'Run without impersonation.' },
  server: {
    why: 'it sends the kubeconfig credentials to another API server',
    next: `Pick one of the kubeconfig's clusters with \`--context\`. ${KUBECONFIG_NEXT}`,
  },
  'client-key': {
    why: 'it loads a client key from a file on the server',
    next: 'Credentials come only from the kubeconfig.',
  },
  'client-certificate': {
    why: 'it loads a client certificate from a file on the server',
    next: 'Credentials come only from the kubeconfig.',
  },
  'certificate-authority': {
    why: 'it changes which CA the API server certificate is checked against',
    next: 'The CA comes from the kubeconfig.',
  },
  username: {
    why: 'it sends credentials of your choosing',
    next: 'Credentials come only from the kubeconfig.',
  },
  password: {
    why: 'it sends credentials of your choosing',
    next: 'Credentials come only from the kubeconfig.',
  },
  'insecure-skip-tls-verify': {
    why: 'it turns off the check of the server certificate, exposing the credentials to whoever answers',
    next: 'Fix the CA in the kubeconfig instead.',
  },
  'tls-server-name': {
    why: 'it changes the name the server certificate is checked against',
    next: 'The server name comes from the kubeconfig.',
  },
};

// ---------------------------------------------------------------------------------------------------------
// kubectl 1.35

const KUBECTL_GLOBALS: LevelFlags = {
  value: [
    'as',
    'as-group',
    'as-uid',
    'as-user-extra',
    'cache-dir',
    'certificate-authority',
    'client-certificate',
    'client-key',
    'cluster',
    'context',
    'kubeconfig',
    'kuberc',
    'log-flush-frequency',
    'namespace',
    'n',
    'password',
    'profile',
    'profile-output',
    'request-timeout',
    'server',
    's',
    'tls-server-name',
    'token',
    'user',
    'username',
    'v',
    'vmodule',
  ],
  bool: [
    'disable-compression',
    'insecure-skip-tls-verify',
    'match-server-version',
    'warnings-as-errors',
    'help',
    'h',
  ],
};

const EXEC_NEXT =
  'Read what you need with `kubectl logs`, `kubectl describe` or `kubectl get -o yaml`; changes go through `kubectl apply`, `patch` or `set`.';

function kubectlConfigView(ctx: CheckContext): void {
  const raw = ctx.lastFlag('raw');
  if (raw && raw.value !== 'false') {
    ctx.refuse(
      'flag',
      '--raw',
      'it prints the kubeconfig credentials unredacted',
      'Run `kubectl config view` without `--raw` (credentials show as REDACTED), or `kubectl config get-contexts`.',
    );
  }
}

function kubectlRun(ctx: CheckContext): void {
  for (const name of ['i', 't', 'stdin', 'tty', 'attach']) {
    const use = ctx.lastFlag(name);
    if (use && use.value !== 'false') {
      ctx.refuse(
        'flag',
        use.shown,
        'it attaches a terminal or stdin to the pod, and this runner has neither',
        'Run the pod without `-i`/`-t`/`--attach`, then read its output with `kubectl logs`.',
      );
    }
  }
}

const KUBECTL_CREATE_FLAGS: LevelFlags = {
  value: [
    'field-manager',
    'filename',
    'f',
    'kustomize',
    'k',
    'output',
    'o',
    'raw',
    'selector',
    'l',
    'template',
  ],
  bool: [
    'allow-missing-template-keys',
    'dry-run',
    'edit',
    'recursive',
    'R',
    'save-config',
    'show-managed-fields',
    'validate',
    'windows-line-endings',
  ],
};

const KUBECTL_APPLY_FLAGS: LevelFlags = {
  value: [
    'cascade',
    'field-manager',
    'filename',
    'f',
    'grace-period',
    'kustomize',
    'k',
    'output',
    'o',
    'prune-allowlist',
    'selector',
    'l',
    'subresource',
    'template',
    'timeout',
  ],
  bool: [
    'all',
    'allow-missing-template-keys',
    'dry-run',
    'force',
    'force-conflicts',
    'openapi-patch',
    'overwrite',
    'prune',
    'recursive',
    'R',
    'server-side',
    'show-managed-fields',
    'validate',
    'wait',
  ],
};

const createService = group(
  table({ clusterip: write, externalname: write, loadbalancer: write, nodeport: write }),
);

const KUBECTL_VERBS = table({
  // read
  get: read,
  describe: read,
  logs: read,
  explain: read,
  events: read,
  'api-resources': read,
  'api-versions': read,
  version: read,
  'cluster-info': group(table({ dump: read }), { bare: true }),
  top: group(table({ 'node|nodes|no': read, 'pod|pods|po': read })),
  auth: group(table({ 'can-i': read, whoami: read, reconcile: write })),
  diff: read,
  wait: read,
  completion: read,
  help: read,
  options: read,
  kustomize: {
    access: 'read',
    localFiles: 'it builds a kustomization from a directory on the server',
  },
  config: group(
    table({
      view: { access: 'read', check: kubectlConfigView },
      'get-contexts': read,
      'get-clusters': read,
      'get-users': read,
      'current-context': read,
    }),
    {
      otherSub: refused(
        'it changes the kubeconfig, which belongs to the server (the call gets a throw-away copy)',
        'Pass `--context NAME` to use another context; list them with `kubectl config get-contexts`.',
      ),
    },
  ),
  rollout: group(
    table({
      status: read,
      history: read,
      restart: write,
      undo: write,
      pause: write,
      resume: write,
    }),
  ),
  // write
  create: group(
    table({
      clusterrole: write,
      clusterrolebinding: write,
      'configmap|cm': write,
      'cronjob|cj': write,
      'deployment|deploy': write,
      'ingress|ing': write,
      job: write,
      'namespace|ns': write,
      'poddisruptionbudget|pdb': write,
      'priorityclass|pc': write,
      'quota|resourcequota': write,
      role: write,
      rolebinding: write,
      secret: group(table({ 'docker-registry': write, generic: write, tls: write })),
      'service|svc': createService,
      'serviceaccount|sa': write,
      token: refused(
        'it mints a service-account token, a credential this server never returns',
        'Grant access with a RoleBinding instead, or create the token outside this server.',
      ),
    }),
    { access: 'write', flags: KUBECTL_CREATE_FLAGS },
  ),
  apply: group(
    table({
      'view-last-applied': read,
      'set-last-applied': write,
      'edit-last-applied': refused(
        'it opens an interactive editor, and this runner has no terminal',
        'Change the object with `kubectl apply` or `kubectl patch`.',
      ),
    }),
    { access: 'write', flags: KUBECTL_APPLY_FLAGS },
  ),
  patch: write,
  replace: write,
  delete: destroy,
  label: write,
  annotate: write,
  scale: write,
  autoscale: write,
  expose: write,
  run: { access: 'write', check: kubectlRun },
  set: group(
    table({
      env: write,
      image: write,
      resources: write,
      selector: write,
      'serviceaccount|sa': write,
      subject: write,
    }),
  ),
  taint: write,
  cordon: write,
  uncordon: write,
  drain: destroy,
  certificate: group(table({ approve: write, deny: write })),
  // never
  exec: refused('it runs commands inside a container', EXEC_NEXT),
  attach: refused('it attaches to a running container, which needs a terminal', EXEC_NEXT),
  'port-forward': refused(
    'it opens a listening port on the server running this tool',
    'Read the service through `kubectl get`/`describe`, or reach it from your own machine.',
  ),
  proxy: refused(
    'it opens a listening proxy to the API server on the server running this tool',
    'Use `kubectl get --raw /path` for one API request.',
  ),
  cp: refused('it copies files between a container and the server running this tool', EXEC_NEXT),
  debug: refused(
    'it starts interactive debugging containers or node shells',
    'Inspect the pod with `kubectl describe`, `kubectl logs --previous` and `kubectl get events`.',
  ),
  edit: refused(
    'it opens an interactive editor, and this runner has no terminal',
    'Change the object with `kubectl patch`, `kubectl set`, or `kubectl apply` with the full object.',
  ),
  plugin: refused(
    'plugins are programs on the server that this runner does not run',
    'Use built-in commands.',
  ),
  alpha: refused('alpha commands are not allowed by this runner', 'Use the stable commands.'),
});

function kubectlValueShorts(verb: string): string {
  // -f is --filename everywhere but `logs`, where it is --follow; -p and -w mean different things per command.
  return verb === 'logs' ? 'kolrceLuPn' : 'kolrceLuPnf';
}

const KUBECTL: ToolPolicy = {
  tool: 'kubectl',
  globals: KUBECTL_GLOBALS,
  refusedFlags: {
    ...KUBE_CREDENTIAL_FLAGS,
    kuberc: {
      why: 'it loads a kuberc file from the server, which can redefine commands and defaults',
      next: 'Write the full command instead of an alias.',
    },
    edit: {
      why: 'it opens an interactive editor, and this runner has no terminal',
      next: 'Create the object as given, then change it with `kubectl patch` or `kubectl apply`.',
    },
  },
  refusedShorts: {
    s: KUBE_CREDENTIAL_FLAGS['server']!,
  },
  valueShorts: kubectlValueShorts,
  valueLongs: [
    ...KUBECTL_GLOBALS.value!,
    'output',
    'filename',
    'kustomize',
    'from-file',
    'from-env-file',
    'from-literal',
    'selector',
    'field-selector',
    'label-columns',
    'template',
    'output-directory',
    'container',
    'since',
    'since-time',
    'tail',
    'limit-bytes',
    'sort-by',
    'image',
    'replicas',
    'patch',
    'type',
    'for',
    'timeout',
    'field-manager',
    'subresource',
    'raw',
    'cert',
    'key',
    'chunk-size',
    'grace-period',
    'cascade',
    'labels',
    'env',
  ],
  boolLongs: [
    ...KUBECTL_GLOBALS.bool!,
    'all-namespaces',
    'watch',
    'watch-only',
    'follow',
    'previous',
    'timestamps',
    'no-headers',
    'show-labels',
    'show-kind',
    'recursive',
    'ignore-not-found',
    'all-containers',
    'server-side',
    'force',
    'force-conflicts',
    'overwrite',
    'all',
    'prune',
    'wait',
    'stdin',
    'tty',
    'attach',
    'rm',
    'quiet',
    'local',
    'record',
    'include-uninitialized',
    'ignore-daemonsets',
    'delete-emptydir-data',
    'show-managed-fields',
  ],
  localPaths: {
    long: [
      'filename',
      'kustomize',
      'from-file',
      'from-env-file',
      'output-directory',
      'profile-output',
      'cache-dir',
      'cert',
      'key',
      'log-file',
      'log-dir',
    ],
    short: (verb) => (verb === 'logs' ? 'k' : 'fk'),
    remote: URL_OR_STDIN,
  },
  namespaceFlag: true,
  verbs: KUBECTL_VERBS,
};

// ---------------------------------------------------------------------------------------------------------
// helm 4

const HELM_GLOBALS: LevelFlags = {
  value: [
    'burst-limit',
    'color',
    'colour',
    'content-cache',
    'kube-apiserver',
    'kube-as-group',
    'kube-as-user',
    'kube-ca-file',
    'kube-context',
    'kube-tls-server-name',
    'kube-token',
    'kubeconfig',
    'namespace',
    'n',
    'qps',
    'registry-config',
    'repository-cache',
    'repository-config',
  ],
  bool: ['debug', 'kube-insecure-skip-tls-verify', 'help', 'h'],
};

const HELM_REPO_FILES = {
  why: "it points helm at other repository or registry files on the server, which may hold others' credentials",
  next: 'Leave it out: each call gets its own empty helm configuration; use `--repo URL` or an `oci://` chart reference.',
};

const HELM_CREDENTIALS = {
  why: 'it sends repository or registry credentials',
  next: 'Use public charts (`--repo URL`, `oci://…`); credentials are not accepted by this runner.',
};

/**
 * A chart given as a path reads the server's disk: an absolute path, `~`, `.`/`..` (the working directory
 * is an empty temporary one, so only paths that climb out of it reach anything), or a local archive.
 * Chart names with `--repo URL`, `repo/chart` references, URLs and `oci://` are fine.
 */
const LOCAL_CHART = /^(?:[/~.]|[A-Za-z]:[\\/])|(?:^|\/)\.\.(?:\/|$)|\.(?:tgz|tar\.gz)$/i;

function refuseLocalChart(ctx: CheckContext): void {
  if (ctx.allowLocalFiles) return;
  const local = ctx.positionals.find((p) => !URL_OR_STDIN_OR_OCI.test(p) && LOCAL_CHART.test(p));
  if (local !== undefined) {
    ctx.refuse(
      'local-file',
      local,
      `\`${local}\` is a chart on the server's own disk`,
      'Use a chart from a repository (`CHART --repo URL`) or an `oci://` reference; the server can allow local files with its local-files option.',
    );
  }
}

/** helm verbs that take a chart reference. */
const chartRead: VerbRule = { access: 'read', check: refuseLocalChart };
const chartWrite: VerbRule = { access: 'write', check: refuseLocalChart };

const HELM_VERBS = table({
  // read
  'list|ls': read,
  status: read,
  'history|hist': read,
  get: group(table({ all: read, hooks: read, manifest: read, metadata: read, notes: read, values: read })),
  'show|inspect': group(
    table({ all: chartRead, chart: chartRead, crds: chartRead, readme: chartRead, values: chartRead }),
  ),
  template: chartRead,
  search: group(table({ hub: read, repo: read })),
  version: read,
  env: read,
  lint: { access: 'read', localFiles: "it lints a chart directory on the server's disk" },
  verify: { access: 'read', localFiles: 'it verifies a chart archive on the server' },
  help: read,
  completion: group(table({ bash: read, fish: read, powershell: read, zsh: read })),
  'dependency|dep|dependencies': group(
    table({
      'list|ls': read,
      'update|up': { access: 'write', localFiles: "it writes into a chart directory on the server's disk" },
      build: { access: 'write', localFiles: "it writes into a chart directory on the server's disk" },
    }),
  ),
  'repo|repos|repository': group(
    table({
      'list|ls': read,
      add: write,
      'update|up': write,
      'remove|rm': write,
      index: { access: 'write', localFiles: "it writes an index.yaml on the server's disk" },
    }),
  ),
  // write
  install: chartWrite,
  'upgrade|up': chartWrite,
  'uninstall|un|delete|del': destroy,
  rollback: write,
  test: write,
  'pull|fetch': chartWrite,
  package: { access: 'write', localFiles: "it packages a chart directory on the server's disk" },
  create: { access: 'write', localFiles: "it writes a new chart on the server's disk" },
  push: { access: 'write', localFiles: 'it uploads a chart archive from the server' },
  // never
  plugin: refused(
    'plugins are programs that helm would install or run on the server',
    'Use built-in helm commands.',
  ),
  registry: refused(
    'registry login stores credentials on the server',
    'Use public charts (`oci://…`); registry credentials are not accepted by this runner.',
  ),
});

const HELM: ToolPolicy = {
  tool: 'helm',
  globals: HELM_GLOBALS,
  refusedFlags: {
    kubeconfig: KUBE_CREDENTIAL_FLAGS['kubeconfig']!,
    'kube-token': KUBE_CREDENTIAL_FLAGS['token']!,
    'kube-apiserver': KUBE_CREDENTIAL_FLAGS['server']!,
    'kube-as-user': KUBE_CREDENTIAL_FLAGS['as']!,
    'kube-as-group': KUBE_CREDENTIAL_FLAGS['as-group']!,
    'kube-ca-file': KUBE_CREDENTIAL_FLAGS['certificate-authority']!,
    'kube-insecure-skip-tls-verify': KUBE_CREDENTIAL_FLAGS['insecure-skip-tls-verify']!,
    'kube-tls-server-name': KUBE_CREDENTIAL_FLAGS['tls-server-name']!,
    'registry-config': HELM_REPO_FILES,
    'repository-config': HELM_REPO_FILES,
    'repository-cache': HELM_REPO_FILES,
    username: HELM_CREDENTIALS,
    password: HELM_CREDENTIALS,
    'password-stdin': HELM_CREDENTIALS,
    'cert-file': HELM_CREDENTIALS,
    'key-file': HELM_CREDENTIALS,
    'ca-file': {
      why: 'it changes which CA a repository certificate is checked against, from a file on the server',
      next: 'Use a repository with a publicly trusted certificate.',
    },
    'insecure-skip-tls-verify': {
      why: 'it turns off the check of the repository certificate',
      next: 'Use a repository with a valid certificate.',
    },
    'passphrase-file': HELM_CREDENTIALS,
    'post-renderer': {
      why: 'a post-renderer is a program that helm would run on the server',
      next: 'Render with `helm template` and change the manifests yourself, or use the chart values.',
    },
    'post-renderer-args': {
      why: 'a post-renderer is a program that helm would run on the server',
      next: 'Render with `helm template` and change the manifests yourself, or use the chart values.',
    },
  },
  refusedShorts: {},
  valueShorts: () => 'nofsmp',
  valueLongs: [
    ...HELM_GLOBALS.value!,
    'output',
    'values',
    'set',
    'set-string',
    'set-json',
    'set-literal',
    'set-file',
    'version',
    'repo',
    'revision',
    'timeout',
    'selector',
    'labels',
    'description',
    'destination',
    'untardir',
    'output-dir',
    'keyring',
    'show-only',
    'max',
    'filter',
    'name-template',
    'kube-version',
    'api-versions',
    'history-max',
    'template',
    'time-format',
    'starter',
    'app-version',
  ],
  boolLongs: [
    ...HELM_GLOBALS.bool!,
    'all-namespaces',
    'all',
    'atomic',
    'create-namespace',
    'devel',
    'force',
    'generate-name',
    'hide-secret',
    'install',
    'include-crds',
    'no-hooks',
    'reuse-values',
    'reset-values',
    'skip-crds',
    'skip-tests',
    'wait-for-jobs',
    'cleanup-on-fail',
    'dependency-update',
    'short',
    'uninstalled',
    'deployed',
    'failed',
    'pending',
    'superseded',
    'untar',
    'verify',
    'keep-history',
  ],
  localPaths: {
    long: ['values', 'set-file', 'keyring', 'destination', 'untardir', 'output-dir', 'content-cache'],
    short: () => 'f',
    remote: URL_OR_STDIN_OR_OCI,
  },
  namespaceFlag: true,
  verbs: HELM_VERBS,
};

// ---------------------------------------------------------------------------------------------------------
// istioctl

const ISTIOCTL_GLOBALS: LevelFlags = {
  value: ['context', 'istioNamespace', 'i', 'kubeconfig', 'c', 'namespace', 'n', 'vklog'],
  bool: ['help', 'h'],
};

function istioctlAnalyze(ctx: CheckContext): void {
  if (!ctx.allowLocalFiles && ctx.positionals.length > 0) {
    ctx.refuse(
      'local-file',
      ctx.positionals[0]!,
      "`istioctl analyze FILE…` reads files on the server's disk",
      'Run `istioctl analyze` without files to analyze the live cluster (add `-n NAMESPACE` or `-A`).',
    );
  }
}

const ISTIOCTL_X = table({
  precheck: read,
  describe: read,
  authz: read,
  'check-inject': read,
  'envoy-stats|es': read,
  'internal-debug': read,
  injector: group(table({ list: read })),
  revision: group(table({ list: read, describe: read })),
  metrics: read,
  wait: read,
  version: read,
  workload: write,
});

const ISTIOCTL_VERBS = table({
  // read
  analyze: { access: 'read', check: istioctlAnalyze },
  'proxy-status|ps': read,
  // every proxy-config / ztunnel-config view reads, but `log --level` changes the proxies' log levels
  'proxy-config|pc': group(table({ 'log|o': write }), { otherSub: read }),
  'ztunnel-config|zc': group(table({ log: write }), { otherSub: read }),
  version: read,
  'verify-install': read,
  precheck: read,
  'remote-clusters': read,
  'validate|v': read,
  'kube-inject': read,
  completion: read,
  help: read,
  'experimental|x|exp': group(ISTIOCTL_X),
  manifest: group(table({ generate: read, translate: read, diff: read, install: write })),
  tag: group(table({ list: read, generate: read, set: write, remove: write })),
  'waypoint|wp': group(table({ list: read, status: read, generate: read, apply: write, delete: destroy })),
  // write
  install: write,
  upgrade: write,
  uninstall: destroy,
  'admin|istiod': group(table({ 'log|l': write })),
  // never
  dashboard: refused(
    'it opens port-forwards and a browser on the server running this tool',
    'Read the data with `istioctl proxy-status`, `proxy-config` or `analyze`.',
  ),
  'bug-report': refused(
    "it writes an archive of the cluster's state on the server's disk",
    'Collect what you need with `istioctl analyze`, `proxy-status` and `kubectl logs`.',
  ),
  'create-remote-secret': refused(
    'it mints a service-account credential for remote clusters, which this server never returns',
    'Create remote secrets outside this server.',
  ),
});

const ISTIOCTL: ToolPolicy = {
  tool: 'istioctl',
  globals: ISTIOCTL_GLOBALS,
  refusedFlags: {
    ...KUBE_CREDENTIAL_FLAGS,
    'xds-address': {
      why: 'it sends an identity token minted in the cluster to an XDS server of your choosing',
      next: 'Leave it out: istioctl finds istiod in the cluster.',
    },
    'cert-dir': {
      why: 'it loads client credentials from a directory on the server',
      next: 'Leave it out.',
    },
    insecure: {
      why: 'it turns off the check of the server certificate',
      next: 'Leave it out.',
    },
    plaintext: {
      why: 'it turns off TLS to the control plane',
      next: 'Leave it out.',
    },
  },
  refusedShorts: {
    c: KUBE_CREDENTIAL_FLAGS['kubeconfig']!,
  },
  valueShorts: () => 'nioflc',
  valueLongs: [
    ...ISTIOCTL_GLOBALS.value!,
    'output',
    'filename',
    'file',
    'selector',
    'revision',
    'meshConfigFile',
    'injectConfigFile',
    'valuesFile',
    'set',
    'level',
    'output-threshold',
    'failure-threshold',
  ],
  boolLongs: [...ISTIOCTL_GLOBALS.bool!, 'all-namespaces', 'skip-confirmation', 'verbose', 'recursive'],
  localPaths: {
    long: ['filename', 'file', 'meshConfigFile', 'injectConfigFile', 'valuesFile', 'output-dir', 'dir'],
    short: () => 'f',
    remote: URL_OR_STDIN,
  },
  namespaceFlag: true,
  verbs: ISTIOCTL_VERBS,
};

// ---------------------------------------------------------------------------------------------------------
// argocd (in --core mode: the kubeconfig is its only credential)

const ARGOCD_GLOBALS: LevelFlags = {
  value: [
    'argocd-context',
    'auth-token',
    'client-crt',
    'client-crt-key',
    'config',
    'controller-name',
    'grpc-web-root-path',
    'header',
    'H',
    'http-retry-max',
    'kube-context',
    'logformat',
    'loglevel',
    'port-forward-namespace',
    'redis-compress',
    'redis-haproxy-name',
    'redis-name',
    'repo-server-name',
    'server',
    'server-crt',
    'server-name',
  ],
  bool: ['core', 'grpc-web', 'insecure', 'plaintext', 'port-forward', 'prompts-enabled', 'help', 'h'],
};

const ARGOCD_SESSION = {
  why: 'it logs in to or configures an Argo CD server with credentials',
  next: 'This runner talks to Argo CD through the kubeconfig (`--core`); run the command without logging in.',
};

const ARGOCD_CREDENTIAL = {
  why: 'it sends or loads credentials of your choosing',
  next: 'Credentials come only from the kubeconfig (Argo CD `--core` mode).',
};

const ARGOCD_VERBS = table({
  'app|apps|application|applications': group(
    table({
      'list|ls': read,
      get: read,
      'get-resource': read,
      diff: read,
      history: read,
      manifests: read,
      resources: read,
      logs: read,
      wait: read,
      actions: group(table({ list: read, run: write })),
      create: write,
      sync: write,
      set: write,
      unset: write,
      patch: write,
      'patch-resource': write,
      rollback: write,
      'terminate-op': write,
      'add-source': write,
      'remove-source': write,
      rename: write,
      'confirm-deletion': write,
      'delete|rm': destroy,
      'delete-resource': destroy,
      edit: refused(
        'it opens an interactive editor, and this runner has no terminal',
        'Change the application with `argocd app set` or `argocd app patch`.',
      ),
    }),
  ),
  'appset|appsets|applicationset|applicationsets': group(
    table({ 'list|ls': read, get: read, generate: read, create: write, 'delete|rm': destroy }),
  ),
  'cluster|clusters|cl': group(
    table({ 'list|ls': read, get: read, add: write, set: write, 'rotate-auth': write, 'rm|remove': destroy }),
  ),
  'proj|project|projects': group(
    table({
      'list|ls': read,
      get: read,
      role: group(
        table({
          'list|ls': read,
          get: read,
          'list-tokens': read,
          'create-token': refused(
            'it mints a project token, a credential this server never returns',
            'Create project tokens outside this server.',
          ),
        }),
        { otherSub: write },
      ),
      windows: group(table({ 'list|ls': read }), { otherSub: write }),
      'delete|rm': destroy,
      edit: refused(
        'it opens an interactive editor, and this runner has no terminal',
        'Change the project with `argocd proj set` or the add-/remove- commands.',
      ),
    }),
    { otherSub: write },
  ),
  'repo|repos|repository': group(table({ 'list|ls': read, get: read, add: write, rm: destroy })),
  repocreds: group(table({ 'list|ls': read, add: write, rm: destroy })),
  cert: group(table({ 'list|ls': read, 'add-tls': write, 'add-ssh': write, rm: destroy })),
  gpg: group(table({ 'list|ls': read, get: read, add: write, rm: destroy })),
  version: read,
  completion: read,
  help: read,
  // never
  login: refused(ARGOCD_SESSION.why, ARGOCD_SESSION.next),
  logout: refused(ARGOCD_SESSION.why, ARGOCD_SESSION.next),
  relogin: refused(ARGOCD_SESSION.why, ARGOCD_SESSION.next),
  'context|ctx': refused(ARGOCD_SESSION.why, ARGOCD_SESSION.next),
  configure: refused(ARGOCD_SESSION.why, ARGOCD_SESSION.next),
  account: refused(
    'account commands manage passwords and tokens',
    'Manage Argo CD accounts outside this server.',
  ),
  admin: refused(
    'admin commands read and write Argo CD internals, including its secrets and initial password',
    'Use `argocd app`, `proj` and `cluster` commands.',
  ),
});

const ARGOCD: ToolPolicy = {
  tool: 'argocd',
  globals: ARGOCD_GLOBALS,
  refusedFlags: {
    server: {
      why: 'it points argocd at an Argo CD server of your choosing',
      next: 'This runner talks to Argo CD through the kubeconfig (`--core`); leave `--server` out.',
    },
    'auth-token': ARGOCD_CREDENTIAL,
    'client-crt': ARGOCD_CREDENTIAL,
    'client-crt-key': ARGOCD_CREDENTIAL,
    'server-crt': ARGOCD_CREDENTIAL,
    config: {
      why: 'it loads an Argo CD config file from the server, which holds session tokens',
      next: 'Leave it out.',
    },
    header: {
      why: 'it adds request headers of your choosing, such as credentials',
      next: 'Leave it out.',
    },
    insecure: {
      why: 'it turns off the check of the server certificate',
      next: 'Leave it out.',
    },
    plaintext: {
      why: 'it turns off TLS',
      next: 'Leave it out.',
    },
    kubeconfig: KUBE_CREDENTIAL_FLAGS['kubeconfig']!,
    token: ARGOCD_CREDENTIAL,
    'bearer-token': ARGOCD_CREDENTIAL,
    username: ARGOCD_CREDENTIAL,
    password: ARGOCD_CREDENTIAL,
    'ssh-private-key-path': ARGOCD_CREDENTIAL,
    'tls-client-cert-path': ARGOCD_CREDENTIAL,
    'tls-client-cert-key-path': ARGOCD_CREDENTIAL,
    'github-app-private-key-path': ARGOCD_CREDENTIAL,
    'gcp-service-account-key-path': ARGOCD_CREDENTIAL,
    'exec-command': ARGOCD_CREDENTIAL,
    as: KUBE_CREDENTIAL_FLAGS['as']!,
    'as-group': KUBE_CREDENTIAL_FLAGS['as-group']!,
  },
  refusedShorts: {
    H: {
      why: 'it adds request headers of your choosing, such as credentials',
      next: 'Leave it out.',
    },
  },
  // -f is --file, but --follow in `app logs`
  valueShorts: (verb) => (verb === 'app logs' ? 'olpNH' : 'olpNHf'),
  valueLongs: [
    ...ARGOCD_GLOBALS.value!,
    'output',
    'selector',
    'project',
    'app-namespace',
    'revision',
    'file',
    'local',
    'repo',
    'path',
    'dest-server',
    'dest-namespace',
    'dest-name',
    'parameter',
    'values',
    'timeout',
    'group',
    'kind',
    'resource-name',
    'container',
    'tail',
    'since-seconds',
  ],
  boolLongs: [
    ...ARGOCD_GLOBALS.bool!,
    'refresh',
    'hard-refresh',
    'prune',
    'dry-run',
    'follow',
    'yes',
    'cascade',
  ],
  localPaths: {
    long: ['file', 'local', 'local-repo-root'],
    short: (verb) => (verb === 'app logs' ? '' : 'f'),
    remote: URL_OR_STDIN,
  },
  namespaceFlag: false,
  verbs: ARGOCD_VERBS,
};

/** The policy of each tool. */
export const POLICIES: Readonly<Record<CliTool, ToolPolicy>> = {
  kubectl: KUBECTL,
  helm: HELM,
  istioctl: ISTIOCTL,
  argocd: ARGOCD,
};
