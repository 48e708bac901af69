/**
 * Database faults injected with the embedded server's fail points (`configureFailPoint` /
 * `failCommand`, aimed by `appName` at the app's own connections so the test's admin client is not
 * touched), against the app served in-process over HTTP:
 *
 * - error replies (91 ShutdownInProgress, 11600 InterruptedAtShutdown, 189 PrimarySteppedDown, and a
 *   112 WriteConflict that outlasts the retry budget) on find, insert, findAndModify/update and
 *   commitTransaction: a single one is retried away by the driver; a persistent one answers 503 with
 *   Retry-After and the Chinese error envelope, and writes nothing (the stored data before and after
 *   are identical and consistent);
 * - closed connections, on some commands or on all of them (heartbeats included: the database is
 *   unreachable): the same, and the app recovers by itself once the fault ends, including after a
 *   commit that never arrived (whose open transaction would otherwise hold the documents it wrote);
 * - slow replies beyond the operation timeout: 503 within a bounded time instead of waiting for the
 *   database, while a reply slower than usual but within the timeout still succeeds;
 * - `/api/health` says the database is down while its ping fails or hangs, and up afterwards.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { defaults } from "@govinfo/config/defaults";
import { ErrorEnvelope } from "@govinfo/shared/api/errors";
import type { RequestDetailDto } from "@govinfo/shared/schemas/requestDto";
import { type Db, type Document, MongoClient } from "mongodb";
import { type Client, loginApplicant } from "../../support/clients.ts";
import type { TestResponse } from "../../support/http.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";
import { ok, type StaffedAgency, staffedAgency, submission, today } from "../routes/requests.support.ts";
import { checkConsistency, collections } from "./consistency.ts";

/** The operation timeout of this app: short, so the slow-reply cases stay quick. */
const TIMEOUT_MS = 1_000;

let server: TestServer;
let admin: MongoClient;
let db: Db;
let staff: StaffedAgency;
let citizen: Client;
let checks = 0;
let faults = 0;

before(async () => {
  server = await startTestServer({ testCommands: true, operationTimeoutMs: TIMEOUT_MS });
  staff = await staffedAgency(server);
  citizen = await loginApplicant(server, "13900000021");
  const { host, port } = server.db.connection;
  admin = new MongoClient(`mongodb://${host}:${port}/?directConnection=true`, {
    appName: "faults-test",
    serverSelectionTimeoutMS: 5_000,
  });
  db = admin.db(defaults.embeddedDbName);
});
afterEach(async () => {
  await failCommand("off");
});
after(async () => {
  await admin?.close();
  await server?.close();
});

/** Configures the `failCommand` fail point for the app's connections only. */
async function failCommand(mode: "off" | "alwaysOn" | { times: number }, data: Document = {}): Promise<void> {
  if (mode !== "off") faults++;
  await admin.db("admin").command({
    configureFailPoint: "failCommand",
    mode,
    data: { appName: defaults.embeddedAppName, ...data },
  });
}

/**
 * Sends a request that must fail fast: a 503 in the error envelope, with Retry-After and a Chinese
 * message, within `withinMs` (the driver alone would keep a failing transaction going for two minutes).
 * @returns how long the answer took.
 */
async function expectUnavailable(
  send: () => Promise<TestResponse>,
  what: string,
  withinMs = 4 * TIMEOUT_MS,
): Promise<number> {
  const started = performance.now();
  const response = await send();
  const elapsed = performance.now() - started;
  assert.ok(elapsed < withinMs, `${what}: answered after ${Math.round(elapsed)} ms`);
  assert.equal(response.status, 503, `${what}: ${JSON.stringify(response.body)}`);
  assert.equal(response.headers.get("retry-after"), String(defaults.retryAfterSeconds), what);
  const envelope = ErrorEnvelope.parse(response.body);
  assert.equal(envelope.code, "service_unavailable", what);
  assert.match(envelope.message, /[\u4e00-\u9fff]/, `${what}: the message is for people`);
  assert.equal(envelope.requestId, response.headers.get("x-request-id"), what);
  checks += 6;
  return elapsed;
}

/** Everything a fault could half-write, as one comparable value, after checking it is consistent. */
async function storedState(): Promise<string> {
  const report = await checkConsistency(db);
  checks += report.checks;
  const dump = async (name: string, sort: Document) => db.collection(name).find({}).sort(sort).toArray();
  return JSON.stringify({
    requests: await dump(collections.requests, { _id: 1 }),
    audit: await dump(collections.audit, { _id: 1 }),
    outbox: await dump(collections.outbox, { _id: 1 }),
    counters: await dump(collections.counters, { _id: 1 }),
  });
}

/** Asserts the stored data is what it was before the fault: nothing of the failed request was written. */
async function assertUnchanged(before: string, what: string): Promise<void> {
  const now = await storedState();
  checks++;
  assert.ok(now === before, `${what}: the failed request left data behind`);
}

async function submit(): Promise<TestResponse> {
  return citizen.post(
    "/api/requests",
    submission(staff.agency, { description: `故障测试申请 ${Date.now()}` }),
  );
}

/** A fresh online application, as the citizen sees it. */
async function submitted(): Promise<RequestDetailDto> {
  return ok<RequestDetailDto>(await submit(), 201);
}

async function confirmReceipt(id: string, version: number): Promise<TestResponse> {
  return staff.registrar.post(`/api/requests/${id}/events`, {
    event: { type: "confirmReceipt", date: today() },
    expectedVersion: version,
  });
}

async function health(): Promise<{ status: number; ok: boolean }> {
  const response = await server.request("/api/health");
  const body = response.body as { data: { database: { ok: boolean } } };
  return { status: response.status, ok: body.data.database.ok };
}

/**
 * Polls health until the database is reported up. The driver drops its view of the server after some
 * of these faults and finds it again with its next heartbeat, so "up" may take a moment, but no more.
 */
async function assertHealthRecovers(): Promise<void> {
  const deadline = performance.now() + 5_000;
  let last = await health();
  while (!last.ok && performance.now() < deadline) {
    await sleep(100);
    last = await health();
  }
  assert.deepEqual(last, { status: 200, ok: true }, "health did not report the database up within 5 s");
}

describe("database errors", () => {
  test("one failing reply is retried by the driver and never reaches the user", async () => {
    await failCommand({ times: 1 }, { failCommands: ["find"], errorCode: 91 });
    ok(await citizen.get("/api/requests/mine"));
    await failCommand({ times: 1 }, { failCommands: ["insert"], errorCode: 189 });
    const created = await submitted();
    await failCommand({ times: 1 }, { failCommands: ["commitTransaction"], errorCode: 11600 });
    ok(await confirmReceipt(created.id, created.version));
    await storedState();
  });

  test("a persistent error on reads answers 503 until it ends, then reads work again", async () => {
    await failCommand("alwaysOn", { failCommands: ["find", "aggregate"], errorCode: 91 });
    await expectUnavailable(() => citizen.get("/api/requests/mine"), "citizen's list");
    await expectUnavailable(() => staff.registrar.get("/api/requests"), "staff queue");
    await failCommand("off");
    ok(await citizen.get("/api/requests/mine"));
    ok(await staff.registrar.get("/api/requests"));
  });

  // 112 WriteConflict is no outage, but one that outlasts the transaction's retry budget still
  // carries the TransientTransactionError label: retry later, so 503 too.
  for (const [command, errorCode] of [
    ["insert", 11600],
    ["commitTransaction", 91],
    ["insert", 112],
  ] as const) {
    test(`a submission whose ${command} fails with ${errorCode} answers 503 and writes nothing`, async () => {
      const before = await storedState();
      await failCommand("alwaysOn", { failCommands: [command], errorCode });
      await expectUnavailable(() => submit(), `submission with ${command} failing`);
      await failCommand("off");
      await assertUnchanged(before, `submission with ${command} failing`);
      const created = await submitted();
      assert.equal(created.state, "submitted");
      await storedState();
    });
  }

  for (const [commands, errorCode] of [
    [["findAndModify", "update"], 189],
    [["insert"], 91],
    [["commitTransaction"], 189],
  ] as const) {
    test(`a staff decision whose ${commands.join("/")} fails with ${errorCode} answers 503 and changes nothing`, async () => {
      const created = await submitted();
      const before = await storedState();
      await failCommand("alwaysOn", { failCommands: [...commands], errorCode });
      await expectUnavailable(() => confirmReceipt(created.id, created.version), "confirmReceipt");
      await failCommand("off");
      await assertUnchanged(before, `confirmReceipt with ${commands.join("/")} failing`);
      const now = ok<{ request: RequestDetailDto }>(
        await confirmReceipt(created.id, created.version),
      ).request;
      assert.equal(now.state, "received");
      assert.equal(now.version, created.version + 1);
      await storedState();
    });
  }

  test("health reports the database down while its ping fails, and up afterwards", async () => {
    await assertHealthRecovers();
    await failCommand("alwaysOn", { failCommands: ["ping"], errorCode: 91 });
    assert.deepEqual(await health(), { status: 503, ok: false });
    await failCommand("off");
    await assertHealthRecovers();
  });
});

describe("closed connections", () => {
  test("while the database is unreachable, heartbeats included, requests answer 503 and all recovers after", async () => {
    const everything = ["hello", "isMaster", "ping", "find", "insert", "update", "findAndModify"];
    await failCommand("alwaysOn", {
      failCommands: [...everything, "commitTransaction", "abortTransaction"],
      closeConnection: true,
    });
    // The driver gives up looking for a server after serverSelectionTimeoutMS (5 s for the embedded one).
    await expectUnavailable(() => citizen.get("/api/requests/mine"), "citizen's list", 8_000);
    assert.deepEqual(await health(), { status: 503, ok: false });
    await failCommand("off");
    ok(await citizen.get("/api/requests/mine"));
    await assertHealthRecovers();
    await submitted();
  });

  test("reads answer 503 while every connection is closed on them, health is down, and both recover", async () => {
    await failCommand("alwaysOn", { failCommands: ["find", "ping"], closeConnection: true });
    await expectUnavailable(() => citizen.get("/api/requests/mine"), "citizen's list");
    assert.deepEqual(await health(), { status: 503, ok: false });
    await failCommand("off");
    ok(await citizen.get("/api/requests/mine"));
    await assertHealthRecovers();
  });

  test("a submission cut off at its insert answers 503, writes nothing, and the next one succeeds", async () => {
    const before = await storedState();
    await failCommand("alwaysOn", { failCommands: ["insert"], closeConnection: true });
    await expectUnavailable(() => submit(), "submission");
    await failCommand("off");
    await assertUnchanged(before, "submission cut off at its insert");
    await submitted();
  });

  test("a decision whose commit never arrives answers 503, changes nothing and does not block the next one", async () => {
    const created = await submitted();
    const before = await storedState();
    await failCommand("alwaysOn", { failCommands: ["commitTransaction"], closeConnection: true });
    await expectUnavailable(() => confirmReceipt(created.id, created.version), "confirmReceipt");
    await failCommand("off");
    await assertUnchanged(before, "confirmReceipt whose commit never arrived");
    // The uncommitted transaction wrote this very application; had it stayed open on the server, the
    // retry would meet a write conflict until the transaction expired.
    const now = ok<{ request: RequestDetailDto }>(await confirmReceipt(created.id, created.version)).request;
    assert.equal(now.state, "received");
    await storedState();
  });
});

describe("slow replies", () => {
  test("a reply slower than usual but within the timeout still succeeds", async () => {
    await failCommand("alwaysOn", {
      failCommands: ["insert", "commitTransaction"],
      blockConnection: true,
      blockTimeMS: TIMEOUT_MS / 4,
    });
    await submitted();
    await failCommand("alwaysOn", {
      failCommands: ["find"],
      blockConnection: true,
      blockTimeMS: TIMEOUT_MS / 4,
    });
    ok(await citizen.get("/api/requests/mine"));
  });

  test("reads answer 503 within a bounded time while replies hang, health is down, then both recover", async (t) => {
    const blockTimeMS = 5 * TIMEOUT_MS;
    await failCommand("alwaysOn", { failCommands: ["find", "ping"], blockConnection: true, blockTimeMS });
    // One attempt and the driver's one retry, each cut at the timeout; far from the hang itself.
    const elapsed = await expectUnavailable(() => citizen.get("/api/requests/mine"), "citizen's list");
    t.diagnostic(`503 after ${Math.round(elapsed)} ms with replies held for ${blockTimeMS} ms`);
    assert.deepEqual(await health(), { status: 503, ok: false });
    await failCommand("off");
    ok(await citizen.get("/api/requests/mine"));
    await assertHealthRecovers();
  });

  test("a submission whose insert hangs answers 503 within a bounded time and is all or nothing", async (t) => {
    const before = await storedState();
    const blockTimeMS = 4 * TIMEOUT_MS;
    await failCommand("alwaysOn", { failCommands: ["insert"], blockConnection: true, blockTimeMS });
    // The transaction's retry budget is the timeout; the attempt running when it ends is cut at the
    // timeout too. Without them the request would wait for the hang, and the driver's retries after it.
    const elapsed = await expectUnavailable(() => submit(), "submission", 3 * TIMEOUT_MS);
    t.diagnostic(`503 after ${Math.round(elapsed)} ms with inserts held for ${blockTimeMS} ms`);
    await failCommand("off");
    // The hung inserts wake up on the server after blockTimeMS; their transactions were aborted.
    await sleep(blockTimeMS);
    await assertUnchanged(before, "submission whose insert hung");
    await submitted();
  });

  test("every application made under the faults is consistent afterwards", async (t) => {
    const report = await checkConsistency(db);
    checks += report.checks;
    assert.ok(report.requests >= 10, `${report.requests} applications`);
    t.diagnostic(`${faults} fail points, ${report.requests} applications, ${checks} checks`);
  });
});
