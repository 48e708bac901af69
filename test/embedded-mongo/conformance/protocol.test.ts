/**
 * Conformance §8 A: topology, handshake, hello/buildInfo, raw wire framing, document sequences and
 * command-level error shapes.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { startEmbeddedMongo } from "@govinfo/embedded-mongo";
import {
  Binary,
  BSON,
  type Document,
  Long,
  MongoClient,
  MongoServerError,
  ObjectId,
  type ServerDescriptionChangedEvent,
  Timestamp,
  type TopologyDescriptionChangedEvent,
  UUID,
} from "mongodb";
import {
  captureError,
  MORE_TO_COME,
  OP_MSG,
  OP_QUERY,
  OP_REPLY,
  opMsg,
  opQuery,
  RawConnection,
  rawCommand,
  rawFrame,
  useServer,
} from "../support.ts";

const fx = useServer({ external: false });
const DB = "proto";

/** Connects a client with SDAM listeners attached before connect; returns the last descriptions seen. */
async function observeTopology(uri: string): Promise<{ topologyType: string; serverTypes: string[] }> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  let topologyType = "";
  const serverTypes: string[] = [];
  client.on("topologyDescriptionChanged", (event: TopologyDescriptionChangedEvent) => {
    topologyType = event.newDescription.type;
  });
  client.on("serverDescriptionChanged", (event: ServerDescriptionChangedEvent) => {
    serverTypes.push(event.newDescription.type);
  });
  try {
    await client.connect();
    await client.db("admin").command({ ping: 1 });
    return { topologyType, serverTypes };
  } finally {
    await client.close(true);
  }
}

let nextRequestId = 1000;
const rid = () => ++nextRequestId;

describe("topology and server description (A.1)", () => {
  test("replica-set mode with directConnection=true: Single topology, RSPrimary server", async () => {
    assert.match(fx.uri, /directConnection=true/);
    const seen = await observeTopology(fx.uri);
    assert.equal(seen.topologyType, "Single");
    assert.equal(seen.serverTypes.at(-1), "RSPrimary");
  });

  test("replica-set mode without directConnection: ReplicaSetWithPrimary", async () => {
    const seen = await observeTopology(`mongodb://127.0.0.1:${fx.port}/`);
    assert.equal(seen.topologyType, "ReplicaSetWithPrimary");
    assert.equal(seen.serverTypes.at(-1), "RSPrimary");
  });

  test("replica-set mode with replicaSet=rs0: ReplicaSetWithPrimary", async () => {
    const seen = await observeTopology(`mongodb://127.0.0.1:${fx.port}/?replicaSet=rs0`);
    assert.equal(seen.topologyType, "ReplicaSetWithPrimary");
    assert.equal(seen.serverTypes.at(-1), "RSPrimary");
  });

  test("standalone mode: Standalone server in a Single topology", async () => {
    const standalone = await startEmbeddedMongo({ inMemory: true, port: 0, mode: "standalone" });
    try {
      const direct = await observeTopology(standalone.uri);
      assert.equal(direct.topologyType, "Single");
      assert.equal(direct.serverTypes.at(-1), "Standalone");
      const plain = await observeTopology(`mongodb://127.0.0.1:${standalone.port}/`);
      assert.equal(plain.topologyType, "Single");
      assert.equal(plain.serverTypes.at(-1), "Standalone");

      const client = await fx.client({}, standalone.uri);
      const hello = await client.db("admin").command({ hello: 1 });
      assert.equal(hello.isWritablePrimary, true);
      assert.equal(hello.setName, undefined, "a standalone has no setName");
      assert.equal(hello.hosts, undefined, "a standalone has no hosts");
      assert.equal(hello.maxWireVersion, 21);
      assert.equal(hello.logicalSessionTimeoutMinutes, 30);

      // A standalone refuses transaction numbers with 20 IllegalOperation (§6.10, D.9).
      const conn = await RawConnection.open(standalone.port);
      try {
        const reply = await rawCommand(conn, rid(), {
          insert: "t",
          documents: [{ _id: 1 }],
          lsid: { id: new UUID() },
          txnNumber: Long.fromNumber(1),
          $db: DB,
        });
        assert.equal(reply.doc.ok, 0);
        assert.equal(reply.doc.code, 20);
        assert.equal(reply.doc.codeName, "IllegalOperation");
      } finally {
        conn.close();
      }
    } finally {
      await standalone.close();
    }
  });
});

describe("hello and buildInfo (A.2, §3)", () => {
  test("hello carries the §3 fields for a one-member replica set", async () => {
    const client = await fx.client();
    const hello = await client.db("admin").command({ hello: 1 });
    const addr = `127.0.0.1:${fx.port}`;
    assert.equal(hello.ok, 1);
    assert.equal(hello.isWritablePrimary, true);
    assert.equal(hello.secondary, false);
    assert.equal(hello.setName, "rs0");
    assert.equal(hello.setVersion, 1);
    assert.ok(hello.electionId instanceof ObjectId, "electionId is an ObjectId");
    assert.deepEqual(hello.hosts, [addr]);
    assert.equal(hello.primary, addr);
    assert.equal(hello.me, addr);
    assert.equal(hello.maxBsonObjectSize, 16777216);
    assert.equal(hello.maxMessageSizeBytes, 48000000);
    assert.equal(hello.maxWriteBatchSize, 100000);
    assert.ok(hello.localTime instanceof Date, "localTime is a Date");
    assert.ok(Math.abs(hello.localTime.getTime() - Date.now()) < 60_000, "localTime is now");
    assert.equal(hello.logicalSessionTimeoutMinutes, 30);
    assert.equal(typeof hello.connectionId, "number");
    assert.equal(hello.minWireVersion, 0);
    assert.equal(hello.maxWireVersion, 21);
    assert.equal(hello.readOnly, false);
    assert.equal(hello.topologyVersion, undefined, "topologyVersion is omitted (no streaming monitor)");
    assert.equal(hello.compression, undefined);
    assert.equal(hello.saslSupportedMechs, undefined);
    assert.ok(hello.lastWrite?.opTime?.ts instanceof Timestamp, "lastWrite.opTime.ts is a Timestamp");
    assert.ok(hello.lastWrite?.lastWriteDate instanceof Date, "lastWrite.lastWriteDate is a Date");

    // electionId and setVersion stay constant (the driver compares them).
    const again = await client.db("admin").command({ hello: 1 });
    assert.equal(again.electionId.toHexString(), hello.electionId.toHexString());
    assert.equal(again.setVersion, 1);
  });

  test("legacy isMaster / ismaster answer ismaster:true", async () => {
    const client = await fx.client();
    for (const name of ["isMaster", "ismaster"]) {
      const reply = await client.db("admin").command({ [name]: 1 });
      assert.equal(reply.ok, 1, name);
      assert.equal(reply.ismaster, true, name);
      assert.equal(reply.setName, "rs0", name);
    }
  });

  test("replies in replica-set mode carry $clusterTime and operationTime", async () => {
    const conn = await RawConnection.open(fx.port);
    try {
      const first = await rawCommand(conn, rid(), { ping: 1, $db: "admin" });
      assert.equal(first.doc.ok, 1);
      assert.ok(first.doc.operationTime instanceof Timestamp, "operationTime is a Timestamp");
      const clusterTime = first.doc.$clusterTime as Document | undefined;
      assert.ok(clusterTime?.clusterTime instanceof Timestamp, "$clusterTime.clusterTime is a Timestamp");
      assert.ok(clusterTime?.signature?.hash instanceof Binary, "$clusterTime.signature.hash is binary");
      assert.equal((clusterTime.signature.hash as Binary).length(), 20);
      // A write advances the cluster time monotonically.
      const write = await rawCommand(conn, rid(), { insert: "ct", documents: [{ x: 1 }], $db: DB });
      assert.equal(write.doc.ok, 1);
      const before = clusterTime.clusterTime as Timestamp;
      const after = (write.doc.$clusterTime as Document).clusterTime as Timestamp;
      assert.ok(after.compare(before) >= 0, "cluster time does not go backwards");
    } finally {
      conn.close();
    }
  });

  test("buildInfo and buildinfo report 7.0", async () => {
    const client = await fx.client();
    const info = await client.db("admin").admin().buildInfo(); // sends lowercase `buildinfo`
    assert.equal(info.ok, 1);
    assert.match(info.version, /^7\.0\./);
    assert.deepEqual((info.versionArray as number[]).slice(0, 2), [7, 0]);
    assert.equal(info.bits, 64);
    assert.equal(info.maxBsonObjectSize, 16777216);
    const camel = await client.db("admin").command({ buildInfo: 1 });
    assert.match(camel.version, /^7\.0\./);
  });
});

describe("raw wire framing (A.3, A.4)", () => {
  test("OP_MSG with moreToCome gets no reply; the next reply answers the next request", async () => {
    const conn = await RawConnection.open(fx.port);
    try {
      const silent = rid();
      conn.send(
        opMsg(
          silent,
          { insert: "mtc", documents: [{ _id: 1 }], writeConcern: { w: 0 }, $db: DB },
          { flags: MORE_TO_COME },
        ),
      );
      conn.send(
        opMsg(
          rid(),
          { endSessions: [{ id: new UUID() }], writeConcern: { w: 0 }, $db: "admin" },
          { flags: MORE_TO_COME },
        ),
      );
      const pingId = rid();
      conn.send(opMsg(pingId, { ping: 1, $db: "admin" }));
      const reply = await conn.next(3000);
      assert.ok(reply, "the ping is answered");
      assert.equal(reply.opCode, OP_MSG);
      assert.equal(reply.responseTo, pingId, "the first reply answers the ping, not the moreToCome messages");
      assert.equal(reply.flags, 0);
      assert.equal(reply.doc.ok, 1);
      assert.equal(await conn.next(300), null, "no stray reply follows");
      // The silent insert was executed.
      const find = await rawCommand(conn, rid(), { find: "mtc", filter: {}, $db: DB });
      assert.deepEqual(find.doc.cursor.firstBatch, [{ _id: 1 }]);
    } finally {
      conn.close();
    }
  });

  test("OP_QUERY isMaster gets an OP_REPLY", async () => {
    const conn = await RawConnection.open(fx.port);
    try {
      const id = rid();
      conn.send(
        opQuery(id, "admin.$cmd", {
          isMaster: 1,
          helloOk: true,
          client: { driver: { name: "raw", version: "0" } },
        }),
      );
      const reply = await conn.next(3000);
      assert.ok(reply, "a reply arrives");
      assert.equal(reply.opCode, OP_REPLY);
      assert.equal(reply.responseTo, id);
      assert.equal(reply.reply?.cursorId, 0n);
      assert.equal(reply.reply?.startingFrom, 0);
      assert.equal(reply.reply?.numberReturned, 1);
      assert.equal(reply.doc.ok, 1);
      assert.equal(reply.doc.ismaster, true);
      assert.equal(reply.doc.helloOk, true);
      assert.equal(reply.doc.maxWireVersion, 21);
      assert.equal(reply.doc.minWireVersion, 0);
      // The connection then speaks OP_MSG.
      const ping = await rawCommand(conn, rid(), { ping: 1, $db: "admin" });
      assert.equal(ping.doc.ok, 1);
    } finally {
      conn.close();
    }
  });

  test("OP_MSG with checksumPresent (CRC-32C trailer) is accepted", async () => {
    const conn = await RawConnection.open(fx.port);
    try {
      const id = rid();
      const plain = opMsg(id, { ping: 1, $db: "admin" }, { flags: 1 });
      const withSum = Buffer.concat([plain, Buffer.alloc(4)]);
      withSum.writeInt32LE(withSum.length, 0);
      withSum.writeUInt32LE(crc32c(withSum.subarray(0, withSum.length - 4)), withSum.length - 4);
      conn.send(withSum);
      const reply = await conn.next(3000);
      assert.ok(reply, "answered");
      assert.equal(reply.responseTo, id);
      assert.equal(reply.doc.ok, 1);
    } finally {
      conn.close();
    }
  });

  test("an unknown opcode closes only that socket", async () => {
    const bystander = await RawConnection.open(fx.port);
    const victim = await RawConnection.open(fx.port);
    try {
      victim.send(rawFrame(9999, rid(), Buffer.alloc(20)));
      assert.equal(await victim.closesWithin(3000), true, "the socket with the unknown opcode is closed");
      assert.equal(bystander.isOpen, true);
      const ping = await rawCommand(bystander, rid(), { ping: 1, $db: "admin" });
      assert.equal(ping.doc.ok, 1, "another connection keeps working");
    } finally {
      bystander.close();
      victim.close();
    }
  });

  test("a declared length over 48,000,000 closes only that socket (without waiting for the bytes)", async () => {
    const bystander = await RawConnection.open(fx.port);
    const victim = await RawConnection.open(fx.port);
    try {
      victim.send(rawFrame(OP_MSG, rid(), Buffer.alloc(64), 48_000_001));
      assert.equal(await victim.closesWithin(3000), true, "the oversized frame closes the socket");
      const ping = await rawCommand(bystander, rid(), { ping: 1, $db: "admin" });
      assert.equal(ping.doc.ok, 1);
    } finally {
      bystander.close();
      victim.close();
    }
  });

  test("a declared length under 16 closes the socket", async () => {
    const victim = await RawConnection.open(fx.port);
    try {
      const buf = Buffer.alloc(16);
      buf.writeInt32LE(8, 0);
      buf.writeInt32LE(OP_MSG, 12);
      victim.send(buf);
      assert.equal(await victim.closesWithin(3000), true);
    } finally {
      victim.close();
    }
  });

  test("OP_MSG with an unknown required flag bit closes the socket", async () => {
    const victim = await RawConnection.open(fx.port);
    try {
      victim.send(opMsg(rid(), { ping: 1, $db: "admin" }, { flags: 1 << 4 }));
      const reply = await victim.next(2000);
      assert.equal(reply, null, "no reply to a message with unknown required flags");
      assert.equal(victim.isOpen, false, "the socket is closed");
    } finally {
      victim.close();
    }
  });

  test("garbage frames cannot crash the server", async () => {
    const bystander = await RawConnection.open(fx.port);
    try {
      const frames: Buffer[] = [
        randomBytes(64),
        // plausible header, garbage body
        rawFrame(OP_MSG, 1, randomBytes(40)),
        // kind-0 section whose BSON length runs past the frame
        rawFrame(
          OP_MSG,
          2,
          Buffer.concat([Buffer.alloc(4), Buffer.from([0]), Buffer.from([0xff, 0xff, 0, 0, 0])]),
        ),
        // unknown section kind
        rawFrame(OP_MSG, 3, Buffer.concat([Buffer.alloc(4), Buffer.from([7]), Buffer.alloc(10)])),
        // no body section
        rawFrame(OP_MSG, 4, Buffer.alloc(4)),
        // OP_QUERY with an unterminated namespace
        rawFrame(OP_QUERY, 5, Buffer.concat([Buffer.alloc(4), Buffer.from("admin.$cmd")])),
        // kind-1 sequence with a size larger than the frame
        rawFrame(
          OP_MSG,
          6,
          Buffer.concat([
            Buffer.alloc(4),
            Buffer.from([0]),
            Buffer.from(BSON.serialize({ insert: "g", $db: DB })),
            Buffer.from([1, 0xff, 0xff, 0, 0]),
            Buffer.from("documents\0"),
          ]),
        ),
        // a BSON document with a corrupt element type
        rawFrame(OP_MSG, 7, Buffer.concat([Buffer.alloc(4), Buffer.from([0]), corruptBson()])),
      ];
      for (let i = 0; i < 20; i++) frames.push(rawFrame(OP_MSG, 100 + i, randomBytes(8 + ((i * 7) % 90))));
      for (const frame of frames) {
        const conn = await RawConnection.open(fx.port);
        conn.send(frame);
        const reply = await conn.next(300);
        if (reply) {
          assert.equal(reply.doc.ok, 0, `a garbage frame must not succeed: ${frame.toString("hex")}`);
        }
        conn.close();
      }
      const ping = await rawCommand(bystander, rid(), { ping: 1, $db: "admin" });
      assert.equal(ping.doc.ok, 1, "the server survived");
      const fresh = await RawConnection.open(fx.port);
      try {
        assert.equal((await rawCommand(fresh, rid(), { ping: 1, $db: "admin" })).doc.ok, 1);
      } finally {
        fresh.close();
      }
    } finally {
      bystander.close();
    }
  });
});

describe("OP_MSG edge cases (§6.3)", () => {
  test("exhaustAllowed on hello is ignored: exactly one reply, without moreToCome", async () => {
    const conn = await RawConnection.open(fx.port);
    try {
      const id = rid();
      conn.send(opMsg(id, { hello: 1, maxAwaitTimeMS: 500, $db: "admin" }, { flags: 1 << 16 }));
      const reply = await conn.next(3000);
      assert.ok(reply);
      assert.equal(reply.responseTo, id);
      assert.equal(reply.flags & MORE_TO_COME, 0, "no streaming reply");
      assert.equal(reply.doc.isWritablePrimary, true);
      assert.equal(await conn.next(1200), null, "no second (streamed) reply");
    } finally {
      conn.close();
    }
  });

  test("an OP_MSG command without $db is refused", async () => {
    const conn = await RawConnection.open(fx.port);
    try {
      conn.send(opMsg(rid(), { ping: 1 }));
      const reply = await conn.next(2000);
      if (reply) {
        assert.equal(reply.doc.ok, 0);
        assert.equal(reply.doc.code, 40571);
      } else {
        assert.equal(conn.isOpen, false, "either an error reply or a closed socket");
      }
    } finally {
      conn.close();
    }
  });

  test("a sequence identifier that duplicates a body field is a protocol error and inserts nothing", async () => {
    const conn = await RawConnection.open(fx.port);
    try {
      conn.send(
        opMsg(
          rid(),
          { insert: "dupseq", documents: [{ _id: 1 }], $db: DB },
          { sequences: [{ id: "documents", docs: [{ _id: 2 }] }] },
        ),
      );
      const reply = await conn.next(2000);
      if (reply) assert.equal(reply.doc.ok, 0, JSON.stringify(reply.doc));
      else assert.equal(conn.isOpen, false);
    } finally {
      conn.close();
    }
    const client = await fx.client();
    assert.equal(await client.db(DB).collection("dupseq").countDocuments(), 0);
  });
});

describe("document sequences (A.5)", () => {
  test("a kind-1 `documents` sequence of 1000 docs inserts 1000", async () => {
    const conn = await RawConnection.open(fx.port);
    try {
      const docs = Array.from({ length: 1000 }, (_, i) => ({ _id: i, v: `doc${i}` }));
      conn.send(
        opMsg(
          rid(),
          { insert: "seq1000", ordered: true, $db: DB },
          { sequences: [{ id: "documents", docs }] },
        ),
      );
      const reply = await conn.next(10_000);
      assert.ok(reply);
      assert.equal(reply.doc.ok, 1);
      assert.equal(reply.doc.n, 1000);
      assert.equal(reply.doc.writeErrors, undefined);
    } finally {
      conn.close();
    }
    const client = await fx.client();
    const coll = client.db(DB).collection("seq1000");
    assert.equal(await coll.countDocuments(), 1000);
    assert.deepEqual(await coll.findOne({ _id: 999 as never }), { _id: 999, v: "doc999" });
  });

  test("`updates` and `deletes` sequences are merged too", async () => {
    const conn = await RawConnection.open(fx.port);
    try {
      await rawCommand(conn, rid(), {
        insert: "sequd",
        documents: [{ _id: 1 }, { _id: 2 }, { _id: 3 }],
        $db: DB,
      });
      conn.send(
        opMsg(
          rid(),
          { update: "sequd", $db: DB },
          {
            sequences: [
              {
                id: "updates",
                docs: [
                  { q: { _id: 1 }, u: { $set: { a: 1 } } },
                  { q: { _id: 2 }, u: { $set: { a: 2 } } },
                ],
              },
            ],
          },
        ),
      );
      const upd = await conn.next(5000);
      assert.equal(upd?.doc.ok, 1);
      assert.equal(upd?.doc.n, 2);
      assert.equal(upd?.doc.nModified, 2);
      conn.send(
        opMsg(
          rid(),
          { delete: "sequd", $db: DB },
          {
            sequences: [
              {
                id: "deletes",
                docs: [
                  { q: { _id: 1 }, limit: 1 },
                  { q: { _id: 3 }, limit: 1 },
                ],
              },
            ],
          },
        ),
      );
      const del = await conn.next(5000);
      assert.equal(del?.doc.ok, 1);
      assert.equal(del?.doc.n, 2);
      const rest = await rawCommand(conn, rid(), { find: "sequd", filter: {}, $db: DB });
      assert.deepEqual(rest.doc.cursor.firstBatch, [{ _id: 2, a: 2 }]);
    } finally {
      conn.close();
    }
  });
});

describe("command errors and the envelope (A.6)", () => {
  test("an unknown command → 59 CommandNotFound", async () => {
    const client = await fx.client();
    const error = await captureError(() => client.db(DB).command({ nosuch: 1 }));
    assert.ok(error instanceof MongoServerError);
    assert.equal(error.code, 59);
    assert.equal(error.codeName, "CommandNotFound");
    assert.match(error.message, /no such command: 'nosuch'/);
  });

  test("find with an unknown field → 40415", async () => {
    const client = await fx.client();
    const error = await captureError(() => client.db(DB).command({ find: "x", filter: {}, foo: 1 }));
    assert.ok(error instanceof MongoServerError);
    assert.equal(error.code, 40415);
    assert.match(error.message, /^BSON field 'find\.foo' is an unknown field/);
  });

  test("command names are case-sensitive (only the documented aliases exist)", async () => {
    const client = await fx.client();
    const error = await captureError(() => client.db(DB).command({ PING: 1 }));
    assert.equal((error as MongoServerError).code, 59);
  });

  test("the generic envelope fields are accepted on every command", async () => {
    const conn = await RawConnection.open(fx.port);
    try {
      const hello = await rawCommand(conn, rid(), { hello: 1, $db: "admin" });
      const envelope = {
        lsid: { id: new UUID() },
        $clusterTime: hello.doc.$clusterTime,
        $readPreference: { mode: "primaryPreferred" },
        comment: "conformance",
        apiVersion: "1",
        apiStrict: false,
        apiDeprecationErrors: false,
      };
      const commands: Document[] = [
        { ping: 1, $db: "admin" },
        { buildInfo: 1, $db: "admin" },
        { insert: "env", documents: [{ _id: 1 }], writeConcern: { w: 1, j: true, wtimeout: 1000 }, $db: DB },
        {
          insert: "env",
          documents: [{ _id: 2 }],
          txnNumber: Long.fromNumber(1),
          writeConcern: { w: "majority" },
          $db: DB,
        },
        { find: "env", filter: {}, maxTimeMS: 5000, readConcern: { level: "local" }, $db: DB },
        {
          find: "env",
          filter: {},
          readConcern: { level: "majority", afterClusterTime: hello.doc.operationTime },
          $db: DB,
        },
        {
          aggregate: "env",
          pipeline: [],
          cursor: {},
          maxTimeMS: 5000,
          readConcern: { level: "available" },
          $db: DB,
        },
        { count: "env", query: {}, $db: DB },
        { distinct: "env", key: "_id", $db: DB },
        {
          update: "env",
          updates: [{ q: { _id: 1 }, u: { $set: { a: 1 } } }],
          writeConcern: { w: 1 },
          $db: DB,
        },
        { findAndModify: "env", query: { _id: 1 }, update: { $set: { b: 1 } }, $db: DB },
        { delete: "env", deletes: [{ q: { _id: 2 }, limit: 1 }], $db: DB },
        { listCollections: 1, $db: DB },
        { listIndexes: "env", $db: DB },
        { createIndexes: "env", indexes: [{ key: { a: 1 }, name: "a_1" }], writeConcern: { w: 1 }, $db: DB },
      ];
      for (const cmd of commands) {
        const reply = await rawCommand(conn, rid(), { ...cmd, ...envelope });
        const name = Object.keys(cmd)[0];
        assert.equal(reply.doc.ok, 1, `${name} with envelope fields: ${JSON.stringify(reply.doc)}`);
        assert.equal(reply.doc.writeErrors, undefined, `${name}: no write errors`);
        assert.equal(reply.doc.writeConcernError, undefined, `${name}: no write concern error`);
      }
    } finally {
      conn.close();
    }
  });

  test("writeConcern w > 1 gives writeConcernError 100 UnsatisfiableWriteConcern", async () => {
    const conn = await RawConnection.open(fx.port);
    try {
      const reply = await rawCommand(conn, rid(), {
        insert: "wc",
        documents: [{ _id: 1 }],
        writeConcern: { w: 3 },
        $db: DB,
      });
      assert.equal(reply.doc.ok, 1);
      assert.equal(reply.doc.n, 1);
      assert.equal(reply.doc.writeConcernError?.code, 100);
      assert.equal(reply.doc.writeConcernError?.codeName, "UnsatisfiableWriteConcern");
    } finally {
      conn.close();
    }
  });

  test("bad commands answer ok:0 with code, codeName and errmsg", async () => {
    const conn = await RawConnection.open(fx.port);
    try {
      const cases: { cmd: Document; code?: number; codeName?: string }[] = [
        { cmd: { nosuch: 1, $db: DB }, code: 59, codeName: "CommandNotFound" },
        { cmd: { find: "x", foo: 1, $db: DB }, code: 40415 },
        { cmd: { aggregate: "x", pipeline: [], $db: DB }, code: 9, codeName: "FailedToParse" },
        { cmd: { aggregate: "x", pipeline: [{ $nosuch: {} }], cursor: {}, $db: DB }, code: 40324 },
        {
          cmd: { getMore: Long.fromNumber(123456789), collection: "x", $db: DB },
          code: 43,
          codeName: "CursorNotFound",
        },
        { cmd: { insert: "x", $db: DB } },
        { cmd: { insert: 7, documents: [{}], $db: DB } },
        { cmd: { find: "x", filter: "nope", $db: DB } },
        { cmd: { listIndexes: "does_not_exist", $db: DB }, code: 26, codeName: "NamespaceNotFound" },
        { cmd: { create: "dupcoll", $db: DB } },
        { cmd: { create: "dupcoll", $db: DB }, code: 48, codeName: "NamespaceExists" },
        { cmd: { find: "x", filter: {}, projection: { a: 1, b: 0 }, $db: DB }, code: 31254 },
        {
          cmd: { aggregate: "x", pipeline: [{ $addFields: { a: { $nosuchop: 1 } } }], cursor: {}, $db: DB },
          code: 168,
        },
      ];
      const problems: string[] = [];
      for (const { cmd, code, codeName } of cases) {
        const reply = await rawCommand(conn, rid(), cmd);
        const label = JSON.stringify(cmd);
        if (cmd.create === "dupcoll" && code === undefined) {
          assert.equal(reply.doc.ok, 1, `first create succeeds: ${label}`);
          continue;
        }
        try {
          assert.equal(reply.doc.ok, 0, `${label} fails`);
          assert.equal(typeof reply.doc.code, "number", `${label}: numeric code`);
          assert.equal(typeof reply.doc.codeName, "string", `${label}: codeName`);
          assert.ok(reply.doc.codeName.length > 0, `${label}: non-empty codeName`);
          assert.equal(typeof reply.doc.errmsg, "string", `${label}: errmsg`);
          assert.ok(reply.doc.errmsg.length > 0, `${label}: non-empty errmsg`);
          if (code !== undefined) assert.equal(reply.doc.code, code, `${label}: code`);
          if (codeName !== undefined) assert.equal(reply.doc.codeName, codeName, `${label}: codeName`);
        } catch (error) {
          problems.push(`${(error as Error).message.split("\n")[0]} → got ${JSON.stringify(reply.doc)}`);
        }
      }
      assert.deepEqual(problems, []);
    } finally {
      conn.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------

/** A BSON document whose single element has the invalid type byte 0x7e. */
function corruptBson(): Buffer {
  const body = Buffer.from([0x7e, 0x61, 0x00, 0x01, 0x02, 0x03, 0x04, 0x00]);
  const len = Buffer.alloc(4);
  len.writeInt32LE(4 + body.length, 0);
  return Buffer.concat([len, body]);
}

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    table[i] = c >>> 0;
  }
  return table;
})();

function crc32c(buf: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of buf) crc = (CRC32C_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
