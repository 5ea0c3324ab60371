// A minimal newline-delimited JSON-RPC client over a child's stdio, for timing cold starts without the
// SDK client's own work (parsing and validating the answers; the v1 client also compiled every tool's output
// schema on the first tools/list, which only servers that publish output schemas pay for). Measures
// spawn → initialize → tools/list as the server answers it, and the exact bytes of the tools/list answer;
// with `call`, also one tools/call sent right after tools/list was answered (a session's first question).
import { spawn } from 'node:child_process';
import { msSince, now } from './stats.mjs';

const INIT = {
  protocolVersion: '2025-06-18',
  capabilities: {},
  clientInfo: { name: 'cloudmcp-bench', version: '0.0.0' },
};

/**
 * Spawns `command args`, initializes, lists tools, optionally calls `call` ({ name, arguments }) right
 * after, stops it; resolves with timings and the answer size (and callMs, totalToCallMs, callResult).
 */
export async function rawColdStart({ command, args, env, call }) {
  const t0 = now();
  const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let buffer = '';
  const waiting = new Map();
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    buffer += chunk;
    for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      let message;
      try {
        message = JSON.parse(line);
      } catch {
        continue; // not JSON-RPC (a stray log line)
      }
      waiting.get(message.id)?.({ message, bytes: Buffer.byteLength(line) });
    }
  });
  const request = (id, method, params) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method}: no answer in 30 s\n${stderr}`)), 30_000);
      child.once('exit', (code) => reject(new Error(`${method}: server exited (${code})\n${stderr}`)));
      waiting.set(id, (answer) => {
        clearTimeout(timer);
        if (answer.message.error) reject(new Error(`${method}: ${JSON.stringify(answer.message.error)}`));
        else resolve(answer);
      });
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) })}\n`);
    });
  try {
    await request(1, 'initialize', INIT);
    const initMs = msSince(t0);
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
    const t1 = now();
    const tools = await request(2, 'tools/list');
    const toolsListMs = msSince(t1);
    const listed = {
      initMs,
      toolsListMs,
      totalMs: msSince(t0),
      toolsListBytes: tools.bytes,
      tools: tools.message.result.tools,
    };
    if (!call) return listed;
    const t2 = now();
    const answer = await request(3, 'tools/call', call);
    const callMs = msSince(t2);
    return { ...listed, callMs, totalToCallMs: msSince(t0), callResult: answer.message.result };
  } finally {
    // Stop it the way MCP hosts do (close stdin), and wait, so that no two servers ever overlap.
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGTERM'), 2000);
    const killer = setTimeout(() => child.kill('SIGKILL'), 4000);
    await exited;
    clearTimeout(timer);
    clearTimeout(killer);
  }
}
