/**
 * MongoDB server errors as the driver expects them: numeric code, code name, message,
 * optional error labels and extra fields (keyPattern/keyValue for 11000, errInfo for 121).
 */

import { codeNameFor } from "./error-codes.ts";

/** An error that becomes `{ok: 0, errmsg, code, codeName, ...extra}` (or a writeErrors entry). */
export class MongoError extends Error {
  readonly code: number;
  readonly codeName: string;
  readonly extra: Record<string, unknown>;
  readonly errorLabels: string[];

  constructor(
    code: number,
    message: string,
    extra: Record<string, unknown> = {},
    errorLabels: string[] = [],
  ) {
    super(message);
    this.name = "MongoError";
    this.code = code;
    this.codeName = codeNameFor(code);
    this.extra = extra;
    this.errorLabels = errorLabels;
  }

  /** The command-level reply document for this error. */
  toReply(): Record<string, unknown> {
    const reply: Record<string, unknown> = {
      ok: 0,
      errmsg: this.message,
      code: this.code,
      codeName: this.codeName,
    };
    if (this.errorLabels.length > 0) reply.errorLabels = this.errorLabels;
    return { ...reply, ...this.extra };
  }

  /** The `writeErrors[]` entry for this error at statement position `index`. */
  toWriteError(index: number): Record<string, unknown> {
    return { index, code: this.code, codeName: this.codeName, errmsg: this.message, ...this.extra };
  }
}

/**
 * Creates a MongoError.
 * @param code the MongoDB error code.
 * @param message the errmsg text.
 * @param extra extra reply fields such as keyPattern and keyValue.
 */
export function mongoError(code: number, message: string, extra: Record<string, unknown> = {}): MongoError {
  return new MongoError(code, message, extra);
}

/**
 * Refuses a feature outside the server's scope with 238 NotImplemented, naming the feature.
 * @param feature what was asked for, e.g. "$text".
 */
export function notImplemented(feature: string): MongoError {
  return new MongoError(238, `${feature} is not supported by the embedded server`);
}
