/**
 * Tests mirror the source (docs/ARCHITECTURE.md, "Tests mirror the source"): a test of
 * `server/routes/requests.ts` is `test/server/routes/requests.<aspect>.test.ts` or
 * `test/server/routes/requests.test.ts`. This test fails when a test file names no source file (or
 * source folder) at its mirrored path, outside the few cross-cutting folders written down below.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../../", import.meta.url));

/** Test folders that do not mirror one source file, and why (the same list as docs/ARCHITECTURE.md). */
const CROSS_CUTTING = new Map([
  ["test/server/architecture/", "rules over the whole source tree"],
  ["test/server/security/", "authorization matrix, hostile input and fuzzing across every route"],
  ["test/server/faults/", "faults injected across the stack (kill -9, full disk, failpoints)"],
  ["test/embedded-mongo/", "the embedded server's conformance, spec-runner and crash suites"],
  ["test/support/", "tests of the test helpers beside them"],
]);

const SOURCE_EXTENSIONS = [".ts", ".tsx", ".mjs"];

/**
 * Why a test file breaks the naming rule, or null when it follows it.
 * @param path the test file, relative to the repository root.
 * @param exists whether a path (relative to the root) exists, and is a folder.
 */
function layoutProblem(path: string, exists: (path: string) => "file" | "dir" | null): string | null {
  if ([...CROSS_CUTTING.keys()].some((folder) => path.startsWith(folder))) return null;
  const match = /^test\/(.+\/)?([A-Za-z0-9_-]+)((?:\.[A-Za-z0-9_-]+)*)\.test\.ts$/.exec(path);
  if (!match) return "is not named <file>.<aspect>.test.ts under test/";
  const [, dir = "", name] = match;
  const source = `${dir}${name}`;
  if (SOURCE_EXTENSIONS.some((ext) => exists(`${source}${ext}`) === "file")) return null;
  if (exists(source) === "dir") return null;
  return `mirrors no source: ${source}.ts (or the folder ${source}/) does not exist`;
}

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...testFiles(path));
    else if (name.endsWith(".test.ts")) out.push(relative(root, path));
  }
  return out;
}

const onDisk = (path: string): "file" | "dir" | null => {
  const full = join(root, path);
  if (!existsSync(full)) return null;
  return statSync(full).isDirectory() ? "dir" : "file";
};

describe("tests mirror the source", () => {
  it("every test file sits at test/<source path>/<file>.<aspect>.test.ts", () => {
    const files = testFiles(join(root, "test"));
    assert.ok(files.length > 100, `found only ${files.length} test files`);
    const problems = files.flatMap((file) => {
      const problem = layoutProblem(file, onDisk);
      return problem ? [`${file} ${problem}`] : [];
    });
    assert.deepEqual(problems, []);
  });

  it("rejects misplaced tests and accepts mirrored ones (the check can fail)", () => {
    const tree = new Map<string, "file" | "dir">([
      ["server/routes/requests.ts", "file"],
      ["server/services/catalogue/search.ts", "file"],
      ["server/db/migrations", "dir"],
      ["client/admin/src/pages/request-detail/EventDialog.tsx", "file"],
    ]);
    const exists = (path: string) => tree.get(path) ?? null;
    const verdicts = [
      "test/server/routes/requests.signoff.test.ts",
      "test/server/routes/requests.test.ts",
      "test/server/services/catalogue/search.test.ts",
      "test/server/db/migrations.test.ts",
      "test/client/admin/src/pages/request-detail/EventDialog.letterPreview.e2e.test.ts",
      "test/server/security/anything-goes.test.ts",
      "test/server/catalogue-search.test.ts",
      "test/server/requests.signoff.test.ts",
      "test/client/admin/signoff.e2e.test.ts",
      "test/server/routes/requests signoff.test.ts",
    ].map((path) => layoutProblem(path, exists) === null);
    assert.deepEqual(verdicts, [true, true, true, true, true, true, false, false, false, false]);
  });
});
