/**
 * The wire contract reaches the clients: the admin page and the mini-program call endpoints through the
 * shared route table (`api.call(requestsApi.detail, …)`, `api.url(…)`), never with a path written by hand.
 * This test parses every client source file and fails on an "/api…" string or template, or on a call
 * `api.get/post/put/patch/delete(…)`, `client.get(…)`, `uploadRaw(…)` or `downloadUrl(…)` given a path.
 * Files not migrated yet are listed in `notYetMigrated`; the list may only shrink.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const clientRoots = ["client/admin/src", "client/miniapp/src", "client/api"];
const PATH_METHODS = new Set(["get", "post", "put", "patch", "delete"]);
const PATH_FUNCTIONS = new Set(["uploadRaw", "downloadUrl", "apiUrl"]);
const BASES = new Set(["API_BASE", "apiBase"]);

/** Files allowed to write a path by hand while they wait for their route's contract (none left). */
const notYetMigrated = new Set<string>([]);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === "node_modules" || name === "dist") continue;
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(path)) out.push(path);
  }
  return out;
}

const literalText = (node: ts.Node): string | undefined => {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.head.text;
  return undefined;
};

/** Every hand-written API path in a file, as "line: text". */
export function handWrittenPaths(path: string): string[] {
  const text = readFileSync(path, "utf8");
  const kind = path.endsWith(".ts") ? ts.ScriptKind.TS : ts.ScriptKind.TSX;
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind);
  const found: string[] = [];
  const where = (node: ts.Node) =>
    `${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${node.getText().slice(0, 80)}`;
  const visit = (node: ts.Node) => {
    const literal = literalText(node);
    // "/api" alone is a client's base URL; "/api/…" is a path.
    if (literal !== undefined && /^\/api\/./.test(literal)) found.push(where(node));
    // `${API_BASE}/requests/…`: a path glued to the mini-program's base by hand.
    if (ts.isTemplateExpression(node) && node.head.text === "") {
      const first = node.templateSpans[0];
      if (first && ts.isIdentifier(first.expression) && BASES.has(first.expression.text)) {
        if (first.literal.text.startsWith("/")) found.push(where(node));
      }
    }
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const first = node.arguments[0];
      const givenPath = first !== undefined && literalText(first)?.startsWith("/") === true;
      const byMethod =
        ts.isPropertyAccessExpression(callee) &&
        PATH_METHODS.has(callee.name.text) &&
        ts.isIdentifier(callee.expression) &&
        ["api", "client"].includes(callee.expression.text);
      const byFunction = ts.isIdentifier(callee) && PATH_FUNCTIONS.has(callee.text);
      if (givenPath && (byMethod || byFunction)) found.push(where(node));
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe("clients call the shared route table", () => {
  const files = clientRoots.flatMap((dir) => sourceFiles(join(root, dir)));
  const name = (file: string) => relative(root, file).split("\\").join("/");

  it("scans the client sources", () => {
    assert.ok(files.length > 50, `only ${files.length} files found`);
  });

  it("finds no hand-written API path outside the files not migrated yet", () => {
    const offences: string[] = [];
    for (const file of files) {
      if (notYetMigrated.has(name(file))) continue;
      for (const found of handWrittenPaths(file)) offences.push(`${name(file)}:${found}`);
    }
    assert.deepEqual(offences, []);
  });

  it("lists only files that still write a path (a migrated file leaves the list)", () => {
    const stale = [...notYetMigrated].filter((listed) => {
      const file = files.find((candidate) => name(candidate) === listed);
      return file === undefined || handWrittenPaths(file).length === 0;
    });
    assert.deepEqual(stale, []);
  });

  it("detects hand-written paths (the check can fail)", () => {
    const probe = join(root, "test/server/architecture/fixtures/handWrittenPath.tsx.txt");
    const lines = handWrittenPaths(probe).map((found) => Number(found.split(":")[0]));
    assert.deepEqual(lines, [2, 3, 4, 5, 6, 7]);
  });
});
