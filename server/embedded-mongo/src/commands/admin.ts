/**
 * Handshake, diagnostics, sessions and test-only commands.
 */
import { Binary, calculateObjectSize, Long, ObjectId } from "bson";
import { mongoError } from "../errors.ts";
import type { ServerState } from "../state.ts";
import type { Document } from "../types.ts";
import { optionalDoc } from "./args.ts";
import type { CommandContext, CommandDefinition } from "./context.ts";

export const SERVER_VERSION = "7.0.0";
const MAX_WIRE_VERSION = 21;
const ELECTION_ID = new ObjectId("7fffffff0000000000000001");

/** The hello reply of a one-member replica set (or a standalone), per the spec's measured template. */
export function helloReply(server: ServerState, connectionId: number, legacy: boolean): Document {
  const now = new Date();
  const base: Document = {
    helloOk: true,
    ...(legacy ? { ismaster: true } : { isWritablePrimary: true }),
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: now,
    logicalSessionTimeoutMinutes: 30,
    connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    // Proves to a second process that this server owns the data directory it found locked.
    ...(server.instanceId ? { embeddedInstanceId: server.instanceId } : {}),
  };
  if (server.mode === "standalone") return base;
  const opTime = { ts: server.clusterTime(), t: Long.fromNumber(1) };
  return {
    ...base,
    secondary: false,
    setName: "rs0",
    setVersion: 1,
    electionId: ELECTION_ID,
    hosts: [server.address],
    primary: server.address,
    me: server.address,
    lastWrite: { opTime, lastWriteDate: now, majorityOpTime: opTime, majorityWriteDate: now },
  };
}

function sessionKeys(ctx: CommandContext, field: string): string[] {
  const value = ctx.command[field];
  if (!Array.isArray(value)) return [];
  return value
    .map((entry) => sessionKey((entry as Document)?.id))
    .filter((key): key is string => key !== null);
}

/** The hex key of an lsid id (a UUID binary). */
export function sessionKey(id: unknown): string | null {
  if (id instanceof Binary) return Buffer.from(id.buffer).toString("hex");
  return null;
}

function configureFailPoint(ctx: CommandContext): Document {
  ctx.server.failPoints.configure(
    ctx.command.configureFailPoint,
    ctx.command.mode,
    optionalDoc(ctx, "data") ?? {},
  );
  return {};
}

function databaseSize(server: ServerState, db: string): number {
  let bytes = 0;
  for (const collection of server.engine.collections(db)) {
    for (const doc of collection.docs.values()) bytes += calculateObjectSize(doc);
  }
  return bytes;
}

/** Admin and diagnostic commands. */
export const adminCommands: CommandDefinition[] = [
  {
    names: ["hello", "isMaster", "ismaster"],
    fields: [
      "helloOk",
      "client",
      "compression",
      "topologyVersion",
      "maxAwaitTimeMS",
      "loadBalanced",
      "saslSupportedMechs",
      "speculativeAuthenticate",
      "backpressure",
    ],
    handler: (ctx) => helloReply(ctx.server, ctx.connection.id, ctx.name !== "hello"),
  },
  { names: ["ping"], fields: [], handler: () => ({}) },
  {
    names: ["buildInfo", "buildinfo"],
    fields: [],
    handler: () => ({
      version: SERVER_VERSION,
      gitVersion: "embedded",
      versionArray: [7, 0, 0, 0],
      bits: 64,
      debug: false,
      maxBsonObjectSize: 16 * 1024 * 1024,
      storageEngines: ["embedded"],
      modules: [],
    }),
  },
  {
    names: ["getParameter"],
    fields: "any",
    handler: (ctx) => {
      const reply: Document = {};
      if (ctx.command.featureCompatibilityVersion !== undefined || ctx.command.getParameter === "*") {
        reply.featureCompatibilityVersion = { version: "7.0" };
      }
      return reply;
    },
  },
  {
    names: ["connectionStatus"],
    fields: ["showPrivileges"],
    handler: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] } }),
  },
  { names: ["whatsmyuri"], fields: [], handler: (ctx) => ({ you: ctx.connection.remote }) },
  {
    names: ["hostInfo"],
    fields: [],
    handler: () => ({ system: { currentTime: new Date(), hostname: "embedded" }, os: {}, extra: {} }),
  },
  { names: ["getCmdLineOpts"], fields: [], adminOnly: true, handler: () => ({ argv: [], parsed: {} }) },
  {
    names: ["endSessions"],
    fields: "any",
    handler: (ctx) => {
      for (const key of sessionKeys(ctx, "endSessions")) ctx.server.endSession(key);
      return {};
    },
  },
  {
    names: ["killSessions"],
    fields: "any",
    handler: (ctx) => {
      for (const key of sessionKeys(ctx, "killSessions")) ctx.server.endSession(key);
      return {};
    },
  },
  {
    names: ["killAllSessions"],
    fields: "any",
    handler: (ctx) => {
      for (const key of [...ctx.server.sessions.keys()]) ctx.server.endSession(key);
      return {};
    },
  },
  {
    names: ["refreshSessions"],
    fields: "any",
    handler: (ctx) => {
      for (const key of sessionKeys(ctx, "refreshSessions")) ctx.server.session(key);
      return {};
    },
  },
  {
    names: ["listDatabases"],
    fields: ["filter", "nameOnly", "authorizedDatabases"],
    adminOnly: true,
    handler: (ctx) => {
      const names = ctx.server.engine.databaseNames();
      if (ctx.command.nameOnly) return { databases: names.map((name) => ({ name })) };
      const databases = names.map((name) => {
        const sizeOnDisk = databaseSize(ctx.server, name);
        return { name, sizeOnDisk, empty: sizeOnDisk === 0 };
      });
      const totalSize = databases.reduce((sum, db) => sum + db.sizeOnDisk, 0);
      return { databases, totalSize, totalSizeMb: Math.round(totalSize / 1024 / 1024) };
    },
  },
  {
    names: ["serverStatus"],
    fields: "any",
    handler: (ctx) => {
      const server = ctx.server;
      return {
        host: server.address,
        version: SERVER_VERSION,
        process: "embedded-mongod",
        pid: process.pid,
        uptime: Math.floor((Date.now() - server.startedAt) / 1000),
        uptimeMillis: Date.now() - server.startedAt,
        localTime: new Date(),
        connections: {
          current: server.connectionCount,
          available: 1000,
          totalCreated: server.totalConnections,
        },
        opcounters: server.opCounters,
        metrics: { cursor: { open: { total: server.cursors.size } } },
        mem: { resident: Math.round(process.memoryUsage().rss / 1024 / 1024), bits: 64 },
      };
    },
  },
  {
    names: ["dbStats"],
    fields: ["scale", "freeStorage"],
    handler: (ctx) => {
      const collections = ctx.server.engine.collections(ctx.db);
      const objects = collections.reduce((sum, c) => sum + c.docs.size, 0);
      const dataSize = databaseSize(ctx.server, ctx.db);
      return {
        db: ctx.db,
        collections: collections.length,
        views: 0,
        objects,
        avgObjSize: objects ? dataSize / objects : 0,
        dataSize,
        storageSize: dataSize,
        indexes: collections.reduce((sum, c) => sum + c.indexes.length + 1, 0),
        indexSize: 0,
      };
    },
  },
  {
    names: ["collStats"],
    fields: ["scale"],
    handler: (ctx) => {
      const name = String(ctx.command.collStats);
      const collection = ctx.server.engine.get(ctx.db, name);
      if (!collection) throw mongoError(26, `Collection [${ctx.db}.${name}] not found.`);
      let size = 0;
      for (const doc of collection.docs.values()) size += calculateObjectSize(doc);
      return {
        ns: collection.ns,
        count: collection.docs.size,
        size,
        avgObjSize: collection.docs.size ? size / collection.docs.size : 0,
        storageSize: size,
        nindexes: collection.indexes.length + 1,
        totalIndexSize: 0,
        indexSizes: Object.fromEntries(collection.indexSpecs().map((spec) => [spec.name, 0])),
      };
    },
  },
  {
    names: ["configureFailPoint"],
    fields: ["mode", "data"],
    adminOnly: true,
    testOnly: true,
    handler: configureFailPoint,
  },
  {
    names: ["saslStart", "saslContinue", "authenticate", "createUser", "usersInfo"],
    fields: "any",
    handler: () => {
      throw mongoError(18, "Authentication is not supported by the embedded server");
    },
  },
];
