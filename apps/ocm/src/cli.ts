#!/usr/bin/env node
import '@cloudmcp/toolkit/process-setup';
import { foundOption, withFoundClis } from '@cloudmcp/kube';
import { runServerCli, type ServerCliSpec } from '@cloudmcp/toolkit';
import { ocmConfigSchema, ocmOptions } from './config.js';
import { createDeps, type OcmDeps } from './deps.js';
import { ocmServer } from './server.js';
import { VERSION } from './version.js';

const spec: ServerCliSpec<typeof ocmConfigSchema, OcmDeps> = {
  bin: 'ocm-mcp',
  version: VERSION,
  description:
    'MCP server for a fleet of Kubernetes clusters through an Open Cluster Management hub, with least-privilege ' +
    'access to each managed cluster and kubectl/helm/istioctl/argocd',
  optionsTitle: 'OCM options',
  options: ocmOptions,
  configSchema: ocmConfigSchema,
  server: (config, deps) =>
    ocmServer(
      config
        ? {
            readOnly: config.readOnly,
            disableDestructive: config.disableDestructive,
            confirm: config.confirm,
            ...foundOption(deps),
          }
        : undefined,
    ),
  // istioctl and argocd are listed only where their binaries are found
  createDeps: (config, logger) => withFoundClis(createDeps(config, logger)),
  examples: [
    'ocm-mcp                                          # the hub is the current context of ~/.kube/config',
    'KUBECONFIG=~/.kube/hub ocm-mcp --context hub-admin --read-only',
    'ocm-mcp --allowed-roles view,edit --default-role view --connect-timeout 300',
    'ocm-mcp --service-account team-a-assistant --http 8080 --http-token "$TOKEN"',
  ],
};

await runServerCli(spec);
