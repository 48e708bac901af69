/** Child process for crash.test.ts: writes and checkpoints until killed, printing each acknowledged seq. */

import { openJournal } from "../../../server/embedded-mongo/src/journal/index.ts";
import type { Document } from "../../../server/embedded-mongo/src/types.ts";
import { insert } from "./helpers.ts";

const dir = process.argv[2]!;
const docs = new Map<number, Document>();
const journal = await openJournal(dir, {
  catalog() {},
  docs(_ns, batch) {
    for (const doc of batch) docs.set(Number(doc._id), doc);
  },
  record(record) {
    if (record.type === "ops")
      for (const op of record.ops) if (op.op === "i") docs.set(Number(op.doc._id), op.doc);
  },
});
let next = journal.seq;
for (let writer = 0; writer < 8; writer++) {
  void (async () => {
    for (;;) {
      const record = insert(++next);
      const op = record.type === "ops" ? record.ops[0] : undefined;
      if (op?.op === "i") docs.set(next, op.doc);
      const { seq, durable } = journal.append(record);
      await durable;
      process.stdout.write(`${seq}\n`);
    }
  })();
}
setInterval(() => {
  void journal.checkpoint(() => ({ catalog: [], collections: [["db.c", [...docs.values()]]] }));
}, 50);
