/**
 * Builds the mini-program for a target only when its dist is missing or older than its sources, so
 * one `npm test` run builds each target at most once (not a test file: the runner skips it).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** The mini-program workspace. */
export const miniappDir = resolve(import.meta.dirname, "../../../client/miniapp");
const repoRoot = resolve(miniappDir, "../..");

const sources = [
  join(miniappDir, "src"),
  join(miniappDir, "config"),
  join(miniappDir, "babel.config.js"),
  join(miniappDir, "project.config.json"),
  join(miniappDir, "package.json"),
  join(repoRoot, "shared"),
  join(repoRoot, "client/api"),
];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (info.isFile()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name === "node_modules") continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

/** Builds `target` into client/miniapp/dist/<target> unless an up-to-date build is there. */
export function ensureBuilt(target: "weapp" | "h5"): string {
  const outDir = join(miniappDir, "dist", target);
  const stamp = join(outDir, ".built-from-sources");
  const sourcesTime = Math.max(...sources.map(newestMtime));
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= sourcesTime) return outDir;
  const result = spawnSync("npx", ["taro", "build", "--type", target], {
    cwd: miniappDir,
    encoding: "utf8",
    env: { ...process.env, NODE_ENV: "production" },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(
      `taro build --type ${target} failed:\n${(result.stdout ?? "").slice(-4000)}\n${result.stderr ?? ""}`,
    );
  }
  if (target === "h5") {
    // As `npm run build:h5`: the .br and .gz files the server sends to browsers that accept them.
    const compressed = spawnSync(process.execPath, ["scripts/compress-builds.mjs", outDir], {
      cwd: repoRoot,
      encoding: "utf8",
    });
    if (compressed.status !== 0) throw new Error(`compressing ${outDir} failed:\n${compressed.stderr}`);
  }
  writeFileSync(stamp, new Date().toISOString());
  return outDir;
}
