/** ApiErrorCode values (HTTP status == errorcode). */
export const Code = {
  UNAUTHORIZED: 401,
  METHOD_NOT_ALLOWED: 405,
  API_LIMIT_EXCEED: 429,
  PARAM_ERROR: 431,
  UNSUPPORTED_ACTION: 432,
  INTERNAL_ERROR: 530,
  ACCOUNT_ERROR: 531,
} as const;

/** CSExceptionErrorCode values of the exceptions the simulator mimics. */
export const CsCode = {
  CLOUD_RUNTIME: 4250,
  INVALID_PARAMETER: 4350,
  PERMISSION_DENIED: 4365,
  SERVER_API: 9999,
} as const;

export const USER_ERROR_MESSAGE =
  'Internal error executing command, please contact your system administrator';

export class ApiError extends Error {
  constructor(
    readonly errorcode: number,
    message: string,
    /** Absent for the servlet's own 401/531 answers, which are not built from an exception. */
    readonly cserrorcode?: number,
    /** 'errorresponse' for 432 and unknown commands, else the command's response name. */
    readonly responseName?: string,
  ) {
    super(message);
  }
}

/** ServerApiException(PARAM_ERROR) thrown by ParamProcessWorker: cserrorcode 9999. */
export function paramError(text: string): ApiError {
  return new ApiError(Code.PARAM_ERROR, text, CsCode.SERVER_API);
}

export function missingParam(command: string, param: string): ApiError {
  return paramError(
    `Unable to execute API command ${command.toLowerCase()} due to missing parameter ${param}`,
  );
}

/** InvalidParameterValueException raised by a manager: 431 with cserrorcode 4350. */
export function invalidValue(text: string): ApiError {
  return new ApiError(Code.PARAM_ERROR, text, CsCode.INVALID_PARAMETER);
}

/** PermissionDeniedException: 531 with cserrorcode 4365. */
export function permissionDenied(text: string): ApiError {
  return new ApiError(Code.ACCOUNT_ERROR, text, CsCode.PERMISSION_DENIED);
}

/** CloudRuntimeException: 530 with cserrorcode 4250. */
export function internalError(text: string): ApiError {
  return new ApiError(Code.INTERNAL_ERROR, text, CsCode.CLOUD_RUNTIME);
}

export function unsupportedCommand(command: string): ApiError {
  return new ApiError(
    Code.UNSUPPORTED_ACTION,
    `The given command:${command} does not exist or it is not available for user`,
    CsCode.SERVER_API,
    'errorresponse',
  );
}

export const SIGNATURE_FAILURE = 'unable to verify user credentials and/or request signature';
export const SESSION_FAILURE = 'unable to verify user credentials';

export function unauthorized(text: string): ApiError {
  return new ApiError(Code.UNAUTHORIZED, text);
}

/** `{"<name>":{"uuidList":[],"errorcode":N,"cserrorcode":M,"errortext":"..."}}` */
export function errorBody(responseName: string, err: ApiError): Record<string, unknown> {
  return {
    [responseName]: {
      uuidList: [],
      errorcode: err.errorcode,
      ...(err.cserrorcode === undefined ? {} : { cserrorcode: err.cserrorcode }),
      errortext: err.message,
    },
  };
}
