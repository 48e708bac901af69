/**
 * Every schema migration, in the order they run. Add one by writing `NNN-name.ts` (next number,
 * exporting `migration` with `id` equal to the file name) and appending it here; never edit or
 * reorder a released one.
 */
import { migration as baselineIndexes } from "./001-baseline-indexes.ts";
import { migration as recomputeDueDates } from "./002-recompute-due-dates.ts";
import type { Migration } from "./migration.ts";

/** The migrations this release knows, oldest first. */
export const migrations: readonly Migration[] = [baselineIndexes, recomputeDueDates];
