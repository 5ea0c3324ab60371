// Counts the instructions the CloudStack bin executes until it answers a first request, under valgrind
// (deterministic, unlike wall time on a shared machine). Usage, from the repository root:
//   node bench/cold-instructions.mjs <repository root of a build> [tools/list|ping] [runs]
// `tools/list`: dumps the count the moment the answer arrives (callgrind_control), then lets the server exit;
// `ping`: the whole run of initialize, initialized, ping. Prints millions of instructions per run.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [root = '.', method = 'tools/list', runs = '4'] = process.argv.slice(2);
const line = (message) => `${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`;

async function once() {
  const dir = mkdtempSync(join(tmpdir(), 'cold-instr-'));
  const out = join(dir, 'callgrind.out');
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      `--callgrind-out-file=${out}`,
      process.execPath,
      join(root, 'apps/cloudstack/dist/cli.js'),
    ],
    {
      env: {
        PATH: process.env.PATH,
        CLOUDSTACK_API_URL: 'http://127.0.0.1:9/client/api',
        CLOUDSTACK_API_KEY: 'k',
        CLOUDSTACK_SECRET_KEY: 's',
        XDG_CACHE_HOME: dir,
      },
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

const counts = [];
for (let i = 0; i < Number(runs); i++) counts.push(await once());
console.log(`${root} ${method}: ${counts.join(' ')} M instructions`);
