/**
 * istioctl: no binary here, so the commands and their options are written by hand from istioctl's command
 * reference, for the commands this runner allows; anything else is refused.
 */
import type { FlagUse } from '../flags/parse.js';
import { mergeTables, type OptionTable, options } from '../flags/spec.js';
import type { CheckContext } from '../policy.js';
import { KLOG_LEVELS, KLOG_NEXT, KLOG_WHY, KUBE_CREDENTIALS, TARGET } from './shared.js';
import {
  destroy,
  group,
  handOptions,
  levelCheck,
  read,
  refused,
  type ToolPolicy,
  table,
  write,
} from './types.js';

function analyze(ctx: CheckContext): void {
  if (!ctx.allowLocalFiles && ctx.positionals.length > 0) {
    ctx.refuse(
      'local-file',
      ctx.positionals[0]!,
      "`istioctl analyze FILE…` reads files on the server's disk",
      'Run `istioctl analyze` without files to analyze the live cluster (add `-n NAMESPACE` or `-A`); the server can allow local files with its local-files option.',
    );
  }
}

/** `--log_output_level scope:level,…`: levels above info print what istioctl sends and receives. */
function logLevels(use: FlagUse, ctx: CheckContext): void {
  for (const item of (use.value ?? '').split(',')) {
    const level = item.slice(item.lastIndexOf(':') + 1).toLowerCase();
    if (!['none', 'error', 'warn', 'info'].includes(level)) {
      ctx.refuse(
        'verbose',
        `${use.shown} ${use.value ?? ''}`.trim(),
        'debug logging prints what istioctl exchanges with the cluster, Secret values included',
        'Use levels none, error, warn or info (`default:info`), or leave the option out.',
      );
    }
  }
}

const PROXY = options('-o --output=', '--proxy-admin-port=', '-f --file=');
const pc = (...extra: string[]): OptionTable => mergeTables(PROXY, options(...extra));
const INSTALL = ['-f --filename=', '-s --set=', '-d --manifests=', '-r --revision=', '--dry-run'];

const OPTIONS: Record<string, OptionTable> = {
  '': options(
    '--context=',
    '-c --kubeconfig=',
    '-i --istioNamespace=',
    '-n --namespace=',
    '--vklog=',
    '--log_output_level=',
    '-h --help',
  ),
  analyze: options(
    '-A --all-namespaces',
    '-o --output=',
    '--output-threshold=',
    '--failure-threshold=',
    '-L --list-analyzers',
    '-S --suppress=',
    '-R --recursive',
    '--use-kube',
    '--timeout=',
    '-v --verbose',
    '--meshConfigFile=',
    '--ignore-unknown',
    '--revision=',
  ),
  'proxy-status': options('-r --revision=', '-o --output='),
  'proxy-config all': pc(
    '--fqdn=',
    '--port=',
    '--subset=',
    '--direction=',
    '--address=',
    '--type=',
    '--name=',
  ),
  'proxy-config bootstrap': PROXY,
  'proxy-config cluster': pc('--fqdn=', '--port=', '--subset=', '--direction='),
  'proxy-config endpoint': pc('--address=', '--cluster=', '--port=', '--status='),
  'proxy-config listener': pc('--address=', '--port=', '--type='),
  'proxy-config route': pc('--name='),
  'proxy-config secret': PROXY,
  'proxy-config log': pc('--level=', '-r --reset', '-l --selector='),
  version: options('-o --output=', '-s --short', '--remote', '-r --revision='),
  precheck: options('-f --filename=', '-r --revision=', '-o --output='),
  'verify-install': options('-f --filename=', '-d --manifests=', '-r --revision='),
  'remote-clusters': options('-r --revision='),
  'kube-inject': options(
    '-f --filename=',
    '--meshConfigFile=',
    '--injectConfigFile=',
    '--valuesFile=',
    '-r --revision=',
  ),
  'experimental precheck': options('-f --filename=', '-r --revision=', '-o --output='),
  'experimental describe pod': options('--ignoreUnmeshed', '-r --revision='),
  'experimental describe service': options('--ignoreUnmeshed', '-r --revision='),
  'tag list': options('-o --output='),
  'waypoint list': options('-A --all-namespaces'),
  'waypoint status': options('--name='),
  'waypoint generate': options('--name=', '--for=', '-r --revision='),
  'waypoint apply': options(
    '--name=',
    '--for=',
    '--enroll-namespace',
    '--overwrite',
    '-r --revision=',
    '--wait',
  ),
  'waypoint delete': options('--all'),
  install: options(...INSTALL, '-y --skip-confirmation', '--verify', '--readiness-timeout=', '--force'),
  uninstall: options(...INSTALL, '--purge', '-y --skip-confirmation', '-v --verbose'),
  'admin log': options('--level=', '-r --reset', '-o --output=', '-l --selector='),
  help: options(),
};

const VERBS = table({
  // read
  analyze: { access: 'read', check: analyze },
  'proxy-status|ps': read,
  // every proxy-config view reads, but `log --level` changes the proxies' log levels
  'proxy-config|pc': group(
    table({
      'all|a': read,
      'bootstrap|b': read,
      'cluster|clusters|c': read,
      'endpoint|endpoints|ep': read,
      'listener|listeners|l': read,
      'route|routes|r': read,
      'secret|secrets|s': read,
      'log|o': write,
    }),
  ),
  version: read,
  'verify-install': read,
  precheck: read,
  'remote-clusters': read,
  'kube-inject': read,
  help: read,
  'experimental|x|exp': group(
    table({
      precheck: read,
      describe: group(table({ 'pod|po': read, 'service|svc': read })),
    }),
  ),
  tag: group(table({ list: read })),
  'waypoint|wp': group(table({ list: read, status: read, generate: read, apply: write, delete: destroy })),
  // write
  install: write,
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

export const ISTIOCTL: ToolPolicy = {
  tool: 'istioctl',
  options: handOptions(OPTIONS),
  normalise: (name) => name,
  refused: {
    ...KUBE_CREDENTIALS,
    context: TARGET,
    cluster: TARGET,
    user: TARGET,
    'xds-address': {
      why: 'it sends an identity token minted in the cluster to an XDS server of your choosing',
      next: 'Leave it out: istioctl finds istiod in the cluster.',
    },
    'cert-dir': { why: 'it loads client credentials from a directory on the server', next: 'Leave it out.' },
    insecure: { why: 'it turns off the check of the server certificate', next: 'Leave it out.' },
    plaintext: { why: 'it turns off TLS to the control plane', next: 'Leave it out.' },
  },
  paths: ['file', 'manifests', 'meshConfigFile', 'injectConfigFile', 'valuesFile'],
  // `-f -` reads stdin; istioctl fetches no URLs here (no scheme is allowed)
  pathsOrUrls: ['filename'],
  lists: ['filename'],
  urls: [],
  schemes: [],
  values: {
    vklog: levelCheck(KLOG_LEVELS, KLOG_WHY, KLOG_NEXT),
    log_output_level: logLevels,
  },
  // istioctl's previews are not relied on: its writes stay writes
  dryRun: () => false,
  verbs: VERBS,
};
