import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type CliRun, runCli } from "../../support/cli.ts";
import { freePort } from "../../support/ports.ts";
import { startServerProcess, waitForExit, waitForHttpOk } from "../../support/serverProcess.ts";
import { createTempDir, type TempDir } from "../../support/tempDir.ts";
import { goodRows, type Row, readXlsx, toCsv } from "../routes/ledger.support.ts";

let dir: TempDir;

/** Runs the CLI against the temp data directory only. */
function cli(...args: string[]): Promise<CliRun> {
  return runCli({ DATA_DIR: join(dir.path, "data") }, ...args);
}

before(async () => {
  dir = await createTempDir("cli");
});
after(async () => {
  await dir.remove();
});

describe("command line", () => {
  it("explains itself and rejects bad arguments with exit code 2", async () => {
    const help = await cli("--help");
    assert.equal(help.code, 0);
    assert.match(help.stdout, /ledger import --agency CODE/);
    const commandHelp = await cli("user", "create", "--help");
    assert.equal(commandHelp.code, 0);
    assert.match(commandHelp.stdout, /一次性密码/);
    const unknown = await cli("frobnicate");
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /未知命令/);
    const missing = await cli("agency", "create", "--code", "X");
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--name/);
    const typo = await cli("agency", "create", "--code", "X", "--nmae", "Y");
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /未知选项 --nmae/);
  });

  it("creates agencies and users, imports and exports ledgers on a data directory", async () => {
    const top = await cli(
      "agency",
      "create",
      "--code",
      "HD",
      "--name",
      "海东市人民政府",
      "--level",
      "government",
    );
    assert.equal(top.code, 0, top.stderr);
    const sub = await cli(
      "agency",
      "create",
      "--code",
      "HDSTHJJ",
      "--name",
      "海东市生态环境局",
      "--parent",
      "HD",
    );
    assert.equal(sub.code, 0, sub.stderr);
    assert.match(sub.stdout, /上级 海东市人民政府/);
    assert.equal((await cli("agency", "create", "--code", "HDSTHJJ", "--name", "重复")).code, 1);
    const orphan = await cli("agency", "create", "--code", "Z", "--name", "孤儿", "--parent", "NOPE");
    assert.equal(orphan.code, 1);
    assert.match(orphan.stderr, /上级机关“NOPE”不存在/);
    assert.equal((await cli("agency", "create", "--code", "Z", "--name", "Z", "--level", "city")).code, 2);
    const badRole = await cli("user", "create", "--agency", "HDSTHJJ", "--username", "u1", "--role", "boss");
    assert.equal(badRole.code, 2);
    assert.match(badRole.stderr, /角色“boss”无效/);

    const ledger = join(dir.path, "台账.csv");
    await writeFile(ledger, toCsv(goodRows("L"), { bom: true }));
    const imported = await cli("ledger", "import", "--agency", "HDSTHJJ", ledger);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /已导入 11 件申请，跳过 0 件/);
    const again = await cli("ledger", "import", "--agency", "HDSTHJJ", ledger);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /已导入 0 件申请，跳过 11 件/);

    const bad = goodRows("M");
    (bad[1] as Row).证件号码 = "91632100MA752QKX10";
    (bad[5] as Row).收到日期 = "2025-13-01";
    const badFile = join(dir.path, "bad.csv");
    await writeFile(badFile, toCsv(bad));
    const refused = await cli("ledger", "import", "--agency", "HDSTHJJ", badFile);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /2 处错误，未导入任何记录/);
    assert.match(refused.stderr, /申请 第 3 行 \[证件号码\]/);
    assert.match(refused.stderr, /申请 第 7 行 \[收到日期\]/);
    assert.equal((await cli("ledger", "import", "--agency", "NOPE", ledger)).code, 1);
    assert.equal((await cli("ledger", "import", "--agency", "HDSTHJJ", join(dir.path, "x.pdf"))).code, 2);

    const out = join(dir.path, "导出.xlsx");
    const exported = await cli("ledger", "export", "--agency", "HDSTHJJ", "--out", out);
    assert.equal(exported.code, 0, exported.stderr);
    assert.match(exported.stdout, /已导出 11 件申请/);
    const sheets = await readXlsx(await readFile(out));
    assert.equal(sheets.申请?.length, 12);
    const csvOut = join(dir.path, "2024.csv");
    const year = await cli("ledger", "export", "--agency", "HDSTHJJ", "--year", "2024", "--out", csvOut);
    assert.equal(year.code, 0, year.stderr);
    const csv = (await readFile(csvOut, "utf8"))
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    assert.equal(csv.length, 2);
    assert.match(csv[1] ?? "", /^L-011,2024-12-30,/);
    assert.equal(
      (await cli("ledger", "export", "--agency", "HDSTHJJ", "--year", "24", "--out", csvOut)).code,
      2,
    );
  });

  it("works while the platform is running: a user it creates can log in with the printed password", async () => {
    const port = await freePort();
    const app = startServerProcess({
      DATA_DIR: join(dir.path, "data"),
      PORT: String(port),
      EMBEDDED_MONGO_PORT: "0",
      DEMO_DATA: "off",
      LOG_LEVEL: "warn",
    });
    try {
      await waitForHttpOk(`http://127.0.0.1:${port}/api/health`, app, 30_000);
      const created = await cli(
        "user",
        "create",
        "--agency",
        "HDSTHJJ",
        "--username",
        "ledger-admin",
        "--role",
        "admin,reviewer",
        "--name",
        "台账管理员",
      );
      assert.equal(created.code, 0, created.stderr);
      const password = /one-time password）?: (\S+)/.exec(created.stdout)?.[1] ?? "";
      assert.equal(password.length, 14);
      const login = await fetch(`http://127.0.0.1:${port}/api/auth/staff/login`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ username: "ledger-admin", password }),
      });
      const body = (await login.json()) as { data: { mustChangePassword: boolean; csrfToken: string } };
      assert.equal(login.status, 200);
      assert.equal(body.data.mustChangePassword, true);

      // The CLI shares the running server's database: what it imports, the app exports.
      const cookie = (login.headers.getSetCookie?.() ?? []).map((line) => line.split(";")[0]).join("; ");
      // The one-time password must be replaced before anything else.
      const changed = await fetch(`http://127.0.0.1:${port}/api/auth/password`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Cookie: cookie, "X-CSRF-Token": body.data.csrfToken },
        body: JSON.stringify({ currentPassword: password, newPassword: "Ledger-admin-2025" }),
      });
      assert.equal(changed.status, 200, await changed.clone().text());
      const me = (await (
        await fetch(`http://127.0.0.1:${port}/api/auth/me`, { headers: { Cookie: cookie } })
      ).json()) as {
        data: { roles: { agencyId: string }[] };
      };
      const agencyId = me.data.roles[0]?.agencyId ?? "";
      const out = join(dir.path, "while-running.csv");
      const exported = await cli("ledger", "export", "--agency", "HDSTHJJ", "--out", out);
      assert.equal(exported.code, 0, exported.stderr);
      // The API masks personal data unless an administrator asks for it in clear, with a reason.
      const viaApi = await fetch(
        `http://127.0.0.1:${port}/api/ledger/export?agencyId=${agencyId}&format=csv&full=true&reason=${encodeURIComponent("核对导出")}`,
        {
          headers: { Cookie: cookie },
        },
      );
      assert.equal(viaApi.status, 200);
      assert.equal(Buffer.from(await viaApi.arrayBuffer()).toString("utf8"), await readFile(out, "utf8"));
    } finally {
      app.child.kill("SIGTERM");
      await waitForExit(app, 20_000);
    }
  });
});
