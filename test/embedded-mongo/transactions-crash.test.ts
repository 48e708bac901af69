/**
 * Crash safety of transactions (design §6.10 commit path, §6.11, §8 E.4): several writers run
 * transactions against a CLI child on a real dbPath, each inserting a batch of N documents tagged with
 * the transaction's id into two collections and `$inc`-ing the writer's counter document, all through
 * the driver's `session.withTransaction`. The child is killed with SIGKILL at a random moment, restarted,
 * and the recovered data is checked:
 *
 * - every transaction is all or nothing: its documents are in both collections (exactly as sent) or in
 *   neither, never some of them;
 * - every transaction whose commit was acknowledged is present;
 * - each writer's counter equals the number of its transactions that are present;
 * - what a restart decided about an unacknowledged transaction stays decided, and nothing else appears.
 *
 * The randomness is seeded: `TXN_CRASH_SEED=<n>` replays a run (the seed is printed as a diagnostic and
 * repeated in every failure message with the log of each cycle). `TXN_CRASH_CYCLES` (default 16) and
 * `TXN_CRASH_WRITERS` (default 3) change the shape; `TXN_CRASH_KEEP=1` keeps the dbPath. Every cycle
 * starts its kill countdown only after MIN_ACKED_PER_CYCLE acknowledged commits, and asserts them.
 */
import assert from "node:assert/strict";
import { randomInt } from "node:crypto";
import { test } from "node:test";
import { createRandom } from "@govinfo/shared/random";
import { BSON, type Collection, type Document, MongoClient } from "mongodb";
import { type CliProcess, spawnCli, tempDir } from "./support.ts";

const CYCLES = Number(process.env.TXN_CRASH_CYCLES ?? 16);
const WRITERS = Number(process.env.TXN_CRASH_WRITERS ?? 3);
const SEED = Number(process.env.TXN_CRASH_SEED ?? randomInt(1, 2 ** 31));
const KILL_MIN_MS = 60;
const KILL_MAX_MS = 450;
/** Acknowledged commits each cycle must have before its kill (the countdown starts at the last of them). */
const MIN_ACKED_PER_CYCLE = 3;
/** How long after the kill a commit reply may still arrive and count as acknowledged. */
const LATE_ACK_MS = 150;
const DB = "txncrash";

type Rand = () => number;
const int = (rand: Rand, min: number, max: number): number => min + Math.floor(rand() * (max - min + 1));
const hex = (rand: Rand, bytes: number): string =>
  Array.from({ length: bytes }, () =>
    Math.floor(rand() * 256)
      .toString(16)
      .padStart(2, "0"),
  ).join("");
/** Kill delays come from their own stream; each writer has its own stream of batch sizes and payloads. */
const delays = createRandom(SEED).next;
const writerRand = Array.from(
  { length: WRITERS },
  (_, w) => createRandom((SEED ^ (0x9e3779b9 * (w + 1))) >>> 0).next,
);

/** Canonical Extended JSON keeps BSON types and field order, so equal strings mean identical docs. */
const canonical = (doc: Document): string => BSON.EJSON.stringify(doc, { relaxed: false });

type Status = "acked" | "in doubt" | "present" | "absent";

/** One transaction a writer attempted. */
interface Txn {
  id: string;
  writer: number;
  /** Documents for collection a and b (same count). */
  a: Document[];
  b: Document[];
  status: Status;
}

interface CycleLog {
  cycle: number;
  killDelayMs: number;
  acked: number;
  inDoubt: string[];
  outcome?: string[];
}

const counterId = (writer: number) => `w${writer}`;

function newTxn(writer: number, seq: number, cycle: number): Txn {
  const rand = writerRand[writer]!;
  const id = `w${writer}-t${seq}`;
  const n = int(rand, 1, 8);
  const make = (coll: string, i: number): Document => ({
    _id: `${id}-${coll}${i}`,
    txn: id,
    writer,
    cycle,
    i,
    payload: hex(rand, int(rand, 4, 64)),
    score: int(rand, 0, 1_000_000) + 0.5,
  });
  return {
    id,
    writer,
    a: Array.from({ length: n }, (_, i) => make("a", i)),
    b: Array.from({ length: n }, (_, i) => make("b", i)),
    status: "in doubt",
  };
}

function connect(uri: string): MongoClient {
  return new MongoClient(uri, {
    maxPoolSize: WRITERS + 2,
    serverSelectionTimeoutMS: 2_000,
    connectTimeoutMS: 2_000,
    socketTimeoutMS: 10_000,
  });
}

/**
 * Closes a client whose server may be dead. The close waits for operations stuck in server selection
 * (up to serverSelectionTimeoutMS), so it runs in the background; the test awaits them all at the end.
 */
const closing: Promise<void>[] = [];
function closeQuietly(client: MongoClient): void {
  let timer: NodeJS.Timeout | undefined;
  const closed = client.close(true).catch(() => {});
  const gaveUp = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, 5_000);
  });
  closing.push(Promise.race([closed, gaveUp]).finally(() => clearTimeout(timer)));
}

/**
 * Checks the recovered state against every transaction attempted so far and settles the ones in doubt.
 * @returns the number of documents compared.
 */
async function verify(
  client: MongoClient,
  txns: Map<string, Txn>,
  log: CycleLog | undefined,
): Promise<number> {
  const db = client.db(DB);
  const byTxn = async (name: string) => {
    const found = new Map<string, Map<string, string>>();
    for (const doc of await db.collection(name).find({}).toArray()) {
      const id = String(doc.txn);
      assert.ok(txns.has(id), `${name}: document ${canonical(doc)} belongs to no transaction that was sent`);
      let docs = found.get(id);
      if (!docs) {
        docs = new Map();
        found.set(id, docs);
      }
      docs.set(String(doc._id), canonical(doc));
    }
    return found;
  };
  const foundA = await byTxn("a");
  const foundB = await byTxn("b");
  const outcomes: string[] = [];
  const presentPerWriter = Array.from({ length: WRITERS }, () => 0);
  let compared = 0;
  for (const txn of txns.values()) {
    const gotA = foundA.get(txn.id) ?? new Map<string, string>();
    const gotB = foundB.get(txn.id) ?? new Map<string, string>();
    const n = txn.a.length;
    const partial = `transaction ${txn.id} (${txn.status}) partially recovered: ${gotA.size}/${n} docs in a, ${gotB.size}/${n} in b`;
    const here = gotA.size + gotB.size > 0;
    if (here) assert.ok(gotA.size === n && gotB.size === n, partial);
    else assert.ok(gotA.size === 0 && gotB.size === 0, partial);
    if (txn.status === "in doubt") {
      txn.status = here ? "present" : "absent";
      outcomes.push(`${txn.id}: ${txn.status}`);
    }
    if (txn.status === "acked" || txn.status === "present") {
      assert.ok(here, `transaction ${txn.id} (${txn.status}) lost: none of its ${2 * n} documents recovered`);
      for (const [coll, docs, got] of [
        ["a", txn.a, gotA],
        ["b", txn.b, gotB],
      ] as const) {
        for (const doc of docs) {
          assert.equal(got.get(String(doc._id)), canonical(doc), `${coll}: ${doc._id} of ${txn.id} differs`);
          compared++;
        }
      }
      presentPerWriter[txn.writer]!++;
    } else {
      assert.ok(!here, `transaction ${txn.id} reappeared after a restart had found it absent`);
    }
  }
  const counters = await db
    .collection<{ _id: string; n: number }>("counters")
    .find({})
    .sort({ _id: 1 })
    .toArray();
  assert.deepEqual(
    counters.map((c) => [c._id, c.n]),
    presentPerWriter.map((n, w) => [counterId(w), n]),
    "each writer's counter equals the number of its present transactions",
  );
  if (log) log.outcome = outcomes;
  return compared;
}

test(`transactions are all-or-nothing across ${CYCLES} SIGKILLs with ${WRITERS} writers (seed ${SEED})`, {
  timeout: 180_000,
}, async (t) => {
  t.diagnostic(`seed ${SEED} (rerun with TXN_CRASH_SEED=${SEED})`);
  const dir = await tempDir("txncrash");
  const txns = new Map<string, Txn>();
  const logs: CycleLog[] = [];
  const seqs = Array.from({ length: WRITERS }, () => 0);
  let cli: CliProcess | undefined;
  let phase = "starting";
  let compared = 0;
  const started = performance.now();
  const context = () =>
    `failed while ${phase}; seed ${SEED} (TXN_CRASH_SEED=${SEED}), dbPath ${dir.path}` +
    `${process.env.TXN_CRASH_KEEP ? " (kept)" : " (set TXN_CRASH_KEEP=1 to keep it)"}\n` +
    logs.map((l) => JSON.stringify(l)).join("\n") +
    (cli ? `\nserver stderr:\n${cli.stderr()}` : "");
  try {
    for (let cycle = 0; cycle <= CYCLES; cycle++) {
      phase = `starting the server for cycle ${cycle}`;
      cli = spawnCli(["--dbpath", dir.path, "--port", "0", "--test-commands"], 20_000);
      const uri = await cli.ready;
      const client = connect(uri);
      try {
        const db = client.db(DB);
        if (cycle === 0) {
          await db.createCollection("a");
          await db.createCollection("b");
          await db
            .collection<{ _id: string; n: number }>("counters")
            .insertMany(Array.from({ length: WRITERS }, (_, w) => ({ _id: counterId(w), n: 0 })));
        } else {
          phase = `verifying the restart after the kill in cycle ${cycle - 1}`;
          compared += await verify(client, txns, logs.at(-1));
        }
        if (cycle === CYCLES) {
          // Last round: a clean shutdown (checkpoint) and one more recovery from it.
          phase = "stopping with SIGTERM and verifying the clean restart";
          closeQuietly(client);
          assert.equal((await cli.stop("SIGTERM")).code, 0, "SIGTERM should exit 0");
          cli = spawnCli(["--dbpath", dir.path, "--port", "0", "--test-commands"], 20_000);
          const again = connect(await cli.ready);
          try {
            compared += await verify(again, txns, undefined);
          } finally {
            closeQuietly(again);
          }
          assert.equal((await cli.stop("SIGTERM")).code, 0, "SIGTERM should exit 0");
          cli = undefined;
          break;
        }

        const log: CycleLog = {
          cycle,
          killDelayMs: int(delays, KILL_MIN_MS, KILL_MAX_MS),
          acked: 0,
          inDoubt: [],
        };
        logs.push(log);
        phase = `running transactions in cycle ${cycle}`;
        const a = db.collection("a");
        const b = db.collection("b");
        const counters: Collection<{ _id: string; n: number }> = db.collection("counters");
        let killed = false;
        let signalKill: () => void = () => {};
        const killedPromise = new Promise<void>((resolve) => {
          signalKill = resolve;
        });
        const child = cli.child;
        let diedOnItsOwn = false;
        void cli.exited.then(() => {
          if (!killed) diedOnItsOwn = true;
        });
        let timer: NodeJS.Timeout | undefined;
        /** Starts the countdown to the kill once the cycle has its minimum of acknowledged commits. */
        const acknowledged = () => {
          if (log.acked < MIN_ACKED_PER_CYCLE) return;
          timer ??= setTimeout(() => {
            killed = true;
            child.kill("SIGKILL");
            signalKill();
          }, log.killDelayMs);
        };
        const lateAck = killedPromise.then(
          () => new Promise<void>((resolve) => setTimeout(resolve, LATE_ACK_MS)),
        );

        const writer = async (w: number): Promise<void> => {
          const session = client.startSession();
          while (!killed) {
            const txn = newTxn(w, ++seqs[w]!, cycle);
            txns.set(txn.id, txn);
            let outcome: { ok: true } | { ok: false; error: unknown } | undefined;
            const attempt = session
              .withTransaction(async (s) => {
                await a.insertMany(txn.a, { session: s });
                await b.insertMany(txn.b, { session: s });
                const inc = await counters.updateOne(
                  { _id: counterId(w) },
                  { $inc: { n: 1 } },
                  { session: s },
                );
                assert.equal(inc.matchedCount, 1, `counter ${counterId(w)} not found`);
              })
              .then(
                () => {
                  outcome = { ok: true };
                },
                (error: unknown) => {
                  outcome = { ok: false, error };
                },
              );
            await Promise.race([attempt, lateAck]);
            if (outcome?.ok) {
              // The server replies to commitTransaction only after its journal record is fsync'd.
              txn.status = "acked";
              log.acked++;
              acknowledged();
              continue;
            }
            if (!killed) {
              const error = outcome && !outcome.ok ? outcome.error : new Error("no outcome");
              throw new Error(
                `${diedOnItsOwn ? "the server died on its own; " : ""}transaction ${txn.id} failed before the kill: ${String(error)}`,
              );
            }
            log.inDoubt.push(txn.id);
            return; // killed: this one is settled by the next restart
          }
        };
        try {
          await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
        } finally {
          clearTimeout(timer);
        }
        const exit = await cli.exited;
        assert.equal(
          exit.signal,
          "SIGKILL",
          `server ended with ${JSON.stringify(exit)} instead of our SIGKILL`,
        );
        assert.ok(
          log.acked >= MIN_ACKED_PER_CYCLE,
          `cycle ${cycle} had ${log.acked} acknowledged transactions before its kill, fewer than ${MIN_ACKED_PER_CYCLE}`,
        );
      } finally {
        closeQuietly(client);
      }
    }
    const counts = { acked: 0, present: 0, absent: 0 };
    for (const txn of txns.values()) {
      if (txn.status === "acked") counts.acked++;
      else if (txn.status === "present") counts.present++;
      else if (txn.status === "absent") counts.absent++;
    }
    assert.equal(counts.acked + counts.present + counts.absent, txns.size, "every transaction settled");
    assert.ok(counts.acked >= CYCLES, `only ${counts.acked} acknowledged transactions in ${CYCLES} cycles`);
    t.diagnostic(
      `${CYCLES} kills in ${((performance.now() - started) / 1000).toFixed(1)} s: ${txns.size} transactions ` +
        `(${counts.acked} acked, ${counts.present} unacked but committed, ${counts.absent} absent), ` +
        `${compared} document checks`,
    );
    for (const l of logs) t.diagnostic(JSON.stringify(l));
  } catch (error) {
    if (error instanceof Error) error.message += `\n${context()}`;
    throw error;
  } finally {
    if (cli) await cli.stop("SIGKILL");
    await Promise.all(closing);
    if (!process.env.TXN_CRASH_KEEP) await dir.remove();
  }
});
