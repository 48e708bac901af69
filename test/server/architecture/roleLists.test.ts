/**
 * One capability table: "who may do this?" is answered in `shared/access/capabilities.ts` only. This
 * test parses every source file of the server, shared code and both clients and fails when one of
 * them declares a list of staff roles of its own: an array holding a role name (`["admin",
 * "supervisor"]`, `new Set(["handler"])`), a call given role names (`access.staff("admin")`,
 * `roles.includes("supervisor")`), or a chain of comparisons with two role names (`r === "reviewer" ||
 * r === "admin"`). A single comparison naming one role is data (which role is granted, the agency's
 * last administrator), not a rule of who may act.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { capabilities, capabilityNames, grants } from "@govinfo/shared/access/capabilities";
import { staffRoles } from "@govinfo/shared/schemas/auth";
import ts from "typescript";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const SCANNED = ["server", "shared", "config", "client/admin/src", "client/miniapp/src", "client/api"];
/** Files that may name roles in lists, and why. */
const ALLOWED = new Map([
  ["shared/access/capabilities.ts", "the capability table itself"],
  ["shared/schemas/auth.ts", "the role vocabulary and its labels"],
  ["shared/lifecycle/machine.ts", "the state machine: which roles fire which lifecycle event"],
]);
/** Folders that are not rules: seed data naming the demo users by role, a separate package. */
const SKIPPED_DIRS = ["server/demo", "server/embedded-mongo"];
const ROLES = new Set<string>(staffRoles);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === "node_modules" || name === "dist") continue;
    if (SKIPPED_DIRS.includes(relative(root, path))) continue;
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(name)) out.push(path);
  }
  return out;
}

const isRoleLiteral = (node: ts.Node): boolean =>
  (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && ROLES.has(node.text);

/** Role literals compared in a `||`/`&&` chain (`r === "a" || r === "b"`). */
function comparedRoles(node: ts.Expression): number {
  if (!ts.isBinaryExpression(node)) return 0;
  const op = node.operatorToken.kind;
  if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.AmpersandAmpersandToken) {
    return comparedRoles(node.left) + comparedRoles(node.right);
  }
  const equality = [
    ts.SyntaxKind.EqualsEqualsEqualsToken,
    ts.SyntaxKind.ExclamationEqualsEqualsToken,
    ts.SyntaxKind.EqualsEqualsToken,
    ts.SyntaxKind.ExclamationEqualsToken,
  ];
  if (!equality.includes(op)) return 0;
  return isRoleLiteral(node.left) || isRoleLiteral(node.right) ? 1 : 0;
}

/**
 * Every role list declared in `text`, as "line: code".
 * @param name the file name (for the parser's choice of TSX).
 * @param text the source text.
 */
function roleLists(name: string, text: string): string[] {
  const kind = name.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const file = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true, kind);
  const found: string[] = [];
  const report = (node: ts.Node) =>
    found.push(
      `${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${node.getText().slice(0, 90)}`,
    );
  const visit = (node: ts.Node): void => {
    if (ts.isArrayLiteralExpression(node) && node.elements.some(isRoleLiteral)) report(node);
    else if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && node.arguments?.some(isRoleLiteral)) {
      report(node);
    } else if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.BarBarToken &&
      !(ts.isBinaryExpression(node.parent) && node.parent.operatorToken.kind === ts.SyntaxKind.BarBarToken) &&
      comparedRoles(node) >= 2
    ) {
      report(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe("one capability table", () => {
  it("no source file outside the table declares a role list of its own", () => {
    const offences: string[] = [];
    for (const dir of SCANNED) {
      for (const path of sourceFiles(join(root, dir))) {
        const name = relative(root, path);
        if (ALLOWED.has(name)) continue;
        for (const list of roleLists(name, readFileSync(path, "utf8"))) offences.push(`${name}:${list}`);
      }
    }
    assert.deepEqual(offences, [], "read the roles from shared/access/capabilities.ts instead");
  });

  it("finds each kind of planted role list (the check can fail)", () => {
    const planted = [
      'const WRITERS: readonly StaffRole[] = ["admin", "reviewer"];',
      'const only = new Set(["supervisor"]);',
      'export const r = route({ access: access.staff("admin", "supervisor") });',
      "const isBoss = roles.includes('admin');",
      'const canUrge = roles.some((r) => r === "reviewer" || r === "admin" || r === "supervisor");',
      "const el = <Button hidden={!has(`handler`)} />;",
    ].join("\n");
    assert.deepEqual(
      roleLists("planted.tsx", planted).map((hit) => hit.split(":")[0]),
      ["1", "2", "3", "4", "5", "6"],
    );
  });

  it("leaves capability names, one-role data and non-staff roles alone", () => {
    const clean = [
      'const WRITERS = rolesFor("writeReports");',
      'export const r = route({ access: access.staff("editCatalogue") });',
      'const importRoles = [...rolesFor("workCases"), "system"];',
      'if (role !== "supervisor") return null;',
      'const filter = { roles: { $elemMatch: { role: "admin" } } };',
      'const label = "admin";',
    ].join("\n");
    assert.deepEqual(roleLists("clean.ts", clean), []);
  });

  it("every capability names known roles, without repeats, and a scope", () => {
    for (const name of capabilityNames) {
      const { roles, scope, label } = capabilities[name];
      assert.ok(roles.length > 0, `${name} has roles`);
      assert.ok(
        roles.every((role) => ROLES.has(role)),
        `${name}: unknown role in ${roles.join(", ")}`,
      );
      assert.equal(new Set(roles).size, roles.length, `${name} repeats a role`);
      assert.ok(["agency", "parent", "deployment"].includes(scope), `${name} has a scope`);
      assert.match(label, /\p{Script=Han}/u, `${name} has a Chinese label`);
    }
    assert.equal(grants(["handler"], "editCatalogue"), true);
    assert.equal(grants(["supervisor"], "editCatalogue"), false);
    assert.equal(grants([], "readAudit"), false);
  });
});
