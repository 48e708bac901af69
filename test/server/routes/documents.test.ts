import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { Types } from "mongoose";
import { Agency, type AgencyDoc } from "../../../server/models/Agency.ts";
import { AuditEvent } from "../../../server/models/AuditEvent.ts";
import { DisclosureRequest } from "../../../server/models/DisclosureRequest.ts";
import { contentDisposition } from "../../../server/routes/documents.ts";
import { createPersonalDataCipher } from "../../../server/security/personalData.ts";
import { fileInfo, putFile, readFile } from "../../../server/services/documents/files.ts";
import { buildAgency, buildStaff } from "../../factories/people.ts";
import { buildRequest } from "../../factories/requests.ts";
import { type Client, loginApplicant, loginStaff } from "../../support/clients.ts";
import { readDocx } from "../../support/docx.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";

let server: TestServer;
let agency: AgencyDoc;
let otherAgency: AgencyDoc;
let reviewer: Client;
let outsider: Client;
const cipher = createPersonalDataCipher(randomBytes(32));
const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

before(async () => {
  server = await startTestServer();
  agency = await buildAgency({ code: "HDSTHJ", name: "海东市生态环境局" });
  await Agency.updateOne({ _id: agency._id }, { $set: { serialPrefix: "海东生环" } });
  agency = (await Agency.findById(agency._id).lean()) as AgencyDoc;
  otherAgency = await buildAgency({ name: "海东市水务局" });
  const staff = await buildStaff([
    { agency, role: "reviewer" },
    { agency, role: "handler" },
  ]);
  reviewer = await loginStaff(server, staff.username, staff.password);
  const stranger = await buildStaff([{ agency: otherAgency, role: "reviewer" }]);
  outsider = await loginStaff(server, stranger.username, stranger.password);
});
after(async () => {
  await server.close();
});

/** GETs raw bytes with a client's credentials. */
async function download(
  client: Client,
  path: string,
): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const response = await fetch(`${server.baseUrl}${path}`, { headers: client.headers });
  return {
    status: response.status,
    headers: response.headers,
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

/** POSTs a raw file body. */
function upload(
  client: Client,
  path: string,
  filename: string,
  bytes: Buffer,
  contentType = "application/octet-stream",
) {
  return server.request(path, {
    method: "POST",
    headers: { ...client.headers, "Content-Type": contentType, "X-Filename": encodeURIComponent(filename) },
    body: bytes,
  });
}

async function applicantId(client: Client): Promise<Types.ObjectId> {
  const me = await client.get("/api/auth/me");
  return new Types.ObjectId((me.body as { data: { id: string } }).data.id);
}

function pdf(size: number): Buffer {
  const bytes = randomBytes(size);
  bytes.write("%PDF-1.7\n", 0, "latin1");
  return bytes;
}

describe("letters over HTTP", () => {
  it("previews, issues with edits, lists in documents[] and downloads with RFC 5987 headers", async () => {
    const request = await buildRequest(agency, cipher, {
      events: [{ type: "decide", date: "2025-03-25", outcome: "withheld.processInfo" }],
    });
    const preview = await reviewer.get(`/api/requests/${request._id}/letters/reply/preview`);
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    const model = (preview.body as { data: { title: string; paragraphs: string[]; documentNumber: string } })
      .data;
    assert.equal(model.documentNumber, request.serialNo);
    const paragraphs = [
      ...model.paragraphs.slice(0, -1),
      "经办人补充说明：相关材料仍在讨论中。",
      "特此告知。",
    ];

    const issued = await reviewer.post(`/api/requests/${request._id}/letters/reply`, { paragraphs });
    assert.equal(issued.status, 201, JSON.stringify(issued.body));
    const doc = (
      issued.body as { data: { id: string; filename: string; size: number; forApplicant: boolean } }
    ).data;
    assert.equal(doc.filename, `${request.serialNo}-政府信息公开申请答复告知书.docx`);
    assert.equal(doc.forApplicant, true);

    const stored = await DisclosureRequest.findById(request._id).lean();
    assert.equal(stored?.state, "decided", "issuing a letter never changes the state");
    assert.equal(stored?.version, request.version, "nor the version");
    assert.equal(stored?.documents.length, 1);
    assert.equal(stored?.documents[0]?.kind, "reply");
    assert.equal(stored?.documents[0]?.eventIndex, 1);
    const audits = await AuditEvent.find({ targetId: String(request._id), action: "request.letter" }).lean();
    assert.equal(audits.length, 1);
    assert.equal((audits[0]?.details as { edited?: boolean } | undefined)?.edited, true);

    const file = await download(reviewer, `/api/requests/${request._id}/documents/${doc.id}`);
    assert.equal(file.status, 200);
    assert.equal(file.headers.get("content-type"), DOCX);
    assert.equal(Number(file.headers.get("content-length")), doc.size);
    assert.equal(file.bytes.length, doc.size);
    const disposition = file.headers.get("content-disposition") ?? "";
    assert.ok(disposition.startsWith("attachment;"));
    assert.ok(disposition.includes(`filename*=UTF-8''${encodeURIComponent(doc.filename)}`), disposition);
    assert.ok(disposition.includes('filename="document.docx"'));
    const text = readDocx(file.bytes).text;
    assert.ok(text.includes("经办人补充说明：相关材料仍在讨论中。"), "the edited paragraphs are printed");
    assert.ok(text.includes(request.serialNo));
    assert.deepEqual(await readFile(stored?.documents[0]?.fileId as Types.ObjectId), file.bytes);
  });

  it("percent-encodes every RFC 5987 special character", () => {
    assert.equal(
      contentDisposition("答复(1)'s*.pdf"),
      "attachment; filename=\"document.pdf\"; filename*=UTF-8''%E7%AD%94%E5%A4%8D%281%29%27s%2A.pdf",
    );
    assert.equal(
      contentDisposition("reply.pdf"),
      "attachment; filename=\"reply.pdf\"; filename*=UTF-8''reply.pdf",
    );
  });

  it("refuses a letter whose event has not happened, an unknown kind, and staff of another agency", async () => {
    const request = await buildRequest(agency, cipher);
    const early = await reviewer.post(`/api/requests/${request._id}/letters/fee`, {});
    assert.equal(early.status, 409);
    assert.match((early.body as { message: string }).message, /收费通知/);
    const unknown = await reviewer.get(`/api/requests/${request._id}/letters/bogus/preview`);
    assert.equal(unknown.status, 400);
    const foreign = await outsider.get(`/api/requests/${request._id}/letters/receipt/preview`);
    assert.equal(foreign.status, 404);
    const foreignIssue = await outsider.post(`/api/requests/${request._id}/letters/receipt`, {});
    assert.equal(foreignIssue.status, 404);
  });

  it("lets the owning applicant download their reply letter; another applicant gets 404", async () => {
    const owner = await loginApplicant(server, "13900000001");
    const stranger = await loginApplicant(server, "13900000002");
    const request = await buildRequest(agency, cipher, {
      applicantAccountId: await applicantId(owner),
      events: [
        { type: "startConsultation", date: "2025-03-05", party: "thirdParty", name: "海东某化工有限公司" },
        { type: "endConsultation", date: "2025-03-10", result: "objected" },
        { type: "decide", date: "2025-03-25", outcome: "withheld.thirdParty" },
      ],
    });
    const reply = await reviewer.post(`/api/requests/${request._id}/letters/reply`, {});
    const consultation = await reviewer.post(`/api/requests/${request._id}/letters/consultation`, {});
    assert.equal(reply.status, 201);
    assert.equal(consultation.status, 201);
    const replyId = (reply.body as { data: { id: string } }).data.id;
    const consultationId = (consultation.body as { data: { id: string; forApplicant: boolean } }).data;
    assert.equal(consultationId.forApplicant, false);

    const mine = await download(owner, `/api/requests/${request._id}/documents/${replyId}`);
    assert.equal(mine.status, 200);
    assert.equal(mine.headers.get("content-type"), DOCX);
    assert.ok(readDocx(mine.bytes).text.includes("保护") || readDocx(mine.bytes).text.includes("第三方"));

    const internal = await download(owner, `/api/requests/${request._id}/documents/${consultationId.id}`);
    assert.equal(internal.status, 404, "the letter to the third party is not the applicant's");
    const theirs = await download(stranger, `/api/requests/${request._id}/documents/${replyId}`);
    assert.equal(theirs.status, 404);
    const wrongDoc = await download(owner, `/api/requests/${request._id}/documents/${new Types.ObjectId()}`);
    assert.equal(wrongDoc.status, 404);
    const applicantIssues = await owner.post(`/api/requests/${request._id}/letters/reply`, {});
    assert.equal(applicantIssues.status, 403);
  });
});

describe("the letter as it will be issued", () => {
  it("previews a draft reply with the dialog's 文号, 说明 and 答复依据 and lists the uploaded attachments", async () => {
    const request = await buildRequest(agency, cipher);
    const plain = await reviewer.get(`/api/requests/${request._id}/letters/reply/preview?outcome=granted`);
    assert.equal(plain.status, 200, JSON.stringify(plain.body));
    const before = (plain.body as { data: { documentNumber: string; paragraphs: string[] } }).data;
    assert.equal(before.documentNumber, request.serialNo, "no 文号 typed yet: the serial number");
    assert.ok(!before.paragraphs.some((p) => p.startsWith("附件：")), "nothing uploaded: no 附件 line");

    const uploaded = await upload(
      reviewer,
      `/api/requests/${request._id}/files?title=${encodeURIComponent("环评批复")}`,
      "环评批复.pdf",
      pdf(2000),
    );
    assert.equal(uploaded.status, 201, JSON.stringify(uploaded.body));
    const query = new URLSearchParams({
      outcome: "granted",
      ground: "disclosable",
      documentNumber: "海东环公开〔2025〕7号",
      note: "所附材料为批复原件的扫描件",
    });
    const draft = await reviewer.get(`/api/requests/${request._id}/letters/reply/preview?${query}`);
    assert.equal(draft.status, 200, JSON.stringify(draft.body));
    const model = (draft.body as { data: { documentNumber: string; paragraphs: string[] } }).data;
    assert.equal(model.documentNumber, "海东环公开〔2025〕7号");
    assert.ok(model.paragraphs.includes("所附材料为批复原件的扫描件"), model.paragraphs.join("\n"));
    assert.ok(
      model.paragraphs.some((p) => p.includes("第三十六条第（二）项")),
      "the chosen ground's article",
    );
    assert.equal(model.paragraphs.at(-1), "附件：环评批复");

    const notExist = await reviewer.get(
      `/api/requests/${request._id}/letters/reply/preview?outcome=unable.notHeld&ground=notExist`,
    );
    const notExistText = (notExist.body as { data: { paragraphs: string[] } }).data.paragraphs.join("");
    assert.match(notExistText, /该政府信息不存在/);

    const bad = await reviewer.get(`/api/requests/${request._id}/letters/reply/preview?ground=somewhere`);
    assert.equal(bad.status, 400);
    assert.match((bad.body as { message: string }).message, /答复依据/);
  });

  it("refuses to deliver a reply that says 见附件 until the attachment is uploaded", async () => {
    const request = await buildRequest(agency, cipher, {
      events: [{ type: "decide", date: "2025-03-25", outcome: "granted", ground: "disclosable" }],
    });
    const reply = await reviewer.post(`/api/requests/${request._id}/letters/reply`, {});
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    const deliver = { type: "deliver", date: "2025-03-26", method: "online" };
    const refused = await reviewer.post(`/api/requests/${request._id}/events`, {
      event: deliver,
      expectedVersion: request.version,
    });
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    assert.match((refused.body as { message: string }).message, /见附件.*上传/);
    const unchanged = await DisclosureRequest.findById(request._id).lean();
    assert.equal(unchanged?.state, "decided", "nothing written");
    assert.equal(unchanged?.events.length, request.events.length);

    const uploaded = await upload(reviewer, `/api/requests/${request._id}/files`, "信息.pdf", pdf(1000));
    assert.equal(uploaded.status, 201);
    const delivered = await reviewer.post(`/api/requests/${request._id}/events`, {
      event: deliver,
      expectedVersion: request.version,
    });
    assert.equal(delivered.status, 200, JSON.stringify(delivered.body));
  });

  it("delivers a reply whose text was edited not to promise an attachment", async () => {
    const request = await buildRequest(agency, cipher, {
      events: [{ type: "decide", date: "2025-03-25", outcome: "granted", ground: "disclosable" }],
    });
    const preview = await reviewer.get(`/api/requests/${request._id}/letters/reply/preview`);
    const paragraphs = (preview.body as { data: { paragraphs: string[] } }).data.paragraphs.map((p) =>
      p.replace("（见附件）", "（已当面交付）"),
    );
    assert.equal(
      (await reviewer.post(`/api/requests/${request._id}/letters/reply`, { paragraphs })).status,
      201,
    );
    const delivered = await reviewer.post(`/api/requests/${request._id}/events`, {
      event: { type: "deliver", date: "2025-03-26", method: "inPerson" },
      expectedVersion: request.version,
    });
    assert.equal(delivered.status, 200, JSON.stringify(delivered.body));
  });

  it("issues the 登记回执 and the 补正告知书 at their step, downloadable by the applicant", async () => {
    const owner = await loginApplicant(server, "13900000009");
    const request = await buildRequest(agency, cipher, {
      applicantAccountId: await applicantId(owner),
      events: [
        { type: "requestCorrection", date: "2025-03-05", items: ["请说明文件名称"], deadline: "2025-03-20" },
      ],
    });
    for (const kind of ["receipt", "correction"] as const) {
      const issued = await reviewer.post(`/api/requests/${request._id}/letters/${kind}`, {});
      assert.equal(issued.status, 201, JSON.stringify(issued.body));
      const doc = (issued.body as { data: { id: string; forApplicant: boolean } }).data;
      assert.equal(doc.forApplicant, true);
      const file = await download(owner, `/api/requests/${request._id}/documents/${doc.id}`);
      assert.equal(file.status, 200);
      const text = readDocx(file.bytes).text;
      assert.match(text, kind === "receipt" ? /登记回执/ : /请说明文件名称/);
    }
  });
});

describe("uploads", () => {
  it("stores a delivered PDF and serves it back byte for byte", async () => {
    const request = await buildRequest(agency, cipher, {
      events: [{ type: "decide", date: "2025-03-25", outcome: "granted" }],
    });
    const bytes = pdf(50_000);
    const response = await upload(
      reviewer,
      `/api/requests/${request._id}/files?title=${encodeURIComponent("环评批复")}`,
      "环评批复（2019）.pdf",
      bytes,
    );
    assert.equal(response.status, 201, JSON.stringify(response.body));
    const doc = (
      response.body as { data: { id: string; contentType: string; forApplicant: boolean; title: string } }
    ).data;
    assert.equal(doc.contentType, "application/pdf");
    assert.equal(doc.forApplicant, true);
    assert.equal(doc.title, "环评批复");
    const file = await download(reviewer, `/api/requests/${request._id}/documents/${doc.id}`);
    assert.ok(file.bytes.equals(bytes));
    assert.ok(
      (file.headers.get("content-disposition") ?? "").includes(encodeURIComponent("环评批复（2019）.pdf")),
    );
    assert.equal(
      await AuditEvent.countDocuments({ targetId: String(request._id), action: "request.file" }),
      1,
    );
  });

  it("refuses a disguised file: a .pdf whose bytes are not %PDF, a .docx that is not a Word package", async () => {
    const request = await buildRequest(agency, cipher);
    const fake = Buffer.concat([Buffer.from("MZ"), randomBytes(1000)]);
    const response = await upload(reviewer, `/api/requests/${request._id}/files`, "答复.pdf", fake);
    assert.equal(response.status, 415);
    const body = response.body as { code: string; message: string };
    assert.equal(body.code, "unsupported_media_type");
    assert.match(body.message, /不是有效的PDF文件/);

    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), randomBytes(500)]);
    const notWord = await upload(reviewer, `/api/requests/${request._id}/files`, "材料.docx", zip);
    assert.equal(notWord.status, 415);

    const exe = await upload(reviewer, `/api/requests/${request._id}/files`, "setup.exe", fake);
    assert.equal(exe.status, 415);
    assert.match((exe.body as { message: string }).message, /仅可上传/);

    const empty = await upload(reviewer, `/api/requests/${request._id}/files`, "空.pdf", Buffer.alloc(0));
    assert.equal(empty.status, 400);

    const json = await reviewer.post(`/api/requests/${request._id}/files`, { file: "x" });
    assert.equal(json.status, 415);

    const stored = await DisclosureRequest.findById(request._id).lean();
    assert.equal(stored?.documents.length, 0, "nothing refused was kept");
  });

  it("refuses a file over 20 MB with 413", async () => {
    const request = await buildRequest(agency, cipher);
    const response = await upload(
      reviewer,
      `/api/requests/${request._id}/files`,
      "大文件.pdf",
      pdf(20 * 1024 * 1024 + 1),
    );
    assert.equal(response.status, 413);
  });

  it("round-trips a 10 MB file through GridFS and HTTP byte for byte", async () => {
    const request = await buildRequest(agency, cipher);
    const bytes = pdf(10 * 1024 * 1024);
    const stored = await putFile({
      data: bytes,
      filename: "十兆.pdf",
      contentType: "application/pdf",
      requestId: request._id,
      agencyId: request.agencyId,
      kind: "material",
    });
    assert.equal(stored.size, bytes.length);
    const info = await fileInfo(stored.fileId);
    assert.equal(info?.metadata.kind, "material");
    assert.equal(String(info?.metadata.requestId), String(request._id));
    assert.ok((await readFile(stored.fileId)).equals(bytes));

    const response = await upload(
      reviewer,
      `/api/requests/${request._id}/files?kind=material`,
      "十兆.pdf",
      bytes,
      "application/pdf",
    );
    assert.equal(response.status, 201, JSON.stringify(response.body));
    const doc = (response.body as { data: { id: string; forApplicant: boolean; size: number } }).data;
    assert.equal(doc.forApplicant, false, "material is kept on file, not shown to the applicant");
    assert.equal(doc.size, bytes.length);
    const file = await download(reviewer, `/api/requests/${request._id}/documents/${doc.id}`);
    assert.equal(file.bytes.length, bytes.length);
    assert.ok(file.bytes.equals(bytes));
  });
});
