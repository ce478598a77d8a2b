/**
 * Typed HTTP errors. Handlers and the domain throw these; one error handler
 * (see middleware.ts) turns them into `{"error": {"code", "message", "details"}}`.
 * Anything else becomes a 500 whose message never reaches the client.
 */
export interface FieldIssue {
  field: string;
  message: string;
}

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends HttpError {
  constructor(issues: FieldIssue[], message = "The request is invalid") {
    super(400, "validation_error", message, issues);
  }
}

export class BadRequestError extends HttpError {
  constructor(code: string, message: string, details?: unknown) {
    super(400, code, message, details);
  }
}

export class UnauthorizedError extends HttpError {
  constructor(message = "A valid API key is required (Authorization: Bearer <key>)") {
    super(401, "unauthorized", message);
  }
}

export class ForbiddenError extends HttpError {
  constructor(message: string) {
    super(403, "forbidden", message);
  }
}

export class NotFoundError extends HttpError {
  constructor(entity: string, id: string | number) {
    super(404, "not_found", `${entity} ${id} was not found`);
  }
}

export class ConflictError extends HttpError {
  constructor(code: string, message: string, details?: unknown) {
    super(409, code, message, details);
  }
}

export class PayloadTooLargeError extends HttpError {
  constructor(limitBytes: number) {
    super(413, "payload_too_large", `The request body is larger than ${limitBytes} bytes`);
  }
}

export class UnsupportedMediaTypeError extends HttpError {
  constructor() {
    super(415, "unsupported_media_type", "The request body must be JSON (Content-Type: application/json)");
  }
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function errorBody(error: unknown): { statusCode: number; body: ErrorBody } {
  if (error instanceof HttpError) {
    const body: ErrorBody = { error: { code: error.code, message: error.message } };
    if (error.details !== undefined) body.error.details = error.details;
    return { statusCode: error.statusCode, body };
  }
  return {
    statusCode: 500,
    body: { error: { code: "internal_error", message: "An internal error occurred" } },
  };
}
