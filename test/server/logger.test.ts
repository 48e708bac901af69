import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { test } from "node:test";
import { createLogger, redactUri } from "../../server/logger.ts";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      callback();
    },
  });
  return { lines, logger: createLogger({ level: "info", destination }) };
}

test("personal fields and credentials are censored at any of the first three levels", () => {
  const { lines, logger } = capture();
  logger.info(
    {
      idNumber: "110101199003077777",
      applicant: { name: "张三", phone: "13800000000", address: "北京市东城区" },
      req: { headers: { authorization: "Bearer abc", cookie: "sid=1", host: "localhost" } },
      password: "hunter2",
    },
    "line",
  );
  const text = JSON.stringify(lines[0]);
  for (const secret of [
    "110101199003077777",
    "13800000000",
    "北京市东城区",
    "Bearer abc",
    "sid=1",
    "hunter2",
  ]) {
    assert.doesNotMatch(text, new RegExp(secret), `${secret} leaked`);
  }
  assert.match(text, /张三/);
  assert.match(text, /localhost/);
});

test("lines are structured JSON with a textual level", () => {
  const { lines, logger } = capture();
  logger.warn("careful");
  assert.equal(lines[0]?.level, "warn");
  assert.equal(lines[0]?.msg, "careful");
  assert.equal(typeof lines[0]?.time, "string");
});

test("redactUri hides MongoDB credentials", () => {
  assert.equal(redactUri("mongodb://app:s3cret@db:27017/govinfo"), "mongodb://***@db:27017/govinfo");
  assert.equal(redactUri("mongodb+srv://u:p@cluster.example/x"), "mongodb+srv://***@cluster.example/x");
  assert.equal(redactUri("mongodb://127.0.0.1:27017/"), "mongodb://127.0.0.1:27017/");
});
