/** Refusals shared by the Kubernetes clients (kubectl, helm, istioctl, argocd). */
import type { Refusal } from './types.js';

const KUBECONFIG_NEXT =
  "The kubeconfig comes from the server (or the `kubeconfig` argument); pick a context in it with the tool's `context` argument (see context_list).";

/** `--context`, `--cluster`, `--user`, `--kube-context`: the target is chosen by the runner, never by options. */
export const TARGET: Refusal = {
  kind: 'target',
  rootOnly: true,
  why: "it picks the cluster, user or context inside the kubeconfig, which can pair one context's credentials with another cluster or leave the chosen target",
  next: "Pick the target with the tool's `context` argument (see context_list).",
};

export const KUBE_CREDENTIALS: Readonly<Record<string, Refusal>> = {
  kubeconfig: { why: 'it points the tool at another kubeconfig file on the server', next: KUBECONFIG_NEXT },
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
    next: `Pick one of the kubeconfig's clusters with the tool's \`context\` argument. ${KUBECONFIG_NEXT}`,
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

/** klog's `-v`: from 6 up it logs request URLs, then headers, then request and response bodies. */
export const KLOG_LEVELS = ['0', '1', '2', '3', '4', '5'];
export const KLOG_WHY =
  'log levels from 6 up print API requests, and from 8 their bodies (Secret values, tokens), which this server never shows';
export const KLOG_NEXT = 'Use a level from 0 to 5, written as one digit, or leave the option out.';
