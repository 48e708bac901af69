// Compresses a client build at build time: writes `<file>.br` (brotli, best quality) and `<file>.gz`
// (gzip -9) beside every text file (JavaScript, CSS, HTML, JSON, SVG) larger than 1 KiB, so the
// server sends the encoding a browser accepts without compressing per request
// (server/middlewares/staticSite.ts). A compressed file no smaller than its original is not kept.
//   node scripts/compress-builds.mjs <build dir>...
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const COMPRESSIBLE = new Set([".js", ".mjs", ".css", ".html", ".json", ".svg", ".txt", ".map"]);
const MIN_BYTES = 1024;

function* filesOf(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesOf(path);
    else if (entry.isFile()) yield path;
  }
}

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error("usage: node scripts/compress-builds.mjs <build dir>...");
  process.exit(2);
}
for (const dir of dirs.map((d) => resolve(d))) {
  let files = 0;
  let before = 0;
  let after = 0;
  for (const path of filesOf(dir)) {
    if (path.endsWith(".br") || path.endsWith(".gz")) continue;
    if (!COMPRESSIBLE.has(extname(path).toLowerCase())) continue;
    const original = readFileSync(path);
    for (const suffix of [".br", ".gz"]) rmSync(path + suffix, { force: true });
    if (statSync(path).size <= MIN_BYTES) continue;
    const br = brotliCompressSync(original, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: original.length,
      },
    });
    const gz = gzipSync(original, { level: 9 });
    if (br.length < original.length) writeFileSync(`${path}.br`, br);
    if (gz.length < original.length) writeFileSync(`${path}.gz`, gz);
    files += 1;
    before += original.length;
    after += Math.min(br.length, original.length);
  }
  const kib = (n) => `${Math.round(n / 1024)} KiB`;
  console.log(`compressed ${files} files in ${dir}: ${kib(before)} → ${kib(after)} (brotli)`);
}
