/**
 * kubectl 1.35: the commands the runner knows, how each one is classed, and what its options mean beyond
 * what `flags/kubectl.json` (read from the binary) says: which name files, which are refused and why.
 */

import data from '../flags/kubectl.json' with { type: 'json' };
import type { FlagUse } from '../flags/parse.js';
import { tablesFromData } from '../flags/spec.js';
import { refuseOwnDescriptor } from '../own-descriptors.js';
import type { CheckContext } from '../policy.js';
import { KLOG_LEVELS, KLOG_NEXT, KLOG_WHY, KUBE_CREDENTIALS, TARGET } from './shared.js';
import {
  destroy,
  group,
  levelCheck,
  type Refusal,
  read,
  refused,
  type ToolPolicy,
  table,
  write,
} from './types.js';

const EXEC_NEXT =
  'Read what you need with `kubectl logs`, `kubectl describe` or `kubectl get -o yaml`; changes go through `kubectl apply`, `patch` or `set`.';

function configView(ctx: CheckContext): void {
  const raw = ctx.lastFlag('raw');
  if (raw && raw.value !== 'false') {
    ctx.refuse(
      'flag',
      raw.shown,
      'it prints the kubeconfig credentials unredacted',
      'Run `kubectl config view` without `--raw` (credentials show as REDACTED), or `kubectl config get-contexts`.',
    );
  }
}

function run(ctx: CheckContext): void {
  for (const name of ['stdin', 'tty', 'attach']) {
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

/** kustomize fetches remote bases itself (git, http), out of reach of the URL allowlist. */
const REMOTE_BASES =
  'a kustomization can fetch remote bases, which this server cannot hold to its allowed URLs';
const REMOTE_BASES_NEXT = 'Build the manifests yourself and pass them with `-f -` (stdin) or `-f https://…`.';

/** Options of `kubectl kustomize` that run programs or containers on the server (helm, KRM functions). */
const KUSTOMIZE_PROGRAMS = [
  'enable-helm',
  'helm-command',
  'enable-alpha-plugins',
  'as-current-user',
  'env',
  'mount',
  'network',
  'network-name',
];

function kustomize(ctx: CheckContext): void {
  if (ctx.allowedUrls !== undefined) {
    ctx.refuse('url', 'kubectl kustomize', REMOTE_BASES, REMOTE_BASES_NEXT);
  }
  for (const use of ctx.flags) {
    if (KUSTOMIZE_PROGRAMS.includes(use.name)) {
      ctx.refuse(
        'flag',
        use.shown,
        'it makes kustomize run programs or containers (helm, KRM functions) on the server',
        'Build the kustomization without generators that run programs.',
      );
    }
  }
}

const createService = group(
  table({ clusterip: write, externalname: write, loadbalancer: write, nodeport: write }),
);

const VERBS = table({
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
  kustomize: {
    access: 'read',
    localFiles: 'it builds a kustomization from a directory on the server',
    check: kustomize,
  },
  config: group(
    table({
      view: { access: 'read', check: configView },
      'get-contexts': read,
      'get-clusters': read,
      'get-users': read,
      'current-context': read,
    }),
    {
      otherSub: refused(
        'it changes the kubeconfig, which belongs to the server (the call gets a throw-away copy)',
        "Pick another context with the tool's `context` argument; list them with `kubectl config get-contexts`.",
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
    { access: 'write', bare: true },
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
    { access: 'write', bare: true },
  ),
  patch: write,
  replace: write,
  delete: destroy,
  label: write,
  annotate: write,
  scale: write,
  autoscale: write,
  expose: write,
  run: { access: 'write', check: run },
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

const REFUSED: Record<string, Refusal> = {
  ...KUBE_CREDENTIALS,
  context: TARGET,
  cluster: TARGET,
  user: TARGET,
  kuberc: {
    why: 'it loads a kuberc file from the server, which can redefine commands and defaults',
    next: 'Write the full command instead of an alias.',
  },
  vmodule: {
    kind: 'verbose',
    why: 'per-file log levels reach the levels that print API request and response bodies',
    next: KLOG_NEXT,
  },
  edit: {
    why: 'it opens an interactive editor, and this runner has no terminal',
    next: 'Create the object as given, then change it with `kubectl patch` or `kubectl apply`.',
  },
};

/** Output formats (`-o`); the `*-file` ones read a template from the server's disk. */
const FORMATS = new Set([
  'json',
  'yaml',
  'kyaml',
  'name',
  'wide',
  'plaintext',
  'plaintext-openapiv2',
  'go-template',
  'template',
  'jsonpath',
  'jsonpath-as-json',
  'custom-columns',
]);
const FILE_FORMATS = new Set(['go-template-file', 'templatefile', 'jsonpath-file', 'custom-columns-file']);

/** The output format a command asks for, lower case, without its `=template`. */
export function outputFormat(ctx: CheckContext): string {
  return (ctx.lastFlag('output')?.value ?? '').split('=')[0]!.toLowerCase();
}

function output(use: FlagUse, ctx: CheckContext): void {
  const format = (use.value ?? '').split('=')[0]!.toLowerCase();
  if (FILE_FORMATS.has(format)) {
    refuseOwnDescriptor(ctx, `${use.shown} ${use.value}`, use.value ?? '');
    if (!ctx.allowLocalFiles) {
      ctx.refuse(
        'local-file',
        `${use.shown} ${use.value}`,
        'this output format reads its template from a file on the server',
        `Write the template inline (\`-o ${format.replace(/-?file$/, '').replace(/^$/, 'go-template')}=…\`); the server can allow local files with its local-files option.`,
      );
    }
  } else if (!FORMATS.has(format)) {
    ctx.refuse(
      'option',
      `${use.shown} ${use.value ?? ''}`.trim(),
      `\`${use.value ?? ''}\` is not an output format this runner allows`,
      `Use one of: ${[...FORMATS].join(', ')} (templates as \`-o jsonpath=…\`).`,
    );
  }
}

/** `--template` names a file when the output format is one of the `*-file` ones. */
function template(use: FlagUse, ctx: CheckContext): void {
  if (!FILE_FORMATS.has(outputFormat(ctx))) return;
  refuseOwnDescriptor(ctx, `${use.shown} ${use.value ?? ''}`.trim(), use.value ?? '');
  if (!ctx.allowLocalFiles) {
    ctx.refuse(
      'local-file',
      `${use.shown} ${use.value ?? ''}`.trim(),
      `with \`-o ${outputFormat(ctx)}\` it reads \`${use.value ?? ''}\` on the server's own disk`,
      'Write the template inline (`-o go-template=…`, `-o jsonpath=…`); the server can allow local files with its local-files option.',
    );
  }
}

function kustomizeDir(use: FlagUse, ctx: CheckContext): void {
  if (ctx.allowedUrls !== undefined) {
    ctx.refuse('url', `${use.shown} ${use.value ?? ''}`.trim(), REMOTE_BASES, REMOTE_BASES_NEXT);
  }
}

/**
 * `create|replace|delete --raw` sends the request as written and ignores `--dry-run`: what reads as a
 * preview writes, and the body (any kind, RBAC included) is not an object kubectl checks. Refused rather
 * than classed as a plain write, because the same change is available without `--raw` with honest
 * previews; `get --raw` (a read) stays.
 */
function rawWrite(use: FlagUse, ctx: CheckContext): void {
  if (['create', 'replace', 'delete'].includes(ctx.verb)) {
    ctx.refuse(
      'flag',
      use.shown,
      `with \`--raw\`, \`kubectl ${ctx.verb}\` sends the request as written and ignores \`--dry-run\`, so even a preview writes`,
      `Use \`kubectl ${ctx.verb} -f -\` (or with a name) without \`--raw\`, adding \`--dry-run=server\` to preview; \`kubectl get --raw PATH\` reads.`,
    );
  }
}

const SAFE_SECRET_OUTPUTS = new Set(['', 'yaml', 'json', 'name', 'wide']);
const SECRET_RESOURCE = /^secrets?(?:$|[./])/i;

/** Output formats that print fields verbatim cannot be redacted: refused on Secrets unless allowed. */
function secretOutputs(ctx: CheckContext): void {
  if (ctx.allowSecrets) return;
  const output = ctx.lastFlag('output');
  const template = ctx.lastFlag('template');
  const unsafe = template !== undefined || !SAFE_SECRET_OUTPUTS.has(outputFormat(ctx));
  if (!unsafe) return;
  const fromFiles = ctx.flags.some((f) => f.name === 'filename' || f.name === 'kustomize');
  const secrets =
    ctx.positionals.some((p) => p.split(',').some((part) => SECRET_RESOURCE.test(part))) ||
    ctx.verb.startsWith('create secret');
  if (secrets || fromFiles) {
    ctx.refuse(
      'secrets',
      template ? template.shown : `-o ${output?.value ?? ''}`,
      secrets
        ? 'on Secrets this output format prints their values, which this server does not show'
        : 'the objects named by the file may be Secrets, and this output format would print their values',
      'Use `-o yaml` or `-o json` (values redacted, keys kept) or `kubectl describe secret` (sizes); the server can allow secret values with its allow-secrets option.',
    );
  }
}

const tables = tablesFromData(data);

export const KUBECTL: ToolPolicy = {
  tool: 'kubectl',
  options: (path) => tables.get(path),
  normalise: (name) => name.replace(/_/g, '-'),
  refused: REFUSED,
  paths: [
    'kustomize',
    'from-file',
    'from-env-file',
    'cert',
    'key',
    'patch-file',
    'output-directory',
    'profile-output',
    'cache-dir',
  ],
  pathsOrUrls: ['filename'],
  lists: ['filename', 'from-file', 'from-env-file'],
  urls: [],
  schemes: ['http', 'https'],
  values: {
    v: levelCheck(KLOG_LEVELS, KLOG_WHY, KLOG_NEXT),
    output,
    template,
    kustomize: kustomizeDir,
    raw: rawWrite,
  },
  dryRun: (ctx) => ['client', 'server'].includes(ctx.lastFlag('dry-run')?.value ?? ''),
  check: secretOutputs,
  verbs: VERBS,
};
