import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';

export interface StdioServerOptions {
  /** The built bin. */
  cli: string;
  /** Environment of the server, over PATH. */
  env?: Record<string, string>;
  args?: string[];
  /** Answer elicitation requests: accept (confirm) or decline. Omit: the client cannot elicit. */
  elicit?: 'accept' | 'decline';
  /** The client's name (default `e2e`). */
  clientName?: string;
  /** List the tools after connecting, as real hosts do (default true). */
  listTools?: boolean;
}

export interface StdioServer {
  client: Client;
  /** Everything the server wrote to stderr so far. */
  stderr: () => string;
  /** Resolves when stderr contains `text`. */
  waitForStderr: (text: string | RegExp) => Promise<void>;
  close: () => Promise<void>;
}

/** Spawns a built server as a subprocess and connects the SDK client over stdio. */
export async function startStdioServer(opts: StdioServerOptions): Promise<StdioServer> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [opts.cli, ...(opts.args ?? [])],
    env: { PATH: process.env['PATH'] ?? '', ...opts.env },
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
    { name: opts.clientName ?? 'e2e', version: '1.0.0' },
    { capabilities: opts.elicit ? { elicitation: {} } : {} },
  );
  if (opts.elicit) {
    client.setRequestHandler(ElicitRequestSchema, async () =>
      opts.elicit === 'accept' ? { action: 'accept', content: { confirm: true } } : { action: 'decline' },
    );
  }
  await client.connect(transport);
  // As real hosts do: after this the SDK client validates every result against the tool's output schema.
  if (opts.listTools ?? true) await client.listTools();
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
