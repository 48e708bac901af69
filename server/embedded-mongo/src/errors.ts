/**
 * MongoDB server errors as the driver expects them: numeric code, code name, message,
 * optional error labels and extra fields (keyPattern/keyValue for 11000, errInfo for 121).
 */

/** Code names from MongoDB's error_codes.yml for every code this server emits. */
export const codeNames: Record<number, string> = {
  1: "InternalError",
  2: "BadValue",
  9: "FailedToParse",
  14: "TypeMismatch",
  16: "InvalidLength",
  17: "ProtocolError",
  18: "AuthenticationFailed",
  20: "IllegalOperation",
  26: "NamespaceNotFound",
  27: "IndexNotFound",
  28: "PathNotViable",
  40: "ConflictingUpdateOperators",
  43: "CursorNotFound",
  48: "NamespaceExists",
  50: "MaxTimeMSExpired",
  52: "DollarPrefixedFieldName",
  56: "EmptyFieldName",
  57: "DottedFieldName",
  59: "CommandNotFound",
  66: "ImmutableField",
  67: "CannotCreateIndex",
  72: "InvalidOptions",
  73: "InvalidNamespace",
  85: "IndexOptionsConflict",
  86: "IndexKeySpecsConflict",
  91: "ShutdownInProgress",
  100: "UnsatisfiableWriteConcern",
  112: "WriteConflict",
  115: "CommandNotSupported",
  121: "DocumentValidationFailure",
  166: "CommandNotSupportedOnView",
  168: "InvalidPipelineOperator",
  171: "CannotIndexParallelArrays",
  197: "InvalidIndexSpecificationOption",
  225: "TransactionTooOld",
  238: "NotImplemented",
  244: "TransactionAborted",
  251: "NoSuchTransaction",
  256: "TransactionCommitted",
  257: "TransactionTooLarge",
  263: "OperationNotSupportedInTransaction",
  286: "ChangeStreamHistoryLost",
  290: "TransactionExceededLifetimeLimitSeconds",
  10334: "BSONObjectTooLarge",
  11000: "DuplicateKey",
  31254: "Location31254",
  40324: "Location40324",
  40415: "Location40415",
};

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
    this.codeName = codeNames[code] ?? `Location${code}`;
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
