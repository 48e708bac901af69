/**
 * Transactions with a time budget. mongoose's `connection.transaction()` runs the driver's
 * `withTransaction`, which retries a transaction whose error is labelled transient (a closed
 * connection, a node shutting down or stepping down) and a commit whose outcome is unknown for up to
 * 120 seconds, a limit no option changes in driver 7. An HTTP request must not hang that long while
 * the database is away, so `connect.ts` gives the connection this variant: the same retries as the
 * driver's (the transactions specification's loop), but only within a budget, after which the last
 * error is thrown and the error handler answers 503 with Retry-After. An attempt running when the
 * budget runs out finishes first, so the caller always gets the outcome of the last attempt.
 *
 * When it gives up on a database error the server may still hold the transaction open (a commit
 * that never arrived, an abort that could not be sent), keeping the documents it wrote locked for
 * every other writer until it expires. So the session is then killed on the server, which aborts
 * such a transaction (or finds it already committed), and never reused.
 *
 * Like the driver's, the callback may run several times and must start from scratch each time (the
 * services build their documents inside it); unlike mongoose's, it does not reset the state of
 * documents saved with `doc.save({ session })` between attempts.
 */
import { setTimeout as sleep } from "node:timers/promises";
import mongoose, { type ClientSession, type Connection, type mongo } from "mongoose";

/** Options of `boundedTransaction`. */
export interface BoundedTransactionOptions {
  /** How long attempts may keep starting; the one running when it passes still finishes. */
  budgetMs: number;
  /** Passed to `startTransaction` (read and write concern). */
  transactionOptions?: mongo.TransactionOptions;
}

/**
 * Runs `fn` in a transaction on a new session, retrying transient failures within the budget.
 * @param connection the connection to start the session on.
 * @param fn the work; receives the session every operation must pass.
 * @param options the budget and the transaction options.
 * @returns what `fn` returned in the attempt that committed.
 */
export async function boundedTransaction<T>(
  connection: Connection,
  fn: (session: ClientSession) => Promise<T>,
  options: BoundedTransactionOptions,
): Promise<T> {
  const deadline = performance.now() + options.budgetMs;
  const hasTimeLeft = () => performance.now() < deadline;
  const session = await connection.startSession();
  const progress = { committing: false };
  try {
    return await attempts(session, fn, options, hasTimeLeft, progress);
  } catch (error) {
    if (progress.committing || hasLabel(error, "TransientTransactionError")) abandon(connection, session);
    throw error;
  } finally {
    await session.endSession().catch(() => {});
  }
}

/**
 * Installs `boundedTransaction` as `connection.transaction`, so every service keeps calling
 * `mongoose.connection.transaction(fn)` and gets the budget.
 * @param connection the connection whose `transaction` is replaced.
 * @param budgetMs the budget of each transaction.
 */
export function boundTransactions(connection: Connection, budgetMs: number): void {
  connection.transaction = <T>(
    fn: (session: ClientSession) => Promise<T>,
    transactionOptions?: mongo.TransactionOptions,
  ) =>
    boundedTransaction(connection, fn, {
      budgetMs,
      ...(transactionOptions === undefined ? {} : { transactionOptions }),
    });
}

/** The transactions specification's retry loop (callback, then commit), within the budget. */
async function attempts<T>(
  session: ClientSession,
  fn: (session: ClientSession) => Promise<T>,
  options: BoundedTransactionOptions,
  hasTimeLeft: () => boolean,
  progress: { committing: boolean },
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) await sleep(backoffMs(attempt));
    session.startTransaction(options.transactionOptions);
    let result: T;
    try {
      result = await fn(session);
    } catch (error) {
      if (session.inTransaction()) await session.abortTransaction().catch(() => {});
      if (hasLabel(error, "TransientTransactionError") && hasTimeLeft()) continue;
      throw error;
    }
    // The callback committed or aborted on its own: its decision stands.
    if (!session.inTransaction()) return result;
    progress.committing = true;
    const committed = await commit(session, hasTimeLeft);
    if (committed) return result;
    progress.committing = false;
  }
}

/**
 * Kills the session on the server in the background (the caller's 503 does not wait for it; if the
 * database is still away the kill fails and the server expires the transaction itself). Marked
 * dirty first, so the driver never hands this session id to another transaction the kill could hit.
 */
function abandon(connection: Connection, session: ClientSession): void {
  const id = session.id;
  const db = connection.db;
  if (id === undefined || db === undefined) return;
  session.serverSession.isDirty = true;
  db.admin()
    .command({ killSessions: [id] })
    .catch(() => {});
}

/**
 * Commits, retrying a commit of unknown outcome within the budget.
 * @returns true once committed; false when the whole transaction should run again.
 */
async function commit(session: ClientSession, hasTimeLeft: () => boolean): Promise<boolean> {
  for (let retry = 0; ; retry++) {
    if (retry > 0) await sleep(backoffMs(retry));
    try {
      await session.commitTransaction();
      return true;
    } catch (error) {
      // A retried commit is idempotent on the server, so it may run until the budget is spent.
      if (hasLabel(error, "UnknownTransactionCommitResult") && !isMaxTimeExpired(error) && hasTimeLeft())
        continue;
      if (hasLabel(error, "TransientTransactionError") && hasTimeLeft()) return false;
      throw error;
    }
  }
}

function hasLabel(error: unknown, label: string): boolean {
  return error instanceof mongoose.mongo.MongoError && error.hasErrorLabel(label);
}

/** MaxTimeMSExpired (50) means the commit itself ran out of time: retrying it would not help. */
function isMaxTimeExpired(error: unknown): boolean {
  if (!(error instanceof mongoose.mongo.MongoServerError)) return false;
  return error.code === 50 || error.writeConcernError?.code === 50;
}

/** The driver's backoff between transaction attempts: jittered, from 5 ms growing to at most 500 ms. */
function backoffMs(attempt: number): number {
  return Math.random() * Math.min(5 * 1.5 ** attempt, 500);
}
