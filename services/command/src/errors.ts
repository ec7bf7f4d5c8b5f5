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
    super(401, 'unauthorized', 'sign in first: a valid session (or service token) is required');
  }
}

export class ForbiddenError extends ApiError {
  override readonly name = 'ForbiddenError';
  constructor(required: string) {
    super(403, 'forbidden', `this needs the ${required} role`);
  }
}

export class ConflictError extends ApiError {
  override readonly name = 'ConflictError';
  /** The current ETag, when the conflict is a stale If-Match. */
  readonly etag: string | undefined;
  constructor(message: string, field?: string, etag?: string) {
    super(409, 'conflict', message, field);
    this.etag = etag;
  }
}

export class PreconditionRequiredError extends ApiError {
  override readonly name = 'PreconditionRequiredError';
  constructor() {
    super(428, 'precondition_required', 'send If-Match with the ETag you last read');
  }
}

export class LoginFailedError extends ApiError {
  override readonly name = 'LoginFailedError';
  constructor(message = 'wrong email or password') {
    super(401, 'invalid_credentials', message);
  }
}

export class AccountLockedError extends ApiError {
  override readonly name = 'AccountLockedError';
  readonly until: Date;
  constructor(until: Date) {
    super(
      423,
      'account_locked',
      `this account is locked after too many failed logins until ${until.toISOString()}`,
    );
    this.until = until;
  }
}

export class TooManyAttemptsError extends ApiError {
  override readonly name = 'TooManyAttemptsError';
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super(
      429,
      'too_many_attempts',
      `too many login attempts from this address; try again in ${retryAfterSeconds} s`,
    );
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class UpstreamError extends ApiError {
  override readonly name = 'UpstreamError';
  constructor(message: string) {
    super(502, 'bad_gateway', message);
  }
}

export class ForbiddenOriginError extends ApiError {
  override readonly name = 'ForbiddenOriginError';
  constructor() {
    super(403, 'forbidden_origin', 'requests from this origin are not allowed');
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
