import assert from "node:assert/strict";
import { MongoError } from "../../../server/embedded-mongo/src/errors.ts";

/** Asserts that `fn` throws a MongoError with `code` (and, optionally, a message matching `message`). */
export function assertCode(fn: () => unknown, code: number, message?: RegExp | string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof MongoError, `expected MongoError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (typeof message === "string") assert.equal(err.message, message);
    else if (message) assert.match(err.message, message);
    return true;
  });
}
