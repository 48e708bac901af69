import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { config, decodeDataKey, parseConfig } from "@govinfo/config/env";

const hexKey = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
const keyBytes = Buffer.from(hexKey, "hex");

function problemsOf(env: Record<string, string>): string[] {
  const result = parseConfig(env, "/srv/govinfo");
  assert.equal(result.ok, false, `expected ${JSON.stringify(env)} to be refused`);
  return result.ok ? [] : result.problems;
}

function configOf(env: Record<string, string>) {
  const result = parseConfig(env, "/srv/govinfo");
  assert.ok(result.ok, result.ok ? "" : result.problems.join("\n"));
  return result.config;
}

describe("parseConfig", () => {
  test("an empty environment yields the documented defaults", () => {
    assert.deepEqual(
      { ...configOf({}) },
      {
        nodeEnv: "development",
        isProduction: false,
        port: 3000,
        host: "127.0.0.1",
        mongodbUri: undefined,
        databaseMode: "embedded",
        dataDir: "/srv/govinfo/data",
        dataKey: undefined,
        logLevel: "info",
        embeddedMongoPort: 0,
        publicBaseUrl: undefined,
        shutdownTimeoutMs: 10_000,
        wechat: { appId: undefined, secret: undefined, apiBase: "https://api.weixin.qq.com" },
        demoData: true,
        trustProxy: false,
        metricsToken: undefined,
        sofficePath: "soffice",
      },
    );
  });

  test("the configuration is frozen", () => {
    assert.ok(Object.isFrozen(configOf({})));
    assert.ok(Object.isFrozen(config));
  });

  test("empty and blank values count as unset", () => {
    const parsed = configOf({ PORT: "", MONGODB_URI: "  ", DATA_KEY: "", LOG_LEVEL: "" });
    assert.equal(parsed.port, 3000);
    assert.equal(parsed.databaseMode, "embedded");
    assert.equal(parsed.dataKey, undefined);
  });

  test("every variable is read", () => {
    const parsed = configOf({
      NODE_ENV: "production",
      PORT: "8080",
      HOST: "0.0.0.0",
      MONGODB_URI: "mongodb://db1:27017,db2:27017/govinfo?replicaSet=rs0",
      DATA_DIR: "/var/lib/govinfo",
      DATA_KEY: hexKey,
      LOG_LEVEL: "WARN",
      EMBEDDED_MONGO_PORT: "27018",
      PUBLIC_BASE_URL: "https://gk.example.gov.cn/",
      SHUTDOWN_TIMEOUT_MS: "0",
      SOFFICE_PATH: "/opt/libreoffice/program/soffice",
    });
    assert.equal(parsed.nodeEnv, "production");
    assert.equal(parsed.isProduction, true);
    assert.equal(parsed.port, 8080);
    assert.equal(parsed.host, "0.0.0.0");
    assert.equal(parsed.databaseMode, "external");
    assert.equal(parsed.mongodbUri, "mongodb://db1:27017,db2:27017/govinfo?replicaSet=rs0");
    assert.equal(parsed.dataDir, "/var/lib/govinfo");
    assert.deepEqual(parsed.dataKey, keyBytes);
    assert.equal(parsed.logLevel, "warn");
    assert.equal(parsed.embeddedMongoPort, 27018);
    assert.equal(parsed.publicBaseUrl, "https://gk.example.gov.cn");
    assert.equal(parsed.shutdownTimeoutMs, 0);
    assert.equal(parsed.sofficePath, "/opt/libreoffice/program/soffice");
  });

  test("a relative DATA_DIR resolves against the working directory", () => {
    assert.equal(configOf({ DATA_DIR: "var/data" }).dataDir, "/srv/govinfo/var/data");
  });

  const invalid: [name: string, value: string, problem: string][] = [
    ["PORT", "abc", "PORT: must be an integer between 1 and 65535"],
    ["PORT", "0", "PORT: must be an integer between 1 and 65535"],
    ["PORT", "65536", "PORT: must be an integer between 1 and 65535"],
    ["PORT", "80.5", "PORT: must be an integer between 1 and 65535"],
    ["PORT", "3e3", "PORT: must be an integer between 1 and 65535"],
    ["PORT", "-1", "PORT: must be an integer between 1 and 65535"],
    ["EMBEDDED_MONGO_PORT", "70000", "EMBEDDED_MONGO_PORT: must be an integer between 0 and 65535"],
    ["SHUTDOWN_TIMEOUT_MS", "soon", "SHUTDOWN_TIMEOUT_MS: must be an integer between 0 and 600000"],
    ["NODE_ENV", "staging", "NODE_ENV: must be one of development, production, test"],
    [
      "METRICS_TOKEN",
      "short",
      "METRICS_TOKEN: must be at least 16 characters without spaces (for example the output of: openssl rand -hex 32)",
    ],
    ["LOG_LEVEL", "verbose", "LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent"],
    [
      "MONGODB_URI",
      "localhost:27017",
      "MONGODB_URI: must be a MongoDB connection string starting with mongodb:// or mongodb+srv://",
    ],
    ["PUBLIC_BASE_URL", "gk.example.gov.cn", "PUBLIC_BASE_URL: must be an absolute http:// or https:// URL"],
    [
      "PUBLIC_BASE_URL",
      "ftp://gk.example.gov.cn",
      "PUBLIC_BASE_URL: must be an absolute http:// or https:// URL",
    ],
  ];
  for (const [name, value, problem] of invalid) {
    test(`${name}=${value} is refused with a readable problem`, () => {
      assert.deepEqual(problemsOf({ [name]: value }), [problem]);
    });
  }

  test("an invalid DATA_KEY says which encodings are accepted", () => {
    const [problem] = problemsOf({ DATA_KEY: "not-a-key" });
    assert.match(problem ?? "", /^DATA_KEY: must be 32 bytes written as 64 hex characters or base64/);
  });

  test("all problems are reported at once, one per variable", () => {
    const problems = problemsOf({ PORT: "abc", LOG_LEVEL: "loud", DATA_KEY: "x" });
    assert.equal(problems.length, 3);
    assert.deepEqual(
      problems.map((problem) => problem.split(":")[0]),
      ["PORT", "DATA_KEY", "LOG_LEVEL"],
    );
  });

  test("the embedded server may not take the API's port", () => {
    assert.deepEqual(problemsOf({ PORT: "4000", EMBEDDED_MONGO_PORT: "4000" }), [
      "EMBEDDED_MONGO_PORT: must differ from PORT",
    ]);
  });
});

describe("DATA_KEY formats", () => {
  const accepted: [format: string, text: string][] = [
    ["lowercase hex", hexKey],
    ["uppercase hex", hexKey.toUpperCase()],
    ["padded base64", keyBytes.toString("base64")],
    ["unpadded base64", keyBytes.toString("base64").replace(/=+$/, "")],
    ["base64url", keyBytes.toString("base64url")],
    ["base64 with a trailing newline (as in a key file)", `${keyBytes.toString("base64")}\n`],
  ];
  for (const [format, text] of accepted) {
    test(`accepts ${format}`, () => {
      assert.deepEqual(decodeDataKey(text), keyBytes);
      assert.deepEqual(configOf({ DATA_KEY: text }).dataKey, keyBytes);
    });
  }

  const refused: [format: string, text: string][] = [
    ["31 bytes of hex", hexKey.slice(2)],
    ["33 bytes of base64", Buffer.alloc(33, 7).toString("base64")],
    ["16 bytes of base64", Buffer.alloc(16, 7).toString("base64")],
    ["hex with a non-hex digit", `${hexKey.slice(1)}g`],
    ["a passphrase", "correct horse battery staple"],
  ];
  for (const [format, text] of refused) {
    test(`refuses ${format}`, () => {
      assert.equal(decodeDataKey(text), undefined);
      assert.match(problemsOf({ DATA_KEY: text })[0] ?? "", /^DATA_KEY: /);
    });
  }
});
