/**
 * 区分处理 over HTTP, through the real driver and embedded server: upload a PDF, search, save boxes
 * with their grounds, apply, decide 部分公开, issue the reply listing every ground; the original is
 * withdrawn from the applicant, every change is audited, and the set is frozen after the reply.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { RedactionBox, RedactionHitDto } from "@govinfo/shared/schemas/redaction";
import { Types } from "mongoose";
import { AuditEvent } from "../../../server/models/AuditEvent.ts";
import { DisclosureRequest } from "../../../server/models/DisclosureRequest.ts";
import { RedactionSet } from "../../../server/models/RedactionSet.ts";
import { createPersonalDataCipher } from "../../../server/security/personalData.ts";
import { readFile } from "../../../server/services/documents/files.ts";
import { buildRequest } from "../../factories/requests.ts";
import type { Client } from "../../support/clients.ts";
import { readDocx } from "../../support/docx.ts";
import { buildSecretPdf, extractEverything, IMAGE_SECRET_RECT, SECRET } from "../../support/redactionPdf.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";
import { fails, fire, ok, type StaffedAgency, staffedAgency } from "./requests.support.ts";

let server: TestServer;
let staff: StaffedAgency;
const cipher = createPersonalDataCipher(randomBytes(32));
const pdf = buildSecretPdf(1);

before(async () => {
  server = await startTestServer();
  staff = await staffedAgency(server);
});
after(async () => {
  await server.close();
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

async function newRequestWithPdf(): Promise<{ id: string; docId: string; base: string }> {
  const request = await buildRequest(staff.agency, cipher, { events: [] });
  const id = String(request._id);
  const doc = ok<{ id: string }>(await upload(staff.handler, id, "会议纪要.pdf", pdf), 201);
  return { id, docId: doc.id, base: `/api/requests/${id}/documents/${doc.id}/redaction` };
}

describe("redaction over HTTP", () => {
  it("search → save → apply → 部分公开 → reply lists each ground; original withheld; frozen after reply", async () => {
    const { id, docId, base } = await newRequestWithPdf();
    const hits = [
      ...ok<RedactionHitDto[]>(await staff.handler.post(`${base}/search`, { pattern: "idNumber" })),
      ...ok<RedactionHitDto[]>(await staff.handler.post(`${base}/search`, { pattern: "phone" })),
      ...ok<RedactionHitDto[]>(await staff.handler.post(`${base}/search`, { phrase: SECRET.name })),
    ];
    assert.equal(hits.length, 5, "text layer: 3; the annotation: ID number and phone");
    const boxes: RedactionBox[] = [
      ...hits.map(({ page, x, y, width, height }) => ({
        page,
        x,
        y,
        width,
        height,
        ground: "art15.thirdPartyRefused" as const,
        note: "个人信息",
      })),
      { page: 0, ...IMAGE_SECRET_RECT, ground: "art16.processInfo" },
    ];
    const saved = ok<{ boxes: RedactionBox[]; version: number; pages: unknown[] }>(
      await staff.handler.put(base, { boxes }),
    );
    assert.equal(saved.boxes.length, 6);
    assert.equal(saved.version, 1);
    assert.equal(saved.pages.length, 1);

    // The reviewer sees the boxes over the original: the set and a rendered page.
    const view = ok<{ boxes: RedactionBox[] }>(await staff.reviewer.get(base));
    assert.deepEqual(view.boxes, saved.boxes);
    const page = await fetch(`${server.baseUrl}${base}/pages/1`, { headers: staff.reviewer.headers });
    assert.equal(page.status, 200);
    assert.equal(page.headers.get("content-type"), "image/png");

    // The original is no longer delivered.
    let stored = await DisclosureRequest.findById(id).lean();
    assert.equal(stored?.documents.find((doc) => String(doc._id) === docId)?.forApplicant, false);

    const applied = ok<{ id: string; kind: string; forApplicant: boolean }>(
      await staff.reviewer.post(`${base}/apply`),
      201,
    );
    assert.equal(applied.kind, "redacted");
    assert.equal(applied.forApplicant, true);
    stored = await DisclosureRequest.findById(id).lean();
    const redactedEntry = stored?.documents.find((doc) => String(doc._id) === applied.id);
    assert.ok(redactedEntry);
    const delivered = await readFile(redactedEntry.fileId as Types.ObjectId);
    const { text } = extractEverything(delivered);
    for (const secret of Object.values(SECRET)) assert.ok(!text.includes(secret), secret);
    const originalEntry = stored?.documents.find((doc) => String(doc._id) === docId);
    const original = await readFile(originalEntry?.fileId as Types.ObjectId);
    assert.ok(extractEverything(original).text.includes(SECRET.idNumber), "the original keeps the record");

    // Any outcome but 部分公开 is refused once a redacted file is delivered.
    const granted = fails(
      await fire(staff.reviewer, id, { type: "decide", date: "2025-03-10", outcome: "granted" }),
      400,
    );
    assert.match(granted.message, /部分公开/);
    ok(await fire(staff.reviewer, id, { type: "decide", date: "2025-03-10", outcome: "partial" }));

    const preview = ok<{ paragraphs: string[] }>(
      await staff.reviewer.get(`/api/requests/${id}/letters/reply/preview`),
    );
    const body = preview.paragraphs.join("\n");
    assert.ok(body.includes("根据《条例》第十五条的规定，不予公开"), body);
    assert.ok(body.includes("根据《条例》第十六条第二款的规定，不予公开"), body);
    assert.ok(body.includes("遮盖的5处内容（个人信息）"), body);

    // Staff may reword, not drop a ground.
    const dropped = preview.paragraphs.filter((p) => !p.includes("第十五条"));
    const refused = fails(
      await staff.reviewer.post(`/api/requests/${id}/letters/reply`, { paragraphs: dropped }),
      400,
    );
    assert.match(refused.message, /不能删去.*第三方合法权益/);
    const reworded = preview.paragraphs.map((p) => p.replace("遮盖的5处内容", "遮盖的身份证号码等内容"));
    const letter = ok<{ id: string }>(
      await staff.reviewer.post(`/api/requests/${id}/letters/reply`, { paragraphs: reworded }),
      201,
    );
    stored = await DisclosureRequest.findById(id).lean();
    const letterEntry = stored?.documents.find((doc) => String(doc._id) === letter.id);
    const docx = readDocx(await readFile(letterEntry?.fileId as Types.ObjectId)).text;
    assert.ok(docx.includes("《条例》第十五条") && docx.includes("《条例》第十六条第二款"));

    // Frozen after the reply.
    const frozen = fails(await staff.handler.put(base, { boxes: [] }), 409);
    assert.match(frozen.message, /答复告知书已出具/);
    fails(await staff.handler.post(`${base}/apply`), 409);

    const actions = (await AuditEvent.find({ targetId: id }).lean()).map((event) => event.action);
    assert.ok(actions.includes("request.redaction.save"));
    assert.ok(actions.includes("request.redaction.apply"));
  });

  it("the set can be reopened and changed; re-applying withdraws the earlier redacted file", async () => {
    const { id, base } = await newRequestWithPdf();
    const box = { page: 0, ...IMAGE_SECRET_RECT, ground: "art14.stateSecret" as const };
    ok(await staff.handler.put(base, { boxes: [box] }));
    const first = ok<{ id: string }>(await staff.handler.post(`${base}/apply`), 201);
    const changed = ok<{ version: number }>(
      await staff.handler.put(base, { boxes: [box, { ...box, y: 600, ground: "notGovInfo" }] }),
    );
    assert.equal(changed.version, 2);
    const second = ok<{ id: string }>(await staff.handler.post(`${base}/apply`), 201);
    const stored = await DisclosureRequest.findById(id).lean();
    assert.equal(stored?.documents.find((doc) => String(doc._id) === first.id)?.forApplicant, false);
    assert.equal(stored?.documents.find((doc) => String(doc._id) === second.id)?.forApplicant, true);
    const set = await RedactionSet.findOne({ requestId: new Types.ObjectId(id) }).lean();
    assert.equal(set?.appliedVersion, 2);
    assert.equal(set?.appliedBoxes.length, 2);
  });

  it("refuses bad input in Chinese and writes nothing", async () => {
    const { id, base } = await newRequestWithPdf();
    const noGround = fails(
      await staff.handler.put(base, { boxes: [{ page: 0, x: 1, y: 1, width: 10, height: 10 }] }),
      400,
    );
    assert.match(JSON.stringify(noGround), /必须选择不予公开的理由/);
    const outside = fails(
      await staff.handler.put(base, {
        boxes: [{ page: 3, x: 1, y: 1, width: 10, height: 10, ground: "notGovInfo" }],
      }),
      400,
    );
    assert.match(outside.message, /第 4 页.*共 1 页/);
    fails(await staff.handler.post(`${base}/search`, {}), 400);
    const nothing = fails(await staff.handler.post(`${base}/apply`), 400);
    assert.match(nothing.message, /请先/);

    // A document of another application.
    const other = await newRequestWithPdf();
    const foreign = fails(
      await staff.handler.put(`/api/requests/${id}/documents/${other.docId}/redaction`, {
        boxes: [{ page: 0, x: 1, y: 1, width: 10, height: 10, ground: "notGovInfo" }],
      }),
      404,
    );
    assert.match(foreign.message, /不属于本申请/);

    // Not a PDF by content (a PNG), an encrypted PDF.
    const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
    const image = ok<{ id: string }>(await upload(staff.handler, id, "scan.png", png), 201);
    const notPdf = fails(await staff.handler.get(`/api/requests/${id}/documents/${image.id}/redaction`), 415);
    assert.match(notPdf.message, /只能对 PDF 文件/);
    const mupdf = await import("mupdf");
    const doc = mupdf.Document.openDocument(pdf, "application/pdf").asPDF();
    const encrypted = Buffer.from(
      doc?.saveToBuffer("encrypt=aes-256,user-password=x,owner-password=y").asUint8Array() ?? [],
    );
    const locked = ok<{ id: string }>(await upload(staff.handler, id, "locked.pdf", encrypted), 201);
    const enc = fails(
      await staff.handler.put(`/api/requests/${id}/documents/${locked.id}/redaction`, { boxes: [] }),
      400,
    );
    assert.match(enc.message, /已加密/);

    assert.equal(await RedactionSet.countDocuments({ requestId: new Types.ObjectId(id) }), 0);
    const audits = await AuditEvent.countDocuments({ targetId: id, action: /^request\.redaction/ });
    assert.equal(audits, 0);
  });
});
