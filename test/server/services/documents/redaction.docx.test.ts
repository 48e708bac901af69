/**
 * 区分处理 of a Word file: a real DOCX (written with the `docx` package) holding a known ID number,
 * phone and name is uploaded, converted to PDF by LibreOffice, searched, redacted and delivered over
 * HTTP; text extraction proves nothing of them is left in the delivered PDF while the DOCX on file
 * keeps them. Also: a file named .docx that is not one, a broken DOCX, LibreOffice missing (PDFs still
 * work), a linked picture that must not be fetched, and the converter's timeout, queue and clean-up.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { chmod, mkdtemp, readFile as readDiskFile, readdir, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { defaults } from "@govinfo/config/defaults";
import type { RedactionBox, RedactionHitDto } from "@govinfo/shared/schemas/redaction";
import mongoose, { Types } from "mongoose";
import * as mupdf from "mupdf";
import { createApp } from "../../../../server/app.ts";
import { createLogger } from "../../../../server/logger.ts";
import { AuditEvent } from "../../../../server/models/AuditEvent.ts";
import { DisclosureRequest } from "../../../../server/models/DisclosureRequest.ts";
import { RedactionSet } from "../../../../server/models/RedactionSet.ts";
import { createPersonalDataCipher } from "../../../../server/security/personalData.ts";
import { createDocxConverter } from "../../../../server/services/documents/docxToPdf.ts";
import { BUCKET_NAME, readFile } from "../../../../server/services/documents/files.ts";
import { buildRequest } from "../../../factories/requests.ts";
import type { Client } from "../../../support/clients.ts";
import { readDocx } from "../../../support/docx.ts";
import { request } from "../../../support/http.ts";
import { buildSecretDocx, DOCX_PUBLIC_TEXT, withLinkedImage } from "../../../support/redactionDocx.ts";
import { buildSecretPdf, extractEverything, SECRET } from "../../../support/redactionPdf.ts";
import { createTempDir, type TempDir } from "../../../support/tempDir.ts";
import { startTestServer, type TestServer } from "../../../support/testServer.ts";
import { fails, fire, ok, type StaffedAgency, staffedAgency } from "../../routes/requests.support.ts";

let server: TestServer;
let staff: StaffedAgency;
let scratch: TempDir;
/** A second app on the same database whose SOFFICE_PATH names a binary that does not exist. */
let withoutSoffice: Server;
let withoutSofficeUrl: string;
const dataKey = randomBytes(32);
const cipher = createPersonalDataCipher(randomBytes(32));
const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const repoRoot = resolve(import.meta.dirname, "../../../..");

before(async () => {
  server = await startTestServer({ dataKey });
  staff = await staffedAgency(server);
  scratch = await createTempDir("docx-redaction");
  const app = createApp({
    db: server.db,
    logger: createLogger({ level: "silent" }),
    dataKey,
    sofficePath: join(scratch.path, "no-such-soffice"),
  });
  withoutSoffice = createServer(app.callback());
  await new Promise<void>((resolve) => withoutSoffice.listen(0, "127.0.0.1", resolve));
  withoutSofficeUrl = `http://127.0.0.1:${(withoutSoffice.address() as AddressInfo).port}`;
});
after(async () => {
  withoutSoffice.closeAllConnections();
  await new Promise<void>((resolve) => withoutSoffice.close(() => resolve()));
  await server.close();
  await scratch.remove();
});

function upload(client: Client, requestId: string, filename: string, bytes: Buffer) {
  return server.request(`/api/requests/${requestId}/files?kind=delivered`, {
    method: "POST",
    headers: {
      ...client.headers,
      "Content-Type": "application/octet-stream",
      "X-Filename": encodeURIComponent(filename),
    },
    body: bytes,
  });
}

async function newRequest(): Promise<string> {
  return String((await buildRequest(staff.agency, cipher, { events: [] }))._id);
}

/** Files GridFS holds for an application, by kind. */
async function storedKinds(requestId: string): Promise<string[]> {
  const files = await mongoose.connection
    .db!.collection(`${BUCKET_NAME}.files`)
    .find({ "metadata.requestId": new Types.ObjectId(requestId) })
    .toArray();
  return files.map((file) => String(file.metadata?.kind)).sort();
}

describe("redaction of a Word (DOCX) file", () => {
  it("converts once, searches, applies and delivers a PDF without the secrets; the DOCX keeps them", async () => {
    const id = await newRequest();
    const docx = await buildSecretDocx(1);
    const uploaded = ok<{ id: string; contentType: string; title: string }>(
      await upload(staff.handler, id, "会议纪要.docx", docx),
      201,
    );
    assert.equal(uploaded.contentType, DOCX_TYPE);
    const base = `/api/requests/${id}/documents/${uploaded.id}/redaction`;

    const view = ok<{ convertedFrom: string | null; pages: unknown[]; version: number }>(
      await staff.handler.get(base),
    );
    assert.equal(view.convertedFrom, "docx");
    assert.equal(view.pages.length, 1);
    assert.equal(view.version, 0);
    const set = await RedactionSet.findOne({ requestId: new Types.ObjectId(id) }).lean();
    assert.match(set?.conversion?.converter ?? "", /LibreOffice/);
    assert.ok((set?.conversion?.durationMs ?? 0) > 0);

    const hits = [
      ...ok<RedactionHitDto[]>(await staff.handler.post(`${base}/search`, { pattern: "idNumber" })),
      ...ok<RedactionHitDto[]>(await staff.handler.post(`${base}/search`, { pattern: "phone" })),
      ...ok<RedactionHitDto[]>(await staff.handler.post(`${base}/search`, { phrase: SECRET.name })),
    ];
    assert.deepEqual(
      hits.map((hit) => hit.text).sort(),
      [SECRET.idNumber, SECRET.phone, SECRET.name, SECRET.name].sort(),
      "body: ID number and phone; the name in the table and in the page header",
    );
    const boxes: RedactionBox[] = hits.map(({ page, x, y, width, height }) => ({
      page,
      x,
      y,
      width,
      height,
      ground: "art15.thirdPartyRefused",
      note: "个人信息",
    }));
    ok(await staff.handler.put(base, { boxes }));
    const page = await fetch(`${server.baseUrl}${base}/pages/1`, { headers: staff.reviewer.headers });
    assert.equal(page.status, 200);
    assert.equal(page.headers.get("content-type"), "image/png");

    const applied = ok<{ id: string; title: string; filename: string }>(
      await staff.reviewer.post(`${base}/apply`),
      201,
    );
    assert.equal(applied.filename, "会议纪要（区分处理）.pdf");
    assert.match(applied.title, /区分处理，由 Word 文件转换为 PDF/);

    const stored = await DisclosureRequest.findById(id).lean();
    const entry = (docId: string) => stored?.documents.find((doc) => String(doc._id) === docId);
    assert.equal(entry(uploaded.id)?.forApplicant, false, "the DOCX is on file, never delivered");
    const delivered = await readFile(entry(applied.id)?.fileId as Types.ObjectId);
    const { text, raw } = extractEverything(delivered);
    for (const secret of Object.values(SECRET))
      assert.ok(!text.includes(secret) && !raw.includes(secret), secret);
    assert.ok(text.includes(DOCX_PUBLIC_TEXT), "the rest of the document is delivered");
    const pdf = mupdf.Document.openDocument(delivered, "application/pdf");
    assert.equal(pdf.getMetaData("info:Author"), undefined, "the Word file's author is not delivered");
    const original = readDocx(await readFile(entry(uploaded.id)?.fileId as Types.ObjectId)).text;
    for (const secret of Object.values(SECRET))
      assert.ok(original.includes(secret), `the DOCX keeps ${secret}`);

    // Converted once: later steps reuse the PDF; the conversion is audited.
    assert.deepEqual(await storedKinds(id), ["converted", "delivered", "redacted"]);
    const actions = (await AuditEvent.find({ targetId: id }).lean()).map((event) => event.action);
    assert.equal(actions.filter((action) => action === "request.redaction.convert").length, 1);

    // The reply lists the delivered file as converted from a Word file, and the ground.
    ok(await fire(staff.reviewer, id, { type: "decide", date: "2025-03-10", outcome: "partial" }));
    const preview = ok<{ paragraphs: string[] }>(
      await staff.reviewer.get(`/api/requests/${id}/letters/reply/preview`),
    );
    const letter = preview.paragraphs.join("\n");
    assert.match(letter, /附件：.*（区分处理，由 Word 文件转换为 PDF）/);
    assert.ok(letter.includes("根据《条例》第十五条的规定，不予公开"), letter);
  });

  it("refuses a file named .docx that is not one, and a DOCX LibreOffice cannot read; nothing is written", async () => {
    const id = await newRequest();
    const fake = fails(await upload(staff.handler, id, "会议纪要.docx", buildSecretPdf(1)), 415);
    assert.match(fake.message, /内容不是有效的Word（DOCX）文件/);

    // Zip-shaped with a word/ part, so it passes the type check, but not a document LibreOffice opens.
    const broken = Buffer.concat([
      Buffer.from([0x50, 0x4b, 0x03, 0x04]),
      Buffer.from("word/document.xml this is not a zip entry"),
    ]);
    const stored = ok<{ id: string }>(await upload(staff.handler, id, "损坏.docx", broken), 201);
    const refused = fails(
      await staff.handler.get(`/api/requests/${id}/documents/${stored.id}/redaction`),
      400,
    );
    assert.match(refused.message, /Word（DOCX）文件已损坏或无法转换为 PDF.*另存为 PDF/);

    assert.equal(await RedactionSet.countDocuments({ requestId: new Types.ObjectId(id) }), 0);
    assert.deepEqual(await storedKinds(id), ["delivered"]);
    assert.equal(await AuditEvent.countDocuments({ targetId: id, action: /^request\.redaction/ }), 0);
  });

  it("without LibreOffice a DOCX is refused in Chinese, and a PDF is still redacted", async () => {
    const id = await newRequest();
    const docx = ok<{ id: string }>(
      await upload(staff.handler, id, "会议纪要.docx", await buildSecretDocx(1)),
      201,
    );
    const pdf = ok<{ id: string }>(await upload(staff.handler, id, "会议纪要.pdf", buildSecretPdf(1)), 201);
    const send = (method: string, path: string, json?: unknown) =>
      request(`${withoutSofficeUrl}/api/requests/${id}/documents/${path}`, {
        method,
        headers: staff.handler.headers,
        ...(json === undefined ? {} : { json }),
      });

    const refused = fails(await send("GET", `${docx.id}/redaction`), 415);
    assert.match(refused.message, /未安装 Word 转换组件（LibreOffice）.*另存为 PDF/);
    const box = { page: 0, x: 60, y: 80, width: 200, height: 30, ground: "notGovInfo" };
    fails(await send("PUT", `${docx.id}/redaction`, { boxes: [box] }), 415);
    assert.deepEqual(await storedKinds(id), ["delivered", "delivered"], "nothing converted or stored");

    ok(await send("PUT", `${pdf.id}/redaction`, { boxes: [box] }));
    const applied = ok<{ kind: string }>(await send("POST", `${pdf.id}/redaction/apply`, {}), 201);
    assert.equal(applied.kind, "redacted");
  });
});

describe("the DOCX converter process", () => {
  /** A stand-in for soffice: logs its start and end, and optionally outlives the timeout. */
  async function fakeSoffice(name: string, body: string): Promise<string> {
    const path = join(scratch.path, name);
    await writeFile(path, `#!/bin/sh\n${body}\n`);
    await chmod(path, 0o755);
    return path;
  }

  it("kills the process group on timeout and leaves no temporary files", async () => {
    const pidFile = join(scratch.path, "sleeper.pid");
    const soffice = await fakeSoffice("hanging-soffice", `sleep 30 &\necho $! > ${pidFile}\nwait`);
    const tmpDir = await mkdtemp(join(scratch.path, "timeout-"));
    const converter = createDocxConverter({ soffice, timeoutMs: 300, tmpDir });
    const started = Date.now();
    await assert.rejects(converter.convert(await buildSecretDocx(1)), (error: Error) => {
      assert.match(error.message, /秒内未能转换为 PDF/);
      return true;
    });
    assert.ok(Date.now() - started < 5_000, "refused at the timeout, not when the child ends");
    const sleeper = Number(await readDiskFile(pidFile, "utf8"));
    const deadline = Date.now() + 3_000;
    while (await isAlive(sleeper)) {
      assert.ok(Date.now() < deadline, `the grandchild ${sleeper} outlived the timeout`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.deepEqual(await readdir(tmpDir), [], "the conversion's directory is removed");
  });

  it("a server that exits mid-conversion takes LibreOffice and the files with it", async () => {
    const pidFile = join(scratch.path, "orphan.pid");
    const soffice = await fakeSoffice("orphan-soffice", `sleep 30 &\necho $! > ${pidFile}\nwait`);
    const tmpDir = await mkdtemp(join(scratch.path, "exit-"));
    const converterUrl = pathToFileURL(join(repoRoot, "server/services/documents/docxToPdf.ts")).href;
    const docxUrl = pathToFileURL(join(repoRoot, "test/support/redactionDocx.ts")).href;
    // The child starts a conversion that would hang for a minute, waits until it runs, and exits.
    const script = [
      `const { createDocxConverter } = await import(${JSON.stringify(converterUrl)});`,
      `const { buildSecretDocx } = await import(${JSON.stringify(docxUrl)});`,
      `const { existsSync } = await import("node:fs");`,
      `const converter = createDocxConverter({ soffice: ${JSON.stringify(soffice)}, tmpDir: ${JSON.stringify(tmpDir)} });`,
      "converter.convert(await buildSecretDocx(1)).catch(() => {});",
      `const deadline = Date.now() + 20000;`,
      `while (!existsSync(${JSON.stringify(pidFile)}) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));`,
      "process.exit(0);",
    ].join("\n");
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: repoRoot,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const killer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    const [code] = (await once(child, "exit")) as [number | null];
    clearTimeout(killer);
    assert.equal(code, 0, stderr);
    const sleeper = Number(await readDiskFile(pidFile, "utf8"));
    const deadline = Date.now() + 3_000;
    while (await isAlive(sleeper)) {
      assert.ok(Date.now() < deadline, `LibreOffice's child ${sleeper} outlived the server`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.deepEqual(await readdir(tmpDir), [], "the conversion's directory is removed on exit");
  });

  it("converts without fetching what the Word file links to", async () => {
    const requested: string[] = [];
    const linkTarget = createServer((req, res) => {
      requested.push(req.url ?? "");
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((resolve) => linkTarget.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(linkTarget.address() as AddressInfo).port}/internal.png`;
      const docx = await withLinkedImage(await buildSecretDocx(1), url);
      assert.match(readDocx(docx).documentXml, /r:link="rIdLinked"/);
      const { pdf } = await createDocxConverter({ soffice: defaults.sofficePath }).convert(docx);
      assert.ok(extractEverything(pdf).text.includes(DOCX_PUBLIC_TEXT), "the document itself converted");
      assert.deepEqual(requested, [], "LibreOffice requested the linked picture");
    } finally {
      linkTarget.closeAllConnections();
      await new Promise<void>((resolve) => linkTarget.close(() => resolve()));
    }
  });

  it("runs one conversion at a time and refuses past the queue with 503", async () => {
    const log = join(scratch.path, "runs.log");
    const soffice = await fakeSoffice("slow-soffice", `echo start >> ${log}\nsleep 0.2\necho end >> ${log}`);
    const converter = createDocxConverter({ soffice, concurrency: 1, maxQueued: 1 });
    const docx = await buildSecretDocx(1);
    const results = await Promise.allSettled([1, 2, 3].map(() => converter.convert(docx)));
    const statuses = results.map((result) =>
      result.status === "rejected" ? (result.reason as { status?: number }).status : 200,
    );
    // The fake writes no PDF: the two that ran are refused as unconvertible, the third was never run.
    assert.deepEqual(statuses, [400, 400, 503]);
    assert.equal(await readDiskFile(log, "utf8"), "start\nend\nstart\nend\n");
  });
});

/** Whether a process runs; a zombie (killed, not yet reaped by an init that may never reap) counts as gone. */
async function isAlive(pid: number): Promise<boolean> {
  const stat = await readDiskFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  // The state follows the parenthesised command name: "1234 (sleep) S ...".
  const state = /\) (\S)/.exec(stat)?.[1];
  return state !== undefined && state !== "Z" && state !== "X";
}
