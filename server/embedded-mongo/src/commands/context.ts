/**
 * What a command handler receives, and how commands are declared.
 */
import { DirectStore, type Store } from "../engine/store.ts";
import type { Transaction } from "../engine/transactions.ts";
import { TransactionStore } from "../engine/transactions.ts";
import type { JournalOp, JournalRecord } from "../journal/records.ts";
import type { ServerState, SessionState } from "../state.ts";
import type { Document } from "../types.ts";
import type { ConnectionInfo } from "../wire/connection.ts";

/** Fields every command accepts besides its own (MongoDB's generic arguments). */
export const GENERIC_FIELDS = new Set([
  "$db",
  "lsid",
  "txnNumber",
  "autocommit",
  "startTransaction",
  "readConcern",
  "writeConcern",
  "$clusterTime",
  "$readPreference",
  "comment",
  "maxTimeMS",
  "apiVersion",
  "apiStrict",
  "apiDeprecationErrors",
  "$audit",
  "$client",
  "$configServerState",
  "mayBypassWriteBlocking",
]);

/** The per-command context. */
export class CommandContext {
  readonly server: ServerState;
  readonly db: string;
  readonly command: Document;
  readonly name: string;
  readonly connection: ConnectionInfo;
  readonly session: SessionState | null;
  /** Journal records produced by this command, in order. */
  readonly pending: JournalRecord[] = [];
  /** The open transaction this command runs in, if any. */
  readonly txn: Transaction | null;
  /** Reads and writes, directly or through the transaction's snapshot and write set. */
  readonly store: Store;

  constructor(
    server: ServerState,
    db: string,
    command: Document,
    name: string,
    connection: ConnectionInfo,
    session: SessionState | null,
    txn: Transaction | null = null,
  ) {
    this.server = server;
    this.db = db;
    this.command = command;
    this.name = name;
    this.connection = connection;
    this.session = session;
    this.txn = txn;
    this.store = txn
      ? new TransactionStore(server.engine, txn)
      : new DirectStore(server.engine, this.pending, (op) => this.journal(op));
  }

  /** Records one document change for the journal (grouped into the command's OPS record). */
  journal(op: JournalOp): void {
    const last = this.pending[this.pending.length - 1];
    if (last && last.type === "ops") {
      last.ops.push(op);
      return;
    }
    this.pending.push({ type: "ops", ops: [op] });
  }
}

/** A command's declaration: its names, its own fields, and its handler. */
export interface CommandDefinition {
  /** The canonical name first, then aliases (isMaster, ismaster, buildinfo, findandmodify). */
  names: string[];
  /** Command-specific fields; anything else that is not generic is rejected with 40415. */
  fields: string[] | "any";
  /** Only on the admin database. */
  adminOnly?: boolean;
  /** Accepts a txnNumber as a retryable write. */
  retryableWrite?: boolean;
  /** Refused inside a transaction with 263. */
  notInTransaction?: boolean;
  /** Only when the server was started with test commands enabled. */
  testOnly?: boolean;
  /** Runs the command; the returned document gets `ok: 1` and the cluster time added. */
  handler(ctx: CommandContext): Document | Promise<Document>;
}
