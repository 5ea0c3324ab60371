#!/usr/bin/env node
// What a server's tools/list costs a model, counted with a real tokenizer (o200k_base, gpt-tokenizer pinned
// in package.json). Usage: node bench/tool-tokens.mjs <server> [server flags…]   e.g. `cloudeka --toolsets all`.
// Spawns the built apps/<server>/dist/cli.js with placeholder settings (nothing is contacted: tools/list
// never touches the network), lists the tools over raw stdio, and prints per tool and in total:
// model-facing tokens (name, description, input schema: what hosts hand the model) and output-schema tokens.
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [server, ...flags] = process.argv.slice(2);
if (!server) {
  process.stderr.write(
    'usage: node bench/tool-tokens.mjs <cloudstack|cloudeka|kubernetes|oke|ocm> [flags…]\n',
  );
  process.exit(2);
}

/** Settings each server needs before it will start; none is ever contacted. */
function placeholderEnv() {
  const home = mkdtempSync(join(tmpdir(), 'tool-tokens-'));
  const kubeconfig = join(home, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]\n' +
      'users: [{name: u, user: {token: placeholder}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\n' +
      'current-context: c\n',
    { mode: 0o600 },
  );
  const oci = join(home, 'oci-config');
  const key = join(home, 'oci-key.pem');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(key, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(
    oci,
    '[DEFAULT]\nuser=ocid1.user.oc1..x\ntenancy=ocid1.tenancy.oc1..x\nregion=us-ashburn-1\n' +
      `fingerprint=00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff\nkey_file=${key}\n`,
    { mode: 0o600 },
  );
  return {
    PATH: process.env.PATH,
    HOME: home,
    CLOUDMCP_LOG_LEVEL: 'error',
    KUBECONFIG: kubeconfig,
    CLOUDSTACK_API_URL: 'http://127.0.0.1:9/client/api',
    CLOUDSTACK_API_KEY: 'placeholder',
    CLOUDSTACK_SECRET_KEY: 'placeholder',
    CLDKCTL_TOKEN: 'cldkctl_placeholder',
    OCI_CONFIG_FILE: oci,
  };
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
  const model = countTokens(
    JSON.stringify({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema }),
  );
  const output = tool.outputSchema ? countTokens(JSON.stringify(tool.outputSchema)) : 0;
  modelFacing += model;
  outputs += output;
  return { tool: tool.name, model, description: countTokens(tool.description), output };
});
console.table(rows);
console.log(
  `${server}: ${tools.length} tools, model-facing ${modelFacing} tokens (o200k_base), output schemas ${outputs}`,
);
