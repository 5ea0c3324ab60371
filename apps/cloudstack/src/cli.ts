#!/usr/bin/env node
import '@cloudmcp/toolkit/process-setup';
import { runServerCli } from '@cloudmcp/toolkit';
import { cloudstackConfigSchema, cloudstackOptions } from './config.js';
import { createDeps } from './deps.js';
import { seedEnvironment } from './seed-env.js';
import { cloudstackServer } from './server.js';
import { VERSION } from './version.js';

await runServerCli(
  {
    bin: 'cloudstack-mcp',
    version: VERSION,
    description: 'MCP server for Apache CloudStack',
    optionsTitle: 'CloudStack options',
    options: cloudstackOptions,
    configSchema: cloudstackConfigSchema,
    server: cloudstackServer,
    createDeps,
    examples: [
      'CLOUDSTACK_API_URL=https://cloud.example.com/client/api CLOUDSTACK_API_KEY=… CLOUDSTACK_SECRET_KEY=… cloudstack-mcp',
      'cloudstack-mcp --cmk-profile prod --read-only',
      'cloudstack-mcp --http 8080 --http-token "$TOKEN"',
      'MCP_ADDR=:8250 cloudstack-mcp                     # as the seed: HTTP with /sse on 127.0.0.1:8250',
    ],
  },
  process.argv.slice(2),
  seedEnvironment(process.env),
);
