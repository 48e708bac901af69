/**
 * Throwaway directories under the OS temp dir, removed by the test that made them.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A temporary directory and a function that deletes it with everything inside. */
export interface TempDir {
  path: string;
  remove(): Promise<void>;
}

/** Creates a fresh empty directory named `govinfo-<prefix>-XXXXXX`. */
export async function createTempDir(prefix: string): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), `govinfo-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
