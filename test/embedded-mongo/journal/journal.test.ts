import assert from "node:assert/strict";
import { cpSync, readFileSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { Binary, BSONRegExp, Decimal128, Long, ObjectId, Timestamp, UUID } from "bson";
import {
  JournalCorruptError,
  type JournalRecord,
  openJournal,
} from "../../../server/embedded-mongo/src/journal/index.ts";
import { segmentName } from "../../../server/embedded-mongo/src/journal/journal.ts";
import { encodeFrame, encodeRecord } from "../../../server/embedded-mongo/src/journal/records.ts";
import { framesOf, insert, logSink, recorder, segments, tempDir } from "./helpers.ts";

/** A dbPath holding records 1..n in one closed segment. */
async function journalWith(n: number): Promise<string> {
  const dir = tempDir();
  const journal = await openJournal(dir, recorder().visitor);
  for (let i = 1; i <= n; i++) journal.append(insert(i));
  await journal.close();
  return dir;
}

describe("journal round trip", () => {
  test("records of every kind and BSON type survive a reopen, in seq order", async () => {
    const dir = tempDir();
    const oid = new ObjectId();
    const records: JournalRecord[] = [
      { type: "ddl", ddl: "create", ns: "db.c", spec: { capped: false } },
      {
        type: "ops",
        ops: [
          {
            op: "i",
            ns: "db.c",
            doc: {
              _id: oid,
              long: Long.fromString("9007199254740993"),
              dec: Decimal128.fromString("1.10"),
              re: new BSONRegExp("^a", "i"),
              date: new Date(1700000000000),
              bin: new Binary(Buffer.from([1, 2, 3])),
              ts: new Timestamp({ t: 5, i: 6 }),
              nested: { arr: [1, "two", null, { three: 3 }] },
            },
          },
          { op: "u", ns: "db.c", id: oid, doc: { _id: oid, x: 2 } },
          { op: "d", ns: "db.c", id: "string-id" },
        ],
      },
      {
        type: "txn",
        lsid: { id: new UUID() },
        txnNumber: 7,
        ops: [{ op: "d", ns: "db.c", id: { compound: 1 } }],
      },
      {
        type: "ddl",
        ddl: "createIndexes",
        ns: "db.c",
        spec: { indexes: [{ v: 2, key: { a: 1 }, name: "a_1" }] },
      },
    ];
    const journal = await openJournal(dir, recorder().visitor);
    const seqs = records.map((record) => journal.append(record));
    assert.deepEqual(
      seqs.map((s) => s.seq),
      [1, 2, 3, 4],
    );
    await Promise.all(seqs.map((s) => s.durable));
    assert.equal(journal.seq, 4);
    assert.ok(journal.bytesSinceCheckpoint > 0);
    await journal.close();

    const seen = recorder();
    const reopened = await openJournal(dir, seen.visitor);
    assert.deepEqual(seen.catalogs, [[]]);
    assert.deepEqual(
      seen.records.map((r) => r.seq),
      [1, 2, 3, 4],
    );
    assert.deepEqual(
      seen.records.map((r) => r.record),
      records,
    );
    assert.equal(reopened.seq, 4);
    assert.equal(reopened.bytesSinceCheckpoint, journal.bytesSinceCheckpoint);
    const next = reopened.append(insert(5));
    assert.equal(next.seq, 5);
    await next.durable;
    await reopened.close();

    const again = recorder();
    await (await openJournal(dir, again.visitor)).close();
    assert.deepEqual(
      again.records.map((r) => r.seq),
      [1, 2, 3, 4, 5],
    );
  });

  test("an oversized non-transactional write is split into consecutive records", async () => {
    const dir = tempDir();
    const big = "y".repeat(8 * 1024 * 1024);
    const ops = Array.from({ length: 8 }, (_, i) => ({
      op: "i" as const,
      ns: "db.big",
      doc: { _id: i, big },
    }));
    assert.ok(encodeRecord({ type: "ops", ops }).length > 1);
    const journal = await openJournal(dir, recorder().visitor);
    const { seq, durable } = journal.append({ type: "ops", ops });
    await durable;
    assert.equal(seq, journal.seq);
    await journal.close();
    const seen = recorder();
    await (await openJournal(dir, seen.visitor)).close();
    assert.deepEqual(
      seen.records.flatMap((r) =>
        r.record.type === "ops" ? r.record.ops.map((op) => op.op === "i" && op.doc._id) : [],
      ),
      [0, 1, 2, 3, 4, 5, 6, 7],
    );
  });

  test("a transaction too large to frame throws without consuming a seq", async () => {
    const journal = await openJournal(tempDir(), recorder().visitor);
    const big = "z".repeat(10 * 1024 * 1024);
    const ops = Array.from({ length: 6 }, (_, i) => ({ op: "i" as const, ns: "db.t", doc: { _id: i, big } }));
    assert.throws(() => journal.append({ type: "txn", ops }), RangeError);
    assert.equal(journal.append(insert(1)).seq, 1);
    await journal.close();
  });
});

describe("group commit", () => {
  test("concurrent appends share fdatasyncs and each resolves only once durable", async () => {
    const dir = tempDir();
    const journal = await openJournal(dir, recorder().visitor);
    const clients = 50;
    const perClient = 20;
    let n = 0;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        for (let i = 0; i < perClient; i++) await journal.append(insert(++n)).durable;
      }),
    );
    const appends = clients * perClient;
    assert.ok(
      journal.datasyncCount < appends / 5,
      `${journal.datasyncCount} fdatasyncs for ${appends} appends`,
    );
    // Everything acknowledged is on disk even before close.
    assert.equal(framesOf(join(dir, segments(dir)[0]!)).length, appends);
    await journal.close();
  });

  test("a burst in one turn is written with a single fdatasync", async () => {
    const journal = await openJournal(tempDir(), recorder().visitor);
    const results = Array.from({ length: 200 }, (_, i) => journal.append(insert(i + 1)));
    await Promise.all(results.map((r) => r.durable));
    assert.equal(journal.datasyncCount, 1);
    await journal.close();
  });

  test("interval and none modes ack at once and still persist", async () => {
    for (const sync of ["interval", "none"] as const) {
      const dir = tempDir();
      const journal = await openJournal(dir, recorder().visitor, { sync });
      for (let i = 1; i <= 10; i++) await journal.append(insert(i)).durable;
      await journal.flush();
      assert.equal(framesOf(join(dir, segments(dir)[0]!)).length, 10, sync);
      await journal.close();
      const seen = recorder();
      await (await openJournal(dir, seen.visitor)).close();
      assert.equal(seen.records.length, 10, sync);
    }
  });
});

describe("torn tail", () => {
  test("a last record cut anywhere is dropped with a warning, and only it", async () => {
    const source = await journalWith(5);
    const file = segmentName(1);
    const last = framesOf(join(source, file))[4]!;
    const recordLength = last.end - last.start;
    const keeps = [...Array.from({ length: 23 }, (_, k) => k + 1), 24, 30, recordLength - 1];
    for (const keep of keeps) {
      const dir = tempDir();
      cpSync(source, dir, { recursive: true });
      truncateSync(join(dir, file), last.start + keep);
      const sink = logSink();
      const seen = recorder();
      const journal = await openJournal(dir, seen.visitor, { log: sink.log });
      assert.deepEqual(
        seen.records.map((r) => r.seq),
        [1, 2, 3, 4],
        `keep ${keep}`,
      );
      assert.equal(sink.lines.length, 1, `keep ${keep}`);
      assert.match(sink.lines[0]!, /^warn: torn tail in .*journal-0000000000000001\.wal at offset \d+/);
      assert.equal(statSync(join(dir, file)).size, last.start, "truncated at the record start");
      assert.equal(journal.append(insert(5)).seq, 5);
      await journal.close();
      const again = recorder();
      await (await openJournal(dir, again.visitor)).close();
      assert.equal(again.records.length, 5, `keep ${keep} after reopen`);
    }
  });

  test("a CRC mismatch in the last record is a torn tail", async () => {
    const dir = await journalWith(5);
    const path = join(dir, segmentName(1));
    const last = framesOf(path)[4]!;
    const buf = readFileSync(path);
    buf[last.end - 2]! ^= 0xff;
    writeFileSync(path, buf);
    const sink = logSink();
    const seen = recorder();
    await (await openJournal(dir, seen.visitor, { log: sink.log })).close();
    assert.equal(seen.records.length, 4);
    assert.match(sink.lines.join("\n"), /torn tail.*CRC mismatch/);
  });
});

describe("corruption", () => {
  test("a flipped byte in a middle record refuses to start, naming file and offset", async () => {
    const dir = await journalWith(5);
    const path = join(dir, segmentName(1));
    const third = framesOf(path)[2]!;
    const buf = readFileSync(path);
    buf[third.start + 30]! ^= 0x01;
    writeFileSync(path, buf);
    await assert.rejects(openJournal(dir, recorder().visitor), (error: unknown) => {
      assert.ok(error instanceof JournalCorruptError);
      assert.equal(error.offset, third.start);
      assert.equal(error.file, path);
      assert.match(error.message, new RegExp(`journal-0000000000000001\\.wal at offset ${third.start}`));
      return true;
    });
    // Refusing to start must not have changed anything.
    assert.equal(statSync(path).size, buf.length);

    const sink = logSink();
    const seen = recorder();
    const journal = await openJournal(dir, seen.visitor, { repair: true, log: sink.log });
    assert.deepEqual(
      seen.records.map((r) => r.seq),
      [1, 2],
    );
    assert.match(sink.lines.join("\n"), /repair: truncated .* at offset \d+ .*dropped 3 records/);
    assert.equal(journal.append(insert(3)).seq, 3);
    await journal.close();
    const again = recorder();
    await (await openJournal(dir, again.visitor)).close();
    assert.deepEqual(
      again.records.map((r) => r.seq),
      [1, 2, 3],
    );
  });

  test("a bad magic in the first segment followed by a later segment is corruption", async () => {
    const dir = await journalWith(3);
    const journal = await openJournal(dir, recorder().visitor);
    await journal.append(insert(4)).durable;
    await journal.close();
    const path = join(dir, segmentName(1));
    const last = framesOf(path)[2]!;
    const buf = readFileSync(path);
    buf[last.start] = 0;
    writeFileSync(path, buf);
    await assert.rejects(openJournal(dir, recorder().visitor), JournalCorruptError);
    const seen = recorder();
    await (await openJournal(dir, seen.visitor, { repair: true })).close();
    assert.equal(seen.records.length, 2);
    assert.deepEqual(segments(dir), [segmentName(1), segmentName(3)]);
  });

  test("a seq gap inside a segment is corruption", async () => {
    const dir = tempDir();
    const frames = [1, 2, 4, 5].map((seq) => {
      const [part] = encodeRecord(insert(seq));
      return encodeFrame(seq, part!.type, part!.payload);
    });
    writeFileSync(join(dir, segmentName(1)), Buffer.concat(frames));
    const gapAt = frames[0]!.length + frames[1]!.length;
    await assert.rejects(openJournal(dir, recorder().visitor), (error: unknown) => {
      assert.ok(error instanceof JournalCorruptError);
      assert.equal(error.offset, gapAt);
      assert.match(error.message, /seq gap: expected 3, found 4/);
      return true;
    });
    const sink = logSink();
    const seen = recorder();
    const journal = await openJournal(dir, seen.visitor, { repair: true, log: sink.log });
    assert.equal(seen.records.length, 2);
    assert.match(sink.lines.join("\n"), /dropped 2 records/);
    assert.equal(journal.seq, 2);
    await journal.close();
  });

  test("a seq gap between segments is corruption", async () => {
    const dir = await journalWith(2);
    const [part] = encodeRecord(insert(4));
    writeFileSync(join(dir, segmentName(4)), encodeFrame(4, part!.type, part!.payload));
    await assert.rejects(openJournal(dir, recorder().visitor), /seq gap: expected 3, found 4/);
  });

  test("a journal that does not start at seq 1 without a checkpoint is corruption", async () => {
    const dir = tempDir();
    const [part] = encodeRecord(insert(2));
    writeFileSync(join(dir, segmentName(2)), encodeFrame(2, part!.type, part!.payload));
    await assert.rejects(openJournal(dir, recorder().visitor), /seq gap: expected 1, found 2/);
  });
});

describe("fatal I/O", () => {
  test("a failed write calls onFatal once and every later append rejects", async () => {
    const dir = tempDir();
    const fatals: Error[] = [];
    const sink = logSink();
    const journal = await openJournal(dir, recorder().visitor, {
      onFatal: (error) => fatals.push(error),
      log: sink.log,
    });
    await journal.append(insert(1)).durable;
    await journal.handle!.close(); // the descriptor vanishes under the writer, as on EIO
    const a = journal.append(insert(2));
    const b = journal.append(insert(3));
    await assert.rejects(a.durable);
    await assert.rejects(b.durable);
    assert.equal(fatals.length, 1);
    assert.match(sink.lines.join("\n"), /^error: journal write failed/m);
    await assert.rejects(journal.append(insert(4)).durable);
    await assert.rejects(journal.checkpoint(() => ({ catalog: [], collections: [] })));
    assert.equal(fatals.length, 1);
    await journal.close();
    // Only the acknowledged record is on disk.
    const seen = recorder();
    await (await openJournal(dir, seen.visitor)).close();
    assert.equal(seen.records.length, 1);
  });
});
