/** An OCI API error: answered as `{"code": …, "message": …}` with the HTTP status. */
export class OciApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The code OCI's "API Errors" page gives each status first. */
export const DEFAULT_CODES: Record<number, string> = {
  400: 'InvalidParameter',
  401: 'NotAuthenticated',
  403: 'NotAuthorized',
  404: 'NotAuthorizedOrNotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  412: 'NoEtagMatch',
  413: 'RequestEntityTooLarge',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  501: 'MethodNotImplemented',
  503: 'ServiceUnavailable',
};

export const DEFAULT_MESSAGES: Record<string, string> = {
  NotAuthenticated: 'The required information to complete authentication was not provided or was incorrect.',
  NotAuthorizedOrNotFound: 'Authorization failed or requested resource not found.',
  TooManyRequests: 'Too many requests for the user',
  InternalServerError: 'Internal error occurred',
  ServiceUnavailable: 'Service is temporarily unavailable',
};

export function notAuthenticated(): OciApiError {
  return new OciApiError(401, 'NotAuthenticated', DEFAULT_MESSAGES.NotAuthenticated!);
}

export function notFound(): OciApiError {
  return new OciApiError(404, 'NotAuthorizedOrNotFound', DEFAULT_MESSAGES.NotAuthorizedOrNotFound!);
}

export function missingParameter(name: string): OciApiError {
  return new OciApiError(400, 'MissingParameter', `Missing required parameter: ${name}`);
}

export function invalidParameter(message: string): OciApiError {
  return new OciApiError(400, 'InvalidParameter', message);
}

export function cannotParse(message: string): OciApiError {
  return new OciApiError(400, 'CannotParseRequest', message);
}

export function incorrectState(message: string): OciApiError {
  return new OciApiError(409, 'IncorrectState', message);
}

export function noEtagMatch(): OciApiError {
  return new OciApiError(
    412,
    'NoEtagMatch',
    'The resource has changed: the If-Match value does not match its ETag',
  );
}
