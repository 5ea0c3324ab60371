import { type ChildProcess, spawn } from 'node:child_process';

export interface HttpServer {
  /** The MCP endpoint, as the server announced it on stderr. */
  url: string;
  child: ChildProcess;
  /** Everything the server wrote to stderr so far. */
  stderr: () => string;
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
      const match = /serving MCP on (http:\/\/\S+)/.exec(err);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
  return {
    url,
    child,
    stderr: () => err,
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
