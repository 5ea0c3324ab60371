import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { type ClientSetup, type Connected, connectClient } from './client.js';

export interface StdioServerOptions extends ClientSetup {
  /** The built bin. */
  cli: string;
  /** Environment of the server, over PATH. */
  env?: Record<string, string>;
  args?: string[];
}

export interface StdioServer extends Connected {
  /** Everything the server wrote to stderr so far. */
  stderr: () => string;
  /** Resolves when stderr contains `text`. */
  waitForStderr: (text: string | RegExp) => Promise<void>;
}

/**
 * Spawns a built server as a subprocess and connects the SDK client over stdio. On `modern` the SDK
 * first probes a short-lived sibling process (its stderr is not collected); the session is the second.
 */
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
  const connected = await connectClient(transport, opts);
  return {
    ...connected,
    stderr: () => err,
    waitForStderr: (text) =>
      new Promise<void>((resolve) => {
        const test = (s: string) => (typeof text === 'string' ? s.includes(text) : text.test(s));
        if (test(err)) resolve();
        else waiters.push({ test, resolve });
      }),
  };
}
