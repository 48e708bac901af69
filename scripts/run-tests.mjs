// Runs every test file under test/ with node's test runner (Node 20 cannot glob .ts files itself).
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["test"];
const files = [];
const walk = (path) => {
  if (statSync(path).isFile()) {
    if (/\.test\.ts$/.test(path)) files.push(path);
    return;
  }
  for (const name of readdirSync(path).sort()) {
    if (name === "node_modules") continue;
    walk(join(path, name));
  }
};
for (const root of roots) walk(root);
if (files.length === 0) {
  console.error("no test files found under", roots.join(", "));
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=2", "--test-reporter=spec", ...files],
  { stdio: "inherit", env: { ...process.env, TZ: "Asia/Shanghai" } },
);
process.exit(result.status ?? 1);
