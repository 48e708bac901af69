import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { Writable } from "node:stream";
import { test } from "node:test";
import {
  createLogger,
  formatReadable,
  readableDestination,
  redactUri,
  wantsReadableLogs,
} from "../../server/logger.ts";
import { freePort } from "../support/ports.ts";
import { repoRoot } from "../support/serverProcess.ts";
import { createTempDir } from "../support/tempDir.ts";

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

test("readable lines: time, level, message and the key fields, with the error's stack below", () => {
  const out: string[] = [];
  const logger = createLogger({
    level: "info",
    destination: readableDestination({ write: (t) => out.push(t) }, false),
  });
  logger
    .child({ component: "db" })
    .warn({ port: 3000, uri: "mongodb://x", note: "two words" }, "database disconnected");
  logger.error({ err: new Error("boom") }, "request failed");
  assert.match(
    out[0]!,
    /^\d{2}:\d{2}:\d{2}\.\d{3} WARN {2}database disconnected component=db port=3000 uri=mongodb:\/\/x note="two words"\n$/,
  );
  assert.doesNotMatch(out[0]!, /service=|"level"|\{/);
  assert.match(out[1]!, /ERROR request failed\n {4}Error: boom\n {8}at /);
});

test("readable lines keep the redaction", () => {
  const out: string[] = [];
  const logger = createLogger({
    level: "info",
    destination: readableDestination({ write: (t) => out.push(t) }, false),
  });
  logger.info({ applicant: { phone: "13800000000", name: "张三" }, password: "hunter2" }, "submitted");
  assert.doesNotMatch(out[0]!, /13800000000|hunter2/);
  assert.match(out[0]!, /\[redacted\]/);
  assert.match(out[0]!, /张三/);
});

test("readable only in a terminal outside production; anything that is not JSON passes through", () => {
  assert.equal(wantsReadableLogs({ isTTY: true }, false), true);
  assert.equal(wantsReadableLogs({ isTTY: true }, true), false);
  assert.equal(wantsReadableLogs({ isTTY: false }, false), false);
  assert.equal(wantsReadableLogs({}, false), false);
  assert.equal(formatReadable("plain text", false), "plain text\n");
  assert.ok(formatReadable(JSON.stringify({ level: "info", msg: "hi" }), true).includes("\x1b[32mINFO "));
});

test("npm start's server prints readable lines in a terminal and JSON lines into a pipe", {
  timeout: 120_000,
}, async () => {
  const dir = await createTempDir("readable-logs");
  try {
    const run = async (terminal: boolean): Promise<string> => {
      const port = await freePort();
      const env = {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        TZ: "Asia/Shanghai",
        DATA_DIR: `${dir.path}/data`,
        PORT: String(port),
        DEMO_DATA: "off",
        NODE_ENV: "development",
        TERM: "dumb",
      };
      const command = `${JSON.stringify(process.execPath)} --import tsx server/main.ts`;
      // util-linux `script` runs the server on a pseudo-terminal, as when a developer types npm start.
      const child = terminal
        ? spawn("script", ["-qfec", command, "/dev/null"], {
            cwd: repoRoot,
            env,
            stdio: ["pipe", "pipe", "pipe"],
          })
        : spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
            cwd: repoRoot,
            env,
            stdio: ["ignore", "pipe", "pipe"],
          });
      let output = "";
      child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
        output += chunk;
      });
      const exited = new Promise((done) => child.once("exit", done));
      const deadline = Date.now() + 60_000;
      while (!/listening|http:\/\/127\.0\.0\.1:\d+/.test(output) && Date.now() < deadline) {
        await new Promise((done) => setTimeout(done, 100));
      }
      child.kill("SIGTERM");
      if (terminal) child.stdin!.end();
      await exited;
      return output;
    };
    const readable = await run(true);
    assert.match(
      readable,
      /^\S*\d{2}:\d{2}:\d{2}\.\d{3}\S* \S*INFO \S* embedded database started/m,
      readable,
    );
    assert.doesNotMatch(readable, /^\{"level"/m);
    const json = await run(false);
    const lines = json.trim().split("\n");
    assert.ok(lines.length > 2, json);
    for (const line of lines) assert.equal(typeof JSON.parse(line).level, "string", line);
  } finally {
    await dir.remove();
  }
});
