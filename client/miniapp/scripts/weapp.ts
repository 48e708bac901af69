/**
 * Release build, upload and preview of the WeChat mini-program with WeChat's own CI module
 * (miniprogram-ci):
 *
 *   npm run weapp:build                                  release build into client/miniapp/dist/weapp-release
 *   npm run weapp:upload -- --version 1.2.0 --desc TEXT  release build, then upload as a development version
 *   npm run weapp:preview [-- --desc TEXT]               release build, then print the preview QR code
 *
 * The configuration is read as the build reads it (the environment over client/miniapp/.env.release);
 * WEAPP_UPLOAD_KEY is the path of the code-upload key downloaded from the WeChat console. Upload and
 * preview refuse, before building anything, when the key or the AppID is missing.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseWeappConfig, releaseMode, type WeappConfig } from "../config/weapp.ts";

const miniappDir = resolve(import.meta.dirname, "..");
/** Where a release build goes (apart from the development build in dist/weapp). */
export const releaseDir = join(miniappDir, "dist", "weapp-release");
const require = createRequire(join(miniappDir, "package.json"));

type Command = "build" | "upload" | "preview";

/** Exit code of a refusal (configuration or arguments), apart from 1 for a failed build or upload. */
const REFUSED = 2;

/** The variables as the Taro build sees them: .env, .env.release (and their .local), then the environment. */
function releaseEnv(): Record<string, string | undefined> {
  const { dotenvParse } = require("@tarojs/helper") as {
    dotenvParse(root: string, prefixes: string[], mode: string): Record<string, string>;
  };
  const fromFiles = dotenvParse(miniappDir, ["TARO_APP_"], releaseMode);
  return { ...fromFiles, ...process.env };
}

/** Every reason this command cannot run, in Chinese with the English gist. */
function refusals(command: Command, env: Record<string, string | undefined>, version: string): string[] {
  const problems: string[] = [];
  if (command !== "build") {
    const keyPath = env.WEAPP_UPLOAD_KEY?.trim() ?? "";
    if (keyPath === "") {
      problems.push(
        "未设置代码上传密钥（WEAPP_UPLOAD_KEY）：请在微信公众平台“开发管理 → 开发设置 → 小程序代码上传”生成密钥，并把密钥文件的路径写入 WEAPP_UPLOAD_KEY / the upload key is missing: set WEAPP_UPLOAD_KEY to the path of the private key",
      );
    } else if (!existsSync(resolve(keyPath))) {
      problems.push(
        `代码上传密钥文件不存在：${resolve(keyPath)}（WEAPP_UPLOAD_KEY） / the upload key file does not exist`,
      );
    }
  }
  if (command === "upload" && version === "") {
    problems.push(
      "未指定版本号：npm run weapp:upload -- --version 1.0.0 --desc 说明 / --version is required",
    );
  }
  const config = parseWeappConfig(env, true);
  if (!config.ok) {
    problems.push(
      ...config.problems.map((problem) =>
        problem.includes("TARO_APP_ID）") ? `${problem} / the AppID is missing: set TARO_APP_ID` : problem,
      ),
    );
  }
  return problems;
}

function buildRelease(env: Record<string, string | undefined>): void {
  const result = spawnSync("npx", ["taro", "build", "--type", "weapp", "--mode", releaseMode], {
    cwd: miniappDir,
    stdio: "inherit",
    env: { ...env, TARO_ENV: "weapp", NODE_ENV: "production" },
  });
  if (result.status !== 0) {
    console.error("小程序发布版本构建失败 / the release build failed");
    process.exit(result.status === REFUSED ? REFUSED : 1);
  }
}

/** Checks that the build carries the configured AppID (never touristappid). */
function checkProjectConfig(config: WeappConfig): void {
  const file = join(releaseDir, "project.config.json");
  const written = JSON.parse(readFileSync(file, "utf8")) as { appid?: string };
  if (written.appid !== config.appId) {
    console.error(
      `${file} 的 appid 是 ${written.appid}，应为 ${config.appId} / wrong appid in project.config.json`,
    );
    process.exit(1);
  }
}

/** The part of miniprogram-ci these commands use. */
interface MiniprogramCi {
  Project: new (options: {
    appid: string;
    type: "miniProgram";
    projectPath: string;
    privateKeyPath: string;
    ignores?: string[];
  }) => unknown;
  upload(options: Record<string, unknown>): Promise<unknown>;
  preview(options: Record<string, unknown>): Promise<unknown>;
}

async function send(
  command: "upload" | "preview",
  config: WeappConfig,
  keyPath: string,
  version: string,
  desc: string,
) {
  // Loaded only here: refusals and builds never pay for WeChat's large CI module.
  const ci = require("miniprogram-ci") as MiniprogramCi;
  const project = new ci.Project({
    appid: config.appId,
    type: "miniProgram",
    projectPath: releaseDir,
    privateKeyPath: resolve(keyPath),
    ignores: ["node_modules/**/*", "**/*.map"],
  });
  // Taro has already transpiled and minified; WeChat must not do it a second time.
  const setting = { es6: false, es7: false, minify: false, autoPrefixWXSS: false };
  const onProgressUpdate = (task: unknown) =>
    console.log(typeof task === "string" ? task : JSON.stringify(task));
  if (command === "upload") {
    const result = await ci.upload({ project, version, desc, setting, onProgressUpdate });
    console.log(`已上传开发版本 ${version}。请在微信公众平台“管理 → 版本管理”提交审核。 / uploaded`);
    console.log(JSON.stringify(result));
    return;
  }
  await ci.preview({ project, desc, setting, qrcodeFormat: "terminal", onProgressUpdate });
  console.log("请用微信扫描上方二维码预览（有效期 25 分钟）。 / scan the QR code above to preview");
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { version: { type: "string", default: "" }, desc: { type: "string", default: "" } },
  });
  const command = positionals[0] as Command | undefined;
  if (command !== "build" && command !== "upload" && command !== "preview") {
    console.error("用法 / usage: weapp.ts build | upload --version X --desc TEXT | preview [--desc TEXT]");
    process.exit(REFUSED);
  }
  const env = releaseEnv();
  const problems = refusals(command, env, values.version.trim());
  if (problems.length > 0) {
    console.error(`无法执行 weapp:${command}（cannot run weapp:${command}）：\n  ${problems.join("\n  ")}`);
    console.error("配置说明见 docs/WECHAT.md / see docs/WECHAT.md");
    process.exit(REFUSED);
  }
  const parsed = parseWeappConfig(env, true);
  if (!parsed.ok) process.exit(REFUSED);
  buildRelease(env);
  checkProjectConfig(parsed.config);
  if (command === "build") {
    console.log(`发布版本已构建：${releaseDir} / release build ready`);
    return;
  }
  const desc = values.desc.trim() || `政府信息公开 ${new Date().toISOString().slice(0, 10)}`;
  await send(command, parsed.config, env.WEAPP_UPLOAD_KEY ?? "", values.version.trim(), desc);
}

main().catch((error: unknown) => {
  console.error(
    `微信接口返回错误 / WeChat CI failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
