// expectError assertions (isError, isClientError, errorContains, errorCode, errorCodeName, error labels,
// errorResponse, writeErrors, writeConcernErrors, expectResult) and detection of the server's NotImplemented refusals.
import {
  BSON,
  MongoBulkWriteError,
  MongoClientBulkWriteError,
  MongoError,
  MongoOperationTimeoutError,
  MongoServerError,
  MongoWriteConcernError,
} from "mongodb";
import { formatMismatches, type MatchEnv, match } from "./matcher.ts";
import { toResultDocument } from "./results.ts";
import type { ExpectedError } from "./types.ts";
import { ABSENT, type Doc, isDocument, show } from "./values.ts";

/** Server error code of NotImplemented, used by the embedded server to refuse a feature. */
export const NOT_IMPLEMENTED = 238;

/** Code names the tests may assert, for errors that expose only a numeric code (bulk write errors). */
const CODE_NAMES: Record<string, number> = {
  badvalue: 2,
  failedtoparse: 9,
  typemismatch: 14,
  invalidoptions: 72,
  namespacenotfound: 26,
  indexnotfound: 27,
  commandnotfound: 59,
  immutablefield: 66,
  invalididxoptions: 67,
  writeconcernfailed: 64,
  unsatisfiablewriteconcern: 100,
  writeconflict: 112,
  notwritableprimary: 10107,
  interrupted: 11601,
  interruptedatshutdown: 11600,
  interruptedduetoreplstatechange: 11602,
  duplicatekey: 11000,
  nosuchtransaction: 251,
  transactioncommitted: 256,
  transactiontoolarge: 257,
  operationnotsupportedintransaction: 263,
  notimplemented: 238,
  maxtimemsexpired: 50,
  unknownfield: 40415,
  location40415: 40415,
};

function asArray<T>(value: T | readonly T[] | undefined): readonly T[] {
  if (value === undefined) return [];
  return isReadonlyArray(value) ? value : [value];
}

function isReadonlyArray<T>(value: T | readonly T[]): value is readonly T[] {
  return Array.isArray(value);
}

interface ErrorFacts {
  messages: string[];
  codes: number[];
  codeNames: string[];
}

/** Messages, codes and code names of an error and of the write/write-concern errors it aggregates. */
function errorFacts(error: unknown): ErrorFacts {
  const facts: ErrorFacts = { messages: [], codes: [], codeNames: [] };
  const visit = (e: unknown, depth: number) => {
    if (!isDocument(e) && !(e instanceof Error)) return;
    const rec = e as Record<string, unknown>;
    if (typeof rec.message === "string") facts.messages.push(rec.message);
    if (typeof rec.errmsg === "string") facts.messages.push(rec.errmsg);
    if (typeof rec.code === "number") facts.codes.push(rec.code);
    if (typeof rec.codeName === "string") facts.codeNames.push(rec.codeName);
    if (depth > 2) return;
    if (e instanceof MongoBulkWriteError) {
      for (const we of asArray(e.writeErrors)) visit({ code: we.code, errmsg: we.errmsg }, depth + 1);
      const wce = e.result?.getWriteConcernError();
      if (wce) visit({ code: wce.code, errmsg: wce.errmsg }, depth + 1);
    }
    if (e instanceof MongoClientBulkWriteError) {
      for (const we of e.writeErrors.values()) visit(we, depth + 1);
      for (const wce of e.writeConcernErrors) visit(wce, depth + 1);
    }
    if (isDocument(rec.writeConcernError)) visit(rec.writeConcernError, depth + 1);
    if (rec.cause !== undefined) visit(rec.cause, depth + 1);
  };
  visit(error, 0);
  return facts;
}

/** If the error (or an error it aggregates) is the server's NotImplemented refusal, its message. */
export function notImplementedMessage(error: unknown): string | undefined {
  if (!(error instanceof MongoError)) return undefined;
  const visit = (e: unknown, depth: number): string | undefined => {
    if (!isDocument(e) && !(e instanceof Error)) return undefined;
    const rec = e as Record<string, unknown>;
    const codeName = typeof rec.codeName === "string" ? rec.codeName : "";
    if (rec.code === NOT_IMPLEMENTED || codeName === "NotImplemented") {
      const message = typeof rec.errmsg === "string" ? rec.errmsg : rec.message;
      return typeof message === "string" ? message : "NotImplemented";
    }
    if (depth > 2) return undefined;
    const nested: unknown[] = [];
    if (e instanceof MongoBulkWriteError) {
      nested.push(...asArray(e.writeErrors).map((we) => ({ code: we.code, errmsg: we.errmsg })));
    }
    if (e instanceof MongoClientBulkWriteError) nested.push(...e.writeErrors.values());
    if (rec.cause !== undefined) nested.push(rec.cause);
    for (const n of nested) {
      const found = visit(n, depth + 1);
      if (found) return found;
    }
    return undefined;
  };
  return visit(error, 0);
}

function hasLabel(error: unknown, label: string): boolean {
  if (error instanceof MongoError && error.hasErrorLabel(label)) return true;
  if (error instanceof MongoClientBulkWriteError && error.cause instanceof MongoError) {
    return error.cause.hasErrorLabel(label);
  }
  return false;
}

function labelsOf(error: unknown): string {
  return error instanceof MongoError ? `[${error.errorLabels.join(", ")}]` : "[]";
}

/** Whether the error comes from the client rather than from a server reply. */
export function isClientError(error: unknown): boolean {
  if (error instanceof MongoBulkWriteError) {
    const response: unknown = error.errorResponse;
    return response instanceof Error && !(response instanceof MongoServerError);
  }
  return !(error instanceof MongoServerError);
}

/** The result carried by an error (bulk write results), or ABSENT. */
function errorResult(error: unknown): unknown {
  if (error instanceof MongoBulkWriteError) {
    const result = toResultDocument(error.result);
    // Node driver quirk: when the bulk failed without write errors (e.g. a network error), its result lists the
    // ids of every attempted insert as insertedIds. That field is optional in the spec, so leave it unset.
    const hasWriteConcernError = error.result?.getWriteConcernError() !== undefined;
    if (asArray(error.writeErrors).length === 0 && !hasWriteConcernError && isDocument(result)) {
      const { insertedIds: _attempted, ...rest } = result;
      return rest;
    }
    return result;
  }
  if (error instanceof MongoClientBulkWriteError) {
    return error.partialResult === undefined ? ABSENT : toResultDocument(error.partialResult);
  }
  return ABSENT;
}

/** The raw server response of an error, for errorResponse. */
function errorResponseOf(error: unknown): unknown {
  if (error instanceof MongoClientBulkWriteError && error.cause instanceof MongoServerError) {
    return error.cause.errorResponse;
  }
  if (error instanceof MongoWriteConcernError) return error.result ?? error.errorResponse;
  if (error instanceof MongoServerError) return error.errorResponse ?? error;
  return error;
}

/** Checks a caught error against expectError; returns the problems found (empty = as expected). */
export function checkExpectedError(error: unknown, expected: ExpectedError, env: MatchEnv): string[] {
  const problems: string[] = [];
  if (!(error instanceof MongoError) && !(error instanceof BSON.BSONError)) {
    return [`expected a driver error, got ${error instanceof Error ? error.stack : show(error)}`];
  }
  const facts = errorFacts(error);
  const describe = `${error.name}: ${error.message}`;

  if (expected.isClientError === true && !isClientError(error)) {
    problems.push(`expected a client-side error, got a server error ${describe}`);
  }
  if (expected.isClientError === false && isClientError(error)) {
    problems.push(`expected a server error, got a client-side error ${describe}`);
  }
  if (expected.isTimeoutError !== undefined) {
    const timeout = error instanceof MongoOperationTimeoutError;
    if (timeout !== expected.isTimeoutError) {
      problems.push(`expected isTimeoutError=${expected.isTimeoutError}, got ${describe}`);
    }
  }
  if (expected.errorContains !== undefined) {
    const needle = expected.errorContains.toLowerCase();
    if (!facts.messages.some((m) => m.toLowerCase().includes(needle))) {
      problems.push(
        `expected the error message to contain "${expected.errorContains}", got "${facts.messages[0]}"`,
      );
    }
  }
  if (expected.errorCode !== undefined && !facts.codes.includes(expected.errorCode)) {
    problems.push(
      `expected error code ${expected.errorCode}, got ${facts.codes.join("/") || "none"} (${describe})`,
    );
  }
  if (expected.errorCodeName !== undefined) {
    const name = expected.errorCodeName.toLowerCase();
    const byName = facts.codeNames.some((n) => n.toLowerCase() === name);
    const code = CODE_NAMES[name];
    const byCode = facts.codeNames.length === 0 && code !== undefined && facts.codes.includes(code);
    if (!byName && !byCode) {
      problems.push(
        `expected codeName ${expected.errorCodeName}, got ${facts.codeNames.join("/") || "none"} (code ${facts.codes.join("/") || "none"}; ${describe})`,
      );
    }
  }
  for (const label of expected.errorLabelsContain ?? []) {
    if (!hasLabel(error, label))
      problems.push(`expected error label ${label}, got ${labelsOf(error)} (${describe})`);
  }
  for (const label of expected.errorLabelsOmit ?? []) {
    if (hasLabel(error, label))
      problems.push(`expected no error label ${label}, got ${labelsOf(error)} (${describe})`);
  }
  if (expected.errorResponse !== undefined) {
    const mismatches = match(expected.errorResponse, errorResponseOf(error), { env, path: "errorResponse" });
    if (mismatches.length > 0) problems.push(formatMismatches(mismatches));
  }
  if (expected.writeErrors !== undefined) {
    const actual: Doc = {};
    if (error instanceof MongoClientBulkWriteError) {
      for (const [index, we] of error.writeErrors) {
        const errInfo: unknown = (we as { errInfo?: unknown }).errInfo;
        actual[String(index)] = {
          code: we.code,
          message: we.message,
          ...(errInfo === undefined ? {} : { errInfo }),
        };
      }
    }
    for (const [index, exp] of Object.entries(expected.writeErrors)) {
      const mismatches = match(exp, actual[index] ?? ABSENT, { env, path: `writeErrors.${index}` });
      if (mismatches.length > 0) problems.push(formatMismatches(mismatches));
    }
    const extra = Object.keys(actual).filter((k) => !(k in expected.writeErrors!));
    if (extra.length > 0) problems.push(`unexpected write errors at ${extra.join(", ")}: ${show(actual)}`);
  }
  if (expected.writeConcernErrors !== undefined) {
    const actual = error instanceof MongoClientBulkWriteError ? error.writeConcernErrors : [];
    if (actual.length !== expected.writeConcernErrors.length) {
      problems.push(
        `expected ${expected.writeConcernErrors.length} write concern errors, got ${show(actual)}`,
      );
    } else {
      expected.writeConcernErrors.forEach((exp, i) => {
        const mismatches = match(exp, actual[i], { env, path: `writeConcernErrors[${i}]` });
        if (mismatches.length > 0) problems.push(formatMismatches(mismatches));
      });
    }
  }
  if (expected.expectResult !== undefined) {
    const mismatches = match(expected.expectResult, errorResult(error), {
      env,
      path: "expectError.expectResult",
    });
    if (mismatches.length > 0) problems.push(formatMismatches(mismatches));
  }
  return problems;
}
