// Starting the built CloudStack MCP server over stdio with the SDK client, and reading its memory.
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

/** Absolute path of apps/cloudstack/dist/cli.js, resolved through the workspace dependency. */
export function serverCliPath() {
  // The package exports only its library entry (dist/index.js); the bin sits next to it.
  return realpathSync(fileURLToPath(new URL('./cli.js', import.meta.resolve('@cloudmcp/cloudstack'))));
}

/**
 * Spawns `node cli.js [...args]` and connects (= initialize + initialized). Returns the client, the
 * transport and the server pid. `env` is the whole environment of the child (plus PATH/HOME defaults).
 */
export async function connect({ env, args = [], stderr = 'pipe' }) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [serverCliPath(), ...args],
    env,
    stderr,
  });
  // Drain piped stderr so the server never blocks on a full pipe; keep the tail for error reports.
  let tail = '';
  transport.stderr?.on('data', (chunk) => {
    tail = (tail + chunk).slice(-4000);
  });
  const client = new Client({ name: 'cloudmcp-bench', version: '0.0.0' });
  try {
    await client.connect(transport);
  } catch (error) {
    throw new Error(`server failed to start: ${error.message}\n${tail}`);
  }
  return { client, transport, pid: transport.pid, stderrTail: () => tail };
}

/** Text of a tool result; throws when the tool reported an error. */
export function resultText(result, label) {
  const text = (result.content ?? [])
    .filter((c) => c.type === 'text')
    .map((c) => c.text)
    .join('\n');
  if (result.isError) throw new Error(`${label} failed: ${text.slice(0, 300)}`);
  return text;
}

/** VmRSS and VmHWM (peak) of a process in KiB, from /proc/<pid>/status (Linux only). */
export function memoryKiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: field('VmRSS'), hwm: field('VmHWM') };
}
