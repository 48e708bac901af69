// Runs every test file under test/ with node's test runner (Node 20 cannot glob .ts files itself).
import { spawn } from "node:child_process";
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
// A hung test must fail with its name, not eat CI's whole budget: every test gets 10 minutes (the authorization matrix walks every route in one test), a file whose
// tests are done exits even if a handle leaks, and the whole run (its process group) is killed after 45 minutes.
const perTestMs = 10 * 60_000;
const wholeRunMs = 45 * 60_000;
const child = spawn(
  process.execPath,
  [
    "--import",
    "tsx",
    "--test",
    "--test-concurrency=2",
    `--test-timeout=${perTestMs}`,
    "--test-force-exit",
    "--test-reporter=spec",
    ...files,
  ],
  { stdio: "inherit", env: { ...process.env, TZ: "Asia/Shanghai" }, detached: true },
);
const forward = (signal) => process.on(signal, () => killGroup(signal));
const killGroup = (signal) => {
  try {
    process.kill(-child.pid, signal);
  } catch {}
};
forward("SIGINT");
forward("SIGTERM");
const watchdog = setTimeout(() => {
  console.error(`the test run exceeded ${wholeRunMs / 60_000} minutes and was stopped`);
  killGroup("SIGKILL");
}, wholeRunMs);
child.on("exit", (code) => {
  clearTimeout(watchdog);
  process.exit(code ?? 1);
});
