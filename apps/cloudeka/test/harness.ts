import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@modelcontextprotocol/client';
import { type CloudekaSim, startCloudekaSim } from 'cloudeka-sim';
import { type Era, type ListContent, startStdioServer, tableRows } from 'mcp-test-kit';
import { cloudekaTools } from '../src/server.js';

export { ERAS, type Era } from 'mcp-test-kit';

export const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');

/** Nothing listens here (a port that was free a moment ago): for an environment that must never be reached. */
export const UNREACHABLE = await new Promise<string>((resolve) => {
  const probe = createServer();
  probe.listen(0, '127.0.0.1', () => {
    const { port } = probe.address() as AddressInfo;
    probe.close(() => resolve(`http://127.0.0.1:${port}`));
  });
});

/**
 * The toolsets the tests drive: every one but superadmin (platform operators only). A session starts with
 * fewer (the rest are turned on with toolset_enable); `defaultToolsets: true` starts one that way.
 */
export const WORKING_TOOLSETS = [...new Set(cloudekaTools.map((t) => t.toolset))].filter(
  (toolset) => toolset !== 'superadmin',
);

export interface Started {
  client: Client;
  /** The protocol era the client landed on. */
  era: Era;
  /** Everything the server wrote to stderr so far. */
  stderr: () => string;
  close: () => Promise<void>;
  call: (name: string, args?: Record<string, unknown>) => Promise<ToolResult>;
}

export interface StartOptions {
  /** CLI arguments; without a `--toolsets` of their own, `--toolsets` WORKING_TOOLSETS is added. */
  args?: string[];
  /** Start with the server's own default toolsets (and its toolset_list / toolset_enable). */
  defaultToolsets?: boolean;
  env?: Record<string, string>;
  /** The staging simulator; default: an address nothing listens on. */
  staging?: CloudekaSim;
  /** Which token of the production sim (default owner). */
  token?: 'owner' | 'member' | 'superadmin' | 'revoked';
  /** Answer elicitation requests: accept (confirm) or decline. Omit: the client cannot elicit. */
  elicit?: 'accept' | 'decline';
  /** The protocol era to connect on (default: the kit's, `MCP_TEST_ERA` or legacy). */
  era?: Era;
  cacheDir?: string;
}

export function tempCache(): string {
  return mkdtempSync(join(tmpdir(), 'cldk-cache-'));
}

/** Spawns the built server as a subprocess and connects the SDK client over stdio. */
export async function startServer(sim: CloudekaSim, opts: StartOptions = {}): Promise<Started> {
  const env: Record<string, string> = {
    XDG_CACHE_HOME: opts.cacheDir ?? tempCache(),
    // A home of its own: the server's stdio default token directory (~/.cldkctl/cloudmcp) lands there.
    HOME: mkdtempSync(join(tmpdir(), 'cldk-home-')),
    CLDKCTL_TOKEN: sim.tokens[opts.token ?? 'owner'],
    CLDKCTL_BASE_URL: sim.url,
    CLDKCTL_STAGING_URL: opts.staging?.url ?? UNREACHABLE,
    ...opts.env,
  };
  const server = await startStdioServer({
    cli: CLI,
    env,
    args:
      opts.defaultToolsets || opts.args?.includes('--toolsets')
        ? opts.args
        : ['--toolsets', WORKING_TOOLSETS.join(','), ...(opts.args ?? [])],
    elicit: opts.elicit,
    era: opts.era,
    listTools: false,
  });
  return {
    client: server.client,
    era: server.era,
    stderr: server.stderr,
    close: server.close,
    call: (name, args = {}) => server.client.callTool({ name, arguments: args }),
  };
}

export async function withSim(options: Parameters<typeof startCloudekaSim>[0] = {}): Promise<CloudekaSim> {
  return startCloudekaSim(options);
}

export type ToolResult = Awaited<ReturnType<Client['callTool']>>;

export function text(result: ToolResult): string {
  return (result.content as Array<{ type: string; text: string }>)[0]?.text ?? '';
}

export function structured<T = Record<string, unknown>>(result: ToolResult): T {
  return result.structuredContent as T;
}

/** A list tool's structuredContent: the table its text shows. */
export type Table = ListContent;

/** One column's cells of a list result. */
export function column(table: Table, name: string): string[] {
  return tableRows(table).map((row) => row[name]!);
}

/** Calls a tool that must succeed and returns its structured content. */
export async function ok<T = Record<string, unknown>>(
  server: Started,
  name: string,
  args: Record<string, unknown> = {},
): Promise<T> {
  const result = await server.call(name, args);
  if (result.isError) throw new Error(`${name} failed: ${text(result)}`);
  return structured<T>(result);
}

/** `METHOD /route/template` of every request the simulator answered. */
export function routesHit(sim: CloudekaSim): Set<string> {
  return new Set(sim.log.filter((e) => e.route).map((e) => `${e.method} ${e.route}`));
}

/** How many requests went to one route template. */
export function hits(sim: CloudekaSim, method: string, route: string): number {
  return sim.log.filter((e) => e.method === method && e.route === route).length;
}
