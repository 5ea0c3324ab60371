import type { CliTool } from '../../runner/index.js';

/**
 * What each CLI tool is for, as its description tells a model, and one example of its `command`. What the
 * runner refuses is not listed here: a refused command gets the reason in its error.
 */
export const ABOUT: Record<CliTool, { title: string; what: string; example: string }> = {
  kubectl: {
    title: 'Run kubectl',
    what: 'Runs one kubectl command (no shell); typed tools are more compact for lists.',
    example: 'get pods -o wide',
  },
  helm: {
    title: 'Run helm',
    what: 'Runs one helm command (releases, charts; no shell).',
    example: 'list -A',
  },
  istioctl: {
    title: 'Run istioctl',
    what: 'Runs one istioctl command (Istio; no shell).',
    example: 'proxy-status',
  },
  argocd: {
    title: 'Run argocd',
    what: 'Runs one argocd command (Argo CD; no shell); --core unless a server is configured.',
    example: 'app list',
  },
};
