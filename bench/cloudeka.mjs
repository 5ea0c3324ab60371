#!/usr/bin/env node
// Cloudeka server: cold start, tools/list size, per-call overhead over the raw simulator round trip,
// token exchanges across many calls, and idle memory. `node bench/cloudeka.mjs` after `pnpm build`.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { startCloudekaSim } from 'cloudeka-sim';
import { memoryKiB, resultText } from './lib/mcp.mjs';
import { msSince, now, round, summarize } from './lib/stats.mjs';

const cli = new URL('../apps/cloudeka/dist/cli.js', import.meta.url).pathname;
const sim = await startCloudekaSim({ environment: 'production' });
const project = sim.ids.projectIds[0];
const env = () => ({
  PATH: process.env.PATH ?? '',
  HOME: mkdtempSync(join(tmpdir(), 'bench-home-')),
  XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'bench-cache-')),
  CLDKCTL_TOKEN: sim.tokens.owner,
  CLDKCTL_BASE_URL: sim.url,
  CLDKCTL_ENVIRONMENT: 'production',
  CLDKCTL_DEFAULT_PROJECT_ID: project,
  CLOUDMCP_LOG_LEVEL: 'warn',
});

async function start() {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cli],
    env: env(),
    stderr: 'ignore',
  });
  const client = new Client({ name: 'cloudmcp-bench', version: '0.0.0' });
  await client.connect(transport);
  return { client, pid: transport.pid };
}

const cold = [];
let toolsBytes = 0;
let toolCount = 0;
for (let i = 0; i < 15; i++) {
  const t = now();
  const { client } = await start();
  const { tools } = await client.listTools();
  cold.push(msSince(t));
  toolsBytes = JSON.stringify(tools).length;
  toolCount = tools.length;
  await client.close();
}

const { client, pid } = await start();
await client.listTools();
await new Promise((resolve) => setTimeout(resolve, 500));
const idleRss = memoryKiB(pid).rss / 1024;

// The raw round trip: exchange once, then GET the same route the tool calls.
const auth = await fetch(`${sim.url}/core/cldkctl/auth`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ token: sim.tokens.owner }),
});
const jwt = (await auth.json()).data.token;
const raw = () =>
  fetch(`${sim.url}/core/user/organization/projects/byOrg`, {
    headers: { authorization: `Bearer ${jwt}` },
  }).then((r) => r.text());
const viaMcp = async () =>
  resultText(await client.callTool({ name: 'project_list', arguments: {} }), 'project_list');

for (let i = 0; i < 30; i++) {
  await raw();
  await viaMcp();
}
const exchangesBefore = sim.exchanges();
const mcpTimes = [];
const rawTimes = [];
for (let i = 0; i < 200; i++) {
  const order = i % 2 === 0 ? [viaMcp, raw] : [raw, viaMcp];
  for (const fn of order) {
    const t = now();
    await fn();
    (fn === raw ? rawTimes : mcpTimes).push(msSince(t));
  }
}
const exchanges = sim.exchanges() - exchangesBefore;
await client.close();
await sim.close();

const c = summarize(cold);
const m = summarize(mcpTimes);
const r = summarize(rawTimes);
console.log(`Cloudeka MCP server benchmark — ${new Date().toISOString()}, node ${process.version}`);
console.log(
  `cold start spawn → initialize → tools/list (15 runs): median ${round(c.median, 1)} ms, p95 ${round(c.p95, 1)} ms`,
);
console.log(`tools/list: ${toolCount} tools, ${toolsBytes} B ≈ ${Math.ceil(toolsBytes / 3.6)} tokens`);
console.log(`idle RSS after initialize: ${round(idleRss, 1)} MiB`);
console.log(
  `project_list via MCP: median ${round(m.median)} ms, p95 ${round(m.p95)} ms; raw GET: median ${round(r.median)} ms, p95 ${round(r.p95)} ms; added median ${round(m.median - r.median)} ms`,
);
console.log(`token exchanges during 200 warm calls: ${exchanges} (the cached JWT is reused)`);
