/**
 * Renders every error as the one envelope `{ ok: false, code, message, requestId, details? }`.
 * Foreign errors are mapped by class (and driver error code), never by their message text;
 * anything unknown becomes `internal_error` and a log line, and its stack never leaves the server.
 */
import { ErrorCode, type FieldProblem } from "@govinfo/shared/api/errors";
import Koa, { type Middleware } from "koa";
import mongoose from "mongoose";
import {
  AppError,
  BadRequest,
  Conflict,
  Forbidden,
  InternalError,
  MethodNotAllowed,
  NotFound,
  PayloadTooLarge,
  RateLimited,
  ServiceUnavailable,
  Unauthorized,
  UnsupportedMediaType,
  ValidationFailed,
} from "../errors.ts";

/** Catches errors from downstream middleware and routes and renders the error envelope. */
export function errorHandler(options: { retryAfterSeconds: number }): Middleware {
  return async (ctx, next) => {
    const upstreamHeaders = new Set(ctx.res.getHeaderNames());
    try {
      await next();
    } catch (error) {
      const appError = toAppError(error, options.retryAfterSeconds);
      if (appError.code === ErrorCode.internalError) ctx.log.error({ err: error }, "unhandled error");
      if (appError.code === ErrorCode.serviceUnavailable)
        ctx.log.warn({ err: error }, "database unavailable");
      // Once streaming has begun the status line is gone; closing the socket is all that is left.
      if (ctx.headerSent || !ctx.writable) {
        ctx.log.warn({ err: error }, "error after response started");
        ctx.req.socket.destroy();
        return;
      }
      // Headers a handler set for the success case (downloads, caching) must not leak into the error;
      // those set upstream (request id, and later CORS) still apply to it.
      for (const name of ctx.res.getHeaderNames()) {
        if (!upstreamHeaders.has(name)) ctx.res.removeHeader(name);
      }
      ctx.set({ ...appError.headers });
      ctx.status = appError.status;
      ctx.body = {
        ok: false,
        code: appError.code,
        message: appError.message,
        requestId: ctx.requestId,
        ...(appError.details === undefined ? {} : { details: appError.details }),
      };
    }
  };
}

/** Maps any thrown value to an AppError; exported for unit tests of the mapping. */
export function toAppError(error: unknown, retryAfterSeconds: number): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof mongoose.Error.ValidationError) {
    return ValidationFailed(Object.values(error.errors).map(fieldProblemOf));
  }
  if (error instanceof mongoose.Error.CastError) return ValidationFailed([fieldProblemOf(error)]);
  if (isDatabaseUnavailable(error)) return ServiceUnavailable(retryAfterSeconds, error);
  if (error instanceof mongoose.mongo.MongoServerError && error.code === duplicateKeyCode) {
    // The key value may be personal data (an ID number), so only the fact of the duplicate is reported.
    return Conflict("duplicate_key", "记录已存在");
  }
  if (error instanceof Koa.HttpError)
    return fromHttpStatus(error.status, retryAfterSeconds) ?? InternalError(error);
  return InternalError(error);
}

const duplicateKeyCode = 11000;

// Server answers that mean "this node cannot serve right now" (failover, shutdown), from
// MongoDB's error_codes.yml: ShutdownInProgress, PrimarySteppedDown, InterruptedAtShutdown,
// InterruptedDueToReplStateChange, NotWritablePrimary, NotPrimaryNoSecondaryOk, NotPrimaryOrSecondary.
const unavailableServerCodes = new Set([91, 189, 11600, 11602, 10107, 13435, 13436]);

// Labels the driver and server put on failures that a later attempt may not meet: a transaction that
// ran out of retry budget (its last error is transient) or whose commit outcome stayed unknown.
const unavailableLabels = ["TransientTransactionError", "UnknownTransactionCommitResult"];

function isDatabaseUnavailable(error: unknown): boolean {
  const { mongo } = mongoose;
  return (
    // Includes MongoNetworkTimeoutError: no reply within the operation timeout (socketTimeoutMS).
    error instanceof mongo.MongoNetworkError ||
    error instanceof mongo.MongoOperationTimeoutError ||
    error instanceof mongo.MongoServerSelectionError ||
    error instanceof mongo.MongoNotConnectedError ||
    error instanceof mongo.MongoTopologyClosedError ||
    error instanceof mongoose.Error.MongooseServerSelectionError ||
    (error instanceof mongo.MongoServerError &&
      typeof error.code === "number" &&
      unavailableServerCodes.has(error.code)) ||
    (error instanceof mongo.MongoError && unavailableLabels.some((label) => error.hasErrorLabel(label)))
  );
}

// Mongoose's built-in messages are English and mention internals; users get a Chinese phrase per
// validator kind, while messages from our own custom validators are already user-facing.
const kindMessages: Record<string, string> = {
  required: "必填",
  enum: "取值不在允许范围内",
  min: "数值过小",
  max: "数值过大",
  minlength: "内容过短",
  maxlength: "内容过长",
  regexp: "格式不正确",
};

function fieldProblemOf(error: mongoose.Error.ValidatorError | mongoose.Error.CastError): FieldProblem {
  if (error instanceof mongoose.Error.CastError) return { path: error.path, message: "格式不正确" };
  return { path: error.path, message: kindMessages[error.kind] ?? error.message };
}

// Errors thrown by Koa itself or by libraries (`ctx.throw(404)`, the router) carry only a status.
function fromHttpStatus(status: number, retryAfterSeconds: number): AppError | undefined {
  switch (status) {
    case 400:
      return BadRequest();
    case 401:
      return Unauthorized();
    case 403:
      return Forbidden();
    case 404:
      return NotFound();
    case 405:
    case 501:
      return MethodNotAllowed();
    case 409:
      return Conflict();
    case 413:
      return PayloadTooLarge();
    case 415:
      return UnsupportedMediaType();
    case 429:
      return RateLimited(retryAfterSeconds);
    case 503:
      return ServiceUnavailable(retryAfterSeconds);
    default:
      return undefined;
  }
}
