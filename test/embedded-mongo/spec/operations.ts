// Operation tables: one entry per unified-format operation name, per entity kind (collection, database, client,
// session, bucket, cursor) plus the special testRunner operations. Each handler maps the test's arguments onto the
// Node driver call and returns its result (iterables fully iterated, model objects converted to documents).
import { Readable } from "node:stream";
import type {
  AbstractCursor,
  AggregateOptions,
  AnyBulkWriteOperation,
  AnyClientBulkWriteModel,
  BulkWriteOptions,
  ClientBulkWriteOptions,
  ClientSession,
  Collection,
  CommandOperationOptions,
  CountDocumentsOptions,
  CountOptions,
  CreateCollectionOptions,
  CreateIndexesOptions,
  Db,
  DeleteOptions,
  DistinctOptions,
  Document,
  DropCollectionOptions,
  DropIndexesOptions,
  EstimatedDocumentCountOptions,
  FindOneAndDeleteOptions,
  FindOneAndReplaceOptions,
  FindOneAndUpdateOptions,
  FindOptions,
  GridFSBucket,
  IndexSpecification,
  InsertOneOptions,
  ListCollectionsOptions,
  ListDatabasesOptions,
  ListIndexesOptions,
  MongoClient,
  ReplaceOptions,
  RunCommandOptions,
  UpdateOptions,
} from "mongodb";
import {
  type ClientEntity,
  createEntity,
  type Entity,
  type EntityMap,
  type SessionEntity,
  toReadPreference,
  toTransactionOptions,
} from "./entities.ts";
import { toResultDocument } from "./results.ts";
import { type OperationSpec, SpecFailure, SpecSkip } from "./types.ts";
import { type Doc, isDocument, show } from "./values.ts";

/** A fail point enabled during a test, to be turned off afterwards. */
export interface FailPointRecord {
  name: string;
  client: MongoClient;
}

/** What operation handlers may use besides their target and arguments. */
export interface OperationContext {
  entities: EntityMap;
  /** The runner's internal client (assertCollectionExists and friends use it). */
  internal: MongoClient;
  /** Base connection string for new client entities. */
  uri: string;
  /** Fail points configured by this test. */
  failPoints: FailPointRecord[];
  /** Runs nested operations with full assertions (withTransaction callbacks); their errors propagate. */
  runNested(operations: OperationSpec[]): Promise<void>;
}

/** A result that must be stored as an entity of a given kind (cursors) instead of a BSON value. */
export class EntityResult {
  constructor(readonly entity: Entity) {}
}

/** How an operation's result is compared with expectResult. */
export type ResultShape = "value" | "documents";

/** One operation handler. */
export interface OperationDef<T> {
  run(target: T, args: Doc, ctx: OperationContext): Promise<unknown>;
  /** "documents": the result is an iterable of root-level documents (find, aggregate, listIndexes …). */
  result?: ResultShape;
}

type Table<T> = Record<string, OperationDef<T>>;

/** Arguments passed through to the driver as its options object (the test's names are the driver's names). */
function options<T>(args: Doc): T {
  return args as T;
}

function doc(args: Doc, key: string): Document {
  const value = args[key];
  if (!isDocument(value)) throw new SpecFailure(`argument ${key} must be a document, got ${show(value)}`);
  return value;
}

function optionalDoc(args: Doc, key: string): Document {
  const value = args[key];
  if (value === undefined) return {};
  return doc(args, key);
}

function docs(args: Doc, key: string): Document[] {
  const value = args[key];
  if (!Array.isArray(value) || !value.every(isDocument)) {
    throw new SpecFailure(`argument ${key} must be an array of documents, got ${show(value)}`);
  }
  return value;
}

function str(args: Doc, key: string): string {
  const value = args[key];
  if (typeof value !== "string")
    throw new SpecFailure(`argument ${key} must be a string, got ${show(value)}`);
  return value;
}

/** Removes `keys` from `args`, returning the rest. */
function without(args: Doc, ...keys: string[]): Doc {
  const rest: Doc = { ...args };
  for (const key of keys) delete rest[key];
  return rest;
}

function returnDocument(args: Doc): Doc {
  if (args.returnDocument === undefined) return args;
  const value = String(args.returnDocument).toLowerCase();
  if (value !== "before" && value !== "after") {
    throw new SpecFailure(`returnDocument must be Before or After, got ${show(args.returnDocument)}`);
  }
  return { ...args, returnDocument: value };
}

function singleKey(model: unknown, what: string): [string, Doc] {
  if (!isDocument(model) || Object.keys(model).length !== 1) {
    throw new SpecFailure(`${what} must have exactly one key, got ${show(model)}`);
  }
  const [name, body] = Object.entries(model)[0]!;
  if (!isDocument(body)) throw new SpecFailure(`${what}.${name} must be a document`);
  return [name, body];
}

const BULK_MODELS = new Set([
  "insertOne",
  "updateOne",
  "updateMany",
  "replaceOne",
  "deleteOne",
  "deleteMany",
]);

function bulkRequests(value: unknown): AnyBulkWriteOperation<Document>[] {
  if (!Array.isArray(value)) throw new SpecFailure("bulkWrite requests must be an array");
  return value.map((model) => {
    const [name, body] = singleKey(model, "bulkWrite request");
    if (!BULK_MODELS.has(name)) throw new SpecSkip(`unsupported bulkWrite model: ${name}`);
    // The unified format and the Node driver use the same shape: { updateOne: { filter, update, upsert, … } }.
    return { [name]: body } as unknown as AnyBulkWriteOperation<Document>;
  });
}

function clientBulkModels(value: unknown): AnyClientBulkWriteModel<Document>[] {
  if (!Array.isArray(value)) throw new SpecFailure("clientBulkWrite models must be an array");
  return value.map((model) => {
    const [name, body] = singleKey(model, "clientBulkWrite model");
    if (!BULK_MODELS.has(name)) throw new SpecSkip(`unsupported clientBulkWrite model: ${name}`);
    return { name, ...body } as unknown as AnyClientBulkWriteModel<Document>;
  });
}

/** Iterates a cursor fully. */
async function all(cursor: AbstractCursor<Document>): Promise<Document[]> {
  return cursor.toArray();
}

const collectionOps: Table<Collection<Document>> = {
  aggregate: {
    result: "documents",
    run: (c, a) => all(c.aggregate(docs(a, "pipeline"), options<AggregateOptions>(without(a, "pipeline")))),
  },
  bulkWrite: {
    run: async (c, a) =>
      toResultDocument(
        await c.bulkWrite(bulkRequests(a.requests), options<BulkWriteOptions>(without(a, "requests"))),
      ),
  },
  countDocuments: {
    run: (c, a) =>
      c.countDocuments(optionalDoc(a, "filter"), options<CountDocumentsOptions>(without(a, "filter"))),
  },
  count: {
    run: (c, a) => c.count(optionalDoc(a, "filter"), options<CountOptions>(without(a, "filter"))),
  },
  estimatedDocumentCount: {
    run: (c, a) => c.estimatedDocumentCount(options<EstimatedDocumentCountOptions>(a)),
  },
  distinct: {
    run: (c, a) =>
      c.distinct(
        str(a, "fieldName"),
        optionalDoc(a, "filter"),
        options<DistinctOptions>(without(a, "fieldName", "filter")),
      ),
  },
  find: {
    result: "documents",
    run: (c, a) => all(c.find(optionalDoc(a, "filter"), options<FindOptions>(without(a, "filter")))),
  },
  findOne: {
    run: (c, a) => c.findOne(optionalDoc(a, "filter"), options<FindOptions>(without(a, "filter"))),
  },
  createFindCursor: {
    run: async (c, a) => {
      const cursor = c.find(optionalDoc(a, "filter"), options<FindOptions>(without(a, "filter")));
      await cursor.hasNext();
      return new EntityResult({ kind: "cursor", value: cursor });
    },
  },
  findOneAndDelete: {
    run: (c, a) =>
      c.findOneAndDelete(doc(a, "filter"), options<FindOneAndDeleteOptions>(without(a, "filter"))),
  },
  findOneAndReplace: {
    run: (c, a) =>
      c.findOneAndReplace(
        doc(a, "filter"),
        doc(a, "replacement"),
        options<FindOneAndReplaceOptions>(returnDocument(without(a, "filter", "replacement"))),
      ),
  },
  findOneAndUpdate: {
    run: (c, a) =>
      c.findOneAndUpdate(
        doc(a, "filter"),
        updateArg(a),
        options<FindOneAndUpdateOptions>(returnDocument(without(a, "filter", "update"))),
      ),
  },
  insertOne: {
    run: (c, a) => c.insertOne(doc(a, "document"), options<InsertOneOptions>(without(a, "document"))),
  },
  insertMany: {
    run: (c, a) => c.insertMany(docs(a, "documents"), options<BulkWriteOptions>(without(a, "documents"))),
  },
  updateOne: {
    run: (c, a) =>
      c.updateOne(doc(a, "filter"), updateArg(a), options<UpdateOptions>(without(a, "filter", "update"))),
  },
  updateMany: {
    run: (c, a) =>
      c.updateMany(doc(a, "filter"), updateArg(a), options<UpdateOptions>(without(a, "filter", "update"))),
  },
  replaceOne: {
    run: (c, a) =>
      c.replaceOne(
        doc(a, "filter"),
        doc(a, "replacement"),
        options<ReplaceOptions>(without(a, "filter", "replacement")),
      ),
  },
  deleteOne: {
    run: (c, a) => c.deleteOne(doc(a, "filter"), options<DeleteOptions>(without(a, "filter"))),
  },
  deleteMany: {
    run: (c, a) => c.deleteMany(doc(a, "filter"), options<DeleteOptions>(without(a, "filter"))),
  },
  createIndex: {
    run: (c, a) =>
      c.createIndex(doc(a, "keys") as IndexSpecification, options<CreateIndexesOptions>(without(a, "keys"))),
  },
  dropIndex: {
    run: (c, a) => c.dropIndex(str(a, "name"), options<DropIndexesOptions>(without(a, "name"))),
  },
  dropIndexes: {
    run: (c, a) => c.dropIndexes(options<DropIndexesOptions>(a)),
  },
  listIndexes: {
    result: "documents",
    run: (c, a) => all(c.listIndexes(options<ListIndexesOptions>(a))),
  },
  listIndexNames: {
    run: async (c, a) => (await all(c.listIndexes(options<ListIndexesOptions>(a)))).map((i) => i.name),
  },
  drop: {
    run: (c, a) => c.drop(options<DropCollectionOptions>(a)),
  },
  rename: {
    run: async (c, a) => {
      await c.rename(str(a, "to"), options<CommandOperationOptions>(without(a, "to")));
    },
  },
};

/** The update argument: an update document or a pipeline. */
function updateArg(args: Doc): Document | Document[] {
  const value = args.update;
  if (Array.isArray(value)) return docs(args, "update");
  return doc(args, "update");
}

const databaseOps: Table<Db> = {
  aggregate: {
    result: "documents",
    run: (d, a) => all(d.aggregate(docs(a, "pipeline"), options<AggregateOptions>(without(a, "pipeline")))),
  },
  createCollection: {
    run: async (d, a) => {
      await d.createCollection(
        str(a, "collection"),
        options<CreateCollectionOptions>(without(a, "collection")),
      );
    },
  },
  dropCollection: {
    run: (d, a) =>
      d.dropCollection(str(a, "collection"), options<DropCollectionOptions>(without(a, "collection"))),
  },
  listCollections: {
    result: "documents",
    run: (d, a) =>
      all(d.listCollections(optionalDoc(a, "filter"), options<ListCollectionsOptions>(without(a, "filter")))),
  },
  listCollectionNames: {
    run: async (d, a) =>
      (
        await all(d.listCollections(optionalDoc(a, "filter"), { ...without(a, "filter"), nameOnly: true }))
      ).map((c) => c.name),
  },
  runCommand: {
    // commandName is only for languages without ordered maps: JS keeps the command's key order.
    run: (d, a) =>
      d.command(doc(a, "command"), options<RunCommandOptions>(without(a, "command", "commandName"))),
  },
  runCursorCommand: {
    result: "documents",
    run: (d, a) =>
      all(
        d.runCursorCommand(
          doc(a, "command"),
          options<RunCommandOptions>(without(a, "command", "commandName")),
        ),
      ),
  },
  createCommandCursor: {
    run: async (d, a) => {
      const cursor = d.runCursorCommand(
        doc(a, "command"),
        options<RunCommandOptions>(without(a, "command", "commandName")),
      );
      await cursor.hasNext();
      return new EntityResult({ kind: "cursor", value: cursor });
    },
  },
  dropDatabase: {
    run: (d, a) => d.dropDatabase(options<CommandOperationOptions>(a)),
  },
};

const clientOps: Table<ClientEntity> = {
  listDatabases: {
    result: "documents",
    run: async (c, a) =>
      (await c.client.db("admin").admin().listDatabases(options<ListDatabasesOptions>(a)))
        .databases as Document[],
  },
  listDatabaseNames: {
    run: async (c, a) =>
      (
        await c.client
          .db("admin")
          .admin()
          .listDatabases({ ...options<ListDatabasesOptions>(a), nameOnly: true })
      ).databases.map((d) => d.name),
  },
  clientBulkWrite: {
    run: async (c, a) =>
      toResultDocument(
        await c.client.bulkWrite(
          clientBulkModels(a.models),
          options<ClientBulkWriteOptions>(without(a, "models")),
        ),
      ),
  },
  close: {
    run: async (c) => {
      await c.client.close();
    },
  },
};

const sessionOps: Table<SessionEntity> = {
  startTransaction: {
    run: async (s, a) => {
      s.session.startTransaction(toTransactionOptions(a));
    },
  },
  commitTransaction: {
    run: (s) => s.session.commitTransaction(),
  },
  abortTransaction: {
    run: (s) => s.session.abortTransaction(),
  },
  endSession: {
    run: (s) => s.session.endSession(),
  },
  withTransaction: {
    run: async (s, a, ctx) => {
      const callback = a.callback;
      if (!Array.isArray(callback))
        throw new SpecFailure("withTransaction callback must be an array of operations");
      const ops = callback as OperationSpec[];
      await s.session.withTransaction(() => ctx.runNested(ops), toTransactionOptions(without(a, "callback")));
    },
  },
};

function hexSource(args: Doc): Buffer {
  const source = args.source;
  if (
    !isDocument(source) ||
    typeof source.$$hexBytes !== "string" ||
    !/^([0-9a-fA-F]{2})*$/.test(source.$$hexBytes)
  ) {
    throw new SpecFailure(`upload source must be { $$hexBytes: <hex> }, got ${show(source)}`);
  }
  return Buffer.from(source.$$hexBytes, "hex");
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

async function upload(bucket: GridFSBucket, args: Doc, id: unknown): Promise<unknown> {
  const filename = str(args, "filename");
  const rest = without(args, "filename", "source", "id");
  const stream =
    id === undefined
      ? bucket.openUploadStream(filename, rest)
      : bucket.openUploadStreamWithId(
          id as Parameters<GridFSBucket["openUploadStreamWithId"]>[0],
          filename,
          rest,
        );
  await new Promise<void>((resolve, reject) => {
    Readable.from([hexSource(args)])
      .pipe(stream)
      .on("finish", resolve)
      .on("error", reject);
  });
  return stream.id;
}

const bucketOps: Table<GridFSBucket> = {
  upload: { run: (b, a) => upload(b, a, undefined) },
  uploadWithId: { run: (b, a) => upload(b, a, a.id) },
  download: {
    run: async (b, a) => {
      const bytes = await readAll(
        b.openDownloadStream(a.id as Parameters<GridFSBucket["openDownloadStream"]>[0]),
      );
      return bytes.toString("latin1");
    },
  },
  downloadByName: {
    run: async (b, a) => {
      const bytes = await readAll(b.openDownloadStreamByName(str(a, "filename"), without(a, "filename")));
      return bytes.toString("latin1");
    },
  },
  delete: {
    run: (b, a) => b.delete(a.id as Parameters<GridFSBucket["delete"]>[0]),
  },
  drop: { run: (b) => b.drop() },
};

const cursorOps: Table<AbstractCursor<Document>> = {
  iterateUntilDocumentOrError: {
    run: async (c) => {
      const next = await c.next();
      if (next === null) throw new SpecFailure("iterateUntilDocumentOrError: the cursor is exhausted");
      return next;
    },
  },
  iterateOnce: { run: (c) => c.tryNext() },
  close: {
    run: async (c) => {
      await c.close().catch(() => undefined);
    },
  },
};

function sessionArg(args: Doc, ctx: OperationContext): SessionEntity {
  return ctx.entities.get(str(args, "session"), "session");
}

function clientArg(args: Doc, ctx: OperationContext): ClientEntity {
  return ctx.entities.get(str(args, "client"), "client");
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new SpecFailure(message);
}

const TXN_STATES: Record<string, string[]> = {
  none: ["NO_TRANSACTION"],
  starting: ["STARTING_TRANSACTION"],
  in_progress: ["TRANSACTION_IN_PROGRESS"],
  committed: ["TRANSACTION_COMMITTED", "TRANSACTION_COMMITTED_EMPTY"],
  aborted: ["TRANSACTION_ABORTED"],
};

/** The driver's internal transaction state of a session (not part of the public typings). */
function transactionState(session: ClientSession): string {
  const txn: unknown = (session as unknown as { transaction?: unknown }).transaction;
  const state = isDocument(txn) ? txn.state : undefined;
  if (typeof state !== "string") throw new SpecFailure("cannot read the session's transaction state");
  return state;
}

async function collectionNames(ctx: OperationContext, args: Doc): Promise<string[]> {
  const list = await ctx.internal
    .db(str(args, "databaseName"))
    .listCollections({}, { nameOnly: true })
    .toArray();
  return list.map((c) => c.name);
}

async function indexNames(ctx: OperationContext, args: Doc): Promise<string[]> {
  try {
    const coll = ctx.internal.db(str(args, "databaseName")).collection(str(args, "collectionName"));
    return (await coll.listIndexes().toArray()).map((i) => String(i.name));
  } catch (error) {
    if ((error as { code?: unknown }).code === 26) return [];
    throw error;
  }
}

function lastTwoLsids(args: Doc, ctx: OperationContext): [unknown, unknown] {
  const client = clientArg(args, ctx);
  const started = client.startedCommands;
  check(
    started.length >= 2,
    `expected at least two commandStartedEvents on ${client.id}, got ${started.length}`,
  );
  const last = started[started.length - 1]!;
  const previous = started[started.length - 2]!;
  check(
    last.lsid !== undefined && previous.lsid !== undefined,
    "the last two commands must both have an lsid",
  );
  return [previous.lsid, last.lsid];
}

function sameLsid(a: unknown, b: unknown): boolean {
  return show(a) === show(b);
}

const testRunnerOps: Table<undefined> = {
  failPoint: {
    run: async (_, a, ctx) => {
      const client = clientArg(a, ctx).client;
      const failPoint = doc(a, "failPoint");
      await client.db("admin").command(failPoint);
      ctx.failPoints.push({ name: String(failPoint.configureFailPoint), client: ctx.internal });
    },
  },
  targetedFailPoint: {
    run: async (_, a, ctx) => {
      const session = sessionArg(a, ctx);
      check(session.session.isPinned, "targetedFailPoint: the session is not pinned to a mongos");
      const client = ctx.entities.get(session.clientId, "client").client;
      const failPoint = doc(a, "failPoint");
      await client.db("admin").command(failPoint);
      ctx.failPoints.push({ name: String(failPoint.configureFailPoint), client: ctx.internal });
    },
  },
  assertSessionTransactionState: {
    run: async (_, a, ctx) => {
      const state = transactionState(sessionArg(a, ctx).session);
      const wanted = str(a, "state");
      check((TXN_STATES[wanted] ?? []).includes(state), `expected transaction state ${wanted}, got ${state}`);
    },
  },
  assertSessionPinned: {
    run: async (_, a, ctx) => check(sessionArg(a, ctx).session.isPinned, "expected the session to be pinned"),
  },
  assertSessionUnpinned: {
    run: async (_, a, ctx) =>
      check(!sessionArg(a, ctx).session.isPinned, "expected the session to be unpinned"),
  },
  assertSessionDirty: {
    run: async (_, a, ctx) =>
      check(sessionArg(a, ctx).session.serverSession.isDirty, "expected the server session to be dirty"),
  },
  assertSessionNotDirty: {
    run: async (_, a, ctx) =>
      check(!sessionArg(a, ctx).session.serverSession.isDirty, "expected the server session not to be dirty"),
  },
  assertCollectionExists: {
    run: async (_, a, ctx) => {
      const names = await collectionNames(ctx, a);
      check(
        names.includes(str(a, "collectionName")),
        `expected collection ${str(a, "collectionName")} in [${names}]`,
      );
    },
  },
  assertCollectionNotExists: {
    run: async (_, a, ctx) => {
      const names = await collectionNames(ctx, a);
      check(!names.includes(str(a, "collectionName")), `expected no collection ${str(a, "collectionName")}`);
    },
  },
  assertIndexExists: {
    run: async (_, a, ctx) => {
      const names = await indexNames(ctx, a);
      check(names.includes(str(a, "indexName")), `expected index ${str(a, "indexName")} in [${names}]`);
    },
  },
  assertIndexNotExists: {
    run: async (_, a, ctx) => {
      const names = await indexNames(ctx, a);
      check(!names.includes(str(a, "indexName")), `expected no index ${str(a, "indexName")} in [${names}]`);
    },
  },
  assertDifferentLsidOnLastTwoCommands: {
    run: async (_, a, ctx) => {
      const [previous, last] = lastTwoLsids(a, ctx);
      check(!sameLsid(previous, last), `expected different lsids, both are ${show(last)}`);
    },
  },
  assertSameLsidOnLastTwoCommands: {
    run: async (_, a, ctx) => {
      const [previous, last] = lastTwoLsids(a, ctx);
      check(sameLsid(previous, last), `expected the same lsid, got ${show(previous)} then ${show(last)}`);
    },
  },
  assertNumberConnectionsCheckedOut: {
    run: async (_, a, ctx) => {
      const client = clientArg(a, ctx);
      await Promise.resolve();
      check(
        client.checkedOut === Number(a.connections),
        `expected ${String(a.connections)} connections checked out on ${client.id}, got ${client.checkedOut}`,
      );
    },
  },
  createEntities: {
    run: async (_, a, ctx) => {
      const list = a.entities;
      if (!Array.isArray(list)) throw new SpecFailure("createEntities.entities must be an array");
      for (const definition of list) await createEntity(definition, ctx.entities, ctx.uri);
    },
  },
  wait: {
    run: (_, a) => new Promise((resolve) => setTimeout(resolve, Number(a.ms))),
  },
};

/** A resolved operation: the handler, its target and arguments (session and readPreference resolved). */
export interface ResolvedOperation {
  run(): Promise<unknown>;
  result: ResultShape;
}

function resolveArgs(raw: Doc, ctx: OperationContext): Doc {
  const args: Doc = { ...raw };
  if (typeof args.session === "string") args.session = ctx.entities.get(args.session, "session").session;
  if (args.readPreference !== undefined) args.readPreference = toReadPreference(args.readPreference);
  return args;
}

function bind<T>(
  table: Table<T>,
  kind: string,
  target: T,
  op: OperationSpec,
  ctx: OperationContext,
  resolve: boolean,
): ResolvedOperation {
  const def = table[op.name];
  if (!def) throw new SpecSkip(`unsupported operation: ${kind}.${op.name}`);
  const raw = op.arguments ?? {};
  const args = resolve ? resolveArgs(raw, ctx) : raw;
  return { run: () => def.run(target, args, ctx), result: def.result ?? "value" };
}

/** Finds the handler for an operation (by its object's entity kind) and binds it to its target and arguments. */
export function resolveOperation(op: OperationSpec, ctx: OperationContext): ResolvedOperation {
  if (op.object === "testRunner") return bind(testRunnerOps, "testRunner", undefined, op, ctx, false);
  const entity = ctx.entities.entity(op.object);
  switch (entity.kind) {
    case "collection":
      return bind(collectionOps, "collection", entity.value, op, ctx, true);
    case "database":
      return bind(databaseOps, "database", entity.value, op, ctx, true);
    case "client":
      return bind(clientOps, "client", entity.value, op, ctx, true);
    case "session":
      return bind(sessionOps, "session", entity.value, op, ctx, false);
    case "bucket":
      return bind(bucketOps, "bucket", entity.value, op, ctx, true);
    case "cursor":
      return bind(cursorOps, "cursor", entity.value, op, ctx, false);
    default:
      throw new SpecFailure(`entity "${op.object}" (${entity.kind}) has no operations`);
  }
}

const OPERATION_NAMES: Record<string, ReadonlySet<string>> = {
  testRunner: new Set(Object.keys(testRunnerOps)),
  collection: new Set(Object.keys(collectionOps)),
  database: new Set(Object.keys(databaseOps)),
  client: new Set(Object.keys(clientOps)),
  session: new Set(Object.keys(sessionOps)),
  bucket: new Set(Object.keys(bucketOps)),
  cursor: new Set(Object.keys(cursorOps)),
};

/** True when the runner implements operation `name` on entities of `kind` (an entity type name or "testRunner"). */
export function supportsOperation(kind: string, name: string): boolean {
  return OPERATION_NAMES[kind]?.has(name) ?? false;
}
