/**
 * helm 4: the commands the runner knows, how each one is classed, and what its options mean beyond what
 * `flags/helm.json` (read from the binary) says: which name files or URLs, which are refused and why.
 */
import data from '../flags/helm.json' with { type: 'json' };
import { tablesFromData } from '../flags/spec.js';
import { looksLikeUrl, urlRefusal } from '../flags/urls.js';
import { refuseOwnDescriptor } from '../own-descriptors.js';
import type { CheckContext } from '../policy.js';
import { KUBE_CREDENTIALS, TARGET } from './shared.js';
import {
  destroy,
  group,
  type Refusal,
  read,
  refused,
  type ToolPolicy,
  table,
  type VerbRule,
  write,
} from './types.js';

const SCHEMES = ['http', 'https', 'oci'];

const REPO_FILES: Refusal = {
  why: "it points helm at other repository or registry files on the server, which may hold others' credentials",
  next: 'Leave it out: each call gets its own empty helm configuration; use `--repo URL` or an `oci://` chart reference.',
};

const CREDENTIALS: Refusal = {
  why: 'it sends repository or registry credentials',
  next: 'Use public charts (`--repo URL`, `oci://…`); credentials are not accepted by this runner.',
};

const POST_RENDERER: Refusal = {
  why: 'a post-renderer is a program that helm would run on the server',
  next: 'Render with `helm template` and change the manifests yourself, or use the chart values.',
};

const REFUSED: Record<string, Refusal> = {
  kubeconfig: KUBE_CREDENTIALS['kubeconfig']!,
  'kube-token': KUBE_CREDENTIALS['token']!,
  'kube-apiserver': KUBE_CREDENTIALS['server']!,
  'kube-as-user': KUBE_CREDENTIALS['as']!,
  'kube-as-group': KUBE_CREDENTIALS['as-group']!,
  'kube-ca-file': KUBE_CREDENTIALS['certificate-authority']!,
  'kube-insecure-skip-tls-verify': KUBE_CREDENTIALS['insecure-skip-tls-verify']!,
  'kube-tls-server-name': KUBE_CREDENTIALS['tls-server-name']!,
  'kube-context': TARGET,
  'registry-config': REPO_FILES,
  'repository-config': REPO_FILES,
  'repository-cache': REPO_FILES,
  username: CREDENTIALS,
  password: CREDENTIALS,
  'password-stdin': CREDENTIALS,
  'cert-file': CREDENTIALS,
  'key-file': CREDENTIALS,
  'passphrase-file': CREDENTIALS,
  'ca-file': {
    why: 'it changes which CA a repository certificate is checked against, from a file on the server',
    next: 'Use a repository with a publicly trusted certificate.',
  },
  'insecure-skip-tls-verify': {
    why: 'it turns off the check of the repository certificate',
    next: 'Use a repository with a valid certificate.',
  },
  'post-renderer': POST_RENDERER,
  'post-renderer-args': POST_RENDERER,
  debug: {
    kind: 'verbose',
    why: "helm's debug output prints the release's values (USER-SUPPLIED and COMPUTED VALUES), where passwords and keys that feed Secrets live",
    next: 'Leave `--debug` out; read values with `helm get values` where the server allows secret values.',
  },
};

/**
 * A chart given as a path reads the server's disk: an absolute path, `~`, `.`/`..` (the working directory
 * is an empty temporary one, so only paths that climb out of it reach anything), or a local archive.
 * helm tries the disk before anything else, so `https://../../etc/x` is a path too.
 */
const LOCAL_CHART = /^(?:[/~.]|[A-Za-z]:[\\/])|\.(?:tgz|tar\.gz)$/i;
const CLIMBS = /(?:^|[/\\])\.\.(?:[/\\]|$)/;

function refuseUrl(ctx: CheckContext, shown: string, value: string): void {
  const why = urlRefusal(value, SCHEMES, ctx.allowedUrls);
  if (why !== undefined) {
    ctx.refuse(
      'url',
      shown,
      `helm would fetch \`${value}\`, and ${why}`,
      ctx.allowedUrls === undefined
        ? 'Write the URL plainly: a lower-case `https://`, `http://` or `oci://`, a host, a path.'
        : `Use a URL under one of the allowed prefixes: ${ctx.allowedUrls.join(', ') || '(none)'}.`,
    );
  }
}

/** Chart references: not on the server's disk (unless allowed), and URLs only where allowed. */
function chart(ctx: CheckContext): void {
  for (const p of ctx.positionals) {
    const url = looksLikeUrl(p);
    if (!url) refuseOwnDescriptor(ctx, p, p); // a release name has no `/`
    if (!ctx.allowLocalFiles && (CLIMBS.test(p) || (!url && LOCAL_CHART.test(p)))) {
      ctx.refuse(
        'local-file',
        p,
        `\`${p}\` is a chart on the server's own disk`,
        'Use a chart from a repository (`CHART --repo URL`) or an `oci://` reference; the server can allow local files with its local-files option.',
      );
    }
    if (url) refuseUrl(ctx, p, p);
  }
}

/** `helm repo add NAME URL` downloads the repository's index. */
function repoAdd(ctx: CheckContext): void {
  const url = ctx.positionals[1];
  if (url !== undefined) refuseUrl(ctx, url, url);
}

/** `helm search hub` asks Artifact Hub (or `--endpoint`). */
function searchHub(ctx: CheckContext): void {
  const endpoint = ctx.lastFlag('endpoint')?.value ?? 'https://hub.helm.sh';
  refuseUrl(ctx, ctx.lastFlag('endpoint')?.shown ?? 'helm search hub', endpoint);
}

const chartRead: VerbRule = { access: 'read', check: chart };
const chartWrite: VerbRule = { access: 'write', check: chart };
const onDisk = (access: 'read' | 'write', how: string): VerbRule => ({ access, localFiles: how });

const VERBS = table({
  // read
  'list|ls': read,
  status: read,
  'history|hist': read,
  get: group(table({ all: read, hooks: read, manifest: read, metadata: read, notes: read, values: read })),
  'show|inspect': group(
    table({ all: chartRead, chart: chartRead, crds: chartRead, readme: chartRead, values: chartRead }),
  ),
  template: chartRead,
  search: group(table({ hub: { access: 'read', check: searchHub }, repo: read })),
  version: read,
  env: read,
  lint: onDisk('read', "it lints a chart directory on the server's disk"),
  verify: onDisk('read', 'it verifies a chart archive on the server'),
  help: read,
  completion: group(table({ bash: read, fish: read, powershell: read, zsh: read })),
  'dependency|dep|dependencies': group(
    table({
      'list|ls': onDisk('read', "it reads a chart directory on the server's disk"),
      'update|up': onDisk('write', "it writes into a chart directory on the server's disk"),
      build: onDisk('write', "it writes into a chart directory on the server's disk"),
    }),
  ),
  repo: group(
    table({
      'list|ls': read,
      add: { access: 'write', check: repoAdd },
      'update|up': write,
      'remove|rm': write,
      index: onDisk('write', "it writes an index.yaml on the server's disk"),
    }),
  ),
  // write
  install: chartWrite,
  upgrade: chartWrite,
  'uninstall|un|delete|del': destroy,
  rollback: write,
  test: write,
  'pull|fetch': chartWrite,
  package: onDisk('write', "it packages a chart directory on the server's disk"),
  create: onDisk('write', "it writes a new chart on the server's disk"),
  push: onDisk('write', 'it uploads a chart archive from the server'),
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

/** Bare `--dry-run` and `--dry-run=true` are deprecated spellings of `client` in helm 4. */
const DRY_RUNS = [undefined, 'client', 'server', 'true'];

function dryRun(ctx: CheckContext): boolean {
  const dry = ctx.lastFlag('dry-run');
  return dry !== undefined && DRY_RUNS.includes(dry.value);
}

const SECRETS_NEXT =
  'Use `helm status` (table), `helm history` or `helm list`, and preview changes with `--dry-run=client`; the server can allow secret values with its allow-secrets option.';

/** `helm get …` views built from the release's values: the values themselves, or what they rendered. */
const RELEASE_VIEWS = ['get values', 'get all', 'get manifest', 'get hooks', 'get notes'];

/**
 * What prints Secret values that output redaction cannot recognise: release values (often passwords and
 * keys that feed Secrets) and what they rendered, the whole release (`status -o json|yaml` holds its
 * values), server-side dry runs (`lookup` reads Secrets from the cluster into the printed manifests), and
 * dry runs that reuse the release's stored values.
 */
function secrets(ctx: CheckContext): void {
  if (ctx.allowSecrets) return;
  const refuse = (shown: string, why: string): never => ctx.refuse('secrets', shown, why, SECRETS_NEXT);
  if (RELEASE_VIEWS.includes(ctx.verb)) {
    refuse(
      `helm ${ctx.verb}`,
      "it prints the release's values or what they rendered, where passwords and keys that feed its Secrets live",
    );
  }
  const output = ctx.lastFlag('output');
  if (ctx.verb === 'status' && output && output.value !== 'table') {
    refuse(
      `${output.shown} ${output.value ?? ''}`.trim(),
      '`helm status` in this format prints the whole release, its values included',
    );
  }
  const dry = ctx.lastFlag('dry-run');
  if (dry?.value === 'server') {
    refuse(
      `${dry.shown}=server`,
      "a server-side dry run evaluates the chart's `lookup` calls, which read Secrets from the cluster into the printed manifests",
    );
  }
  const reuse = ctx.lastFlag('reuse-values') ?? ctx.lastFlag('reset-then-reuse-values');
  if (dryRun(ctx) && reuse && reuse.value !== 'false') {
    refuse(reuse.shown, "a dry run with the release's stored values prints manifests rendered from them");
  }
}

const tables = tablesFromData(data);

export const HELM: ToolPolicy = {
  tool: 'helm',
  options: (path) => tables.get(path),
  normalise: (name) => name,
  refused: REFUSED,
  paths: [
    'set-file',
    'keyring',
    'destination',
    'untardir',
    'output-dir',
    'content-cache',
    'starter',
    'merge',
  ],
  pathsOrUrls: ['values'],
  lists: ['values'],
  urls: ['repo'],
  schemes: SCHEMES,
  values: {},
  dryRun: (ctx) => dryRun(ctx),
  check: secrets,
  verbs: VERBS,
};
