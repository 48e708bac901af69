/**
 * The shape of a schema migration. A migration is a numbered module (`NNN-name.ts`, `id` equal to the
 * file name) that never changes once released: a later fix is a new migration. During a rolling
 * upgrade instances of the previous release still serve the database a migration changes, so a
 * migration only adds (indexes, fields with defaults, recomputed derived values); removing or
 * renaming something the previous release reads waits for a migration of the release after.
 */
import type { ClientSession, Connection } from "mongoose";
import type { Logger } from "../../logger.ts";

/** What a migration's `up` receives. */
export interface MigrationContext {
  /** The mongoose connection the models are bound to. */
  connection: Connection;
  /** The transaction's session for `transactional` migrations (pass it to every read and write); else null. */
  session: ClientSession | null;
  logger: Logger;
  /** The moment the run started (migrations that depend on "today" use it). */
  now: Date;
}

/** A schema migration. */
export interface Migration {
  /** `NNN-kebab-name`, the module's file name; recorded in the `migrations` collection. */
  id: string;
  /** What it does, in a sentence, for the log and the record. */
  description: string;
  /**
   * True: `up` and the record of it commit in one transaction, so a failure leaves nothing behind;
   * the whole `up` must then fit in MongoDB's transaction lifetime (60 s by default). False for work
   * MongoDB cannot do in a transaction (building indexes) or that is too large for one (rewriting a
   * big collection, in batches); such an `up` must be safe to run again, because a crash between its
   * work and its record makes the next boot repeat it. Either way each single database operation must
   * finish within the connection's operation timeout (`defaults.databaseOperationTimeoutMs`).
   */
  transactional: boolean;
  up(context: MigrationContext): Promise<void>;
}
