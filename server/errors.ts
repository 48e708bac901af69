/**
 * Typed application errors. Code throws a factory (`throw NotFound("request")`); the error handler
 * renders it once, as `{ ok: false, code, message, requestId, details? }`.
 */
import {
  ErrorCode as Codes,
  type ErrorCode,
  type ErrorDetails,
  type FieldProblem,
} from "@govinfo/shared/api/errors";

/** HTTP status of every error code. */
export const statusOf: Readonly<Record<ErrorCode, number>> = {
  validation_error: 400,
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
};

/** Default user-facing message of every error code, in Simplified Chinese. */
export const defaultMessages: Readonly<Record<ErrorCode, string>> = {
  validation_error: "提交的内容不符合要求",
  bad_request: "请求格式不正确",
  unauthorized: "请先登录",
  forbidden: "没有权限执行此操作",
  not_found: "请求的内容不存在",
  method_not_allowed: "不支持该请求方法",
  conflict: "数据已被修改或已存在，请刷新后重试",
  payload_too_large: "提交的内容过大",
  unsupported_media_type: "不支持的内容类型",
  rate_limited: "操作过于频繁，请稍后再试",
  internal_error: "服务器内部错误，请稍后再试",
  service_unavailable: "服务暂时不可用，请稍后再试",
};

/** An error with a stable code, an HTTP status and a message safe to show to the user. */
export class AppError extends Error {
  override readonly name = "AppError";
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: ErrorDetails | undefined;
  /** Response headers the error implies, such as `Retry-After` or `Allow`. */
  readonly headers: Readonly<Record<string, string>>;

  /** Creates an error; prefer the factories below, which fill in message and headers. */
  constructor(
    code: ErrorCode,
    options: {
      message?: string;
      details?: ErrorDetails;
      headers?: Record<string, string>;
      cause?: unknown;
    } = {},
  ) {
    super(options.message ?? defaultMessages[code], { cause: options.cause });
    this.code = code;
    this.status = statusOf[code];
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

/** Invalid input; the message lists the first problems (`title: 必填`) and `details.fields` all of them. */
export function ValidationFailed(fields: FieldProblem[], message?: string): AppError {
  const summary = fields
    .slice(0, 3)
    .map((field) => (field.path === "" ? field.message : `${field.path}: ${field.message}`))
    .join("；");
  return new AppError(Codes.validationError, {
    message: message ?? (summary === "" ? undefined : summary),
    details: { fields },
  });
}

/** A request that cannot be understood at all, such as a body that is not JSON. */
export function BadRequest(message?: string): AppError {
  return new AppError(Codes.badRequest, { message });
}

/** No valid session or token. */
export function Unauthorized(message?: string): AppError {
  return new AppError(Codes.unauthorized, { message });
}

/** Authenticated, but not allowed to do this. */
export function Forbidden(message?: string): AppError {
  return new AppError(Codes.forbidden, { message });
}

/** The named resource (`request`, `route`, ...) does not exist or is not visible to the caller. */
export function NotFound(resource?: string, message?: string): AppError {
  return new AppError(Codes.notFound, {
    message,
    details: resource === undefined ? undefined : { resource },
  });
}

/** The route exists but not for this method; `allowed` fills the `Allow` header when known. */
export function MethodNotAllowed(allowed: readonly string[] = []): AppError {
  return new AppError(Codes.methodNotAllowed, {
    headers: allowed.length === 0 ? {} : { Allow: allowed.join(", ") },
  });
}

/** The write lost a race or would duplicate a record; `reason` is a stable key (`request.state_changed`). */
export function Conflict(reason?: string, message?: string): AppError {
  return new AppError(Codes.conflict, { message, details: reason === undefined ? undefined : { reason } });
}

/** The body exceeds the limit for this route; the limit is named in the message when known. */
export function PayloadTooLarge(limitBytes?: number): AppError {
  if (limitBytes === undefined) return new AppError(Codes.payloadTooLarge);
  return new AppError(Codes.payloadTooLarge, {
    message: `提交的内容过大，不能超过 ${formatBytes(limitBytes)}`,
    details: { limitBytes },
  });
}

/** The body is in a format or encoding the route does not accept. */
export function UnsupportedMediaType(message?: string): AppError {
  return new AppError(Codes.unsupportedMediaType, { message });
}

/** Too many attempts; the client should wait `retryAfterSeconds`. */
export function RateLimited(retryAfterSeconds: number): AppError {
  return new AppError(Codes.rateLimited, { headers: { "Retry-After": String(retryAfterSeconds) } });
}

/** A dependency (the database) is unreachable; the client should retry after `retryAfterSeconds`. */
export function ServiceUnavailable(retryAfterSeconds: number, cause?: unknown): AppError {
  return new AppError(Codes.serviceUnavailable, {
    headers: { "Retry-After": String(retryAfterSeconds) },
    cause,
  });
}

/** Anything unexpected; the cause is logged, never sent. */
export function InternalError(cause?: unknown): AppError {
  return new AppError(Codes.internalError, { cause });
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} 字节`;
}
