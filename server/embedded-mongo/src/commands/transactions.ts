/**
 * Transaction control: which transaction a command belongs to, commitTransaction and abortTransaction.
 */

import { noSuchTransaction, type Transaction } from "../engine/transactions.ts";
import { MongoError, mongoError } from "../errors.ts";
import type { ServerState, SessionState } from "../state.ts";
import type { Document } from "../types.ts";
import { toInt } from "./args.ts";
import type { CommandContext, CommandDefinition } from "./context.ts";

const CONTROL = new Set(["commitTransaction", "abortTransaction"]);

/**
 * Finds (or, with startTransaction, opens) the transaction a command runs in, enforcing MongoDB's rules.
 * @param canonicalName the command's canonical name.
 */
export function resolveTransaction(
  server: ServerState,
  def: CommandDefinition,
  canonicalName: string,
  command: Document,
  session: SessionState,
  txnNumber: number,
): Transaction {
  if (command.autocommit !== false) throw mongoError(72, "Specifying autocommit=true is not allowed.");
  const control = CONTROL.has(canonicalName);
  if (command.startTransaction !== undefined) {
    if (command.startTransaction !== true)
      throw mongoError(72, "Specifying startTransaction=false is not allowed.");
    if (control) throw mongoError(72, `Cannot start a transaction with ${canonicalName}`);
    if (txnNumber < session.txnNumber) {
      throw mongoError(
        225,
        `Cannot start transaction ${txnNumber} on session ${session.key} because a newer transaction ${session.txnNumber} has already started.`,
      );
    }
    if (txnNumber === session.txnNumber) {
      throw mongoError(
        251,
        `Given transaction number ${txnNumber} does not match any in-progress transactions.`,
      );
    }
    checkEnvelope(command, true);
    if (session.txn)
      server.engine.abortTransaction(session.txn, "a newer transaction started on the session");
    const txn = server.engine.beginTransaction(session.key, txnNumber, server.now());
    session.txn = txn;
    session.txnNumber = txnNumber;
    session.lastReply = null;
    if (def.notInTransaction) {
      server.engine.abortTransaction(txn, `${canonicalName} is not allowed in a transaction`);
      throw mongoError(263, `Cannot run '${canonicalName}' in a multi-document transaction.`);
    }
    return txn;
  }
  if (txnNumber < session.txnNumber) {
    throw mongoError(
      225,
      `Transaction ${txnNumber} on session ${session.key} is older than the active transaction ${session.txnNumber}`,
    );
  }
  const txn = session.txn;
  if (!txn || txn.txnNumber !== txnNumber)
    throw noSuchTransaction(txnNumber, "no transaction with this number was started");
  if (control) return txn;
  if (txn.state === "committed") throw mongoError(256, `Transaction ${txnNumber} has been committed.`);
  server.expireTransaction(txn);
  if (txn.state === "aborted") throw noSuchTransaction(txnNumber, txn.abortReason);
  checkEnvelope(command, false);
  if (def.notInTransaction) {
    server.engine.abortTransaction(txn, `${canonicalName} is not allowed in a transaction`);
    throw mongoError(263, `Cannot run '${canonicalName}' in a multi-document transaction.`);
  }
  return txn;
}

function checkEnvelope(command: Document, first: boolean): void {
  if (!first && command.readConcern !== undefined) {
    throw mongoError(72, "Only the first command in a transaction may specify a readConcern");
  }
  if (command.writeConcern !== undefined) {
    throw mongoError(72, "Cannot set write concern after starting a transaction.");
  }
  const level = (command.readConcern as Document | undefined)?.level;
  if (level !== undefined && !["snapshot", "majority", "local"].includes(String(level))) {
    throw mongoError(
      72,
      `The readConcern level must be either 'local', 'majority' or 'snapshot' in a transaction, not '${String(level)}'`,
    );
  }
}

function commitTransaction(ctx: CommandContext): Document {
  const txn = ctx.txn;
  if (!txn) throw mongoError(251, "commitTransaction requires a transaction");
  if (txn.state === "committed") return {};
  ctx.server.expireTransaction(txn);
  if (txn.state === "aborted") throw noSuchTransaction(txn.txnNumber, txn.abortReason);
  try {
    ctx.server.engine.commitTransaction(txn, ctx.pending);
  } catch (error) {
    ctx.server.engine.abortTransaction(txn, "commit failed");
    throw error instanceof MongoError ? error : mongoError(1, String(error));
  }
  return {};
}

function abortTransaction(ctx: CommandContext): Document {
  const txn = ctx.txn;
  if (!txn) throw mongoError(251, "abortTransaction requires a transaction");
  if (txn.state === "committed") throw mongoError(256, `Transaction ${txn.txnNumber} has been committed.`);
  if (txn.state === "aborted") throw noSuchTransaction(txn.txnNumber, txn.abortReason);
  ctx.server.engine.abortTransaction(txn, "aborted by the client");
  return {};
}

/** Transaction control commands, plus a test-only clock for lifetime tests. */
export const transactionCommands: CommandDefinition[] = [
  { names: ["commitTransaction"], fields: ["recoveryToken"], adminOnly: true, handler: commitTransaction },
  { names: ["abortTransaction"], fields: ["recoveryToken"], adminOnly: true, handler: abortTransaction },
  {
    names: ["embeddedAdvanceClock"],
    fields: [],
    adminOnly: true,
    testOnly: true,
    handler: (ctx) => {
      ctx.server.clockOffsetMs += toInt(ctx.command.embeddedAdvanceClock) ?? 0;
      // Timers due by the new time fire now, as they would have had the time really passed.
      ctx.server.reap();
      return { clockOffsetMs: ctx.server.clockOffsetMs };
    },
  },
];
