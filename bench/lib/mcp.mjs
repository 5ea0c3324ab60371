// Starting the built MCP servers with the SDK v2 client (stdio and Streamable HTTP), in either protocol era,
// and reading a process's memory.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

/** The modern protocol revision: no initialize handshake, server/discover, a `_meta` envelope per request. */
export const MODERN_VERSION = '2026-07-28';

/**
 * A client for one era: 'legacy' is the SDK's default (the 2025 `initialize` handshake, no probe); 'modern'
 * is pinned to 2026-07-28 (a `server/discover` probe, no fallback: connect() rejects against a 2025-only
 * server with SdkError ERA_NEGOTIATION_FAILED).
 */
export function newClient(era = 'legacy') {
  const options = era === 'modern' ? { versionNegotiation: { mode: { pin: MODERN_VERSION } } } : {};
  return new Client({ name: 'cloudmcp-bench', version: '0.0.0' }, options);
}

/** Absolute path of apps/cloudstack/dist/cli.js, resolved through the workspace dependency. */
export function serverCliPath() {
  // The package exports only its library entry (dist/index.js); the bin sits next to it.
  return realpathSync(fileURLToPath(new URL('./cli.js', import.meta.resolve('@cloudmcp/cloudstack'))));
}

/**
 * Spawns `node cli [...args]` (default cli: the CloudStack server's), or `command [...args]` for a server
 * that is not a Node script, and connects in `era`. `prior` is a cached
 * era verdict ({ kind: 'modern', discover }): the client then sends no handshake and no probe. Without it a
 * modern connect probes on a short-lived sibling process first (the SDK's stdio transport does that, so a
 * server that exits on an unknown request does not cost the session's process). `env` is the whole
 * environment of the child. Returns the client, the transport and the server pid.
 */
export async function connect({ command, cli, args = [], env, era = 'legacy', prior, stderr = 'pipe' }) {
  const transport = new StdioClientTransport({
    command: command ?? process.execPath,
    args: command ? args : [cli ?? serverCliPath(), ...args],
    env,
    stderr,
  });
  // Drain piped stderr so the server never blocks on a full pipe; keep the tail for error reports.
  let tail = '';
  transport.stderr?.on('data', (chunk) => {
    tail = (tail + chunk).slice(-4000);
  });
  const client = newClient(era);
  try {
    await client.connect(transport, prior ? { prior } : undefined);
  } catch (error) {
    await transport.close().catch(() => {});
    // The SDK's error stays as it is (its code tells an era refusal from a crash); the tail helps with a crash.
    if (tail) error.message += `\nserver stderr: ${tail}`;
    throw error;
  }
  return { client, transport, pid: transport.pid, stderrTail: () => tail };
}

/** Connects to a Streamable HTTP endpoint in `era`. */
export async function connectHttp(url, era = 'legacy') {
  const client = newClient(era);
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

/**
 * Starts `node cli.js --http 127.0.0.1:<free port> [...args]` and resolves once GET /healthz answers 200,
 * with { url, pid, close() }. The port is found by binding port 0 first and releasing it.
 */
export async function startHttpServer({ cli, args = [], env }) {
  const port = await freePort();
  const child = spawn(process.execPath, [cli, '--http', `127.0.0.1:${port}`, ...args], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let tail = '';
  child.stderr.on('data', (chunk) => {
    tail = (tail + chunk).slice(-4000);
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(killer);
  };
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${cli} --http exited (${child.exitCode})\n${tail}`);
    const healthy = await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) return { url: `${base}/mcp`, pid: child.pid, close };
    if (Date.now() > deadline) {
      await close();
      throw new Error(`${cli} --http did not answer /healthz within 30 s\n${tail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
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

let clockTicks;
const clockTicksPerSecond = () => {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
  return clockTicks;
};

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat (Linux only). */
export function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The fields after the command name (which may hold spaces) start at state; utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicksPerSecond();
}
