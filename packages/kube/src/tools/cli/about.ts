import type { CliTool } from '../../runner/index.js';

/** What each CLI tool is for, as its description tells a model. */
export const ABOUT: Record<CliTool, { title: string; what: string; examples: string; toolsHint: string }> = {
  kubectl: {
    title: 'Run kubectl',
    what: 'Runs one kubectl command against a cluster and returns its output.',
    examples:
      '`get pods -o wide`, `describe deployment web`, `logs web-7d4b9 --tail=50`, `rollout status ' +
      'deployment/web`, `apply -f -` with the manifest as `stdin`, `auth can-i delete pods`',
    toolsHint:
      'For lists and diagnostics prefer the typed tools (pod_list, resource_get, event_list, ' +
      'pods_crashlooping…): their output is compact and paged.',
  },
  helm: {
    title: 'Run helm',
    what: 'Runs one helm command (releases, charts, repositories) against a cluster.',
    examples:
      '`list -A`, `status web`, `history web`, `get manifest web`, `upgrade web oci://… --version 1.2.3`, ' +
      '`rollback web 3`',
    toolsHint: 'Release manifests are redacted where they hold Secrets.',
  },
  istioctl: {
    title: 'Run istioctl',
    what: 'Runs one istioctl command (Istio service mesh) against a cluster.',
    examples: '`proxy-status`, `analyze -A`, `proxy-config routes deploy/web -n shop`, `version`',
    toolsHint: 'Needs istioctl installed where this server runs.',
  },
  argocd: {
    title: 'Run argocd',
    what:
      'Runs one argocd command (Argo CD applications and projects), with --core over the kubeconfig unless ' +
      'the server is configured with an Argo CD API server.',
    examples: '`app list`, `app get web`, `app diff web`, `app sync web`, `proj list`',
    toolsHint: '`namespace` is not passed to argocd: use `--app-namespace` in the command.',
  },
};
