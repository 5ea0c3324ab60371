#!/usr/bin/env node
import '@cloudmcp/toolkit/process-setup';
import { withFoundClis } from '@cloudmcp/kube';
import { runServerCli, type ServerCliSpec } from '@cloudmcp/toolkit';
import { kubernetesConfigSchema, kubernetesOptions } from './config.js';
import { createDeps, health, KUBECONFIG_HEADER, type KubernetesDeps, requestDeps } from './deps.js';
import { seedEnvironment } from './seed-env.js';
import { kubernetesServer } from './server.js';
import { serverOptionsFor } from './shape.js';
import { VERSION } from './version.js';

const spec: ServerCliSpec<typeof kubernetesConfigSchema, KubernetesDeps> = {
  bin: 'kubernetes-mcp',
  version: VERSION,
  description: 'MCP server for the Kubernetes clusters of a kubeconfig, with kubectl/helm/istioctl/argocd',
  optionsTitle: 'Kubernetes options',
  options: kubernetesOptions,
  configSchema: kubernetesConfigSchema,
  server: (config, deps) =>
    kubernetesServer({
      ...serverOptionsFor(config, deps),
      ...(deps?.impersonation ? { impersonation: deps.impersonation } : {}),
    }),
  // istioctl and argocd are listed only where their binaries are found
  createDeps: (config, logger) => withFoundClis(createDeps(config, logger)),
  requestDeps,
  requestHeaders: [KUBECONFIG_HEADER],
  health,
  examples: [
    'kubernetes-mcp                                   # every context of ~/.kube/config',
    'KUBECONFIG=~/.kube/prod:~/.kube/dev kubernetes-mcp --context prod --read-only',
    'kubernetes-mcp --kubectl-path /opt/bin/kubectl --toolsets core,workloads,diagnostics,cli',
    'kubernetes-mcp --http 8080 --http-token "$TOKEN"   # clients may send X-Kubeconfig',
  ],
};

await runServerCli(spec, process.argv.slice(2), seedEnvironment(process.env));
