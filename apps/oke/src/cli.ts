#!/usr/bin/env node
import '@cloudmcp/toolkit/process-setup';
import { foundOption, withFoundClis } from '@cloudmcp/kube';
import { runServerCli, type ServerCliSpec } from '@cloudmcp/toolkit';
import { okeConfigSchema, okeOptions } from './config.js';
import { createDeps, type OkeDeps } from './deps.js';
import { seedEnvironment } from './seed-env.js';
import { okeServer } from './server.js';
import { VERSION } from './version.js';

const spec: ServerCliSpec<typeof okeConfigSchema, OkeDeps> = {
  bin: 'oke-mcp',
  version: VERSION,
  description:
    'MCP server for Oracle Kubernetes Engine (OKE), with kubectl/helm/istioctl/argocd on each cluster',
  optionsTitle: 'OKE options',
  options: okeOptions,
  configSchema: okeConfigSchema,
  server: (config, deps) =>
    okeServer(
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
    'oke-mcp                                        # ~/.oci/config, profile DEFAULT',
    'OCI_CLI_PROFILE=mysession oke-mcp --compartment ocid1.compartment.oc1..aaa --cluster prod',
    'OCI_CLI_AUTH=security_token oke-mcp --read-only',
    'oke-mcp --cluster-endpoint PRIVATE --http 8080 --http-token "$TOKEN"',
  ],
};

await runServerCli(spec, process.argv.slice(2), seedEnvironment(process.env));
