/**
 * The key that encrypts personal data at rest. `DATA_KEY` wins; otherwise a random key is generated
 * into `<dataDir>/data.key` (mode 0600) on first start and read back on every later start, so a
 * fresh install is encrypted without any setup. Losing that file means losing the personal data.
 */
import { randomBytes } from "node:crypto";
import { link, readFile, stat, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { defaults } from "@govinfo/config/defaults";
import { dataKeyRule, decodeDataKey } from "@govinfo/config/env";

/** The key and where it came from; `insecureMode` is set when the key file is readable by others. */
export interface DataKey {
  key: Buffer;
  source: "env" | "file" | "generated";
  /** The key file, when the key came from or went to one. */
  path?: string;
  /** Octal permissions of a key file that group or others can read, to warn about. */
  insecureMode?: string;
}

/** A key file exists but does not hold a valid key; boot stops rather than generating a new one. */
export class DataKeyError extends Error {
  override readonly name = "DataKeyError";
}

/** Returns the configured key, or reads (creating on first start) `<dataDir>/data.key`. */
export async function ensureDataKey(options: {
  configured: Buffer | undefined;
  dataDir: string;
}): Promise<DataKey> {
  if (options.configured !== undefined) return { key: options.configured, source: "env" };
  const path = join(options.dataDir, defaults.dataKeyFileName);
  const generated = randomBytes(defaults.dataKeyBytes);
  // Written aside and hard-linked into place: the link is atomic and never overwrites, so a second
  // instance starting at the same moment reads the winner's complete key, never a half-written file.
  const draft = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(draft, `${generated.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  try {
    await link(draft, path);
    return { key: generated, source: "generated", path };
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
  } finally {
    await unlink(draft);
  }
  const key = decodeDataKey(await readFile(path, "utf8"));
  if (key === undefined) throw new DataKeyError(`${path}: ${dataKeyRule}`);
  const mode = (await stat(path)).mode & 0o777;
  const insecureMode = (mode & 0o077) === 0 ? undefined : mode.toString(8).padStart(4, "0");
  return { key, source: "file", path, ...(insecureMode === undefined ? {} : { insecureMode }) };
}

function isAlreadyExists(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "EEXIST";
}
