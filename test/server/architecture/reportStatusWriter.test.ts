/**
 * An annual report's `status` (draft → published, reopened to draft for a correction, or imported)
 * has one writer, `server/reports/service.ts`, as a request's `state` has requestTransitioner. This
 * test parses every server source file and fails when another one writes `status` through the
 * AnnualReport model (an update, an upsert's insert, a create, or its raw collection), assigns
 * `.status = …` to a document in a file that loads the AnnualReport model, or names the collection.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const WRITER = "server/reports/service.ts";
const MODEL_FILE = "server/models/AnnualReport.ts";
const MODEL = "AnnualReport";
const WRITE_METHODS = new Set([
  "updateOne",
  "updateMany",
  "findOneAndUpdate",
  "findByIdAndUpdate",
  "replaceOne",
  "findOneAndReplace",
  "create",
  "insertMany",
  "insertOne",
  "bulkWrite",
]);
/** Update operators whose object sets fields (an upsert's insert sets them too). */
const SETTERS = new Set(["$set", "$setOnInsert", "document", "replacement", "update"]);

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

function keyOf(property: ts.ObjectLiteralElementLike): string {
  return property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))
    ? property.name.text
    : "";
}

/** Whether an argument (object, array of objects, bulk operation) sets `status` anywhere a write reads. */
function setsStatus(node: ts.Node): boolean {
  if (ts.isArrayLiteralExpression(node)) return node.elements.some(setsStatus);
  if (!ts.isObjectLiteralExpression(node)) return false;
  return node.properties.some((property) => {
    const key = keyOf(property);
    if (key === "status") return true;
    // Bulk operations nest their documents: { updateOne: { filter, update: { $set: { status } } } }.
    const nested = SETTERS.has(key) || WRITE_METHODS.has(key);
    return nested && ts.isPropertyAssignment(property) && setsStatus(property.initializer);
  });
}

/** Whether an expression is the model or reaches through it (AnnualReport, AnnualReport.collection). */
function isModel(node: ts.Expression): boolean {
  if (ts.isIdentifier(node)) return node.text === MODEL;
  if (ts.isPropertyAccessExpression(node)) return isModel(node.expression);
  return false;
}

/** Every place in a source text that writes a report's status, as "line: text". */
function statusWrites(name: string, text: string): string[] {
  const file = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true);
  const loadsModel = /models\/AnnualReport(\.ts)?["']/.test(text);
  const found: string[] = [];
  const where = (node: ts.Node) =>
    `${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${node.getText().slice(0, 80)}`;
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const first = node.arguments[0];
      const second = node.arguments[1];
      const isCreate = method === "create" || method === "insertMany" || method === "insertOne";
      const isBulk = method === "bulkWrite";
      const written = isCreate || isBulk ? first : second;
      if (WRITE_METHODS.has(method) && isModel(node.expression.expression) && written && setsStatus(written))
        found.push(where(node));
    }
    if (
      loadsModel &&
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(node.left) &&
      node.left.name.text === "status" &&
      node.left.expression.getText() !== "ctx"
    )
      found.push(where(node));
    // The raw collection by name bypasses the model.
    if (ts.isStringLiteral(node) && node.text === "annualreports") found.push(where(node));
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe("the single writer of an annual report's status", () => {
  const files = sourceFiles(join(root, "server"));

  it("scans the server sources", () => {
    assert.ok(files.length > 50, `only ${files.length} files found`);
    assert.ok(files.some((file) => relative(root, file) === WRITER));
  });

  it("finds no status write outside reports/service.ts", () => {
    const offences: string[] = [];
    for (const file of files) {
      const name = relative(root, file).split("\\").join("/");
      if (name === WRITER || name === MODEL_FILE) continue;
      for (const write of statusWrites(name, readFileSync(file, "utf8"))) offences.push(`${name}:${write}`);
    }
    assert.deepEqual(offences, []);
  });

  it("sees the writer's own writes (publish, reopen, import, the draft's insert)", () => {
    const writes = statusWrites(WRITER, readFileSync(join(root, WRITER), "utf8"));
    assert.ok(
      writes.length >= 4,
      `only ${writes.length} status writes found in ${WRITER}:\n${writes.join("\n")}`,
    );
  });

  it("detects a planted violation in each form (the check can fail)", () => {
    const planted = [
      'import { AnnualReport } from "../models/AnnualReport.ts";',
      'await AnnualReport.updateOne({ _id: id }, { $set: { status: "published" } });',
      'await AnnualReport.findOneAndUpdate({ _id: id }, { $setOnInsert: { status: "draft" } }, { upsert: true });',
      'await AnnualReport.create({ agencyId, year, status: "imported" });',
      'await AnnualReport.collection.updateOne({ _id: id }, { $set: { status: "draft" } });',
      'await AnnualReport.bulkWrite([{ updateOne: { filter: {}, update: { $set: { status: "draft" } } } }]);',
      'report.status = "published";',
      'await mongoose.connection.db.collection("annualreports").updateOne({}, { $set: {} });',
      // Not violations: an HTTP status, a read by status, another model's status.
      "ctx.status = 201;",
      'await AnnualReport.findOne({ status: "draft" });',
      'await OutboxMessage.updateOne({ _id: id }, { $set: { status: "sent" } });',
    ].join("\n");
    const lines = statusWrites("planted.ts", planted).map((write) => Number(write.split(":")[0]));
    assert.deepEqual(lines, [2, 3, 4, 5, 6, 7, 8]);
  });
});
