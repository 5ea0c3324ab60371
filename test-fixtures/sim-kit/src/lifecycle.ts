import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Timers } from './inject.js';

/** Delays that close() can cancel, so a pending latency fault never keeps the process alive. */
export function timerSet(): Timers & { clear(): void } {
  const pending = new Set<NodeJS.Timeout>();
  return {
    delay: (ms) =>
      new Promise((resolve) => {
        const t = setTimeout(() => {
          pending.delete(t);
          resolve();
        }, ms);
        pending.add(t);
      }),
    clear: () => {
      for (const t of pending) clearTimeout(t);
      pending.clear();
    },
  };
}

/** Listens on `host:port` (0 picks a free port); resolves to the port and the host to put in URLs. */
export async function listen(
  server: Server,
  port: number,
  host: string,
): Promise<{ port: number; urlHost: string }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return { port: (server.address() as AddressInfo).port, urlHost };
}

/** Stops the server: cancels pending delays and drops open connections. */
export function closeServer(server: Server, timers: { clear(): void }): Promise<void> {
  return new Promise<void>((resolve) => {
    timers.clear();
    server.close(() => resolve());
    // Hung and keep-alive connections would otherwise hold close() open.
    server.closeAllConnections();
  });
}
