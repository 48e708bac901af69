/**
 * Migrations for the runner's tests: each counts its own runs in the `probes` collection (so a second
 * run shows), slowly enough that concurrent runners overlap.
 */
import type { Migration } from "../../../server/db/migrations/migration.ts";

/** Name of the collection counting the probe migrations' runs. */
export const PROBES = "probes";

/**
 * One transactional and one non-transactional probe, each taking `delayMs`.
 * @param delayMs how long each takes.
 */
export function probeMigrations(delayMs: number): Migration[] {
  return [
    probe("001-probe-in-transaction", true, delayMs),
    probe("002-probe-outside-transaction", false, delayMs),
  ];
}

/**
 * A migration that counts its runs, optionally failing after it counted.
 * @param fail an error message to throw once the count is written.
 */
export function probe(id: string, transactional: boolean, delayMs = 0, fail?: string): Migration {
  return {
    id,
    description: `计数探针 ${id}`,
    transactional,
    async up({ connection, session }) {
      const probes = connection.db?.collection<{ _id: string; runs: number }>(PROBES);
      if (!probes) throw new Error("not connected");
      await probes.updateOne(
        { _id: id },
        { $inc: { runs: 1 } },
        { upsert: true, session: session ?? undefined },
      );
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (fail !== undefined) throw new Error(fail);
    },
  };
}
