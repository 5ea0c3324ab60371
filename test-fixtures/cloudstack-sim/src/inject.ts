import type { ServerResponse } from 'node:http';
import type { FaultBodies } from 'sim-kit';
import { responseName } from './api.js';
import { errorReply, JSON_TYPE } from './engine.js';
import { ApiError, Code, CsCode, errorBody } from './errors.js';
import { send } from './http.js';

const TOO_MANY = 'There are too many api calls from this account, please try again later';

/** CloudStack's answers to injected faults for a request to `command`. */
export function faultBodies(command: string | undefined): FaultBodies {
  return {
    status: (res: ServerResponse, status: number, retry: Record<string, string>) => {
      // Anything but 429 comes from the proxy in front of the management server, as an HTML page.
      if (status !== Code.API_LIMIT_EXCEED) return false;
      // ApiServer's rate limiter: a regular CloudStack error answer.
      const err = new ApiError(status, TOO_MANY, CsCode.SERVER_API);
      const reply = errorReply(status, errorBody(responseName(command), err), TOO_MANY);
      send(res, { ...reply, headers: { ...reply.headers, ...retry } });
      return true;
    },
    malformed: (res: ServerResponse) => {
      res.writeHead(200, { 'Content-Type': JSON_TYPE });
      res.end(`{"${responseName(command)}":{"count":1,"`);
    },
  };
}
