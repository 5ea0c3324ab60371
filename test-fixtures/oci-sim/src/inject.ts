import type { FaultBodies } from 'sim-kit';
import { DEFAULT_CODES, DEFAULT_MESSAGES } from './errors.js';
import { send } from './http.js';
import type { OciFault } from './types.js';

/** The OCI error code a status fault answers with, or undefined when the status has no OCI body. */
export function faultCode(fault: OciFault): string | undefined {
  return fault.code ?? DEFAULT_CODES[fault.status ?? 503];
}

/** Faults answer like OCI does: `{code, message}` and opc-request-id; a bare status gets a proxy page. */
export function faultBodies(fault: OciFault, opcRequestId: string): FaultBodies {
  return {
    status: (res, status, retry) => {
      const code = faultCode(fault);
      if (code === undefined) return false;
      const message = fault.message ?? DEFAULT_MESSAGES[code] ?? `Injected ${status}`;
      send(res, { status, headers: retry, json: { code, message } }, opcRequestId);
      return true;
    },
    malformed: (res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'opc-request-id': opcRequestId });
      res.end('[{"id":"ocid1.');
    },
  };
}

export function faultMatches(fault: OciFault, request: { operation: string; path: string }): boolean {
  return (
    (fault.operation === undefined || fault.operation === request.operation) &&
    (fault.path === undefined || request.path.includes(fault.path))
  );
}
