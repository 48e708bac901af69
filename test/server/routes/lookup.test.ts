/**
 * 查询码 (issue 18), over real HTTP against the embedded database: every application gets a code; the
 * code and the applicant's name (or the phone's last four digits) show state, timeline, working days left
 * and the applicant's letters, never the ID number, phone or address; wrong guesses and missing codes get
 * one identical answer; lookups are rate-limited per address and per code; the 登记回执 prints the code
 * with a QR code that decodes to the lookup page; and a logged-in applicant whose phone matches the one
 * on file links a counter application to their account.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { formatQueryCode, QUERY_CODE_ALPHABET } from "@govinfo/shared/schemas/lookup";
import type { RequestDetailDto } from "@govinfo/shared/schemas/requestDto";
import mongoose from "mongoose";
import QRCode from "qrcode";
import { resetRateLimits } from "../../../server/middlewares/rateLimit.ts";
import { DisclosureRequest } from "../../../server/models/DisclosureRequest.ts";
import { anonymousClient, type Client, loginApplicant } from "../../support/clients.ts";
import { fingerprint } from "../../support/dbFingerprint.ts";
import { readDocx, unzip } from "../../support/docx.ts";
import { readPng } from "../../support/png.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";
import {
  fails,
  fireOk,
  ok,
  register,
  type StaffedAgency,
  secrets,
  staffedAgency,
  submission,
  today,
} from "./requests.support.ts";

let server: TestServer;
let staff: StaffedAgency;
let anon: Client;

before(async () => {
  server = await startTestServer({ trustProxy: true });
  staff = await staffedAgency(server);
  anon = anonymousClient(server);
});
after(async () => {
  await server.close();
});
beforeEach(() => resetRateLimits());

/** A lookup from one client address (X-Forwarded-For, the server trusts its proxy here). */
function lookup(body: unknown, from = "198.51.100.1") {
  return server.request("/api/lookup", { method: "POST", json: body, headers: { "X-Forwarded-For": from } });
}

/** The error envelope without the per-request id, to compare two refusals byte for byte. */
function refusal(response: { status: number; body: unknown }) {
  const { requestId: _ignored, ...rest } = response.body as Record<string, unknown>;
  return { status: response.status, ...rest };
}

/**
 * Whether the first PNG in a DOCX is the QR code of `text`: samples the centre of every module (a
 * 4-module quiet zone) and compares it with the symbol the `qrcode` encoder makes for `text` at any
 * error-correction level. Encoding is deterministic, so this reads the symbol back without a decoder.
 */
function docxQrEncodes(bytes: Buffer, text: string): boolean {
  const media = [...unzip(bytes)].find(([name]) => /^word\/media\/.+\.png$/.test(name));
  assert.ok(media, "the receipt carries a PNG image");
  const png = readPng(media[1]);
  return (["L", "M", "Q", "H"] as const).some((level) => {
    const { modules } = QRCode.create(text, { errorCorrectionLevel: level });
    const unit = png.width / (modules.size + 8);
    for (let row = 0; row < modules.size; row++) {
      for (let col = 0; col < modules.size; col++) {
        const x = Math.floor((col + 4.5) * unit);
        const y = Math.floor((row + 4.5) * unit);
        const dark = (png.grey[y * png.width + x] ?? 255) < 128;
        if (dark !== Boolean(modules.get(row, col))) return false;
      }
    }
    return true;
  });
}

describe("查询码", () => {
  let counter: RequestDetailDto;

  before(async () => {
    counter = await register(staff, today(), {
      applicant: { ...submission(staff.agency).applicant, name: "王五" },
    });
  });

  it("is given at registration and at online submission, from the unambiguous alphabet", async () => {
    assert.match(counter.queryCode ?? "", new RegExp(`^[${QUERY_CODE_ALPHABET}]{12}$`));
    const citizen = await loginApplicant(server, "13900000001");
    const online = ok<RequestDetailDto>(await citizen.post("/api/requests", submission(staff.agency)), 201);
    assert.match(online.queryCode ?? "", new RegExp(`^[${QUERY_CODE_ALPHABET}]{12}$`));
    assert.notEqual(online.queryCode, counter.queryCode);
  });

  it("with the name shows state, timeline, working days left and letters, and nothing personal", async () => {
    const code = counter.queryCode ?? "";
    await staff.registrar.post(`/api/requests/${counter.id}/letters/receipt`, {});
    const response = await lookup({ code: formatQueryCode(code).toLowerCase(), name: " 王五 " });
    const found = ok<Record<string, unknown>>(response);
    assert.equal(found.serialNo, counter.serialNo);
    assert.equal(found.state, "received");
    assert.equal(found.stateLabel, counter.stateLabel);
    assert.equal(found.workingDaysLeft, counter.clock.workingDaysLeft);
    assert.equal(found.dueDate, counter.clock.dueDate);
    assert.deepEqual(
      (found.timeline as { label: string }[]).map((e) => e.label),
      counter.timeline.map((e) => e.label),
    );
    assert.deepEqual(
      (found.letters as { title: string }[]).map((l) => l.title),
      ["政府信息公开申请登记回执"],
    );
    assert.equal(response.headers.get("cache-control"), "no-store");
    const text = JSON.stringify(response.body);
    for (const secret of [
      secrets.idNumber,
      secrets.phone,
      secrets.address,
      "5678",
      "****",
      "idNumber",
      "phone",
      "address",
    ]) {
      assert.ok(!text.includes(secret), `the lookup must not contain ${secret}`);
    }
  });

  it("also works with the last four digits of the phone on file", async () => {
    const found = ok<{ serialNo: string }>(
      await lookup({ code: counter.queryCode, phoneLast4: secrets.phone.slice(-4) }),
    );
    assert.equal(found.serialNo, counter.serialNo);
  });

  it("answers a wrong name, wrong digits and a missing code identically, with 404", async () => {
    const wrongName = await lookup({ code: counter.queryCode, name: "赵六" });
    const wrongDigits = await lookup({ code: counter.queryCode, phoneLast4: "0000" });
    const missing = await lookup({ code: "ABCDEFGHJKMN", name: "王五" });
    assert.equal(wrongName.status, 404);
    assert.deepEqual(refusal(wrongName), refusal(missing));
    assert.deepEqual(refusal(wrongDigits), refusal(missing));
    assert.match((missing.body as { message: string }).message, /查询码/);
  });

  it("refuses a lookup without name or digits, naming the fields in words, and writes nothing", async () => {
    const before = JSON.stringify(await fingerprint(mongoose.connection));
    const response = await lookup({ code: counter.queryCode });
    const error = fails(response, 400);
    assert.match(JSON.stringify(error), /申请人姓名或手机号码后4位/);
    const badDigits = fails(await lookup({ code: counter.queryCode, phoneLast4: "12a4" }), 400);
    assert.match(JSON.stringify(badDigits), /手机号码后4位/);
    assert.equal(JSON.stringify(await fingerprint(mongoose.connection)), before);
  });

  it("gives 429 to the 11th lookup in a minute from one address", async () => {
    for (let i = 0; i < 10; i++)
      assert.equal((await lookup({ code: "ABCDEFGHJKMN", name: "x" }, "203.0.113.9")).status, 404);
    const eleventh = await lookup({ code: counter.queryCode, name: "王五" }, "203.0.113.9");
    assert.equal(eleventh.status, 429);
    assert.ok(Number(eleventh.headers.get("retry-after")) > 0);
    // Another address is not affected.
    assert.equal((await lookup({ code: counter.queryCode, name: "王五" }, "203.0.113.10")).status, 200);
  });

  it("limits guesses on one code even from many addresses (30 an hour)", async () => {
    for (let i = 0; i < 30; i++) {
      const response = await lookup({ code: counter.queryCode, name: `猜${i}` }, `192.0.2.${i + 1}`);
      assert.equal(response.status, 404);
    }
    const next = await lookup({ code: counter.queryCode, name: "王五" }, "192.0.2.200");
    assert.equal(next.status, 429);
  });

  it("downloads the 登记回执, which prints the code and a QR code opening the lookup page", async () => {
    const found = ok<{ letters: { id: string }[] }>(await lookup({ code: counter.queryCode, name: "王五" }));
    const letter = found.letters[0];
    assert.ok(letter);
    const response = await fetch(`${server.baseUrl}/api/lookup/letters/${letter.id}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ code: counter.queryCode, name: "王五" }),
    });
    assert.equal(response.status, 200);
    const bytes = Buffer.from(await response.arrayBuffer());
    const { text } = readDocx(bytes);
    const printed = formatQueryCode(counter.queryCode ?? "");
    assert.match(text, new RegExp(`本申请的查询码为${printed}`));
    assert.match(text, new RegExp(`查询码：${printed}`));
    const link = `${server.baseUrl}/h5/#/pages/lookup/index?code=${encodeURIComponent(printed)}`;
    assert.ok(docxQrEncodes(bytes, link), "the QR code opens the lookup page with the code");
    assert.ok(!docxQrEncodes(bytes, `${link}X`), "the check tells one link from another");

    const wrong = await server.request(`/api/lookup/letters/${letter.id}`, {
      method: "POST",
      json: { code: counter.queryCode, name: "赵六" },
    });
    const missing = await lookup({ code: "ABCDEFGHJKMN", name: "王五" });
    assert.deepEqual(refusal(wrong), refusal(missing));
  });

  it("links a counter application only to an account logged in with the phone on file", async () => {
    const other = await loginApplicant(server, "13700000002");
    const before = JSON.stringify(await fingerprint(mongoose.connection));
    const refused = fails(
      await other.post("/api/lookup/link", { code: counter.queryCode, name: "王五" }),
      403,
    );
    assert.match(refused.message, /手机号码与申请登记的联系电话不一致/);
    assert.equal(JSON.stringify(await fingerprint(mongoose.connection)), before);
    assert.equal(
      fails(await anon.post("/api/lookup/link", { code: counter.queryCode, name: "王五" }), 401).code,
      "unauthorized",
    );

    const owner = await loginApplicant(server, secrets.phone);
    const linked = ok<RequestDetailDto>(
      await owner.post("/api/lookup/link", { code: counter.queryCode, name: "王五" }),
    );
    assert.equal(linked.id, counter.id);
    const mine = ok<{ items: { id: string }[] }>(await owner.get("/api/requests/mine"));
    assert.ok(mine.items.some((item) => item.id === counter.id));
    ok(await owner.get(`/api/requests/${counter.id}`));
    // Linking again is harmless; the lookup now says it is followed from an account (never whose).
    ok(await owner.post("/api/lookup/link", { code: counter.queryCode, name: "王五" }));
    assert.equal(
      ok<{ linked: boolean }>(await lookup({ code: counter.queryCode, name: "王五" })).linked,
      true,
    );
    const stored = await DisclosureRequest.findById(counter.id).lean();
    assert.ok(stored?.applicantAccountId, "the application now belongs to the account");
  });

  it("shows a closed application as closed, with no days left", async () => {
    const closed = await register(staff, today(), {
      applicant: { ...submission(staff.agency).applicant, name: "孙七" },
    });
    await fireOk(staff.reviewer, closed.id, {
      type: "decide",
      date: today(),
      outcome: "granted",
    });
    const found = ok<{ closed: boolean; workingDaysLeft: number | null; stateLabel: string }>(
      await lookup({ code: closed.queryCode, name: "孙七" }),
    );
    assert.equal(found.closed, true);
    assert.equal(found.workingDaysLeft, null);
  });
});
