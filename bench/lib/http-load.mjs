// A closed-loop HTTP load: N clients, each sending its next request as soon as its last is answered, for a
// fixed time, with plain fetch (undici's keep-alive pool, one connection per client in flight).
import { now } from './stats.mjs';

/**
 * Runs `clients` loops of `send()` (which resolves when one call is answered: true if it succeeded, else
 * why not) for `warmupMs` unrecorded, then `durationMs` recorded. Resolves with the recorded latencies (ms),
 * the failures counted by reason and the recorded wall time; `onSample()` is called every `sampleMs` while
 * recording.
 */
export async function closedLoop({ clients, warmupMs, durationMs, send, onSample, sampleMs = 250 }) {
  const latencies = [];
  const failures = {};
  let recording = false;
  let stopping = false;
  const loop = async () => {
    while (!stopping) {
      // Only calls sent and answered within the recorded window count: the first burst against a cold
      // process (seconds long) would otherwise land in the percentiles.
      const counted = recording;
      const start = now();
      const ok = await send().catch((error) => error.cause?.code ?? error.name);
      if (!counted || stopping) continue;
      if (ok === true) latencies.push(Number(now() - start) / 1e6);
      else failures[ok] = (failures[ok] ?? 0) + 1;
    }
  };
  const loops = Array.from({ length: clients }, loop);
  await new Promise((resolve) => setTimeout(resolve, warmupMs));
  recording = true;
  const started = now();
  const sampler = setInterval(() => onSample?.(), sampleMs);
  await new Promise((resolve) => setTimeout(resolve, durationMs));
  stopping = true;
  clearInterval(sampler);
  const wallMs = Number(now() - started) / 1e6;
  await Promise.all(loops);
  return { latencies, failures, wallMs };
}

/**
 * One stateless MCP 2026-07-28 `tools/call` (the `_meta` envelope, Mcp-Method and Mcp-Name headers) as a
 * function for closedLoop: resolves true when the answer is 200 with a result that is not an error, else
 * `HTTP <status>`, `JSON-RPC error` or `tool error`.
 */
export function toolCall(url, token, name, args = {}) {
  let id = 0;
  const headers = {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2026-07-28',
    'mcp-method': 'tools/call',
    'mcp-name': name,
  };
  const meta = {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientInfo': { name: 'cloudmcp-bench', version: '0.0.0' },
    'io.modelcontextprotocol/clientCapabilities': {},
  };
  return async () => {
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: ++id,
      method: 'tools/call',
      params: { name, arguments: args, _meta: meta },
    });
    const response = await fetch(url, { method: 'POST', headers, body });
    const text = await response.text();
    if (response.status !== 200) return `HTTP ${response.status}`;
    const message = JSON.parse(text.startsWith('{') ? text : (/^data: (.*)$/m.exec(text)?.[1] ?? '{}'));
    if (message.result === undefined) return 'JSON-RPC error';
    return message.result.isError === true ? 'tool error' : true;
  };
}
