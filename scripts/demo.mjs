#!/usr/bin/env node
// `pnpm demo`: starts the bundled simulators, connects a real MCP client (the SDK's) to each built server
// over stdio, and plays a short scripted session, printing what an assistant would see.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startCloudStackSim } from 'cloudstack-sim';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const color = process.stdout.isTTY ? (code, s) => `\x1b[${code}m${s}\x1b[0m` : (_code, s) => s;
const heading = (s) => console.log(`\n${color('1;36', `== ${s} ==`)}`);
const say = (s) => console.log(color('2', s));

async function connect(bin, env) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [join(root, bin)],
    env: { PATH: process.env.PATH ?? '', ...env },
    stderr: 'ignore',
  });
  const client = new Client({ name: 'cloudmcp-demo', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

async function step(client, name, args) {
  console.log(`\n${color('1;33', `▶ ${name}`)} ${JSON.stringify(args)}`);
  const result = await client.callTool({ name, arguments: args }, undefined, {
    onprogress: (p) => say(`  … progress ${p.progress}${p.total ? `/${p.total}` : ''} ${p.message ?? ''}`),
  });
  for (const part of result.content) if (part.type === 'text') console.log(part.text);
  if (result.isError) throw new Error(`${name} failed`);
  return result.structuredContent;
}

async function cloudstackScene() {
  heading('Apache CloudStack — cloudstack-mcp against cloudstack-sim');
  const sim = await startCloudStackSim({ jobSteps: 3 });
  const cache = mkdtempSync(join(tmpdir(), 'cloudmcp-demo-'));
  const { admin } = sim.credentials;
  const client = await connect('apps/cloudstack/dist/cli.js', {
    CLOUDSTACK_API_URL: sim.url,
    CLOUDSTACK_API_KEY: admin.apiKey,
    CLOUDSTACK_SECRET_KEY: admin.secretKey,
    CLOUDSTACK_JOB_POLL_MS: '150',
    XDG_CACHE_HOME: cache,
  });
  try {
    const { tools } = await client.listTools();
    say(`${tools.length} tools: ${tools.map((t) => t.name).join(', ')}`);
    const zones = await step(client, 'zone_list', {});
    const zone = zones.items[0].name;
    const templates = await step(client, 'template_list', { zone, limit: 5 });
    const offerings = await step(client, 'service_offering_list', {});
    const deployed = await step(client, 'vm_deploy', {
      zone,
      template: templates.items[0].name,
      service_offering: offerings.items[0].name,
      name: 'demo-web-1',
    });
    await step(client, 'vm_status', { vm: deployed.vm.id });
    await step(client, 'vm_list', { zone, limit: 8 });
  } finally {
    await client.close();
    await sim.close();
    rmSync(cache, { recursive: true, force: true });
  }
}

await cloudstackScene();
console.log(`\n${color('1;32', 'Demo finished.')} Try a server yourself: pnpm --filter cloudstack-sim start`);
