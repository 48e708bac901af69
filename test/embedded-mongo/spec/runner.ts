// Unified test format runner (https://github.com/mongodb/specifications, unified-test-format.md) for the embedded
// MongoDB-compatible server, driven through the real Node driver.
//
// Target server: when the environment variable MONGO_TEST_URI is set (e.g.
// MONGO_TEST_URI="mongodb://localhost:27017/?replicaSet=rs0"), every test runs against that real MongoDB deployment;
// otherwise one in-process embedded server is started for the whole run with
// startEmbeddedMongo({ inMemory: true, port: 0, mode: "replset", testCommands: true }) and closed at the end.
//
// The spec test JSON files are read at run time from wherever the caller points (normally
// ../shared/mongo-spec-tests/<folder> relative to the repository root); they are never copied into this repository.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { MongoClient, MongoServerError } from "mongodb";
import { DRIVER_LIMITATIONS } from "./driver-limitations.ts";
import { createEntity, EntityMap } from "./entities.ts";
import { checkEvents } from "./events.ts";
import { checkExpectedError, NOT_IMPLEMENTED, notImplementedMessage } from "./expect-error.ts";
import {
  formatMismatches,
  type MatchEnv,
  type Mismatch,
  match,
  matchDocuments,
  matchExact,
} from "./matcher.ts";
import {
  EntityResult,
  type FailPointRecord,
  type OperationContext,
  resolveOperation,
  supportsOperation,
} from "./operations.ts";
import { discoverServer, parseVersion, type ServerInfo, unmetRequirements } from "./requirements.ts";
import { toResultDocument } from "./results.ts";
import {
  type CollectionData,
  type OperationSpec,
  SpecFailure,
  SpecSkip,
  type TestFile,
  type TestResult,
  type TestSpec,
} from "./types.ts";
import { ABSENT, isDocument, parseExtendedJson, show } from "./values.ts";

/** Highest unified-format schema version this runner accepts (major 1). */
export const SUPPORTED_SCHEMA_VERSION: readonly [number, number, number] = [1, 28, 0];

/** Options of a run. */
export interface RunOptions {
  /** Only run tests whose description contains this text (case-insensitive). */
  grep?: string;
  /** Target connection string; defaults to MONGO_TEST_URI, else an embedded server is started. */
  uri?: string;
  /** Called after each test (for streaming output). */
  onResult?: (result: TestResult) => void;
  /** Per-test time limit in milliseconds (default 60 000). */
  testTimeoutMs?: number;
}

/** Totals and per-test results of a run. */
export interface RunSummary {
  passed: number;
  failed: number;
  skipped: number;
  results: TestResult[];
}

/** The server the tests run against. */
interface Target {
  uri: string;
  embedded: boolean;
  close(): Promise<void>;
}

interface RunState {
  target: Target;
  internal: MongoClient;
  info: ServerInfo;
  failPointsSupported: boolean;
  options: RunOptions;
}

async function openTarget(uri: string | undefined): Promise<Target> {
  if (uri) return { uri, embedded: false, close: async () => undefined };
  // Loaded lazily so that a run against MONGO_TEST_URI never loads the embedded server.
  const { startEmbeddedMongo } = await import("@govinfo/embedded-mongo");
  const server = await startEmbeddedMongo({ inMemory: true, port: 0, mode: "replset", testCommands: true });
  return { uri: server.uri, embedded: true, close: () => server.close() };
}

/** Lists the .json test files of the given folders or files (sorted, non-recursive). */
export function collectFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    const full = resolve(path);
    if (statSync(full).isDirectory()) {
      for (const name of readdirSync(full).sort()) {
        if (name.endsWith(".json")) files.push(join(full, name));
      }
    } else {
      files.push(full);
    }
  }
  return files;
}

function fileLabel(file: string): string {
  return `${basename(dirname(file))}/${basename(file)}`;
}

function loadFile(file: string): TestFile {
  const parsed = parseExtendedJson(readFileSync(file, "utf8"));
  if (!isDocument(parsed) || typeof parsed.schemaVersion !== "string" || !Array.isArray(parsed.tests)) {
    throw new Error("not a unified-format test file (schemaVersion and tests are required)");
  }
  return parsed as unknown as TestFile;
}

function schemaSupported(version: string): boolean {
  const v = parseVersion(version);
  const [major, minor, patch] = SUPPORTED_SCHEMA_VERSION;
  return v[0] === major && (v[1] < minor || (v[1] === minor && v[2] <= patch));
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SpecFailure(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function describeError(error: unknown): string {
  if (error instanceof MongoServerError) {
    return `${error.name} ${error.code ?? ""} (${error.codeName ?? "?"}): ${error.message}`;
  }
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return show(error);
}

/** Walks every operation of a test (including withTransaction callbacks). */
function* allOperations(ops: readonly OperationSpec[]): Generator<OperationSpec> {
  for (const op of ops) {
    yield op;
    const callback = op.arguments?.callback;
    if (op.name === "withTransaction" && Array.isArray(callback))
      yield* allOperations(callback as OperationSpec[]);
    const nested = op.arguments?.operation;
    if (op.name === "runOnThread" && isDocument(nested))
      yield* allOperations([nested as unknown as OperationSpec]);
  }
}

/** Entity kinds by id, from the entity definitions a test will create. */
function declaredKinds(file: TestFile, test: TestSpec): Map<string, string> {
  const kinds = new Map<string, string>();
  const declare = (definitions: unknown) => {
    if (!Array.isArray(definitions)) return;
    for (const def of definitions) {
      if (!isDocument(def)) continue;
      const [type, body] = Object.entries(def)[0] ?? [];
      if (type && isDocument(body) && typeof body.id === "string") kinds.set(body.id, type);
    }
  };
  declare(file.createEntities);
  for (const op of allOperations(test.operations)) {
    if (op.name === "createEntities") declare(op.arguments?.entities);
    if (op.saveResultAsEntity && ["createFindCursor", "createCommandCursor"].includes(op.name)) {
      kinds.set(op.saveResultAsEntity, "cursor");
    }
  }
  return kinds;
}

/** A reason to skip the test because it needs something this runner does not implement, if any. */
function unsupportedFeature(file: TestFile, test: TestSpec): string | undefined {
  if (test.expectLogMessages !== undefined) return "unsupported assertion: expectLogMessages";
  if (test.expectTracingMessages !== undefined) return "unsupported assertion: expectTracingMessages";
  const kinds = declaredKinds(file, test);
  for (const op of allOperations(test.operations)) {
    const kind = op.object === "testRunner" ? "testRunner" : kinds.get(op.object);
    if (kind !== undefined && !supportsOperation(kind, op.name)) return `unsupported operation: ${op.name}`;
  }
  return undefined;
}

async function ignoreErrors(promise: Promise<unknown>): Promise<void> {
  await promise.catch(() => undefined);
}

async function setupCollections(internal: MongoClient, data: readonly CollectionData[]): Promise<void> {
  const majority = { writeConcern: { w: "majority" as const } };
  for (const c of data) {
    const db = internal.db(c.databaseName);
    try {
      await db.command({ drop: c.collectionName, ...majority });
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === 26)) throw error;
    }
    if (c.createOptions !== undefined)
      await db.command({ create: c.collectionName, ...c.createOptions, ...majority });
    if (c.documents.length > 0) {
      await db.collection(c.collectionName).insertMany(c.documents, majority);
    } else if (c.createOptions === undefined) {
      await db.command({ create: c.collectionName, ...majority });
    }
  }
}

async function checkOutcome(internal: MongoClient, outcome: readonly CollectionData[]): Promise<Mismatch[]> {
  const mismatches: Mismatch[] = [];
  for (const c of outcome) {
    const actual = await internal
      .db(c.databaseName)
      .collection(c.collectionName)
      .find({}, { sort: { _id: 1 }, readPreference: "primary", readConcern: { level: "local" } })
      .toArray();
    mismatches.push(
      ...matchExact(c.documents, actual, { path: `outcome ${c.databaseName}.${c.collectionName}` }),
    );
  }
  return mismatches;
}

async function disableFailPoint(client: MongoClient, name: string): Promise<void> {
  await client.db("admin").command({ configureFailPoint: name, mode: "off" });
}

function matchEnv(entities: EntityMap): MatchEnv {
  return {
    entity(name) {
      const entity = entities.entity(name);
      if (entity.kind !== "value")
        throw new SpecFailure(`entity "${name}" is a ${entity.kind}, not a BSON value`);
      return entity.value;
    },
    sessionLsid(name) {
      return entities.get(name, "session").lsid;
    },
  };
}

function mismatchFailure(
  label: string,
  mismatches: Mismatch[],
  expected: unknown,
  actual: unknown,
): SpecFailure {
  const first = mismatches[0]!;
  return new SpecFailure(
    `${label}: ${first.path || "<root>"}: ${first.message}`,
    `${formatMismatches(mismatches)}\n  expected: ${show(expected)}\n  actual:   ${show(actual)}`,
  );
}

/** Executes one operation and checks expectError / expectResult; saves results as entities. */
async function runOperation(
  op: OperationSpec,
  ctx: OperationContext,
  index: string,
  nested: boolean,
): Promise<void> {
  const label = `operations[${index}] ${op.object}.${op.name}`;
  const resolved = resolveOperation(op, ctx);
  const env = matchEnv(ctx.entities);
  let result: unknown;
  let error: unknown;
  let failed = false;
  try {
    result = await resolved.run();
  } catch (e) {
    if (e instanceof SpecFailure || e instanceof SpecSkip) throw e;
    failed = true;
    error = e;
  }
  if (op.ignoreResultAndError) {
    if (failed && nested) throw error;
    return;
  }
  const refused = failed ? notImplementedMessage(error) : undefined;
  if (op.expectError !== undefined) {
    if (!failed)
      throw new SpecFailure(`${label}: expected an error, got result ${show(toResultDocument(result))}`);
    if (refused !== undefined && op.expectError.errorCode !== NOT_IMPLEMENTED) {
      throw new SpecSkip(`server NotImplemented: ${refused}`);
    }
    const problems = checkExpectedError(error, op.expectError, env);
    if (problems.length > 0) {
      throw new SpecFailure(
        `${label}: ${problems[0]}`,
        `${problems.join("\n")}\n  error: ${describeError(error)}`,
      );
    }
    if (nested) throw error;
    return;
  }
  if (failed) {
    if (refused !== undefined) throw new SpecSkip(`server NotImplemented: ${refused}`);
    const stack = error instanceof Error ? error.stack : undefined;
    throw new SpecFailure(`${label}: unexpected error ${describeError(error)}`, stack);
  }
  if (op.expectResult !== undefined) {
    if (result instanceof EntityResult)
      throw new SpecFailure(`${label}: expectResult on a cursor/stream result`);
    const actual = result === undefined ? ABSENT : toResultDocument(result);
    const path = "expectResult";
    const mismatches =
      resolved.result === "documents"
        ? matchDocuments(op.expectResult, actual, { env, path })
        : match(op.expectResult, actual, { env, path });
    if (mismatches.length > 0) throw mismatchFailure(label, mismatches, op.expectResult, actual);
  }
  if (op.saveResultAsEntity !== undefined) {
    if (result instanceof EntityResult) ctx.entities.add(op.saveResultAsEntity, result.entity);
    else ctx.entities.add(op.saveResultAsEntity, { kind: "value", value: toResultDocument(result) });
  }
}

async function executeTest(
  file: TestFile,
  test: TestSpec,
  state: RunState,
  ctx: OperationContext,
): Promise<void> {
  const { internal } = state;
  // A test that fails abortTransaction/commitTransaction through a fail point leaves its transaction open on the
  // server (endSessions does not abort it on a real mongod), so end every session before each test.
  await killAllSessions(internal);
  if (state.failPointsSupported) await disableFailPoint(internal, "failCommand");
  if (file.initialData) await setupCollections(internal, file.initialData);
  for (const definition of file.createEntities ?? []) await createEntity(definition, ctx.entities, ctx.uri);
  for (const [i, op] of test.operations.entries()) await runOperation(op, ctx, String(i), false);
  ctx.entities.stopListening();
  await turnOffFailPoints(ctx.failPoints);
  const env = matchEnv(ctx.entities);
  const problems: string[] = [];
  for (const expected of test.expectEvents ?? []) {
    const client = ctx.entities.get(expected.client, "client");
    problems.push(...checkEvents(expected, { command: client.commandEvents, cmap: client.cmapEvents }, env));
  }
  if (problems.length > 0) throw new SpecFailure(problems[0]!.split("\n")[0]!, problems.join("\n"));
  if (test.outcome) {
    const mismatches = await checkOutcome(internal, test.outcome);
    if (mismatches.length > 0) {
      const first = mismatches[0]!;
      throw new SpecFailure(`${first.path}: ${first.message}`, formatMismatches(mismatches));
    }
  }
}

async function turnOffFailPoints(failPoints: FailPointRecord[]): Promise<void> {
  const pending = failPoints.splice(0);
  const seen = new Set<string>();
  for (const fp of pending) {
    if (seen.has(fp.name)) continue;
    seen.add(fp.name);
    await ignoreErrors(disableFailPoint(fp.client, fp.name));
  }
}

async function killAllSessions(internal: MongoClient): Promise<void> {
  await ignoreErrors(internal.db("admin").command({ killAllSessions: [] }));
}

async function runTest(file: TestFile, label: string, test: TestSpec, state: RunState): Promise<TestResult> {
  const started = Date.now();
  const result = (status: TestResult["status"], reason?: string, details?: string): TestResult => ({
    file: label,
    description: test.description,
    status,
    reason,
    details,
    durationMs: Date.now() - started,
  });
  if (test.skipReason !== undefined) return result("skip", `skipReason: ${test.skipReason}`);
  const limitation = DRIVER_LIMITATIONS[test.description];
  if (limitation !== undefined) return result("skip", limitation);
  const unmet = await unmetRequirements(test.runOnRequirements, state.info);
  if (unmet !== undefined) return result("skip", unmet);
  const unsupported = unsupportedFeature(file, test);
  if (unsupported !== undefined) return result("skip", unsupported);

  const entities = new EntityMap();
  const ctx: OperationContext = {
    entities,
    internal: state.internal,
    uri: state.target.uri,
    failPoints: [],
    runNested: async (ops) => {
      for (const [i, op] of ops.entries()) await runOperation(op, ctx, `callback ${i}`, true);
    },
  };
  let outcome: TestResult;
  try {
    await withTimeout(executeTest(file, test, state, ctx), state.options.testTimeoutMs ?? 60_000, "test");
    outcome = result("ok");
  } catch (error) {
    if (error instanceof SpecSkip) outcome = result("skip", error.message);
    else if (error instanceof SpecFailure) outcome = result("FAIL", error.message, error.details);
    else {
      const refused = notImplementedMessage(error);
      if (refused !== undefined) outcome = result("skip", `server NotImplemented: ${refused}`);
      else {
        const stack = error instanceof Error ? error.stack : undefined;
        outcome = result("FAIL", `setup/teardown error: ${describeError(error)}`, stack);
      }
    }
  } finally {
    entities.stopListening();
    await ignoreErrors(withTimeout(entities.close(), 10_000, "closing entities"));
    await ignoreErrors(withTimeout(turnOffFailPoints(ctx.failPoints), 10_000, "disabling fail points"));
  }
  if (outcome.status === "FAIL")
    await ignoreErrors(withTimeout(killAllSessions(state.internal), 10_000, "killAllSessions"));
  return { ...outcome, durationMs: Date.now() - started };
}

async function runFile(path: string, state: RunState, results: TestResult[]): Promise<void> {
  const label = fileLabel(path);
  const grep = state.options.grep?.toLowerCase();
  const emit = (r: TestResult) => {
    results.push(r);
    state.options.onResult?.(r);
  };
  let file: TestFile;
  try {
    file = loadFile(path);
  } catch (error) {
    emit({ file: label, description: "(load)", status: "FAIL", reason: describeError(error), durationMs: 0 });
    return;
  }
  const tests = file.tests.filter((t) => grep === undefined || t.description.toLowerCase().includes(grep));
  if (tests.length === 0) return;
  if (!schemaSupported(file.schemaVersion)) {
    for (const t of tests) {
      emit({
        file: label,
        description: t.description,
        status: "FAIL",
        reason: `unsupported schemaVersion ${file.schemaVersion} (runner supports ${SUPPORTED_SCHEMA_VERSION.join(".")})`,
        durationMs: 0,
      });
    }
    return;
  }
  const unmet = await unmetRequirements(file.runOnRequirements, state.info);
  for (const test of tests) {
    if (unmet !== undefined) {
      emit({ file: label, description: test.description, status: "skip", reason: unmet, durationMs: 0 });
      continue;
    }
    emit(await runTest(file, label, test, state));
  }
}

async function probeFailPoints(internal: MongoClient): Promise<boolean> {
  try {
    await disableFailPoint(internal, "failCommand");
    return true;
  } catch {
    return false;
  }
}

/** Runs every test of the given folders (or single .json files) and returns the totals and per-test results. */
export async function runFolders(folders: readonly string[], options: RunOptions = {}): Promise<RunSummary> {
  const files = collectFiles(folders);
  const target = await openTarget(options.uri ?? process.env.MONGO_TEST_URI);
  const results: TestResult[] = [];
  const internal = new MongoClient(target.uri);
  try {
    await internal.connect();
    const info = await discoverServer(internal, target.uri);
    await killAllSessions(internal);
    const failPointsSupported = await probeFailPoints(internal);
    const state: RunState = { target, internal, info, failPointsSupported, options };
    for (const file of files) await runFile(file, state, results);
  } finally {
    await ignoreErrors(internal.close());
    await target.close();
  }
  const count = (status: TestResult["status"]) => results.filter((r) => r.status === status).length;
  return { passed: count("ok"), failed: count("FAIL"), skipped: count("skip"), results };
}
