/** An answer other than success, thrown by handlers and the auth layer. */
export class SimError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new SimError(400, message);
export const forbidden = (message: string) => new SimError(403, message);
export const conflict = (message: string) => new SimError(409, message);
/** 404 naming what was not found: `project 5f0c… not found`. */
export const notFound = (what: string, id: string) => new SimError(404, `${what} ${id} not found`);

export const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Request Entity Too Large',
  429: 'Too Many Requests',
};

/** `{"code":200,"status":"success","message":"Success","data":…}` plus any extra keys (pagination). */
export function successBody(data: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { code: 200, status: 'success', message: 'Success', data, ...extra };
}

/** `{"code":N,"status":"error","message":"…"}`. */
export function errorBody(status: number, message: string): Record<string, unknown> {
  return { code: status, status: 'error', message };
}

/** What a handler may return instead of bare data: data plus extra envelope keys. */
export class Reply {
  constructor(
    readonly data: unknown,
    readonly extra: Record<string, unknown> = {},
  ) {}
}
