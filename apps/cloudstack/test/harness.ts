import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client, LoggingLevel } from '@modelcontextprotocol/client';
import { type CloudStackSim, type SimOptions, startCloudStackSim } from 'cloudstack-sim';
import { type ElicitAnswer, type Era, type StdioServer, startStdioServer, tableRows } from 'mcp-test-kit';

export { ERAS, type Era } from 'mcp-test-kit';

export const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');

export type Started = StdioServer;

export interface StartOptions {
  args?: string[];
  env?: Record<string, string>;
  /** Answer elicitation requests (accept, decline, malformed). Omit: the client cannot elicit. */
  elicit?: ElicitAnswer;
  /** The protocol era to connect on (default: the kit's, `MCP_TEST_ERA` or legacy). */
  era?: Era;
  /** Collect MCP log notifications from this level up in `logs`. */
  logLevel?: LoggingLevel;
  cacheDir?: string;
}

/** Spawns the built server as a subprocess and connects the SDK client over stdio. */
export async function startServer(sim: CloudStackSim | undefined, opts: StartOptions = {}): Promise<Started> {
  const admin = sim?.credentials.admin;
  const env: Record<string, string> = {
    XDG_CACHE_HOME: opts.cacheDir ?? mkdtempSync(join(tmpdir(), 'cs-cache-')),
    ...(sim && admin
      ? {
          CLOUDSTACK_API_URL: sim.url,
          CLOUDSTACK_API_KEY: admin.apiKey,
          CLOUDSTACK_SECRET_KEY: admin.secretKey,
        }
      : {}),
    CLOUDSTACK_JOB_POLL_MS: '20',
    ...opts.env,
  };
  return startStdioServer({
    cli: CLI,
    env,
    args: opts.args,
    elicit: opts.elicit,
    era: opts.era,
    logLevel: opts.logLevel,
  });
}

export async function withSim(options: SimOptions = {}): Promise<CloudStackSim> {
  return startCloudStackSim({ jobSteps: 2, ...options });
}

export type ToolResult = Awaited<ReturnType<Client['callTool']>>;

export function text(result: ToolResult): string {
  return (result.content as Array<{ type: string; text: string }>)[0]?.text ?? '';
}

export function structured<T = Record<string, unknown>>(result: ToolResult): T {
  return result.structuredContent as T;
}

/** A list result's rows as its table shows them, keyed by column (see mcp-test-kit's tableRows). */
export function rows(result: ToolResult): Array<Record<string, string>> {
  return tableRows(result.structuredContent);
}

export function commandsSent(sim: CloudStackSim, command: string): number {
  return sim.log.filter((e) => e.command.toLowerCase() === command.toLowerCase()).length;
}
