import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { openJournal } from "../../../server/embedded-mongo/src/journal/index.ts";
import { recorder, tempDir } from "./helpers.ts";

const child = join(fileURLToPath(new URL(".", import.meta.url)), "crash-child.ts");

/** Runs the child on dir until it has acknowledged `atLeast` more writes, then kills it with SIGKILL. */
function runAndKill(dir: string, atLeast: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ["--import", "tsx", child, dir], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const acked: number[] = [];
    let rest = "";
    proc.stdout.on("data", (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split("\n");
      rest = lines.pop()!;
      for (const line of lines) acked.push(Number(line));
      if (acked.length >= atLeast) proc.kill("SIGKILL");
    });
    proc.on("error", reject);
    proc.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve(acked);
      else reject(new Error(`child exited with ${code}`));
    });
  });
}

test("kill -9 during group commits and checkpoints loses no acknowledged write", {
  timeout: 120_000,
}, async () => {
  const dir = tempDir();
  for (const atLeast of [300, 1000, 2000]) {
    const acked = await runAndKill(dir, atLeast);
    const seen = recorder();
    const journal = await openJournal(dir, seen.visitor);
    const ids = seen.model.get("db.c") ?? new Map();
    for (const seq of acked) assert.ok(ids.has(String(seq)), `acknowledged insert ${seq} survived`);
    assert.ok(journal.seq >= Math.max(...acked));
    assert.equal(ids.size, journal.seq, "no holes: every seq up to the last recovered one is present");
    await journal.close();
  }
});
