// The pinned outcome of every spec test (test/embedded-mongo/spec-manifest.json), so a folder cannot quietly
// shrink: a test pinned as passing that skips, fails or no longer runs breaks CI; a skip must be pinned with its
// reason, and that reason must say why it is out of reach here — the server version, the topology, a named feature
// the embedded server refuses (238 NotImplemented) or leaves out, or a limit of the Node driver or this runner.
// A NotImplemented answer is never a silent skip: unless its test is pinned as exactly that skip, it fails.
// A test that passes where a skip is pinned is reported, so the pin can be raised (`npm run test:spec -- --pin`).
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { TestResult } from "./types.ts";

/** Where the pins live, checked in beside the suite. */
export const MANIFEST_PATH = fileURLToPath(new URL("../spec-manifest.json", import.meta.url));

/** Why a test may be skipped here. */
export type SkipCategory = "version" | "topology" | "feature" | "driver" | "runner";

/**
 * Per folder, per `file › description`: "pass", or "skip (<category>): <the runner's reason>".
 * The reason is compared verbatim, so a skip that changes its cause is noticed too.
 */
export type Manifest = Record<string, Record<string, string>>;

/** What a run looks like against the pins of its folder. */
export interface ManifestCheck {
  /** Pinned "pass" but skipped, failed or gone; unpinned skips; changed skip reasons. Each breaks CI. */
  problems: string[];
  /** Pinned as a skip (or not pinned) and now passing: raise the pin. */
  newlyPassing: string[];
}

/** The key of a result in its folder's pins. */
export function keyOf(result: Pick<TestResult, "file" | "description">): string {
  return `${result.file} › ${result.description}`;
}

/** Which category a skip reason from the runner belongs to; undefined when it names no acceptable cause. */
export function skipCategory(reason: string): SkipCategory | undefined {
  if (/^runOnRequirements: needs server [<>]=/.test(reason)) return "version";
  if (/^runOnRequirements: needs topology /.test(reason)) return "topology";
  // Authentication, CSFLE and serverless are features the embedded server leaves out (its README, deviation 5).
  if (/^runOnRequirements: needs (auth|CSFLE|serverless)/.test(reason)) return "feature";
  // 238 NotImplemented always names the refused feature (errors.ts notImplemented()).
  if (/^server NotImplemented: .*\S/.test(reason)) return "feature";
  if (/^Node driver limitation: /.test(reason)) return "driver";
  if (/^unsupported (operation|assertion): /.test(reason)) return "runner";
  return undefined;
}

/** The manifest value for a result. */
export function pinOf(result: TestResult): string {
  if (result.status === "ok") return "pass";
  if (result.status === "skip")
    return `skip (${skipCategory(result.reason ?? "") ?? "unexplained"}): ${result.reason}`;
  return `FAIL: ${result.reason}`;
}

export function loadManifest(path = MANIFEST_PATH): Manifest {
  return JSON.parse(readFileSync(path, "utf8")) as Manifest;
}

/** Compares a folder's results with its pins. */
export function checkFolder(
  pins: Record<string, string> | undefined,
  results: readonly TestResult[],
): ManifestCheck {
  const problems: string[] = [];
  const newlyPassing: string[] = [];
  if (pins === undefined)
    return { problems: ["no pins for this folder in spec-manifest.json"], newlyPassing };
  const seen = new Set<string>();
  for (const result of results) {
    const key = keyOf(result);
    seen.add(key);
    const pinned = pins[key];
    const actual = pinOf(result);
    if (result.status === "FAIL") {
      problems.push(`${key}: failed (${result.reason}); pinned ${pinned ?? "nothing"}`);
    } else if (result.status === "ok") {
      if (pinned !== "pass") newlyPassing.push(`${key}: passes; pinned ${pinned ?? "nothing"}`);
    } else if (pinned === "pass") {
      problems.push(`${key}: pinned to pass, now ${actual}`);
    } else if (skipCategory(result.reason ?? "") === undefined) {
      problems.push(
        `${key}: skipped for a reason that is no version, topology, feature or known limit: ${result.reason}`,
      );
    } else if (pinned === undefined) {
      problems.push(`${key}: ${actual}, and no pin says so (pin it with its reason, or make it pass)`);
    } else if (pinned !== actual) {
      problems.push(`${key}: skip reason changed; pinned "${pinned}", now "${actual}"`);
    }
  }
  for (const [key, pinned] of Object.entries(pins)) {
    if (!seen.has(key)) problems.push(`${key}: pinned ${pinned}, but did not run (the folder shrank)`);
  }
  return { problems, newlyPassing };
}

/** Replaces the pins of `folder` with what this run did (only for a run without failures). */
export function writePins(folder: string, results: readonly TestResult[], path = MANIFEST_PATH): void {
  let manifest: Manifest = {};
  try {
    manifest = loadManifest(path);
  } catch {
    // First pin.
  }
  const pins: Record<string, string> = {};
  for (const result of results) pins[keyOf(result)] = pinOf(result);
  manifest[folder] = pins;
  const ordered = Object.fromEntries(Object.entries(manifest).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(path, `${JSON.stringify(ordered, null, 2)}\n`);
}

/** Pass and skip counts of a folder's pins, for the report line. */
export function pinnedCounts(pins: Record<string, string>): { passes: number; skips: number } {
  const values = Object.values(pins);
  const passes = values.filter((v) => v === "pass").length;
  return { passes, skips: values.length - passes };
}
