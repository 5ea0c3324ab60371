import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import { responseName } from './api.js';
import { errorReply, JSON_TYPE } from './engine.js';
import { ApiError, Code, CsCode, errorBody } from './errors.js';
import { send } from './http.js';
import type { Fault } from './types.js';

export interface Timers {
  delay(ms: number): Promise<void>;
}

const TOO_MANY = 'There are too many api calls from this account, please try again later';

/**
 * Plays a fault. Resolves to the HTTP status sent (0 when the connection was reset or left hanging), or
 * undefined when the request should now be processed normally (latency).
 */
export async function applyFault(
  fault: Fault,
  command: string | undefined,
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
      if (status === Code.API_LIMIT_EXCEED) {
        // ApiServer's rate limiter: a regular CloudStack error answer.
        const err = new ApiError(status, TOO_MANY, CsCode.SERVER_API);
        const reply = errorReply(status, errorBody(responseName(command), err), TOO_MANY);
        send(res, { ...reply, headers: { ...reply.headers, ...retry } });
      } else {
        // Anything else comes from the proxy in front of the management server, as an HTML page.
        const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
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
    case 'malformed': {
      // A body cut short mid-stream: valid JSON up to the point the connection "dropped".
      res.writeHead(200, { 'Content-Type': JSON_TYPE });
      res.end(`{"${responseName(command)}":{"count":1,"`);
      return 200;
    }
  }
}
