import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { FaultSpec } from './faults.js';

export interface Timers {
  delay(ms: number): Promise<void>;
}

/** The simulator-specific answers a fault plays. */
export interface FaultBodies {
  /**
   * Answers a status fault in the API's own shape and returns true, or returns false to leave it to the
   * proxy in front of the API (an nginx HTML page).
   */
  status(res: ServerResponse, status: number, headers: Record<string, string>): boolean;
  /** Sends a 200 whose JSON body is cut short mid-stream. */
  malformed(res: ServerResponse): void;
}

/** The error page nginx serves for `status`. */
export function nginxPage(res: ServerResponse, status: number, headers: Record<string, string>): void {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  res.writeHead(status, { 'Content-Type': 'text/html', ...headers });
  res.end(
    `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`,
  );
}

/**
 * Plays a fault. Resolves to the HTTP status sent (0 when the connection was reset or left hanging), or
 * undefined when the request should now be processed normally (latency).
 */
export async function applyFault(
  fault: FaultSpec,
  req: IncomingMessage,
  res: ServerResponse,
  timers: Timers,
  bodies: FaultBodies,
): Promise<number | undefined> {
  const retry: Record<string, string> =
    fault.retryAfter === undefined ? {} : { 'Retry-After': String(fault.retryAfter) };
  switch (fault.kind) {
    case 'latency':
      await timers.delay(fault.ms ?? 1000);
      return undefined;
    case 'status': {
      const status = fault.status ?? 503;
      if (!bodies.status(res, status, retry)) nginxPage(res, status, retry);
      return status;
    }
    case 'reset':
      req.socket.destroy();
      return 0;
    case 'hang':
      // Never answered; the socket is destroyed when the client gives up or the simulator closes.
      return 0;
    case 'malformed':
      // A body cut short mid-stream: valid JSON up to the point the connection "dropped".
      bodies.malformed(res);
      return 200;
  }
}
