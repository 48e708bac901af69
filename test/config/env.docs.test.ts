import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, test } from "node:test";
import { envVariables } from "@govinfo/config/env";
import { weappVariables } from "../../client/miniapp/config/weapp.ts";

const repoRoot = new URL("../../", import.meta.url);

/**
 * The variables named in the first column of the table under `heading` (up to the next heading of
 * the same or a higher level).
 */
async function tableVariables(file: string, heading: string): Promise<string[]> {
  const text = await readFile(new URL(file, repoRoot), "utf8");
  const start = text.split("\n").findIndex((line) => line.trim() === heading);
  assert.ok(start >= 0, `${file} has no "${heading}" section`);
  const level = heading.indexOf(" ");
  const names: string[] = [];
  for (const line of text.split("\n").slice(start + 1)) {
    const match = /^(#+) /.exec(line);
    if (match && (match[1]?.length ?? 0) <= level) break;
    if (!line.startsWith("|")) continue;
    const firstCell = line.split("|")[1] ?? "";
    for (const name of firstCell.matchAll(/`([A-Z][A-Z0-9_]*)`/g)) names.push(name[1] ?? "");
  }
  return names;
}

describe("every configuration variable is documented", () => {
  const documents: [file: string, heading: string][] = [
    ["README.md", "## Configuration"],
    ["docs/DEPLOYMENT.md", "## Configuration reference"],
  ];
  test("the schema names the variables it reads", () => {
    assert.ok(envVariables.includes("MONGODB_URI"));
    assert.ok(envVariables.includes("METRICS_TOKEN"));
  });
  for (const [file, heading] of documents) {
    test(`${file} has a row for each variable and none for a variable that does not exist`, async () => {
      const documented = await tableVariables(file, heading);
      const missing = envVariables.filter((name) => !documented.includes(name));
      assert.deepEqual(missing, [], `${file} does not document ${missing.join(", ")}`);
      const unknown = documented.filter((name) => !envVariables.includes(name));
      assert.deepEqual(unknown, [], `${file} documents variables the server does not read`);
    });
  }
});

describe("every variable of the mini-program's release build is documented", () => {
  const names = Object.keys(weappVariables);
  const documents: [file: string, heading: string][] = [
    ["README.md", "## Mini-program release configuration"],
    ["docs/DEPLOYMENT.md", "## Mini-program release variables"],
    ["docs/WECHAT.md", "## 2. Configuration, in one place"],
  ];
  test("the build names its variables", () => {
    assert.ok(names.includes("TARO_APP_ID"));
    assert.ok(names.includes("WEAPP_UPLOAD_KEY"));
  });
  for (const [file, heading] of documents) {
    test(`${file} has a row for each build variable and none for one that does not exist`, async () => {
      const documented = await tableVariables(file, heading);
      const missing = names.filter((name) => !documented.includes(name));
      assert.deepEqual(missing, [], `${file} does not document ${missing.join(", ")}`);
      const unknown = documented.filter((name) => !names.includes(name));
      assert.deepEqual(unknown, [], `${file} documents variables the build does not read`);
    });
  }
});
