/**
 * Zip bombs: XLSX and DOCX uploads of about 300 KB that would inflate to more than 1 GB, sent to every
 * route that takes a workbook or a Word file (ledger import, catalogue import, catalogue attachments,
 * an application's files). Each is refused with 413 and a Chinese message before a parser inflates it,
 * nothing is stored, and the server's memory grows by no more than a few tens of MB. Two kinds: an
 * archive whose directory honestly declares the sizes (four entries sharing one 300 MB stream), and
 * one whose directory lies (it declares 1 KB per entry and would inflate to 300 MB each).
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { createDeflateRaw, deflateRawSync } from "node:zlib";
import { ARCHIVE_LIMITS } from "../../../server/security/archives.ts";
import { fingerprint } from "../../support/dbFingerprint.ts";
import type { TestResponse } from "../../support/http.ts";
import { startTestServer } from "../../support/testServer.ts";
import { goodRows, toXlsx } from "../routes/ledger.support.ts";
import { buildWorld, hasChinese, sendRaw, type World } from "./hostile.support.ts";

const server = await startTestServer();
const world: World = await buildWorld(server);
const agencyId = String(world.agency._id);

after(async () => {
  await server.close();
});

/** 300 MB of zeros deflated as a stream from one reused 1 MB buffer (about 300 KB). */
async function deflatedZeros(megabytes: number): Promise<Buffer> {
  const deflate = createDeflateRaw({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    deflate.on("end", resolve);
    deflate.on("error", reject);
  });
  const zeros = Buffer.alloc(1024 * 1024, 0x20);
  for (let i = 0; i < megabytes; i++) {
    if (!deflate.write(zeros)) await new Promise((resolve) => deflate.once("drain", resolve));
  }
  deflate.end();
  await done;
  return Buffer.concat(chunks);
}

interface Part {
  name: string;
  /** The deflated bytes. */
  data: Buffer;
  /** The decompressed size the directory declares. */
  declared: number;
  /** Directory entries that point at this one local entry (the shared-stream bomb). */
  aliases?: string[];
}

/** A ZIP archive (CRCs are not checked before the limits, so they are left 0). */
function zip(parts: Part[]): Buffer {
  const locals: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  let count = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(part.data.length, 18);
    local.writeUInt32LE(part.declared, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, part.data);
    for (const alias of [part.name, ...(part.aliases ?? [])]) {
      const aliasName = Buffer.from(alias);
      const central = Buffer.alloc(46);
      central.writeUInt32LE(0x02014b50, 0);
      central.writeUInt16LE(20, 4);
      central.writeUInt16LE(20, 6);
      central.writeUInt16LE(8, 10);
      central.writeUInt32LE(part.data.length, 20);
      central.writeUInt32LE(part.declared, 24);
      central.writeUInt16LE(aliasName.length, 28);
      central.writeUInt32LE(offset, 42);
      directory.push(central, aliasName);
      count++;
    }
    offset += 30 + name.length + part.data.length;
  }
  const directoryBytes = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(directoryBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directoryBytes, end]);
}

const MB = 1024 * 1024;
const big = await deflatedZeros(300);
const small = (name: string, text: string): Part => ({
  name,
  data: deflateRawSync(Buffer.from(text)),
  declared: Buffer.byteLength(text),
});

/** Four directory entries share one 300 MB stream: 1.2 GB declared, honestly. */
function honestBomb(kind: "xl" | "word"): Buffer {
  const main = kind === "xl" ? "xl/worksheets/sheet1.xml" : "word/document.xml";
  return zip([
    small("[Content_Types].xml", '<?xml version="1.0"?><Types/>'),
    {
      name: main,
      data: big,
      declared: 300 * MB,
      aliases: [1, 2, 3].map((n) => main.replace(/(\.xml)$/, `${n}$1`)),
    },
  ]);
}

/** Each entry declares 1 KB and would inflate to 300 MB. */
function lyingBomb(kind: "xl" | "word"): Buffer {
  const main = kind === "xl" ? "xl/worksheets/sheet1.xml" : "word/document.xml";
  return zip([
    small("[Content_Types].xml", '<?xml version="1.0"?><Types/>'),
    { name: main, data: big, declared: 1024, aliases: [main.replace(".xml", "2.xml")] },
  ]);
}

const xlsxUpload = { "X-Filename": encodeURIComponent("台账.xlsx") };

/** The routes that take an XLSX or DOCX, each sending `bytes`. */
const targets: { what: string; kind: "xl" | "word"; send(bytes: Buffer): Promise<TestResponse> }[] = [
  {
    what: "ledger import (XLSX)",
    kind: "xl",
    send: (bytes) =>
      sendRaw(
        world,
        world.staff,
        "POST",
        `/api/ledger/import?agencyId=${agencyId}`,
        bytes,
        "application/octet-stream",
        xlsxUpload,
      ),
  },
  {
    what: "catalogue import (XLSX)",
    kind: "xl",
    send: (bytes) =>
      sendRaw(
        world,
        world.staff,
        "POST",
        `/api/catalogue/import?agencyId=${agencyId}`,
        bytes,
        "application/octet-stream",
      ),
  },
  {
    what: "catalogue attachment (XLSX)",
    kind: "xl",
    send: async (bytes) => {
      const draft = await world.staff.post("/api/catalogue/items", {
        agencyId,
        title: `压缩炸弹附件测试${Math.random()}`,
        category: "agencyInfo",
        body: "正文",
        formedDate: "2026-01-05",
      });
      const id = (draft.body as { data: { id: string } }).data.id;
      return sendRaw(
        world,
        world.staff,
        "POST",
        `/api/catalogue/items/${id}/attachments?name=${encodeURIComponent("统计表.xlsx")}`,
        bytes,
        "application/octet-stream",
      );
    },
  },
  {
    what: "application file (DOCX)",
    kind: "word",
    send: (bytes) =>
      sendRaw(
        world,
        world.staff,
        "POST",
        `/api/requests/${world.ids.requests}/files?kind=material`,
        bytes,
        "application/octet-stream",
        {
          "X-Filename": encodeURIComponent("答复书.docx"),
        },
      ),
  },
];

describe("zip bombs", () => {
  it("are about 300 KB and declare more than 1 GB", () => {
    const bomb = honestBomb("xl");
    assert.ok(bomb.length < 400 * 1024 && bomb.length > 200 * 1024, `${bomb.length} bytes`);
    assert.ok(4 * 300 * MB > 1024 * MB);
    assert.ok(4 * 300 * MB > ARCHIVE_LIMITS.maxTotalBytes);
  });

  for (const target of targets) {
    for (const [variant, build] of [
      ["declaring its size", honestBomb],
      ["lying about its size", lyingBomb],
    ] as const) {
      it(`refuses a bomb ${variant} at the ${target.what} with 413, storing nothing and staying small`, async () => {
        const bomb = build(target.kind);
        global.gc?.();
        const before = process.memoryUsage().rss;
        let peak = before;
        const sampler = setInterval(() => {
          peak = Math.max(peak, process.memoryUsage().rss);
        }, 5);
        const stateBefore = target.what.includes("attachment")
          ? null
          : await fingerprint(server.db.connection);
        const started = performance.now();
        const response = await target.send(bomb);
        const elapsed = performance.now() - started;
        clearInterval(sampler);
        peak = Math.max(peak, process.memoryUsage().rss);
        assert.equal(response.status, 413, JSON.stringify(response.body));
        const body = response.body as { code: string; message: string };
        assert.equal(body.code, "payload_too_large");
        assert.ok(hasChinese(body.message), body.message);
        assert.match(body.message, /解压/);
        if (stateBefore)
          assert.deepEqual(await fingerprint(server.db.connection), stateBefore, "nothing stored");
        const growth = (peak - before) / MB;
        assert.ok(growth < 48, `RSS grew by ${growth.toFixed(1)} MB`);
        assert.ok(elapsed < 5000, `answered in ${elapsed.toFixed(0)} ms`);
      });
    }
  }

  it("still reads an honest workbook", async () => {
    const response = await sendRaw(
      world,
      world.staff,
      "POST",
      `/api/ledger/import?agencyId=${agencyId}`,
      await toXlsx(goodRows("ZB").slice(0, 2)),
      "application/octet-stream",
      xlsxUpload,
    );
    assert.equal(response.status, 200, JSON.stringify(response.body));
  });
});
