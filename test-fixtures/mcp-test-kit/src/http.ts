import { type ChildProcess, spawn } from 'node:child_process';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { type ClientSetup, type Connected, connectClient } from './client.js';

export interface HttpConnectOptions extends ClientSetup {
  /** Headers sent with every request (`authorization`, `x-kubeconfig` …). */
  headers?: Record<string, string>;
}

/** Connects the SDK client to an MCP endpoint over Streamable HTTP. */
export async function connectHttp(url: string, opts: HttpConnectOptions = {}): Promise<Connected> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: opts.headers ?? {} },
  });
  return connectClient(transport, opts);
}

export interface HttpServer {
  /** The MCP endpoint, as the server announced it on stderr. */
  url: string;
  child: ChildProcess;
  /** Everything the server wrote to stderr so far. */
  stderr: () => string;
  /** Connects a client to this server (each connection picks its own era: the server serves both). */
  connect: (opts?: HttpConnectOptions) => Promise<Connected>;
  /** Stops the server (SIGTERM) and waits for it to exit. */
  close: () => Promise<void>;
}

/**
 * Spawns a built bin with `--http 127.0.0.1:0 …args`, PATH and `env`, and waits until it says
 * "serving MCP on URL" on stderr; rejects if it exits first.
 */
export async function startHttpServer(
  cli: string,
  env: Record<string, string> = {},
  args: string[] = [],
): Promise<HttpServer> {
  const child = spawn(process.execPath, [cli, '--http', '127.0.0.1:0', ...args], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const match = /serving MCP on (http:\/\/[^\s"]+)/.exec(err);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
  return {
    url,
    child,
    stderr: () => err,
    connect: (opts) => connectHttp(url, opts),
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
