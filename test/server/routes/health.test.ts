import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ErrorEnvelope } from "@govinfo/shared/api/errors";
import { HealthDTO } from "@govinfo/shared/schemas/health";
import rootPackage from "../../../package.json" with { type: "json" };
import type { TestResponse } from "../../support/http.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";

function assertEnvelope(response: TestResponse, status: number, code: string) {
  assert.equal(response.status, status, JSON.stringify(response.body));
  const parsed = ErrorEnvelope.safeParse(response.body);
  assert.ok(parsed.success, `not an error envelope: ${JSON.stringify(response.body)}`);
  assert.equal(parsed.data.code, code);
  assert.equal(parsed.data.requestId, response.headers.get("x-request-id"));
  // User-facing messages are Chinese.
  assert.match(parsed.data.message, /[\u4e00-\u9fff]/);
  return parsed.data;
}

describe("the app on the embedded database", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ jsonBodyLimitBytes: 64 * 1024 });
  });
  after(() => server.close());

  test("GET /api/health reports ok, the embedded mode and the package version", async () => {
    const response = await server.request("/api/health");
    assert.equal(response.status, 200);
    const body = response.body as { ok: boolean; data: unknown };
    assert.equal(body.ok, true);
    const health = HealthDTO.parse(body.data);
    assert.equal(health.status, "ok");
    assert.deepEqual(health.database, { mode: "embedded", ok: true });
    assert.equal(health.version, rootPackage.version);
    assert.equal(response.headers.get("cache-control"), "no-store");
    assert.ok(response.headers.get("x-request-id"));
  });

  test("an unknown /api route answers 404 in the envelope", async () => {
    const envelope = assertEnvelope(await server.request("/api/no-such-thing"), 404, "not_found");
    assert.equal(envelope.message, "接口不存在");
    assertEnvelope(await server.request("/api"), 404, "not_found");
  });

  test("a known route with the wrong method answers 405 with Allow", async () => {
    const response = await server.request("/api/health", { method: "DELETE" });
    assertEnvelope(response, 405, "method_not_allowed");
    assert.match(response.headers.get("allow") ?? "", /GET/);
  });

  test("an invalid JSON body answers 400", async () => {
    const response = await server.request("/api/health", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: '{"title": ',
    });
    const envelope = assertEnvelope(response, 400, "bad_request");
    assert.equal(envelope.message, "请求体不是有效的 JSON");
  });

  test("an oversized body with a Content-Length answers 413 without being read", async () => {
    const response = await server.request("/api/health", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text: "x".repeat(2 * 1024 * 1024) }),
    });
    const envelope = assertEnvelope(response, 413, "payload_too_large");
    assert.equal(envelope.details?.limitBytes, 64 * 1024);
  });

  test("an oversized chunked body answers 413 once the limit is crossed", async () => {
    const chunk = new TextEncoder().encode(`"${"x".repeat(16 * 1024)}",`);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode("["));
        if (sent >= 20) {
          controller.enqueue(new TextEncoder().encode('""]'));
          controller.close();
          return;
        }
        sent += 1;
        controller.enqueue(chunk);
      },
    });
    const response = await server.request("/api/health", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body,
      duplex: "half",
    } as RequestInit);
    assertEnvelope(response, 413, "payload_too_large");
  });

  test("a body with an unsupported encoding answers 415", async () => {
    const response = await server.request("/api/health", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Content-Encoding": "gzip" },
      body: "{}",
    });
    assertEnvelope(response, 415, "unsupported_media_type");
  });

  test("the server keeps answering after the error responses", async () => {
    const response = await server.request("/api/health");
    assert.equal(response.status, 200);
  });
});

describe("when the database stops answering", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test("GET /api/health answers 503 with status degraded", async () => {
    await server.db.close();
    const response = await server.request("/api/health");
    assert.equal(response.status, 503);
    const body = response.body as { ok: boolean; data: unknown };
    const health = HealthDTO.parse(body.data);
    assert.equal(health.status, "degraded");
    assert.deepEqual(health.database, { mode: "embedded", ok: false });
  });
});
