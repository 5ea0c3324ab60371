#!/usr/bin/env node
// What a server's tools/list costs a model, counted with a real tokenizer (o200k_base, gpt-tokenizer pinned
// in package.json). Usage: node bench/tool-tokens.mjs <server> [server flags…]   e.g. `cloudeka --toolsets all`.
// Spawns the built apps/<server>/dist/cli.js with placeholder settings (nothing is contacted: tools/list
// never touches the network), lists the tools over raw stdio, and prints per tool and in total:
// model-facing tokens (name, description, input schema: what hosts hand the model) and output-schema tokens.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { placeholderEnv } from './lib/placeholder-env.mjs';
import { o200kTokens, toolTokens } from './lib/tokens.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [server, ...flags] = process.argv.slice(2);
if (!server) {
  process.stderr.write(
    'usage: node bench/tool-tokens.mjs <cloudstack|cloudeka|kubernetes|oke|ocm> [flags…]\n',
  );
  process.exit(2);
}

function listTools() {
  const child = spawn(process.execPath, [join(root, 'apps', server, 'dist', 'cli.js'), ...flags], {
    env: placeholderEnv(),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const send = (message) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.on('exit', (code) =>
      reject(new Error(`${server} exited with ${code} before answering tools/list`)),
    );
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
        const message = JSON.parse(buffer.slice(0, end));
        buffer = buffer.slice(end + 1);
        if (message.id === 2) {
          child.removeAllListeners('exit');
          child.kill();
          resolve(message.result.tools);
        }
      }
    });
    send({
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'tool-tokens', version: '1' },
      },
    });
    send({ method: 'notifications/initialized' });
    send({ id: 2, method: 'tools/list' });
  });
}

const tools = await listTools();
let modelFacing = 0;
let outputs = 0;
const rows = tools.map((tool) => {
  const { model, output } = toolTokens(tool);
  modelFacing += model;
  outputs += output;
  return { tool: tool.name, model, description: o200kTokens(tool.description), output };
});
console.table(rows);
console.log(
  `${server}: ${tools.length} tools, model-facing ${modelFacing} tokens (o200k_base), output schemas ${outputs}`,
);
