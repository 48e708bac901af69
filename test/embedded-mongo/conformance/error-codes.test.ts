/**
 * Every error carries the codeName MongoDB's error_codes.yml gives its code: codes the server raises
 * itself, codes a fail point is told to raise (any code, e.g. 11601 → Interrupted), and the
 * `Location<code>` form for codes the table does not list. Checked over the wire with the real driver.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type Document, MongoServerError } from "mongodb";
import { codeNameFor, errorCodeNames } from "../../../server/embedded-mongo/src/error-codes.ts";
import { useServer } from "../support.ts";

const fx = useServer({ external: false });
const DB = "codes";

/** Runs `command`, expecting a server error; returns it. */
async function failing(command: Document): Promise<MongoServerError> {
  const client = await fx.client();
  const error = await client
    .db(DB)
    .command(command)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  assert.ok(error instanceof MongoServerError, `expected a server error, got ${String(error)}`);
  return error;
}

describe("codeName table", () => {
  test("holds MongoDB's names, including the rarely used ones", () => {
    assert.equal(errorCodeNames[11601], "Interrupted");
    assert.equal(errorCodeNames[11602], "InterruptedDueToReplStateChange");
    assert.equal(errorCodeNames[10107], "NotWritablePrimary");
    assert.equal(errorCodeNames[91], "ShutdownInProgress");
    assert.equal(errorCodeNames[9001], "SocketException");
    assert.equal(errorCodeNames[40415], "IDLUnknownField");
    assert.equal(errorCodeNames[462], "IngressRequestRateLimitExceeded");
    assert.ok(Object.keys(errorCodeNames).length > 470, "the complete table, not a subset");
    // Names are unique: two codes with one name would mean a transcription slip.
    const names = Object.values(errorCodeNames);
    assert.equal(new Set(names).size, names.length);
  });

  test("an unlisted code is named Location<code>", () => {
    assert.equal(codeNameFor(31254), "Location31254");
    assert.equal(codeNameFor(4001), "Location4001");
  });
});

describe("codeName on the wire", () => {
  test("errors the server raises itself", async () => {
    const notFound = await failing({ noSuchCommand: 1 });
    assert.equal(notFound.code, 59);
    assert.equal(notFound.codeName, "CommandNotFound");
    const unknownField = await failing({ find: "x", bogus: 1 });
    assert.equal(unknownField.code, 40415);
    assert.equal(unknownField.codeName, "IDLUnknownField");
  });

  for (const [code, name] of [
    [11601, "Interrupted"],
    [189, "PrimarySteppedDown"],
    [262, "ExceededTimeLimit"],
    [13436, "NotPrimaryOrSecondary"],
    [9001, "SocketException"],
    [4321, "Location4321"],
  ] as const) {
    test(`a failCommand fail point with errorCode ${code} answers codeName ${name}`, async () => {
      const client = await fx.client();
      const admin = client.db("admin");
      await admin.command({
        configureFailPoint: "failCommand",
        mode: { times: 1 },
        data: { failCommands: ["ping"], errorCode: code },
      });
      try {
        const error = await failing({ ping: 1 });
        assert.equal(error.code, code);
        assert.equal(error.codeName, name);
      } finally {
        await admin.command({ configureFailPoint: "failCommand", mode: "off" });
      }
    });
  }
});
