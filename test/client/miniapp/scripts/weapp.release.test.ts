/**
 * The release side of the mini-program: the configuration checks, a real release build with a test
 * AppID and API domain (project.config.json and the 服务器域名 list), and the upload and preview
 * commands refusing without an upload key or AppID. Nothing is ever uploaded here: every refusal
 * happens before miniprogram-ci is loaded.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, describe, it } from "node:test";
import { subscribeKinds } from "@govinfo/shared/wechat/subscribe";
import {
  deploymentChecklist,
  parseWeappConfig,
  serverDomains,
  templateVariables,
} from "../../../../client/miniapp/config/weapp.ts";
import { miniappDir } from "../build.ts";

const repoRoot = resolve(miniappDir, "../..");
const script = join(miniappDir, "scripts/weapp.ts");
const testAppId = "wx0123456789abcdef";
const testApiBase = "https://gkpt.example.gov.cn/api";
const scratch = mkdtempSync(join(tmpdir(), "weapp-release-"));

/** The environment of a run: the caller's, minus any mini-program configuration, plus `extra`. */
function envWith(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [
    "TARO_APP_ID",
    "TARO_APP_API_BASE",
    "WEAPP_UPLOAD_KEY",
    ...Object.values(templateVariables),
  ]) {
    // Empty, not deleted: an empty variable also masks a value in client/miniapp/.env.release.
    env[name] = "";
  }
  return { ...env, ...extra };
}

function run(args: string[], extra: Record<string, string>) {
  return spawnSync(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: repoRoot,
    encoding: "utf8",
    env: envWith(extra),
    maxBuffer: 64 * 1024 * 1024,
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

after(() => rmSync(scratch, { recursive: true, force: true }));

describe("mini-program configuration", () => {
  it("a release needs a real AppID and an HTTPS API base on a domain name", () => {
    const missing = parseWeappConfig({}, true);
    assert.equal(missing.ok, false);
    assert.match(String(!missing.ok && missing.problems.join("\n")), /TARO_APP_ID.*touristappid/);
    assert.match(String(!missing.ok && missing.problems.join("\n")), /TARO_APP_API_BASE/);
    for (const [apiBase, reason] of [
      ["http://gkpt.example.gov.cn/api", /https/],
      ["https://10.0.0.8/api", /IP 地址/],
      ["https://localhost:3000/api", /localhost/],
    ] as const) {
      const result = parseWeappConfig({ TARO_APP_ID: testAppId, TARO_APP_API_BASE: apiBase }, true);
      assert.equal(result.ok, false, apiBase);
      assert.match(String(!result.ok && result.problems[0]), reason);
    }
    const tourist = parseWeappConfig({ TARO_APP_ID: "touristappid", TARO_APP_API_BASE: testApiBase }, true);
    assert.equal(tourist.ok, false);
    const malformed = parseWeappConfig({ TARO_APP_ID: "wx123", TARO_APP_API_BASE: testApiBase }, true);
    assert.match(String(!malformed.ok && malformed.problems[0]), /格式不正确/);
  });

  it("a development build falls back to the tourist AppID and the local server", () => {
    const result = parseWeappConfig({}, false);
    assert.ok(result.ok);
    assert.equal(result.config.appId, "touristappid");
    assert.match(result.config.apiBase, /^http:\/\/127\.0\.0\.1/);
  });

  it("names one template variable per notification kind and lists the domains", () => {
    assert.deepEqual(Object.keys(templateVariables).sort(), [...subscribeKinds].sort());
    const result = parseWeappConfig(
      { TARO_APP_ID: testAppId, TARO_APP_API_BASE: `${testApiBase}/`, TARO_APP_TEMPLATE_RESULT: "bad id!" },
      true,
    );
    assert.equal(result.ok, false, "a malformed template id is refused");
    const good = parseWeappConfig({ TARO_APP_ID: testAppId, TARO_APP_API_BASE: testApiBase }, true);
    assert.ok(good.ok);
    assert.deepEqual(serverDomains(good.config), {
      request: ["https://gkpt.example.gov.cn"],
      downloadFile: ["https://gkpt.example.gov.cn"],
      uploadFile: [],
    });
    assert.match(deploymentChecklist(good.config), /request合法域名：https:\/\/gkpt\.example\.gov\.cn/);
  });
});

describe("weapp upload and preview refuse without a key or an AppID", () => {
  for (const command of ["upload", "preview"]) {
    it(`weapp:${command} without WEAPP_UPLOAD_KEY and TARO_APP_ID names both and exits 2`, () => {
      const result = run([command, "--version", "1.0.0", "--desc", "测试"], {});
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, /未设置代码上传密钥（WEAPP_UPLOAD_KEY）/);
      assert.match(result.stderr, /the upload key is missing/);
      assert.match(result.stderr, /未设置小程序 AppID（TARO_APP_ID）/);
      assert.match(result.stderr, /the AppID is missing/);
      assert.doesNotMatch(result.stdout, /Webpack|已上传/, "nothing was built or uploaded");
    });
  }

  it("weapp:upload with a key path that does not exist says so", () => {
    const missingKey = join(scratch, "private.wx0123456789abcdef.key");
    const result = run(["upload", "--version", "1.0.0"], {
      TARO_APP_ID: testAppId,
      TARO_APP_API_BASE: testApiBase,
      WEAPP_UPLOAD_KEY: missingKey,
    });
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, new RegExp(`代码上传密钥文件不存在：${missingKey.replace(/[.]/g, "\\.")}`));
    assert.doesNotMatch(result.stderr, /TARO_APP_ID/);
  });

  it("weapp:preview with a key but no AppID refuses on the AppID alone", () => {
    const key = join(scratch, "present.key");
    writeFileSync(key, "-----BEGIN RSA PRIVATE KEY-----\n-----END RSA PRIVATE KEY-----\n");
    const result = run(["preview"], { TARO_APP_API_BASE: testApiBase, WEAPP_UPLOAD_KEY: key });
    assert.equal(result.status, 2, result.stderr);
    assert.doesNotMatch(result.stderr, /WEAPP_UPLOAD_KEY/);
    assert.match(result.stderr, /未设置小程序 AppID（TARO_APP_ID）/);
  });

  it("weapp:upload without --version refuses", () => {
    const key = join(scratch, "present.key");
    writeFileSync(key, "key");
    const result = run(["upload"], {
      TARO_APP_ID: testAppId,
      TARO_APP_API_BASE: testApiBase,
      WEAPP_UPLOAD_KEY: key,
    });
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /未指定版本号/);
  });
});

describe("weapp release build", { timeout: 240_000 }, () => {
  it("with a test AppID and API domain writes project.config.json and prints the 服务器域名", () => {
    const result = run(["build"], {
      TARO_APP_ID: testAppId,
      TARO_APP_API_BASE: testApiBase,
      TARO_APP_TEMPLATE_PROGRESS: "TestTemplateProgress_0123456789",
    });
    assert.equal(result.status, 0, `${result.stdout.slice(-3000)}\n${result.stderr}`);
    const dist = join(miniappDir, "dist/weapp-release");
    const project = JSON.parse(readFileSync(join(dist, "project.config.json"), "utf8"));
    assert.equal(project.appid, testAppId);
    assert.notEqual(project.appid, "touristappid");
    assert.match(result.stdout, /request合法域名：https:\/\/gkpt\.example\.gov\.cn\n/);
    assert.match(result.stdout, /downloadFile合法域名：https:\/\/gkpt\.example\.gov\.cn\n/);
    assert.match(result.stdout, /TARO_APP_TEMPLATE_PROGRESS：TestTemplateProgress_0123456789/);
    const scripts = filesUnder(dist).filter((file) => file.endsWith(".js"));
    const baked = scripts.filter((file) => readFileSync(file, "utf8").includes(testApiBase));
    assert.ok(baked.length > 0, "the API base is built in");
    assert.ok(
      scripts.some((file) => readFileSync(file, "utf8").includes("TestTemplateProgress_0123456789")),
      "the template id is built in",
    );
    assert.ok(existsSync(join(dist, "app.json")));
  });

  it("refuses an http:// API base before compiling anything", () => {
    const result = run(["build"], {
      TARO_APP_ID: testAppId,
      TARO_APP_API_BASE: "http://gkpt.example.gov.cn/api",
    });
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /必须使用 https:\/\//);
  });
});
