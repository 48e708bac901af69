// Text output of a spec run: one line per test, skips grouped by reason, and the totals line.
import type { RunSummary } from "./runner.ts";
import type { TestResult } from "./types.ts";

/** One line for a test: `ok|FAIL|skip  file › description[ — reason]` (plus details when verbose). */
export function formatResult(result: TestResult, verbose = false): string {
  const status = result.status.padEnd(4);
  const reason = result.reason ? ` — ${result.reason}` : "";
  let line = `${status} ${result.file} › ${result.description}${reason}`;
  if (verbose && result.status === "FAIL" && result.details) {
    line += `\n${result.details
      .split("\n")
      .map((l) => `       ${l}`)
      .join("\n")}`;
  }
  return line;
}

/** Skipped tests grouped by reason (most frequent first), with the files they come from. */
export function formatSkipGroups(results: readonly TestResult[]): string {
  const groups = new Map<string, Map<string, number>>();
  for (const r of results) {
    if (r.status !== "skip") continue;
    const reason = r.reason ?? "(no reason)";
    const files = groups.get(reason) ?? new Map<string, number>();
    files.set(r.file, (files.get(r.file) ?? 0) + 1);
    groups.set(reason, files);
  }
  if (groups.size === 0) return "";
  const total = (files: Map<string, number>) => [...files.values()].reduce((a, b) => a + b, 0);
  const lines = ["", "Skipped tests by reason:"];
  for (const [reason, files] of [...groups].sort((a, b) => total(b[1]) - total(a[1]))) {
    lines.push(`  ${total(files)} × ${reason}`);
    const list = [...files].map(([file, n]) => (n > 1 ? `${file} (${n})` : file)).join(", ");
    lines.push(`      ${list}`);
  }
  return lines.join("\n");
}

/** The last line of a run: `N passed, N failed, N skipped`. */
export function formatTotals(summary: Pick<RunSummary, "passed" | "failed" | "skipped">): string {
  return `${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`;
}
