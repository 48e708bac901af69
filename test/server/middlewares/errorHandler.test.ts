import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { ErrorEnvelope } from "@govinfo/shared/api/errors";
import Koa from "koa";
import mongoose from "mongoose";
import { Conflict, NotFound, ValidationFailed } from "../../../server/errors.ts";
import { createLogger } from "../../../server/logger.ts";
import { errorHandler, toAppError } from "../../../server/middlewares/errorHandler.ts";
import { requestLogger } from "../../../server/middlewares/logger.ts";
import { requestId } from "../../../server/middlewares/requestId.ts";
import { request } from "../../support/http.ts";

// Each path throws one kind of error, so the rendering is tested through real HTTP.
const throwers: Record<string, () => unknown> = {
  "/app-error": () => NotFound("request"),
  "/validation": () => {
    const error = new mongoose.Error.ValidationError();
    error.addError("title", new mongoose.Error.ValidatorError({ path: "title", type: "required" }));
    return error;
  },
  "/cast": () => new mongoose.Error.CastError("ObjectId", "nope", "_id"),
  "/network": () => new mongoose.mongo.MongoNetworkError("connection reset"),
  "/duplicate": () =>
    new mongoose.mongo.MongoServerError({ code: 11000, errmsg: "E11000 idNumber: 1101..." }),
  "/http": () => new Koa.HttpError("teapot"),
  "/bug": () => new TypeError("secret internal detail"),
};

let server: Server;
let baseUrl: string;
const logLines: string[] = [];

before(async () => {
  const app = new Koa();
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      logLines.push(String(chunk));
      callback();
    },
  });
  app.use(requestId());
  app.use(requestLogger(createLogger({ level: "info", destination })));
  app.use(errorHandler({ retryAfterSeconds: 7 }));
  app.use((ctx) => {
    ctx.set("Content-Disposition", "attachment; filename=report.docx");
    const thrower = throwers[ctx.path];
    if (thrower !== undefined) throw thrower();
    ctx.body = { ok: true, data: null };
  });
  server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function envelopeOf(path: string) {
  const response = await request(`${baseUrl}${path}`);
  const parsed = ErrorEnvelope.safeParse(response.body);
  assert.ok(parsed.success, `not an error envelope: ${JSON.stringify(response.body)}`);
  assert.equal(parsed.data.requestId, response.headers.get("x-request-id"));
  assert.equal(response.headers.get("content-disposition"), null, "success headers leaked into the error");
  return { ...response, envelope: parsed.data };
}

describe("errorHandler renders one envelope", () => {
  test("an AppError keeps its code, Chinese message and details", async () => {
    const { status, envelope } = await envelopeOf("/app-error");
    assert.equal(status, 404);
    assert.equal(envelope.code, "not_found");
    assert.equal(envelope.message, "请求的内容不存在");
    assert.deepEqual(envelope.details, { resource: "request" });
  });

  test("a mongoose ValidationError becomes validation_error with field details", async () => {
    const { status, envelope } = await envelopeOf("/validation");
    assert.equal(status, 400);
    assert.equal(envelope.code, "validation_error");
    assert.deepEqual(envelope.details?.fields, [{ path: "title", message: "必填" }]);
    assert.equal(envelope.message, "title: 必填");
  });

  test("a mongoose CastError becomes validation_error on its path", async () => {
    const { status, envelope } = await envelopeOf("/cast");
    assert.equal(status, 400);
    assert.deepEqual(envelope.details?.fields, [{ path: "_id", message: "格式不正确" }]);
  });

  test("a driver connection error becomes 503 with Retry-After", async () => {
    const { status, headers, envelope } = await envelopeOf("/network");
    assert.equal(status, 503);
    assert.equal(envelope.code, "service_unavailable");
    assert.equal(headers.get("retry-after"), "7");
  });

  test("a duplicate key becomes conflict without echoing the key value", async () => {
    const { status, envelope } = await envelopeOf("/duplicate");
    assert.equal(status, 409);
    assert.equal(envelope.code, "conflict");
    assert.doesNotMatch(JSON.stringify(envelope), /1101|E11000/);
  });

  test("an unknown error becomes internal_error, logged but never sent", async () => {
    logLines.length = 0;
    const { status, envelope } = await envelopeOf("/bug");
    assert.equal(status, 500);
    assert.equal(envelope.code, "internal_error");
    assert.doesNotMatch(JSON.stringify(envelope), /secret|TypeError|at /);
    const logged = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const errorLine = logged.find((line) => line.msg === "unhandled error");
    assert.ok(errorLine, "no log line for the unknown error");
    assert.equal(errorLine.requestId, envelope.requestId);
    assert.match(JSON.stringify(errorLine.err), /secret internal detail/);
  });

  test("a Koa HttpError with an unmapped status is an internal error", async () => {
    const { status } = await envelopeOf("/http");
    assert.equal(status, 500);
  });

  test("a well-formed incoming X-Request-Id is reused", async () => {
    const response = await request(`${baseUrl}/app-error`, { headers: { "X-Request-Id": "lb-0123456789" } });
    assert.equal(response.headers.get("x-request-id"), "lb-0123456789");
    assert.equal((response.body as { requestId: string }).requestId, "lb-0123456789");
  });

  test("a malformed incoming X-Request-Id is replaced", async () => {
    const response = await request(`${baseUrl}/app-error`, {
      headers: { "X-Request-Id": "bad id\twith<tags>" },
    });
    assert.match(response.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/);
  });
});

describe("toAppError", () => {
  test("passes AppErrors through untouched", () => {
    const error = Conflict("request.state_changed");
    assert.equal(toAppError(error, 5), error);
  });

  test("maps every driver connectivity error class to service_unavailable", () => {
    const { mongo } = mongoose;
    const errors = [
      new mongo.MongoNetworkError("reset"),
      new mongo.MongoNetworkTimeoutError("timeout"),
      new mongo.MongoNotConnectedError("not connected"),
      new mongo.MongoTopologyClosedError(),
      new mongoose.Error.MongooseServerSelectionError("no server"),
      new mongo.MongoServerError({ code: 91, errmsg: "shutting down" }),
    ];
    for (const error of errors) assert.equal(toAppError(error, 5).code, "service_unavailable", error.name);
  });

  test("ValidationFailed summarises at most three fields in the message", () => {
    const error = ValidationFailed([
      { path: "a", message: "必填" },
      { path: "b", message: "必填" },
      { path: "c", message: "必填" },
      { path: "d", message: "必填" },
    ]);
    assert.equal(error.message, "a: 必填；b: 必填；c: 必填");
    assert.equal(error.details?.fields?.length, 4);
  });
});
