/**
 * The error contract between the server and every client: stable codes and the one error envelope.
 * Clients switch on `code`, never on `message`, so codes are never renamed once shipped.
 */
import { z } from "zod";

/** Every error code the API can return; values are the wire strings. */
export const ErrorCode = {
  validationError: "validation_error",
  badRequest: "bad_request",
  unauthorized: "unauthorized",
  forbidden: "forbidden",
  notFound: "not_found",
  methodNotAllowed: "method_not_allowed",
  conflict: "conflict",
  payloadTooLarge: "payload_too_large",
  unsupportedMediaType: "unsupported_media_type",
  rateLimited: "rate_limited",
  internalError: "internal_error",
  serviceUnavailable: "service_unavailable",
} as const;

/** One of the wire error codes in `ErrorCode`. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** All error codes, for `z.enum` and exhaustive tests. */
export const errorCodes = Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]];

/** One problem with one input field; `path` is dotted (`applicant.phone`, `items.0.title`). */
export const FieldProblem = z.object({ path: z.string(), message: z.string() });

/** One problem with one input field. */
export type FieldProblem = z.infer<typeof FieldProblem>;

/** Extra machine-readable context; `fields` is present for validation errors. */
export const ErrorDetails = z
  .object({
    fields: z.array(FieldProblem).optional(),
    resource: z.string().optional(),
    reason: z.string().optional(),
  })
  .catchall(z.unknown());

/** Extra machine-readable context of an error. */
export type ErrorDetails = z.infer<typeof ErrorDetails>;

/** The body of every error response. */
export const ErrorEnvelope = z.object({
  ok: z.literal(false),
  code: z.enum(errorCodes),
  message: z.string(),
  requestId: z.string(),
  details: ErrorDetails.optional(),
});

/** The body of every error response. */
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;
