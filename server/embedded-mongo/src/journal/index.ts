/** The durability layer's public surface: journal, recovery, checkpoints and the dbPath lock. */

export {
  type CheckpointSource,
  FileJournal,
  type Journal,
  JournalCorruptError,
  type JournalOptions,
  openJournal,
  type RecoveryVisitor,
} from "./journal.ts";
export { acquireLock, LockHeldError, type LockInfo } from "./lock.ts";
export type { CatalogEntry, JournalOp, JournalRecord } from "./records.ts";
