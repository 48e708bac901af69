/**
 * Turns a decoded request into a reply: command lookup, strict field checks, sessions and retryable
 * writes, fail points, execution, durability and the cluster time.
 */
import { Binary, Long } from "bson";
import { codeNameFor } from "../error-codes.ts";
import { MongoError, mongoError, notImplemented } from "../errors.ts";
import type { ServerState, SessionState } from "../state.ts";
import type { Document } from "../types.ts";
import type { ConnectionInfo } from "../wire/connection.ts";
import { OP_QUERY, type WireRequest } from "../wire/protocol.ts";
import { adminCommands, sessionKey } from "./admin.ts";
import { CommandContext, type CommandDefinition, GENERIC_FIELDS } from "./context.ts";
import { ddlCommands } from "./ddl.ts";
import type { FailPointData } from "./failpoints.ts";
import { readCommands } from "./read.ts";
import { resolveTransaction, transactionCommands } from "./transactions.ts";
import { writeCommands } from "./write.ts";

/** Error codes after which a retryable write may be retried; the server labels them RetryableWriteError. */
const RETRYABLE_CODES = new Set([6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436]);
const REFUSED_COMMANDS: Record<string, string> = {
  mapReduce: "mapReduce",
  eval: "server-side JavaScript",
  $eval: "server-side JavaScript",
  geoSearch: "geo queries",
  bulkWrite: "the client-level bulkWrite command",
  collMod: "collMod",
  createView: "views",
  startSession: "startSession",
  shardCollection: "sharding",
  replSetGetStatus: "replSetGetStatus",
  replSetInitiate: "replica set configuration",
  fsync: "fsync locking",
  compact: "compact",
  validate: "validate",
  cloneCollectionAsCapped: "capped collections",
  convertToCapped: "capped collections",
  setFeatureCompatibilityVersion: "setFeatureCompatibilityVersion",
};
/** Commands that may run inside a multi-document transaction; others get 263. */
const TRANSACTION_COMMANDS = new Set([
  "find",
  "getMore",
  "killCursors",
  "insert",
  "update",
  "delete",
  "findAndModify",
  "aggregate",
  "distinct",
  "create",
  "createIndexes",
  "commitTransaction",
  "abortTransaction",
  "count",
  "listCollections",
  "listIndexes",
  "drop",
  "dropIndexes",
  "renameCollection",
  "dropDatabase",
]);
const TRANSACTION_CONTROL = new Set(["commitTransaction", "abortTransaction"]);
/** Codes that make an error inside a transaction transient (retry the whole transaction). */
const TRANSIENT_CODES = new Set([24, 112, 251]);
const ZERO_HASH = new Binary(Buffer.alloc(20), 0);

/** Log sink used by the dispatcher. */
export type Logger = (level: "debug" | "info" | "warn" | "error", message: string) => void;

/** Builds the request handler for one server. */
export function createDispatcher(server: ServerState, log: Logger) {
  const table = new Map<string, CommandDefinition>();
  for (const def of [
    ...adminCommands,
    ...ddlCommands,
    ...readCommands,
    ...writeCommands,
    ...transactionCommands,
  ]) {
    for (const name of def.names) table.set(name, def);
  }
  const appNames = new WeakMap<ConnectionInfo, string>();

  return async function dispatch(request: WireRequest, connection: ConnectionInfo): Promise<Document | null> {
    const started = performance.now();
    const command = request.command;
    const name = Object.keys(command)[0] ?? "";
    let reply: Document;
    try {
      reply = await run(request, connection, name);
    } catch (error) {
      if (error instanceof MongoError) {
        reply = error.toReply();
      } else {
        log(
          "error",
          `command ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        reply = mongoError(1, error instanceof Error ? error.message : String(error)).toReply();
      }
    }
    if (reply.__closeConnection) {
      connection.destroy();
      return null;
    }
    if (server.mode === "replset" && request.opCode !== OP_QUERY) {
      const clusterTime = server.clusterTime();
      reply.$clusterTime = { clusterTime, signature: { hash: ZERO_HASH, keyId: Long.ZERO } };
      reply.operationTime = clusterTime;
    }
    const elapsed = performance.now() - started;
    if (elapsed > 100)
      log("warn", `slow command ${name} on ${String(command.$db)}: ${elapsed.toFixed(1)} ms`);
    else log("debug", `command ${name} on ${String(command.$db)}: ${elapsed.toFixed(2)} ms`);
    return request.moreToCome ? null : reply;
  };

  async function run(request: WireRequest, connection: ConnectionInfo, name: string): Promise<Document> {
    const command = request.command;
    const def = table.get(name);
    if (request.opCode === OP_QUERY && def?.names[0] !== "hello") {
      throw mongoError(
        352,
        "Unsupported OP_QUERY command: the embedded server accepts OP_QUERY only for the handshake",
      );
    }
    if (!def || (def.testOnly && !server.testCommands)) {
      if (name in REFUSED_COMMANDS) throw notImplemented(REFUSED_COMMANDS[name] as string);
      throw mongoError(59, `no such command: '${name}'`);
    }
    const canonical = def.names[0] as string;
    const db = databaseOf(request);
    if (def.adminOnly && db !== "admin")
      throw mongoError(13, `${name} may only be run against the admin database.`);
    if (def.fields !== "any") {
      const known = new Set(def.fields);
      for (const field of Object.keys(command).slice(1)) {
        if (!GENERIC_FIELDS.has(field) && !known.has(field)) {
          throw mongoError(40415, `BSON field '${canonical}.${field}' is an unknown field.`);
        }
      }
    }
    if (canonical === "hello") {
      const client = command.client as Document | undefined;
      const appName = (client?.application as Document | undefined)?.name;
      if (typeof appName === "string") appNames.set(connection, appName);
    }
    server.opCounters.command++;
    const lsid = command.lsid as Document | undefined;
    const key = lsid ? sessionKey(lsid.id) : null;
    const session = key ? server.session(key) : null;
    const txnNumber = command.txnNumber === undefined ? undefined : Number(command.txnNumber);
    const inTransaction = command.autocommit !== undefined || command.startTransaction !== undefined;
    if (txnNumber !== undefined) {
      if (server.mode === "standalone") {
        throw mongoError(20, "Transaction numbers are only allowed on a replica set member or mongos");
      }
      if (!session) throw mongoError(50769, "Transaction number requires a session ID to also be specified");
      if (inTransaction && !TRANSACTION_COMMANDS.has(canonical)) {
        throw mongoError(263, `Cannot run '${canonical}' in a multi-document transaction.`);
      }
      if (!inTransaction && !def.retryableWrite) {
        throw mongoError(
          50768,
          "txnNumber may only be provided for multi-document transactions and retryable write commands.",
        );
      }
    } else if (inTransaction) {
      throw mongoError(50768, "autocommit and startTransaction require a txnNumber");
    }
    const retryable = txnNumber !== undefined && !inTransaction && def.retryableWrite === true;
    const labelContext: LabelContext = {
      retryable: retryable || TRANSACTION_CONTROL.has(canonical),
      inTransaction: inTransaction && !TRANSACTION_CONTROL.has(canonical),
      control: TRANSACTION_CONTROL.has(canonical),
    };

    const failure = server.failPoints.take("failCommand", def.names, appNames.get(connection));
    if (failure?.blockConnection && failure.blockTimeMS) await sleep(failure.blockTimeMS);
    if (failure?.closeConnection) return CLOSE;
    if (failure?.errorCode !== undefined) {
      const reply = mongoError(
        failure.errorCode,
        failure.errmsg ?? "Failing command via 'failCommand' failpoint",
      ).toReply();
      const labels = failure.errorLabels ?? labelsFor(failure.errorCode, labelContext);
      if (labels.length > 0) reply.errorLabels = labels;
      return reply;
    }

    const txn =
      txnNumber !== undefined && inTransaction && session
        ? resolveTransaction(server, def, canonical, command, session, txnNumber)
        : null;
    if (retryable && session && txnNumber !== undefined) {
      while (session.writing && session.writing.txnNumber === txnNumber) await session.writing.done;
      if (txnNumber < session.txnNumber) {
        throw mongoError(
          225,
          `Retryable write with txnNumber ${txnNumber} is prohibited on session because a newer retryable write with txnNumber ${session.txnNumber} has already started on this session.`,
        );
      }
      if (txnNumber === session.txnNumber && session.lastReply) {
        return withWriteConcernErrors(structuredReply(session.lastReply), command, failure, labelContext);
      }
    }
    // While this retryable write runs, a resend of it (same session and txnNumber) waits above.
    let writing: SessionState["writing"] = null;
    let finishWriting = (): void => {};
    if (retryable && session && txnNumber !== undefined) {
      writing = { txnNumber, done: new Promise<void>((resolve) => (finishWriting = resolve)) };
      session.writing = writing;
    }
    try {
      const primaryWrite = retryable
        ? server.failPoints.take("onPrimaryTransactionalWrite", def.names, appNames.get(connection))
        : null;
      if (primaryWrite?.failBeforeCommitExceptionCode !== undefined) {
        if (primaryWrite.closeConnection !== false) return CLOSE;
        throw mongoError(
          primaryWrite.failBeforeCommitExceptionCode,
          "Failing write via 'onPrimaryTransactionalWrite' failpoint",
        );
      }

      const ctx = new CommandContext(server, db, command, name, connection, session, txn);
      let reply: Document;
      try {
        reply = await def.handler(ctx);
        // In MongoDB any failed statement aborts the transaction it ran in.
        if (txn && !labelContext.control && Array.isArray(reply.writeErrors)) {
          server.engine.abortTransaction(txn, "a statement of the transaction failed");
        }
      } catch (error) {
        if (txn && !labelContext.control)
          server.engine.abortTransaction(txn, "a statement of the transaction failed");
        throw error;
      } finally {
        if (ctx.pending.length > 0) {
          server.clusterTime(true);
          await server.engine.commit(ctx.pending);
        }
      }
      reply = { ...reply, ok: 1 };
      if (retryable && session && txnNumber !== undefined) {
        // Stored before any write concern error: a retry of a write that did happen gets a clean reply.
        session.txnNumber = txnNumber;
        session.lastReply = structuredReply(reply);
      }
      if (primaryWrite && primaryWrite.closeConnection !== false) return CLOSE;
      return withWriteConcernErrors(reply, command, failure, labelContext);
    } finally {
      if (session && writing && session.writing === writing) session.writing = null;
      finishWriting();
    }
  }
}

/** Adds the write concern error a reply gets: w > 1 cannot be satisfied by one node, or a fail point asked for one. */
function withWriteConcernErrors(
  reply: Document,
  command: Document,
  failure: FailPointData | null,
  labelContext: LabelContext,
): Document {
  const writeConcern = command.writeConcern as Document | undefined;
  if (writeConcern && typeof writeConcern.w === "number" && writeConcern.w > 1) {
    reply.writeConcernError = {
      code: 100,
      codeName: codeNameFor(100),
      errmsg: "Not enough data-bearing nodes",
    };
  }
  if (failure?.writeConcernError) {
    reply.writeConcernError = failure.writeConcernError;
    const labels =
      failure.errorLabels ??
      labelsFor(Number(failure.writeConcernError.code), { ...labelContext, inTransaction: false });
    if (labels.length > 0) reply.errorLabels = labels;
  }
  return reply;
}

interface LabelContext {
  retryable: boolean;
  inTransaction: boolean;
  control: boolean;
}

/** The labels mongod attaches to an error code, given where the command ran. */
function labelsFor(code: number, context: LabelContext): string[] {
  if (context.inTransaction && (TRANSIENT_CODES.has(code) || RETRYABLE_CODES.has(code)))
    return ["TransientTransactionError"];
  if (context.control && code === 251) return ["TransientTransactionError"];
  if (context.retryable && RETRYABLE_CODES.has(code)) return ["RetryableWriteError"];
  return [];
}

const CLOSE: Document = { __closeConnection: true };

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function databaseOf(request: WireRequest): string {
  if (request.opCode === OP_QUERY)
    return (request.fullCollectionName ?? "admin.$cmd").split(".")[0] ?? "admin";
  const db = request.command.$db;
  if (typeof db !== "string") throw mongoError(40571, "OP_MSG requests require a $db argument");
  return db;
}

/** Copies a reply without the per-request envelope so it can be replayed for a retried write. */
function structuredReply(reply: Document): Document {
  const { $clusterTime: _clusterTime, operationTime: _operationTime, ...rest } = reply;
  return { ...rest };
}
