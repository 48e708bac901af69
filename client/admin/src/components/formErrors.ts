/**
 * Maps zod issues and API field errors onto antd form fields (paths like "applicant.idNumber").
 */
import type { FormInstance } from "antd";
import { ApiError } from "../api.ts";
import { errorText } from "./PageShell.tsx";

/** A field problem with a dotted path. */
export interface FieldProblem {
  path: string;
  message: string;
}

/** Field problems of a zod error or an ApiError (empty when neither carries any). */
export function fieldProblems(error: unknown): FieldProblem[] {
  if (error instanceof ApiError) return error.details?.fields ?? [];
  const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] } | null)?.issues;
  if (!issues) return [];
  return issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message }));
}

/** Shows problems on the form; returns the ones that match no field (to show in an alert). */
export function showFieldProblems(
  form: FormInstance,
  problems: FieldProblem[],
  fieldPaths: string[],
): FieldProblem[] {
  const unmatched: FieldProblem[] = [];
  const byPath = new Map<string, string[]>();
  for (const problem of problems) {
    if (!fieldPaths.includes(problem.path)) {
      unmatched.push(problem);
      continue;
    }
    byPath.set(problem.path, [...(byPath.get(problem.path) ?? []), problem.message]);
  }
  // Clear the errors of the last attempt, then show this one's.
  form.setFields(fieldPaths.map((path) => ({ name: path.split("."), errors: byPath.get(path) ?? [] })));
  return unmatched;
}

/** The field problems of a failure joined into one line, else its message (for a dialog's alert). */
export function fieldsOrErrorText(error: unknown): string {
  const fields = fieldProblems(error);
  return fields.length > 0 ? fields.map((f) => f.message).join("；") : errorText(error);
}
