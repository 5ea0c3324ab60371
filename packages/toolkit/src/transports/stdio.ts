import { serveStdio as sdkServeStdio } from '@modelcontextprotocol/server/stdio';
import type { ToolServerFactory } from '../server.js';

/**
 * Serves one client over stdin/stdout in either protocol era (the SDK pins the era the client opens with);
 * resolves when the client closes stdin.
 */
export async function serveStdio(factory: ToolServerFactory): Promise<void> {
  const closed = new Promise<void>((resolve) => {
    process.stdin.once('end', resolve);
    process.stdin.once('close', resolve);
  });
  const handle = sdkServeStdio((context) => factory(context));
  await closed;
  await handle.close().catch(() => {});
}
