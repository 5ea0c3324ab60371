import type { ServerResponse } from 'node:http';
import type { FaultBodies } from 'sim-kit';
import { responseName } from './api.js';
import { errorReply } from './engine.js';
import { ApiError, Code, CsCode, errorBody } from './errors.js';
import { send } from './http.js';
import { CONTENT_TYPES, type ResponseFormat, serialize } from './wire.js';
import { CLOUDSTACK_VERSION } from './xml.js';

const TOO_MANY = 'There are too many api calls from this account, please try again later';

/** The first bytes of a list answer, cut off where a dropped connection would leave them. */
function truncated(name: string, format: ResponseFormat): string {
  return format === 'json'
    ? `{"${name}":{"count":1,"`
    : `<?xml version="1.0" encoding="UTF-8"?><${name} cloud-stack-version="${CLOUDSTACK_VERSION}"><count>1</count><`;
}

/** CloudStack's answers to injected faults for a request to `command`, in the format it asked for. */
export function faultBodies(command: string | undefined, format: ResponseFormat): FaultBodies {
  return {
    status: (res: ServerResponse, status: number, retry: Record<string, string>) => {
      // Anything but 429 comes from the proxy in front of the management server, as an HTML page.
      if (status !== Code.API_LIMIT_EXCEED) return false;
      // ApiServer's rate limiter: a regular CloudStack error answer.
      const err = new ApiError(status, TOO_MANY, CsCode.SERVER_API);
      const reply = serialize(errorReply(status, errorBody(responseName(command), err), TOO_MANY), format);
      send(res, { ...reply, headers: { ...reply.headers, ...retry } });
      return true;
    },
    malformed: (res: ServerResponse) => {
      res.writeHead(200, { 'Content-Type': CONTENT_TYPES[format] });
      res.end(truncated(responseName(command), format));
    },
  };
}
