/**
 * Crash safety of the embedded server (design §6.11, §8 E): a writer sends acknowledged inserts,
 * batches and $inc updates to a CLI child on a real dbPath, the child is killed with SIGKILL at a
 * random moment, restarted, and the recovered data is checked against what the writer knows:
 *
 * - every acknowledged document is present with exactly the content that was sent (types and
 *   field order included, compared as canonical Extended JSON);
 * - the one operation that was in flight at the kill is all-or-nothing: an insertMany batch is one
 *   journal record, so its documents are all present or all absent; the counter equals the acked
 *   $inc count, or one more when an $inc was in flight; whatever recovery decided stays decided;
 * - nothing else appears (no failed duplicate insert, no doc that was never sent);
 * - the unique index is still listed and still enforced (a duplicate of an acked key → 11000).
 *
 * The randomness is seeded: `CRASH_SEED=<n>` replays a run; the seed is printed as a diagnostic and
 * repeated in every failure message, together with the log of every cycle and its in-flight op.
 * Every cycle proves it tested something: the kill countdown starts only once MIN_ACKED_PER_CYCLE ops
 * were acknowledged in that cycle, and the cycle asserts that many (as the app-level kill test does).
 * The server listens on its data directory's Unix socket only (`--port none`), as the app's does.
 * `CRASH_CYCLES=<n>` changes the number of kills (default 20); `CRASH_KEEP=1` keeps the dbPath;
 * `CRASH_WRITERS=<n>` runs n writers at once (default 1), each with its own op in flight.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { randomInt } from "node:crypto";
import { test } from "node:test";
import { createRandom } from "@govinfo/shared/random";
import { BSON, type Collection, type Document, MongoClient, MongoServerError, ObjectId } from "mongodb";
import { repoRoot } from "../support/serverProcess.ts";
import { createTempDir } from "../support/tempDir.ts";

const CYCLES = Number(process.env.CRASH_CYCLES ?? 20);
/** Concurrent writers; more than one puts several records into one group commit. */
const WRITERS = Number(process.env.CRASH_WRITERS ?? 1);
const SEED = Number(process.env.CRASH_SEED ?? randomInt(1, 2 ** 31));
const KILL_MIN_MS = 50;
const KILL_MAX_MS = 400;
/** Acknowledged ops each cycle must have before its kill (the countdown starts at the last of them). */
const MIN_ACKED_PER_CYCLE = 5;
const DB = "crash";
const COLL = "docs";
const COUNTER_ID = "counter";

/** Documents are ObjectId-keyed; the one counter doc has a string _id. */
type Doc = Document & { _id: ObjectId | string };

/**
 * Independent streams, so a replay with the same seed gets the same kill delays and the same op
 * sequence even though the number of ops that fit before each kill depends on timing.
 */
type Rand = () => number;
const delays = createRandom(SEED).next;
const ops = createRandom(SEED ^ 0x5bd1e995).next;
const probes = createRandom(SEED ^ 0x27d4eb2f).next;
const int = (rand: Rand, min: number, max: number): number => min + Math.floor(rand() * (max - min + 1));
const hex = (rand: Rand, bytes: number): string =>
  Array.from({ length: bytes }, () =>
    Math.floor(rand() * 256)
      .toString(16)
      .padStart(2, "0"),
  ).join("");

/** Canonical Extended JSON keeps BSON types and field order, so equal strings mean identical docs. */
const canonical = (doc: Document): string => BSON.EJSON.stringify(doc, { relaxed: false });

type Op =
  | { kind: "insertOne"; docs: Doc[] }
  | { kind: "insertMany"; docs: Doc[] }
  | { kind: "inc" }
  | { kind: "duplicate"; key: string };

const describe = (op: Op | null): string => {
  if (op === null) return "none";
  if (op.kind === "inc") return "updateOne $inc counter";
  if (op.kind === "duplicate") return `insertOne duplicate key ${op.key} (expects 11000)`;
  const keys = op.docs.map((d) => String(d.key));
  return `${op.kind} of ${keys.length} [${keys.length > 6 ? `${keys.slice(0, 3).join(", ")}, …, ${keys.at(-1)}` : keys.join(", ")}]`;
};

/** What the writer knows for sure, across all cycles. */
class Expected {
  /** _id hex → canonical EJSON of every doc that must exist. */
  readonly present = new Map<string, string>();
  /** key values of acked docs, for duplicate probes. */
  readonly keys: string[] = [];
  /** _id hex of docs that were sent but recovery decided are absent; they must never appear. */
  readonly absent = new Set<string>();
  counter = 0;
  /** Number of documents confirmed through an ack, and through recovery of an in-flight op. */
  ackedDocs = 0;
  ackedIncs = 0;
  recoveredInFlight = 0;

  accept(docs: Document[]): void {
    for (const doc of docs) {
      this.present.set((doc._id as ObjectId).toHexString(), canonical(doc));
      this.keys.push(doc.key as string);
    }
  }
}

interface CycleLog {
  cycle: number;
  killDelayMs: number;
  opsAcked: number;
  docsAcked: number;
  incsAcked: number;
  /** The ops sent but not acknowledged when the kill was sent (one per writer at most). */
  inFlight: string[];
  /** What recovery made of each of them. */
  inFlightOutcome?: string[];
}

interface Child {
  proc: ChildProcess;
  uri: string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function startChild(dbPath: string): Promise<Child> {
  const proc = spawn(
    process.execPath,
    ["--import", "tsx", "server/embedded-mongo/src/cli.ts", "--dbpath", dbPath, "--port", "none"],
    {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", TZ: "Asia/Shanghai" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  proc.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.once("exit", (code, signal) => resolve({ code, signal }));
  });
  const uri = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill("SIGKILL");
      reject(new Error(`no ready line within 20 s\nstderr:\n${stderr}`));
    }, 20_000);
    proc.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      const match = /^ready (\S+)$/m.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (code ${code}, signal ${signal}) before ready\nstderr:\n${stderr}`));
    });
  });
  return { proc, uri, stderr: () => stderr, exited };
}

function connect(uri: string): MongoClient {
  return new MongoClient(uri, {
    retryWrites: false,
    retryReads: false,
    maxPoolSize: WRITERS,
    serverSelectionTimeoutMS: 5_000,
    connectTimeoutMS: 5_000,
    socketTimeoutMS: 20_000,
  });
}

/** Closes a client whose server may be dead; never waits more than 2 s. */
async function closeQuietly(client: MongoClient): Promise<void> {
  await Promise.race([client.close().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 2_000))]);
}

let serial = 0;
function newDoc(cycle: number, batch: string | null): Doc {
  serial++;
  const doc: Doc = {
    _id: new ObjectId(hex(ops, 12)),
    key: `k-${cycle}-${serial}-${hex(ops, 3)}`,
    cycle,
    serial,
    batch,
    payload: hex(ops, int(ops, 4, 48)),
    score: int(ops, 0, 1_000_000) + 0.25,
    count: int(ops, -1000, 1000),
    at: new Date(1_700_000_000_000 + serial * 1000),
    tags: Array.from({ length: int(ops, 0, 3) }, () => hex(ops, 2)),
    nested: { a: serial, b: { c: `s${serial}`, flag: serial % 2 === 0 } },
  };
  return doc;
}

function nextOp(cycle: number, expected: Expected): Op {
  const r = ops();
  if (r < 0.4) return { kind: "insertOne", docs: [newDoc(cycle, null)] };
  if (r < 0.65) {
    const batch = `b-${cycle}-${serial + 1}`;
    // Mostly small batches; now and then a big one, so a kill can land inside a larger record write.
    const size = ops() < 0.1 ? int(ops, 50, 200) : int(ops, 2, 6);
    return { kind: "insertMany", docs: Array.from({ length: size }, () => newDoc(cycle, batch)) };
  }
  if (r < 0.95 || expected.keys.length === 0) return { kind: "inc" };
  return { kind: "duplicate", key: expected.keys[int(ops, 0, expected.keys.length - 1)]! };
}

/**
 * Recovered state against expectations. Resolves the previous in-flight op (its outcome then
 * becomes part of what must hold from now on) and returns how many documents were compared.
 */
async function verify(
  coll: Collection<Doc>,
  expected: Expected,
  inFlight: readonly Op[],
  log: CycleLog | undefined,
): Promise<number> {
  const docs = await coll.find({}).toArray();
  const found = new Map<string, string>();
  let counter: Document | undefined;
  for (const doc of docs) {
    if (doc._id === COUNTER_ID) {
      counter = doc;
      continue;
    }
    assert.ok(doc._id instanceof ObjectId, `unexpected _id ${String(doc._id)}`);
    found.set(doc._id.toHexString(), canonical(doc));
  }

  // The ops in flight at the kill: each all or nothing, then settled.
  const outcomes: string[] = [];
  for (const op of inFlight) {
    if (op.kind === "insertOne" || op.kind === "insertMany") {
      const ids = op.docs.map((doc) => (doc._id as ObjectId).toHexString());
      const here = ids.filter((id) => found.has(id));
      assert.ok(
        here.length === 0 || here.length === ids.length,
        `in-flight ${describe(op)} half-applied: ${here.length} of ${ids.length} docs recovered (${here.join(", ")})`,
      );
      if (here.length === ids.length) {
        for (const doc of op.docs) {
          const id = (doc._id as ObjectId).toHexString();
          assert.equal(found.get(id), canonical(doc), `in-flight doc ${id} recovered with different content`);
        }
        expected.accept(op.docs);
        expected.recoveredInFlight += ids.length;
        outcomes.push(`applied (${ids.length} docs)`);
      } else {
        for (const id of ids) expected.absent.add(id);
        outcomes.push("absent");
      }
    } else if (op.kind === "duplicate") {
      outcomes.push("no trace expected");
    }
  }
  assert.ok(counter, "counter document missing");
  const n = counter.n as number;
  const incs = inFlight.filter((op) => op.kind === "inc").length;
  assert.ok(
    n >= expected.counter && n <= expected.counter + incs,
    `counter is ${n}; acked $inc count is ${expected.counter} with ${incs} $inc in flight`,
  );
  if (incs > 0) outcomes.push(`$inc: ${n - expected.counter} of ${incs} applied`);
  expected.counter = n;
  if (log) log.inFlightOutcome = outcomes;

  // Every acked (or settled) doc, exactly; nothing else.
  for (const [id, doc] of expected.present) {
    const got = found.get(id);
    assert.ok(got !== undefined, `acked doc ${id} lost: ${doc}`);
    assert.equal(got, doc, `acked doc ${id} changed`);
  }
  for (const [id, doc] of found) {
    if (expected.present.has(id)) continue;
    assert.fail(
      expected.absent.has(id)
        ? `doc ${id} reappeared after recovery had dropped it: ${doc}`
        : `unexpected doc ${id}: ${doc}`,
    );
  }
  assert.equal(found.size, expected.present.size);

  // The unique index survived and is enforced.
  const indexes = await coll.listIndexes().toArray();
  const unique = indexes.find((index) => index.name === "key_1");
  assert.ok(unique, `unique index key_1 missing from listIndexes: ${JSON.stringify(indexes)}`);
  assert.deepEqual(unique.key, { key: 1 });
  assert.equal(unique.unique, true);
  // Lookups through the index find exactly the recovered doc (the rebuilt index matches the data).
  const byKey = new Map<string, string>();
  for (const [id, doc] of expected.present) byKey.set(JSON.parse(doc).key as string, id);
  for (let i = 0; i < Math.min(20, expected.keys.length); i++) {
    const key = expected.keys[int(probes, 0, expected.keys.length - 1)]!;
    const hits = await coll.find({ key }).toArray();
    assert.deepEqual(
      hits.map((hit) => (hit._id as ObjectId).toHexString()),
      [byKey.get(key)],
      `find by unique key ${key} after recovery`,
    );
  }
  if (expected.keys.length > 0) {
    const key = expected.keys[int(probes, 0, expected.keys.length - 1)]!;
    await assert.rejects(
      coll.insertOne({ _id: new ObjectId(hex(probes, 12)), key, probe: true }),
      (error: unknown) => error instanceof MongoServerError && error.code === 11000,
      `duplicate of acked key ${key} was not rejected with 11000`,
    );
  }
  return expected.present.size;
}

test(`embedded server keeps every acked write across ${CYCLES} SIGKILLs (seed ${SEED})`, {
  timeout: 240_000,
}, async (t) => {
  t.diagnostic(`seed ${SEED} (rerun with CRASH_SEED=${SEED})`);
  const dir = await createTempDir("crash");
  const expected = new Expected();
  const logs: CycleLog[] = [];
  let child: Child | undefined;
  let totalChecked = 0;
  let phase = "starting";
  const context = () =>
    `failed while ${phase}; seed ${SEED} (CRASH_SEED=${SEED}), dbPath ${dir.path}` +
    `${process.env.CRASH_KEEP ? " (kept)" : " (set CRASH_KEEP=1 to keep it)"}\n` +
    logs.map((l) => JSON.stringify(l)).join("\n") +
    (child ? `\nserver stderr:\n${child.stderr()}` : "");
  try {
    /** Ops sent and not (yet) acknowledged; what is left of them at the kill is settled by verify. */
    const inFlight = new Set<Op>();
    for (let cycle = 0; cycle <= CYCLES; cycle++) {
      phase = `starting the server for cycle ${cycle}`;
      child = await startChild(dir.path);
      const client = connect(child.uri);
      try {
        const coll = client.db(DB).collection<Doc>(COLL);
        if (cycle === 0) {
          await coll.createIndex({ key: 1 }, { unique: true });
          await coll.insertOne({ _id: COUNTER_ID, n: 0 });
        } else {
          phase = `verifying the restart after the kill in cycle ${cycle - 1}`;
          totalChecked += await verify(coll, expected, [...inFlight], logs.at(-1));
          inFlight.clear();
        }
        if (cycle === CYCLES) {
          // Last round: stop cleanly, then recover once more from a clean shutdown.
          phase = "stopping with SIGTERM and verifying the clean restart";
          await closeQuietly(client);
          child.proc.kill("SIGTERM");
          const { code } = await child.exited;
          assert.equal(code, 0, "SIGTERM should exit 0");
          child = await startChild(dir.path);
          const again = connect(child.uri);
          try {
            totalChecked += await verify(again.db(DB).collection<Doc>(COLL), expected, [], undefined);
          } finally {
            await closeQuietly(again);
          }
          child.proc.kill("SIGTERM");
          assert.equal((await child.exited).code, 0, "SIGTERM should exit 0");
          child = undefined;
          break;
        }

        const log: CycleLog = {
          cycle,
          killDelayMs: int(delays, KILL_MIN_MS, KILL_MAX_MS),
          opsAcked: 0,
          docsAcked: 0,
          incsAcked: 0,
          inFlight: [],
        };
        logs.push(log);
        phase = `writing in cycle ${cycle}`;
        let killed = false;
        let failed = false;
        let serverDied = false;
        const proc = child.proc;
        void child.exited.then(() => {
          if (!killed) serverDied = true;
        });
        let atKill: Op[] = [];
        let timer: NodeJS.Timeout | undefined;
        /** Starts the countdown to the kill once the cycle has its minimum of acknowledged ops. */
        const acknowledged = () => {
          if (log.opsAcked < MIN_ACKED_PER_CYCLE) return;
          timer ??= setTimeout(() => {
            killed = true;
            atKill = [...inFlight];
            log.inFlight = atKill.map(describe);
            proc.kill("SIGKILL");
          }, log.killDelayMs);
        };
        const writer = async (): Promise<void> => {
          while (!killed && !failed) {
            const op = nextOp(cycle, expected);
            inFlight.add(op);
            try {
              if (op.kind === "insertOne") {
                await coll.insertOne(op.docs[0]!);
              } else if (op.kind === "insertMany") {
                const result = await coll.insertMany(op.docs);
                assert.equal(result.insertedCount, op.docs.length);
              } else if (op.kind === "inc") {
                const result = await coll.updateOne({ _id: COUNTER_ID }, { $inc: { n: 1 } });
                assert.equal(result.modifiedCount, 1);
              } else {
                await assert.rejects(
                  coll.insertOne({ _id: new ObjectId(hex(ops, 12)), key: op.key, duplicate: true }),
                  (error: unknown) => {
                    if (killed) throw error;
                    return error instanceof MongoServerError && error.code === 11000;
                  },
                );
              }
            } catch (error) {
              if (killed) return; // the kill interrupted this op: it stays in flight
              failed = true;
              if (serverDied)
                throw new Error(`server died on its own during ${describe(op)}: ${String(error)}`);
              throw error;
            }
            // Acknowledged.
            inFlight.delete(op);
            log.opsAcked++;
            if (op.kind === "inc") {
              expected.counter++;
              expected.ackedIncs++;
              log.incsAcked++;
            } else if (op.kind !== "duplicate") {
              expected.accept(op.docs);
              expected.ackedDocs += op.docs.length;
              log.docsAcked += op.docs.length;
            }
            acknowledged();
          }
        };
        try {
          await Promise.all(Array.from({ length: WRITERS }, writer));
        } finally {
          clearTimeout(timer);
        }
        const { signal } = await child.exited;
        assert.equal(signal, "SIGKILL", `server ended with ${signal} instead of our SIGKILL`);
        assert.ok(
          log.opsAcked >= MIN_ACKED_PER_CYCLE,
          `cycle ${cycle} had ${log.opsAcked} acknowledged ops before its kill, fewer than ${MIN_ACKED_PER_CYCLE}`,
        );
        // An op whose ack was already on its way when the kill was sent counts as acked.
        log.inFlight = atKill.map((op, i) =>
          inFlight.has(op) ? log.inFlight[i]! : `${log.inFlight[i]} (acked after the kill was sent)`,
        );
      } finally {
        await closeQuietly(client);
      }
    }
    const totalOps = logs.reduce((sum, l) => sum + l.opsAcked, 0);
    t.diagnostic(
      `${CYCLES} kills, ${totalOps} acked ops (${expected.ackedDocs} docs, ${expected.ackedIncs} $inc), ` +
        `${expected.recoveredInFlight} in-flight docs recovered, ${expected.absent.size} in-flight docs absent, ` +
        `${totalChecked} doc checks, final ${expected.present.size} docs, counter ${expected.counter}`,
    );
    for (const l of logs) t.diagnostic(JSON.stringify(l));
  } catch (error) {
    if (error instanceof Error) error.message += `\n${context()}`;
    throw error;
  } finally {
    if (child && child.proc.exitCode === null && child.proc.signalCode === null) {
      child.proc.kill("SIGKILL");
      await child.exited;
    }
    if (!process.env.CRASH_KEEP) await dir.remove();
  }
});
