import assert from "node:assert/strict";
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import {
  type CatalogEntry,
  type CheckpointSource,
  type FileJournal,
  type JournalRecord,
  openJournal,
} from "../../../server/embedded-mongo/src/journal/index.ts";
import { checkpointName, segmentName } from "../../../server/embedded-mongo/src/journal/journal.ts";
import type { Document } from "../../../server/embedded-mongo/src/types.ts";
import { applyRecord, logSink, type Model, recorder, segments, tempDir } from "./helpers.ts";

const catalog: CatalogEntry[] = [
  { ns: "db.a", options: {}, indexes: [{ v: 2, key: { _id: 1 }, name: "_id_" }] },
  { ns: "db.empty", options: { capped: true, size: 4096 }, indexes: [] },
];

/** A live engine stand-in: applies a record to its model, then journals it (apply, then journal). */
class Live {
  model: Model = new Map();
  constructor(readonly journal: FileJournal) {}

  write(record: JournalRecord): Promise<void> {
    applyRecord(this.model, record);
    return this.journal.append(record).durable;
  }

  /** The snapshot at this instant: copies, so later writes do not leak into it. */
  source = (): CheckpointSource => {
    const frozen = [...this.model].map(([ns, docs]) => [ns, [...docs.values()]] as [string, Document[]]);
    return { catalog, collections: frozen };
  };
}

const pad = "p".repeat(900);
const ins = (id: number, ns = "db.a"): JournalRecord => ({
  type: "ops",
  ops: [{ op: "i", ns, doc: { _id: id, v: 0, pad } }],
});
const upd = (id: number, v: number): JournalRecord => ({
  type: "ops",
  ops: [{ op: "u", ns: "db.a", id, doc: { _id: id, v, pad } }],
});
const del = (id: number): JournalRecord => ({ type: "txn", ops: [{ op: "d", ns: "db.a", id }] });

function sorted(model: Model): [string, Document[]][] {
  return [...model]
    .map(
      ([ns, docs]) =>
        [ns, [...docs.values()].sort((x, y) => Number(x._id) - Number(y._id))] as [string, Document[]],
    )
    .sort(([a], [b]) => a.localeCompare(b));
}

/** Appends n inserts with ids from `from`, all awaited. */
async function fill(live: Live, from: number, n: number): Promise<void> {
  await Promise.all(Array.from({ length: n }, (_, i) => live.write(ins(from + i))));
}

describe("checkpoint", () => {
  test("taken while writes continue: reopen gives checkpoint docs plus exactly the later records", async () => {
    const dir = tempDir();
    const live = new Live(await openJournal(dir, recorder().visitor));
    await fill(live, 1, 3000); // about 3 MB, so the checkpoint streams several chunks
    assert.equal(segments(dir).length, 1);

    const seqC = live.journal.seq;
    // Settled either way, so a failed checkpoint ends the write loop below instead of feeding it forever.
    let done = false;
    const checkpoint = live.journal.checkpoint(live.source).finally(() => {
      done = true;
    });
    assert.equal(live.journal.bytesSinceCheckpoint, 0, "reset synchronously");
    let duringCheckpoint = 0;
    const deadline = Date.now() + 60_000;
    for (let i = 1; !done || i < 60; i++) {
      assert.ok(Date.now() < deadline, `the checkpoint is still running after ${i} writes and 60 s`);
      await live.write(i % 3 === 0 ? del(i) : i % 3 === 1 ? upd(i, i) : ins(10_000 + i));
      if (!done) duringCheckpoint++;
    }
    await checkpoint;
    assert.ok(duringCheckpoint > 0, "writes were acknowledged while the checkpoint streamed");
    const lastSeq = live.journal.seq;

    // Step 4 ran: the segment holding seqs ≤ seqC is gone, the rotated one remains.
    assert.deepEqual(segments(dir), [segmentName(seqC + 1)]);
    assert.ok(existsSync(join(dir, checkpointName(seqC))));
    assert.equal(readFileSync(join(dir, "CURRENT"), "utf8").trim(), checkpointName(seqC));
    await live.journal.close();

    const seen = recorder();
    const reopened = await openJournal(dir, seen.visitor);
    assert.deepEqual(seen.catalogs, [catalog]);
    assert.equal(seen.docs.flatMap(([, docs]) => docs).length, 3000);
    assert.ok(seen.docs.length > 1, "documents arrive in several batches");
    assert.deepEqual(
      seen.records.map((r) => r.seq),
      Array.from({ length: lastSeq - seqC }, (_, i) => seqC + 1 + i),
    );
    assert.deepEqual(sorted(seen.model), sorted(live.model));
    assert.equal(reopened.seq, lastSeq);
    await reopened.close();
  });

  test("keeps the previous checkpoint and deletes older ones", async () => {
    const dir = tempDir();
    const live = new Live(await openJournal(dir, recorder().visitor));
    const seqs: number[] = [];
    for (let round = 0; round < 3; round++) {
      await fill(live, round * 10 + 1, 10);
      seqs.push(live.journal.seq);
      await live.journal.checkpoint(live.source);
    }
    const checkpoints = readdirSync(dir).filter((name) => name.startsWith("checkpoint-"));
    assert.deepEqual(checkpoints, [checkpointName(seqs[1]!), checkpointName(seqs[2]!)]);
    // A checkpoint with nothing new since the last one is a no-op.
    await live.journal.checkpoint(() => assert.fail("source must not be called"));
    await live.journal.close();
    const seen = recorder();
    await (await openJournal(dir, seen.visitor)).close();
    assert.deepEqual(sorted(seen.model), sorted(live.model));
    assert.equal(seen.records.length, 0);
  });

  test("concurrent checkpoint calls run one after the other", async () => {
    const dir = tempDir();
    const live = new Live(await openJournal(dir, recorder().visitor));
    await fill(live, 1, 50);
    const first = live.journal.checkpoint(live.source);
    await fill(live, 51, 50);
    const second = live.journal.checkpoint(live.source);
    await Promise.all([first, second]);
    await live.journal.close();
    const seen = recorder();
    await (await openJournal(dir, seen.visitor)).close();
    assert.deepEqual(sorted(seen.model), sorted(live.model));
  });
});

describe("crash between checkpoint steps", () => {
  /**
   * Builds, for one history, the directory as it was before a checkpoint (`before`) and after it
   * (`after`): 20 records, a first checkpoint at 10 then 10 more; the second checkpoint is at 20.
   */
  async function history(): Promise<{ before: string; after: string; model: Model }> {
    const before = tempDir();
    const live = new Live(await openJournal(before, recorder().visitor));
    await fill(live, 1, 10);
    await live.journal.checkpoint(live.source);
    await fill(live, 11, 5);
    await live.write(upd(3, 33));
    await live.write(del(4));
    await fill(live, 16, 3);
    assert.equal(live.journal.seq, 20);
    await live.journal.close();
    const after = tempDir();
    cpSync(before, after, { recursive: true });
    const journal = await openJournal(after, recorder().visitor);
    await journal.checkpoint(live.source);
    await journal.close();
    return { before, after, model: live.model };
  }

  async function recover(dir: string): Promise<{ model: Model; lines: string[]; seq: number }> {
    const sink = logSink();
    const seen = recorder();
    const journal = await openJournal(dir, seen.visitor, { log: sink.log });
    const seq = journal.seq;
    await journal.close();
    return { model: seen.model, lines: sink.lines, seq };
  }

  test("during step 2: a partial .tmp is ignored and removed", async () => {
    const { before, model } = await history();
    writeFileSync(join(before, `${checkpointName(20).replace(".bson", ".tmp")}`), Buffer.from("partial"));
    const result = await recover(before);
    assert.deepEqual(sorted(result.model), sorted(model));
    assert.equal(result.seq, 20);
    assert.ok(!readdirSync(before).some((name) => name.endsWith(".tmp")));
  });

  test("after the rename, before CURRENT: the previous checkpoint plus the journal is used", async () => {
    const { before, after, model } = await history();
    cpSync(join(after, checkpointName(20)), join(before, checkpointName(20)));
    writeFileSync(join(before, "CURRENT.tmp"), `${checkpointName(20)}\n`);
    assert.equal(readFileSync(join(before, "CURRENT"), "utf8").trim(), checkpointName(10));
    const result = await recover(before);
    assert.deepEqual(sorted(result.model), sorted(model));
    assert.equal(result.seq, 20);
  });

  test("after CURRENT, before deleting segments: recovery finishes the deletion", async () => {
    const { before, after, model } = await history();
    for (const name of segments(before)) cpSync(join(before, name), join(after, name));
    const result = await recover(after);
    assert.deepEqual(sorted(result.model), sorted(model));
    assert.equal(result.seq, 20);
    for (const name of segments(before)) assert.ok(!existsSync(join(after, name)), `${name} deleted`);
  });

  test("a damaged checkpoint falls back to the previous one while its segments exist", async () => {
    const { before, after, model } = await history();
    for (const name of segments(before)) cpSync(join(before, name), join(after, name));
    const path = join(after, checkpointName(20));
    const buf = readFileSync(path);
    buf[buf.length >> 1]! ^= 0x10;
    writeFileSync(path, buf);
    const result = await recover(after);
    assert.deepEqual(sorted(result.model), sorted(model));
    assert.equal(result.seq, 20);
    assert.match(result.lines.join("\n"), /checkpoint .*0000000000000014\.bson is unusable/);
  });

  test("a checkpoint without its trailer is unusable", async () => {
    const { before, after, model } = await history();
    for (const name of segments(before)) cpSync(join(before, name), join(after, name));
    const path = join(after, checkpointName(20));
    const buf = readFileSync(path);
    writeFileSync(path, buf.subarray(0, buf.length - 10));
    const result = await recover(after);
    assert.deepEqual(sorted(result.model), sorted(model));
    assert.match(result.lines.join("\n"), /unusable/);
  });

  test("no usable checkpoint at all refuses to start", async () => {
    const { after } = await history();
    for (const name of readdirSync(after)) {
      if (name.startsWith("checkpoint-")) writeFileSync(join(after, name), "junk");
    }
    await assert.rejects(openJournal(after, recorder().visitor), /no usable checkpoint/);
    rmSync(after, { recursive: true });
  });
});
