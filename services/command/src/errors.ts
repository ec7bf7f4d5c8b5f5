// Every failure a client can see, as typed errors with a stable code, and the single
// mapping from anything thrown (ours, fastify's, a dependency's) to a response body.
// Internals never reach a 5xx body; the error handler logs them instead.

export interface ErrorBody {
  readonly error: string;
  readonly message: string;
  readonly field?: string;
  readonly request_id?: string;
}

export class ApiError extends Error {
  override readonly name: string = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export class BadRequestError extends ApiError {
  override readonly name = 'BadRequestError';
  constructor(message: string, field?: string) {
    super(400, 'bad_request', message, field);
  }
}

export class UnauthorizedError extends ApiError {
  override readonly name = 'UnauthorizedError';
  constructor() {
    super(401, 'unauthorized', 'a valid bearer token is required');
  }
}

export class ForbiddenOriginError extends ApiError {
  override readonly name = 'ForbiddenOriginError';
  constructor() {
    super(403, 'forbidden', 'requests from this origin are not allowed');
  }
}

export class NotFoundError extends ApiError {
  override readonly name = 'NotFoundError';
  constructor(message: string) {
    super(404, 'not_found', message);
  }
}

export class PayloadTooLargeError extends ApiError {
  override readonly name = 'PayloadTooLargeError';
  constructor(limitBytes: number) {
    super(413, 'payload_too_large', `request body exceeds ${limitBytes} bytes`);
  }
}

export class UnsupportedMediaTypeError extends ApiError {
  override readonly name = 'UnsupportedMediaTypeError';
  constructor() {
    super(415, 'unsupported_media_type', 'request body must be application/json');
  }
}

export class InternalError extends ApiError {
  override readonly name = 'InternalError';
  constructor() {
    super(500, 'internal', 'internal error');
  }
}

/** Errors fastify raises while reading a request, by their code. */
function fromFastifyError(
  error: { code?: unknown; statusCode?: unknown },
  bodyLimit: number,
): ApiError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new UnsupportedMediaTypeError();
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new PayloadTooLargeError(bodyLimit);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new BadRequestError('request body is empty; expected a JSON object');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new BadRequestError('request body is not valid JSON');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new BadRequestError('Content-Length does not match the body');
    default:
      break;
  }
  // The JSON parser reports syntax errors (and prototype-poisoning attempts) as a 400.
  if (error.statusCode === 400) return new BadRequestError('request body is not valid JSON');
  return undefined;
}

export function toApiError(error: unknown, bodyLimit: number): ApiError {
  if (error instanceof ApiError) return error;
  if (typeof error === 'object' && error !== null) {
    const mapped = fromFastifyError(error, bodyLimit);
    if (mapped) return mapped;
  }
  return new InternalError();
}

export function errorBody(error: ApiError, requestId: string): ErrorBody {
  return {
    error: error.code,
    message: error.message,
    ...(error.field !== undefined ? { field: error.field } : {}),
    ...(error.status >= 500 ? { request_id: requestId } : {}),
  };
}
