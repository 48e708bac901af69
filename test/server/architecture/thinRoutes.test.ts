/**
 * Thin routes: a handler validates (its declared schemas), authorizes, calls a service and presents
 * the result. What makes that checkable is what a route file may import: no mongoose model and no
 * mongoose itself (queries, writes and ObjectIds belong to services), and no audit writer (the
 * command that changes something records it). Types of stored documents may be imported: presenters
 * and service results are typed with them.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const routesDir = join(root, "server/routes");

/**
 * Files allowed one of the imports below, each with its reason. Keep this list short: an entry
 * here is a route that does a service's work.
 */
const EXCEPTIONS: Record<string, { rule: Rule; why: string }[]> = {
  "auth.ts": [
    {
      rule: "audit",
      why: "the login is audited only after the session's actor is set on the request, so the event names who logged in; the session cookie it follows is HTTP work",
    },
  ],
};

type Rule = "model" | "mongoose" | "audit";

/** The value imports of a route file that break a rule, as "rule: module". */
function forbiddenImports(name: string, text: string): string[] {
  const file = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const clause = statement.importClause;
    const typeOnly =
      clause !== undefined &&
      (clause.isTypeOnly ||
        (clause.name === undefined &&
          clause.namedBindings !== undefined &&
          ts.isNamedImports(clause.namedBindings) &&
          clause.namedBindings.elements.every((element) => element.isTypeOnly)));
    if (typeOnly) continue;
    const module = statement.moduleSpecifier.text;
    if (/(^|\/)models\//.test(module)) found.push(`model: ${module}`);
    if (module === "mongoose" || module.startsWith("mongoose/")) found.push(`mongoose: ${module}`);
    if (/(^|\/)services\/audit(\.ts)?$/.test(module)) found.push(`audit: ${module}`);
  }
  return found;
}

describe("thin routes", () => {
  const files = readdirSync(routesDir).filter((name) => name.endsWith(".ts"));

  it("scans the route files", () => {
    assert.ok(files.length > 15, `only ${files.length} route files found`);
    assert.ok(files.includes("reports.ts") && files.includes("requests.ts"));
  });

  it("route files import no model, no mongoose and no audit writer (exceptions listed with their reason)", () => {
    const offences: string[] = [];
    for (const name of files) {
      const allowed = new Set((EXCEPTIONS[name] ?? []).map((exception) => exception.rule));
      for (const found of forbiddenImports(name, readFileSync(join(routesDir, name), "utf8"))) {
        if (!allowed.has(found.split(":")[0] as Rule)) offences.push(`server/routes/${name} ${found}`);
      }
    }
    assert.deepEqual(offences, []);
  });

  it("lists no stale exception (each one is still needed)", () => {
    for (const [name, exceptions] of Object.entries(EXCEPTIONS)) {
      const found = forbiddenImports(name, readFileSync(join(routesDir, name), "utf8"));
      for (const exception of exceptions)
        assert.ok(
          found.some((offence) => offence.startsWith(`${exception.rule}:`)),
          `${name} no longer needs its "${exception.rule}" exception: remove it`,
        );
    }
  });

  it("detects a planted violation of each rule, and lets type imports through (the check can fail)", () => {
    const planted = [
      'import { AnnualReport, type AnnualReportDoc } from "../models/AnnualReport.ts";',
      'import { Types } from "mongoose";',
      'import { audit } from "../services/audit.ts";',
      'import mongoose from "mongoose";',
      'import * as models from "../models/User.ts";',
      // Allowed: type-only imports of stored documents, services, presenters.
      'import type { ReviewCaseDoc } from "../models/ReviewCase.ts";',
      'import { type StoredEvent } from "../models/DisclosureRequest.ts";',
      'import { listReviewCases } from "../services/reviewCases.ts";',
      'import { auditReportText } from "../reports/audit/parse.ts";',
    ].join("\n");
    assert.deepEqual(forbiddenImports("planted.ts", planted), [
      "model: ../models/AnnualReport.ts",
      "mongoose: mongoose",
      "audit: ../services/audit.ts",
      "mongoose: mongoose",
      "model: ../models/User.ts",
    ]);
  });
});
