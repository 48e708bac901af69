/**
 * Process-wide state of one embedded server: the engine, cursors, sessions, fail points and the cluster clock.
 */
import { Timestamp } from "bson";
import { FailPoints } from "./commands/failpoints.ts";
import { CursorManager } from "./engine/cursors.ts";
import type { Engine } from "./engine/engine.ts";
import { TRANSACTION_LIFETIME_MS, type Transaction } from "./engine/transactions.ts";
import type { Document } from "./types.ts";

/** How the server presents itself: a one-member replica set (default) or a standalone mongod. */
export type ServerMode = "replset" | "standalone";

/** A logical session (lsid) and what retryable writes need from it. */
export interface SessionState {
  key: string;
  lastUse: number;
  /** Highest txnNumber seen for a retryable write, and the reply it got. */
  txnNumber: number;
  lastReply: Document | null;
  /**
   * The retryable write of this session still being applied: a driver that timed out resends it while
   * the first attempt runs, and the resend must wait for that attempt's reply, not execute again.
   */
  writing: { txnNumber: number; done: Promise<void> } | null;
  /** The session's current or last transaction. */
  txn: Transaction | null;
}

/** Sessions expire after 30 idle minutes, as logicalSessionTimeoutMinutes says. */
export const SESSION_TIMEOUT_MS = 30 * 60 * 1000;

/** Everything the command handlers share. */
export class ServerState {
  readonly engine: Engine;
  readonly cursors = new CursorManager();
  readonly sessions = new Map<string, SessionState>();
  readonly mode: ServerMode;
  readonly testCommands: boolean;
  readonly startedAt = Date.now();
  address = "127.0.0.1:0";
  /** The data directory owner's instance id (see journal/lock.ts); hello returns it. Unset in memory. */
  instanceId: string | undefined;
  readonly failPoints = new FailPoints();
  connectionCount = 0;
  totalConnections = 0;
  opCounters = { insert: 0, query: 0, update: 0, delete: 0, getmore: 0, command: 0 };
  /** Test-only clock offset (embeddedAdvanceClock), so lifetime limits can be tested without waiting. */
  clockOffsetMs = 0;
  private clusterSeconds = 0;
  private clusterIncrement = 0;

  constructor(engine: Engine, mode: ServerMode, testCommands: boolean) {
    this.engine = engine;
    this.mode = mode;
    this.testCommands = testCommands;
  }

  /** Wall-clock milliseconds, shifted by the test clock offset. */
  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** The current cluster time; `tick` advances it (after a write) so it stays monotonic. */
  clusterTime(tick = false): Timestamp {
    const now = Math.floor(Date.now() / 1000);
    if (now > this.clusterSeconds) {
      this.clusterSeconds = now;
      this.clusterIncrement = 1;
    } else if (tick) {
      this.clusterIncrement++;
    }
    return new Timestamp({ t: this.clusterSeconds, i: this.clusterIncrement });
  }

  /** The session for an lsid, created on first use. */
  session(key: string): SessionState {
    let session = this.sessions.get(key);
    if (!session) {
      session = { key, lastUse: this.now(), txnNumber: -1, lastReply: null, writing: null, txn: null };
      this.sessions.set(key, session);
    }
    session.lastUse = this.now();
    return session;
  }

  /**
   * Aborts a transaction past MongoDB's 60-second lifetime. Checked on the transaction's next command
   * and by the reaper, so one a client abandoned (its connection died mid-commit) stops holding its
   * documents against every other writer, as MongoDB's own periodic abort does.
   */
  expireTransaction(txn: Transaction, now = this.now()): void {
    if (txn.state === "active" && now - txn.startedAt > TRANSACTION_LIFETIME_MS) {
      this.engine.abortTransaction(txn, "the transaction exceeded its 60-second lifetime limit");
    }
  }

  /** Ends a session, aborting its open transaction and closing its cursors. */
  endSession(key: string): void {
    const txn = this.sessions.get(key)?.txn;
    if (txn) this.engine.abortTransaction(txn, "session ended");
    this.sessions.delete(key);
    this.cursors.killOwnedBy(key);
  }

  /** Drops idle sessions and cursors. */
  reap(now = this.now()): void {
    for (const [key, session] of this.sessions) {
      if (now - session.lastUse > SESSION_TIMEOUT_MS) this.endSession(key);
      else if (session.txn) this.expireTransaction(session.txn, now);
    }
    this.cursors.reap(now);
  }
}
