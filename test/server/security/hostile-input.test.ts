/**
 * Hostile input beyond the schemas (issue 9, item 4): bodies over the JSON limit (announced, streamed,
 * announced but never sent), JSON nested without end or with a great many fields, uploads over 20 MB,
 * executables and scripts disguised as PDF/DOCX/JPG, file names that climb directories, carry control
 * or bidirectional characters or run long, downloads that a browser must not render, and request
 * targets that try to leave `/api`. Every refusal is a 4xx with the error envelope in Chinese, the
 * database (GridFS included) is unchanged, and the server keeps answering. Static-site path tricks
 * live with the static-site middleware in `test/server/middlewares/staticSite.test.ts`.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { MAX_UPLOAD_BYTES } from "../../../server/services/documents/files.ts";
import { fingerprint } from "../../support/dbFingerprint.ts";
import type { TestResponse } from "../../support/http.ts";
import { rawRequest } from "../../support/rawHttp.ts";
import { startTestServer } from "../../support/testServer.ts";
import {
  assertRefused,
  buildWorld,
  hasChinese,
  PDF_BYTES,
  sendRaw,
  uploadFile,
  type World,
} from "./hostile.support.ts";

const server = await startTestServer();
const world: World = await buildWorld(server);
const { requests: requestId, items: itemId } = world.ids;
const notesPath = `/api/requests/${requestId}/notes`;
const filesPath = `/api/requests/${requestId}/files?kind=delivered`;
const attachmentsPath = (name: string) =>
  `/api/catalogue/items/${itemId}/attachments?name=${encodeURIComponent(name)}`;
const JSON_LIMIT = 1024 * 1024;

after(async () => {
  await server.close();
});

/** Runs `action` and asserts the database (every collection, GridFS included) is unchanged by it. */
async function unchanged<T>(action: () => Promise<T>): Promise<T> {
  const before = await fingerprint(server.db.connection);
  const result = await action();
  assert.deepEqual(await fingerprint(server.db.connection), before, "the database changed");
  return result;
}

async function assertHealthy(): Promise<void> {
  const response = await server.request("/api/health");
  assert.equal(response.status, 200, "the server still answers");
}

function staffHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { ...world.staff.headers, ...extra };
}

describe("oversized and overgrown JSON", () => {
  it("refuses a body over the limit with 413 and a Chinese message naming the limit", async () => {
    const text = "汉".repeat(JSON_LIMIT / 3 + 10);
    const response = await unchanged(() => world.staff.post(notesPath, { text }));
    const body = assertRefused(response, [413], "1 MB note");
    assert.equal(body.code, "payload_too_large");
    assert.match(body.message, /不能超过 1 MB/);
    assert.equal(body.details?.limitBytes, JSON_LIMIT);
    await assertHealthy();
  });

  it("answers 413 at once when the announced length is too large, without waiting for the body", async () => {
    const started = Date.now();
    const response = await unchanged(() =>
      rawRequest(server.baseUrl, {
        method: "POST",
        target: notesPath,
        headers: staffHeaders({
          "Content-Type": "application/json",
          "Content-Length": String(50 * JSON_LIMIT),
        }),
        body: '{"text":"',
        timeoutMs: 5_000,
      }),
    );
    assert.equal(response.status, 413);
    assert.ok(Date.now() - started < 5_000);
    assert.ok(hasChinese(JSON.parse(response.body.toString("utf8")).message));
    await assertHealthy();
  });

  it("stops a streamed (chunked) body at the limit with 413 and a clean answer", async () => {
    let sent = 0;
    const response = await unchanged(() =>
      rawRequest(server.baseUrl, {
        method: "POST",
        target: notesPath,
        headers: staffHeaders({
          "Content-Type": "application/json",
          "Transfer-Encoding": "chunked",
          Connection: "keep-alive",
        }),
        body: async (write) => {
          const piece = Buffer.from(`{"text":"${"a".repeat(64 * 1024)}`);
          for (let i = 0; i < 40; i++) {
            const chunk = Buffer.concat([
              Buffer.from(`${piece.length.toString(16)}\r\n`),
              piece,
              Buffer.from("\r\n"),
            ]);
            if (!write(chunk)) await new Promise((resolve) => setTimeout(resolve, 5));
            sent += piece.length;
          }
          write(Buffer.from("0\r\n\r\n"));
        },
      }),
    );
    assert.equal(response.status, 413);
    assert.equal(JSON.parse(response.body.toString("utf8")).code, "payload_too_large");
    assert.ok(sent > JSON_LIMIT, "the client did send more than the limit");
    await assertHealthy();
  });

  it("refuses JSON nested without end with 400, never a stack overflow", async () => {
    for (const [label, text] of [
      ["objects", `${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`],
      ["arrays", `{"text":${"[".repeat(200_000)}${"]".repeat(200_000)}}`],
      ["mixed", `{"text":"x","extra":${'[{"a":'.repeat(20_000)}1${"}]".repeat(20_000)}}`],
    ] as const) {
      const response = await unchanged(() =>
        sendRaw(world, world.staff, "POST", notesPath, text, "application/json"),
      );
      const body = assertRefused(response, [400], `nested ${label}`);
      assert.ok(
        body.details?.fields?.some((field) => /嵌套不能超过 32 层/.test(field.message)),
        label,
      );
    }
    // Shallow nesting in an unknown field is simply ignored; the schema decides.
    const shallow = await unchanged(() =>
      world.staff.post(notesPath, { text: 5, extra: JSON.parse(`${'{"a":'.repeat(10)}1${"}".repeat(10)}`) }),
    );
    const body = assertRefused(shallow, [400], "shallow");
    assert.deepEqual(
      body.details?.fields?.map((field) => field.path),
      ["text"],
    );
    await assertHealthy();
  });

  it("handles a great many fields and array items quickly", async () => {
    const started = Date.now();
    const manyKeys = Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, i]));
    assertRefused(await unchanged(() => world.staff.post(notesPath, manyKeys)), [400], "50 000 keys");
    const manyItems = {
      roles: Array.from({ length: 100_000 }, () => ({ agencyId: String(world.agency._id), role: "admin" })),
    };
    const tooLong = await unchanged(() => world.staff.put(`/api/users/${world.ids.users}/roles`, manyItems));
    assertRefused(tooLong, [400, 413], "100 000 roles");
    const manyParams = Array.from({ length: 5_000 }, (_, i) => `p${i}=1`).join("&");
    const query = await world.anonymous.get(`/api/catalogue/items?${manyParams.slice(0, 12_000)}`);
    assert.ok(query.status < 500, `many query parameters → ${query.status}`);
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
    await assertHealthy();
  });
});

/** Files that are not what their names say. */
const disguises: Record<string, Buffer> = {
  "a Windows executable": Buffer.concat([
    Buffer.from("MZ\x90\x00\x03\x00\x00\x00", "latin1"),
    Buffer.from("This program cannot be run in DOS mode."),
  ]),
  "an ELF executable": Buffer.from("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00", "latin1"),
  "a plain ZIP": Buffer.concat([
    Buffer.from([0x50, 0x4b, 0x03, 0x04]),
    Buffer.from("\x14\x00\x00\x00evil.exe", "latin1"),
  ]),
  "an HTML page with script": Buffer.from(
    "<!doctype html><html><script>fetch('/api/auth/me').then(r=>r.text()).then(alert)</script></html>",
  ),
  "an SVG with script": Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>',
  ),
  "a PHP script": Buffer.from("<?php system($_GET['c']); ?>"),
};

const disguisedNames: [string, string][] = [
  ["答复.pdf", "application/pdf"],
  ["答复.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
  ["照片.jpg", "image/jpeg"],
  ["照片.png", "image/png"],
];

describe("disguised uploads", () => {
  for (const [what, bytes] of Object.entries(disguises)) {
    it(`refuses ${what} renamed .pdf/.docx/.jpg/.png with 415 and stores nothing`, async () => {
      for (const [name, type] of disguisedNames) {
        const onRequest = await unchanged(() =>
          uploadFile(server, world.staff, filesPath, name, bytes, type),
        );
        assert.equal(assertRefused(onRequest, [415], `${what} as ${name}`).code, "unsupported_media_type");
        const onItem = await unchanged(() =>
          uploadFile(server, world.staff, attachmentsPath(name), "", bytes, type),
        );
        assert.equal(
          assertRefused(onItem, [415], `${what} as ${name} (catalogue)`).code,
          "unsupported_media_type",
        );
      }
    });
  }

  it("refuses HTML and SVG under their own names too: neither is an accepted type", async () => {
    for (const name of ["page.html", "page.htm", "image.svg", "run.exe", "script.js"]) {
      const bytes = disguises["an HTML page with script"] as Buffer;
      assertRefused(
        await unchanged(() => uploadFile(server, world.staff, filesPath, name, bytes)),
        [415],
        name,
      );
      assertRefused(
        await unchanged(() => uploadFile(server, world.staff, attachmentsPath(name), "", bytes)),
        [415],
        name,
      );
    }
  });

  it("imports (ledger, catalogue) refuse disguised and oversized files with 4xx and import nothing", async () => {
    const ledger = `/api/ledger/import?agencyId=${world.agency._id}`;
    const catalogue = `/api/catalogue/import?agencyId=${world.agency._id}`;
    for (const [what, bytes] of Object.entries(disguises)) {
      for (const name of ["台账.xlsx", "台账.csv"]) {
        for (const path of [ledger, catalogue]) {
          const response = await unchanged(() => uploadFile(server, world.staff, path, name, bytes));
          const label = `${what} as ${name} on ${path} → ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`;
          assert.ok([400, 415].includes(response.status), label);
          assert.ok(hasChinese((response.body as { message?: string }).message), label);
        }
      }
    }
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x41);
    const tooBig = await unchanged(() => uploadFile(server, world.staff, ledger, "台账.csv", big));
    assert.equal(assertRefused(tooBig, [413], "11 MB ledger").code, "payload_too_large");
  });

  it("refuses uploads over 20 MB with 413, announced or streamed, and stores nothing", async () => {
    const big = Buffer.alloc(MAX_UPLOAD_BYTES + 1, 0x20);
    PDF_BYTES.copy(big);
    const announced = await unchanged(() => uploadFile(server, world.staff, filesPath, "大文件.pdf", big));
    assert.equal(assertRefused(announced, [413], "21 MB").code, "payload_too_large");
    assert.match((announced.body as { message: string }).message, /20 MB/);
    const onItem = await unchanged(() =>
      uploadFile(server, world.staff, attachmentsPath("大文件.pdf"), "", big),
    );
    assertRefused(onItem, [413], "21 MB attachment");
    const streamed = await unchanged(() =>
      rawRequest(server.baseUrl, {
        method: "POST",
        target: filesPath,
        headers: staffHeaders({
          "Content-Type": "application/octet-stream",
          "X-Filename": encodeURIComponent("大文件.pdf"),
          "Transfer-Encoding": "chunked",
          Connection: "keep-alive",
        }),
        body: async (write) => {
          const piece = Buffer.alloc(1024 * 1024, 0x20);
          for (let i = 0; i < 22; i++) {
            if (
              !write(
                Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n")]),
              )
            ) {
              await new Promise((resolve) => setTimeout(resolve, 5));
            }
          }
          write(Buffer.from("0\r\n\r\n"));
        },
        timeoutMs: 20_000,
      }),
    );
    assert.equal(streamed.status, 413);
    await assertHealthy();
  });
});

describe("file names", () => {
  const refusedNames = [
    "../../etc/passwd.pdf",
    "..\\..\\windows\\win.ini.pdf",
    "/etc/passwd.pdf",
    "答复\u0000.pdf",
    "答复\r\nSet-Cookie: a=b.pdf",
    `${"长".repeat(300)}.pdf`,
    "发票\u202Egnp.pdf",
    "答复\u202Efdp.exe",
    "答复\u2066.pdf",
    "答复\u200F.pdf",
    "",
  ];

  it("refuses path, control and bidirectional characters and overlong names, storing nothing", async () => {
    for (const name of refusedNames) {
      const response = await unchanged(() =>
        server.request(filesPath, {
          method: "POST",
          headers: staffHeaders({
            "Content-Type": "application/pdf",
            "X-Filename": encodeURIComponent(name),
          }),
          body: PDF_BYTES,
        }),
      );
      assertRefused(response, [400, 415], `X-Filename ${JSON.stringify(name)}`);
      if (name === "") continue;
      const item = await unchanged(() =>
        uploadFile(server, world.staff, attachmentsPath(name), "", PDF_BYTES),
      );
      assertRefused(item, [400, 415], `catalogue name ${JSON.stringify(name)}`);
    }
    const undecodable = await unchanged(() =>
      server.request(filesPath, {
        method: "POST",
        headers: staffHeaders({ "Content-Type": "application/pdf", "X-Filename": "%E0%A4%A.pdf" }),
        body: PDF_BYTES,
      }),
    );
    assertRefused(undecodable, [400], "undecodable X-Filename");
  });

  it("stores an awkward but harmless name safely and serves it as a well-formed attachment", async () => {
    const name = '报告（终稿）"; filename="evil.html.pdf';
    const stored = await uploadFile(server, world.staff, filesPath, name, PDF_BYTES, "text/html");
    assert.equal(stored.status, 201, JSON.stringify(stored.body));
    const document = (stored.body as { data: { id: string; filename: string; contentType: string } }).data;
    assert.ok(!/["\\/]/.test(document.filename), document.filename);
    assert.equal(document.contentType, "application/pdf", "the type comes from the bytes, not the client");
    const download = await world.staff.get(`/api/requests/${requestId}/documents/${document.id}`);
    assertDownloadHeaders(download, "application/pdf");
    const disposition = download.headers.get("content-disposition") ?? "";
    assert.match(disposition, /^attachment; filename="[^"]*"; filename\*=UTF-8''[A-Za-z0-9%._~-]+$/);
  });
});

function assertDownloadHeaders(response: TestResponse, type: string): void {
  assert.equal(response.status, 200, String(response.body).slice(0, 200));
  assert.match(response.headers.get("content-disposition") ?? "", /^attachment;/);
  assert.equal(response.headers.get("x-content-type-options"), "nosniff");
  assert.equal(response.headers.get("content-type")?.split(";")[0], type);
}

describe("downloads", () => {
  it("serve request documents and catalogue attachments as attachments with nosniff", async () => {
    assertDownloadHeaders(
      await world.staff.get(`/api/requests/${requestId}/documents/${world.ids.documents}`),
      "application/pdf",
    );
    assertDownloadHeaders(
      await world.anonymous.get(`/api/catalogue/items/${itemId}/attachments/${world.ids.attachments}`),
      "application/pdf",
    );
  });

  it("serve a script-bearing text file as inert text/plain, never as HTML", async () => {
    const html = disguises["an HTML page with script"] as Buffer;
    const stored = await uploadFile(server, world.staff, attachmentsPath("说明.txt"), "", html, "text/html");
    assert.equal(stored.status, 201, JSON.stringify(stored.body));
    const attachment = (
      stored.body as { data: { attachments: { id: string; name: string }[] } }
    ).data.attachments.find((a) => a.name === "说明.txt");
    assert.ok(attachment);
    const download = await world.anonymous.get(`/api/catalogue/items/${itemId}/attachments/${attachment.id}`);
    assertDownloadHeaders(download, "text/plain");
  });
});

describe("request targets that try to leave /api", () => {
  const targets = [
    "/api/../package.json",
    "/api/../../../../etc/passwd",
    "/api/..%2f..%2fpackage.json",
    "/api/%2e%2e/%2e%2e/package.json",
    "/api/%252e%252e/package.json",
    "/api/requests/..%2f..%2fusers",
    "/api/requests/%2e%2e",
    "/api/requests/%00",
    "/api/catalogue/items/..\\..\\package.json",
    "/api/catalogue/items/%5c..%5c..%5cpackage.json",
    "/api/catalogue/items/%E0%A4%A",
    "/api\\..\\package.json",
    "http://evil.example/api/../package.json",
    `/api/catalogue/items/${"a".repeat(8_000)}`,
    `/api/${"../".repeat(2_000)}etc/passwd`,
    `/api/catalogue/items?q=${"a".repeat(20_000)}`,
  ];

  it("never serve a file from outside, never answer 5xx, and answer in the envelope", async () => {
    for (const target of targets) {
      const response = await rawRequest(server.baseUrl, { target, headers: staffHeaders() });
      const text = response.body.toString("utf8");
      const label = `${target.slice(0, 60)} → ${response.status} ${text.slice(0, 120)}`;
      assert.ok(response.status >= 400 && response.status < 500, label);
      assert.doesNotMatch(text, /govinfo-platform|root:x:0:0/, label);
      if ((response.headers["content-type"] ?? "").includes("json")) {
        const body = JSON.parse(text) as { ok: boolean; message: string };
        assert.equal(body.ok, false, label);
        assert.ok(hasChinese(body.message), label);
      }
    }
    await assertHealthy();
  });
});
