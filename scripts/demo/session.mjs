// What every demo scene shares: a real MCP client (the SDK's) over stdio to a built server, and a printer
// that shows each call the way an assistant sees its result. The client negotiates the protocol era
// (`auto`: the 2026-07-28 revision when the server offers it, which ours do, else the 2025 handshake).
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { root } from '../sims.mjs';

const paint = process.stdout.isTTY ? (code, s) => `\x1b[${code}m${s}\x1b[0m` : (_code, s) => s;

export const heading = (s) => console.log(`\n${paint('1;36', `== ${s} ==`)}`);
export const say = (s) => console.log(paint('2', s));
/** A line that tells the reader what comes next is staged: a fault the simulator injects on purpose. */
export const staged = (s) => console.log(`\n${paint('1;35', `⚑ ${s}`)}`);
export const done = (s) => console.log(`\n${paint('1;32', s)}`);

/**
 * Starts a built server (path relative to the repository) with only the given environment, and prints
 * which server started and the tools it lists.
 */
export async function connect(bin, env, args = [], label = 'server started') {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [join(root, bin), ...args],
    env: { PATH: process.env.PATH ?? '', ...env },
    stderr: 'ignore',
  });
  const client = new Client(
    { name: 'cloudmcp-demo', version: '1.0.0' },
    { versionNegotiation: { mode: 'auto' } },
  );
  await client.connect(transport);
  const { tools } = await client.listTools();
  say(
    `${label} (${client.getProtocolEra()} protocol era), ${tools.length} tools: ${tools.map((t) => t.name).join(', ')}`,
  );
  return client;
}

/**
 * The rows of a list tool's structured result as objects: it carries the table the text shows (`columns`
 * and `rows`, and in `uniform` the values every row shares, which the table leaves out).
 */
export function rowsOf(structured) {
  return (structured?.rows ?? []).map((row) => ({
    ...structured.uniform,
    ...Object.fromEntries(structured.columns.map((column, i) => [column, row[i]])),
  }));
}

/** Calls a tool, printing the call, any progress, and the text the model would read. */
export async function step(client, name, args) {
  console.log(`\n${paint('1;33', `▶ ${name}`)} ${JSON.stringify(args)}`);
  const result = await client.callTool(
    { name, arguments: args },
    {
      onprogress: (p) => say(`  … progress ${p.progress}${p.total ? `/${p.total}` : ''} ${p.message ?? ''}`),
    },
  );
  for (const part of result.content) if (part.type === 'text') console.log(part.text);
  if (result.isError) throw new Error(`${name} failed`);
  return result.structuredContent;
}
