/**
 * Convention 3: only `server/services/requestTransitioner.ts` changes a request's `state`. This test
 * parses every server source file and fails when another one writes `state` through an update call
 * (`$set: {state}` or a replacement containing it) or by assigning `.state = …` before a save.
 * Creating a record with its initial state is allowed in the creator and the ledger importer only.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const UPDATE_METHODS = new Set([
  "updateOne",
  "updateMany",
  "findOneAndUpdate",
  "findByIdAndUpdate",
  "replaceOne",
  "findOneAndReplace",
]);
const CREATE_METHODS = new Set(["create", "insertMany", "insertOne"]);
const TRANSITIONER = "server/services/requestTransitioner.ts";
const CREATORS = new Set(["server/services/requestCreator.ts", "server/services/ledger/importer.ts"]);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === "node_modules" || name === "embedded-mongo") continue;
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (path.endsWith(".ts")) out.push(path);
  }
  return out;
}

function hasStateKey(node: ts.Node): boolean {
  if (!ts.isObjectLiteralExpression(node)) return false;
  return node.properties.some((property) => {
    const name =
      property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))
        ? property.name.text
        : "";
    if (name === "state") return true;
    if (name === "$set" && ts.isPropertyAssignment(property)) return hasStateKey(property.initializer);
    return false;
  });
}

/** Every place in a file that writes `state`, as "line: text". */
function stateWrites(path: string): { kind: "update" | "create" | "assign"; where: string }[] {
  const text = readFileSync(path, "utf8");
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const found: { kind: "update" | "create" | "assign"; where: string }[] = [];
  const where = (node: ts.Node) =>
    `${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${node.getText().slice(0, 80)}`;
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      if (UPDATE_METHODS.has(method) && node.arguments[1] && hasStateKey(node.arguments[1]))
        found.push({ kind: "update", where: where(node) });
      if (CREATE_METHODS.has(method)) {
        const docs = node.arguments[0];
        const literals = docs && ts.isArrayLiteralExpression(docs) ? docs.elements : docs ? [docs] : [];
        if (literals.some(hasStateKey)) found.push({ kind: "create", where: where(node) });
      }
    }
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(node.left) &&
      node.left.name.text === "state"
    ) {
      found.push({ kind: "assign", where: where(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe("the single writer of request state", () => {
  const files = sourceFiles(join(root, "server"));

  it("scans the server sources", () => {
    assert.ok(files.length > 50, `only ${files.length} files found`);
    assert.ok(files.some((file) => relative(root, file) === TRANSITIONER));
  });

  it("finds no state write outside requestTransitioner (and no initial state outside the creators)", () => {
    const offences: string[] = [];
    for (const file of files) {
      const name = relative(root, file).split("\\").join("/");
      for (const write of stateWrites(file)) {
        if (write.kind === "update" && name === TRANSITIONER) continue;
        if (write.kind === "create" && CREATORS.has(name)) continue;
        offences.push(`${name}:${write.where}`);
      }
    }
    assert.deepEqual(offences, []);
  });

  it("detects a forbidden write (the check can fail)", () => {
    const probe = join(root, "test/server/architecture/fixtures/forbiddenWrite.ts.txt");
    const kinds = stateWrites(probe).map((write) => write.kind);
    assert.deepEqual(kinds.sort(), ["assign", "update", "update"]);
  });
});
