import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import { errorBody } from './errors.js';
import { JSON_TYPE, sendJson } from './http.js';
import type { Fault } from './types.js';

export interface Timers {
  delay(ms: number): Promise<void>;
}

/**
 * Plays a fault. Resolves to the HTTP status sent (0 when the connection was reset or left hanging), or
 * undefined when the request should now be processed normally (latency).
 */
export async function applyFault(
  fault: Fault,
  req: IncomingMessage,
  res: ServerResponse,
  timers: Timers,
): Promise<number | undefined> {
  const retry: Record<string, string> =
    fault.retryAfter === undefined ? {} : { 'Retry-After': String(fault.retryAfter) };
  switch (fault.kind) {
    case 'latency':
      await timers.delay(fault.ms ?? 1000);
      return undefined;
    case 'status': {
      const status = fault.status ?? 503;
      const text = STATUS_CODES[status] ?? 'Error';
      if (status < 500) {
        // The API's own rate limiter / gateway answers in its JSON error shape.
        sendJson(res, status, errorBody(status, text), retry);
      } else {
        // 5xx comes from the nginx ingress in front of the API, as an HTML page.
        const title = `${status} ${text}`;
        res.writeHead(status, { 'Content-Type': 'text/html', ...retry });
        res.end(
          `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`,
        );
      }
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
      res.writeHead(200, { 'Content-Type': JSON_TYPE });
      res.end('{"code":200,"status":"success","message":"Success","data":[{"id":"');
      return 200;
  }
}
