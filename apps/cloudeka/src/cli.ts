#!/usr/bin/env node
import '@cloudmcp/toolkit/process-setup';
import { runServerCli } from '@cloudmcp/toolkit';
import { cloudekaConfigSchema, cloudekaOptions } from './config.js';
import { createDeps, requestDeps } from './deps.js';
import { ENVIRONMENT_HEADER } from './environment-header.js';
import { cloudekaServer } from './server.js';
import { VERSION } from './version.js';

await runServerCli({
  bin: 'cloudeka-mcp',
  version: VERSION,
  description: 'MCP server for Cloudeka (ai.cloudeka.id, the cldkctl API)',
  optionsTitle: 'Cloudeka options',
  options: cloudekaOptions,
  configSchema: cloudekaConfigSchema,
  server: cloudekaServer,
  createDeps,
  requestDeps,
  requestHeaders: [ENVIRONMENT_HEADER],
  // the operator's environment: a request's header never changes the shared deps
  health: (deps) => ({ environment: deps.client.environment, fell_back: Boolean(deps.client.fellBack) }),
  examples: [
    'CLDKCTL_TOKEN=cldkctl_… CLDKCTL_DEFAULT_PROJECT_ID=… cloudeka-mcp',
    'cloudeka-mcp --environment staging --read-only',
    'cloudeka-mcp --toolsets all          # superadmin tools too',
    'cloudeka-mcp --http 8080 --http-token "$TOKEN"',
  ],
});
