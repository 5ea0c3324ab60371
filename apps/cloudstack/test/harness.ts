import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { type CloudStackSim, type SimOptions, startCloudStackSim } from 'cloudstack-sim';

export const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');

export interface Started {
  client: Client;
  /** Everything the server wrote to stderr so far. */
  stderr: () => string;
  /** Resolves when stderr contains `text`. */
  waitForStderr: (text: string | RegExp) => Promise<void>;
  close: () => Promise<void>;
}

export interface StartOptions {
  args?: string[];
  env?: Record<string, string>;
  /** Answer elicitation requests: accept (confirm) or decline. Omit: the client cannot elicit. */
  elicit?: 'accept' | 'decline';
  cacheDir?: string;
}

/** Spawns the built server as a subprocess and connects the SDK client over stdio. */
export async function startServer(sim: CloudStackSim | undefined, opts: StartOptions = {}): Promise<Started> {
  const admin = sim?.credentials.admin;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
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
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, ...(opts.args ?? [])],
    env,
    stderr: 'pipe',
  });
  let err = '';
  const waiters: Array<{ test: (s: string) => boolean; resolve: () => void }> = [];
  transport.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    for (const w of [...waiters]) {
      if (w.test(err)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  const client = new Client(
    { name: 'e2e', version: '1.0.0' },
    { capabilities: opts.elicit ? { elicitation: {} } : {} },
  );
  if (opts.elicit) {
    client.setRequestHandler(ElicitRequestSchema, async () =>
      opts.elicit === 'accept' ? { action: 'accept', content: { confirm: true } } : { action: 'decline' },
    );
  }
  await client.connect(transport);
  // As real hosts do: after this the SDK client validates every result against the tool's output schema.
  await client.listTools();
  return {
    client,
    stderr: () => err,
    waitForStderr: (text) =>
      new Promise<void>((resolve) => {
        const test = (s: string) => (typeof text === 'string' ? s.includes(text) : text.test(s));
        if (test(err)) resolve();
        else waiters.push({ test, resolve });
      }),
    close: () => client.close(),
  };
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

export function commandsSent(sim: CloudStackSim, command: string): number {
  return sim.log.filter((e) => e.command.toLowerCase() === command.toLowerCase()).length;
}
