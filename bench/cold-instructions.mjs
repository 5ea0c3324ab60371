// Counts the instructions a server's bin executes until it answers a first request, under valgrind
// (deterministic, unlike wall time on a shared machine). Usage, from the repository root:
//   node bench/cold-instructions.mjs [--server cloudstack|oke] <repository root of a build> [tools/list|ping] [runs]
// `tools/list`: dumps the count the moment the answer arrives (callgrind_control), then lets the server exit;
// `ping`: the whole run of initialize, initialized, ping. Prints millions of instructions per run. The server
// (default cloudstack) gets credentials that reach nothing: no request leaves it before a tool call.
import { execFileSync, spawn } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: { server: { type: 'string', default: 'cloudstack' } },
  allowPositionals: true,
});
const [root = '.', method = 'tools/list', runs = '4'] = positionals;
const line = (message) => `${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`;

/** Each server's environment in a fresh directory: upstream on a closed port (9, discard). */
const servers = {
  cloudstack: (dir) => ({
    CLOUDSTACK_API_URL: 'http://127.0.0.1:9/client/api',
    CLOUDSTACK_API_KEY: 'k',
    CLOUDSTACK_SECRET_KEY: 's',
    XDG_CACHE_HOME: dir,
  }),
  oke: (dir) => ({ OCI_CONFIG_FILE: writeOciConfig(dir), OCI_ENDPOINT: 'http://127.0.0.1:9', HOME: dir }),
};

/** An OCI config with a fresh API key (files 0600); the OKE server reads it at start and signs nothing yet. */
function writeOciConfig(dir) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyFile = join(dir, 'key.pem');
  writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const fingerprint = createHash('md5').update(der).digest('hex').match(/../g).join(':');
  const ocid = (kind) => `ocid1.${kind}.oc1..${'a'.repeat(60)}`;
  const config = [
    '[DEFAULT]',
    `user=${ocid('user')}`,
    `fingerprint=${fingerprint}`,
    `tenancy=${ocid('tenancy')}`,
    'region=us-ashburn-1',
    `key_file=${keyFile}`,
  ];
  const configFile = join(dir, 'config');
  writeFileSync(configFile, `${config.join('\n')}\n`, { mode: 0o600 });
  return configFile;
}

async function once() {
  const dir = mkdtempSync(join(tmpdir(), 'cold-instr-'));
  const out = join(dir, 'callgrind.out');
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      `--callgrind-out-file=${out}`,
      process.execPath,
      join(root, `apps/${values.server}/dist/cli.js`),
    ],
    {
      env: { PATH: process.env.PATH, ...servers[values.server](dir) },
      stdio: ['pipe', 'pipe', 'ignore'],
    },
  );
  let buffer = '';
  let initialized = false;
  child.stdout.on('data', (chunk) => {
    buffer += chunk;
    if (buffer.includes('"id":2')) {
      if (method === 'tools/list')
        execFileSync('callgrind_control', ['--dump=answered', String(child.pid)], { stdio: 'ignore' });
      child.stdin.end();
    } else if (buffer.includes('"id":1') && !initialized) {
      initialized = true;
      child.stdin.write(line({ method: 'notifications/initialized' }));
      child.stdin.write(line({ id: 2, method }));
    }
  });
  const clientInfo = { name: 'cold', version: '1' };
  child.stdin.write(
    line({
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo },
    }),
  );
  await new Promise((resolve) => child.on('exit', resolve));
  const file = readdirSync(dir)
    .filter((name) => name.startsWith('callgrind.out'))
    .sort()
    .at(method === 'tools/list' ? -1 : 0);
  const summary = /^summary: (\d+)/m.exec(readFileSync(join(dir, file), 'utf8'));
  return Math.round(Number(summary[1]) / 1e6);
}

if (!servers[values.server]) throw new Error(`--server: one of ${Object.keys(servers).join(', ')}`);
const counts = [];
for (let i = 0; i < Number(runs); i++) counts.push(await once());
console.log(`${values.server} ${root} ${method}: ${counts.join(' ')} M instructions`);
