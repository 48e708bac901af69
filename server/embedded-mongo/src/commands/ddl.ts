/**
 * Catalog commands: collections and indexes.
 */
import { mongoError, notImplemented } from "../errors.ts";
import { compileFilter } from "../query/filter.ts";
import type { Document } from "../types.ts";
import { batchSizeOf, collectionName, optionalBool, optionalDoc, requiredDocArray } from "./args.ts";
import type { CommandContext, CommandDefinition } from "./context.ts";
import { cursorReply } from "./replies.ts";

const CREATE_OPTIONS = [
  "capped",
  "size",
  "max",
  "collation",
  "validator",
  "validationLevel",
  "validationAction",
  "storageEngine",
  "indexOptionDefaults",
  "viewOn",
  "pipeline",
  "timeseries",
  "clusteredIndex",
  "expireAfterSeconds",
  "changeStreamPreAndPostImages",
  "encryptedFields",
  "idIndex",
  "autoIndexId",
  "flags",
];
const REFUSED_CREATE_OPTIONS: Record<string, string> = {
  viewOn: "views",
  pipeline: "views",
  timeseries: "time series collections",
  clusteredIndex: "clustered collections",
  capped: "capped collections",
  validator: "collection validators",
  encryptedFields: "queryable encryption",
  changeStreamPreAndPostImages: "change stream pre- and post-images",
  expireAfterSeconds: "clustered collections",
};

function create(ctx: CommandContext): Document {
  const name = collectionName(ctx);
  for (const [option, feature] of Object.entries(REFUSED_CREATE_OPTIONS)) {
    const value = ctx.command[option];
    if (value !== undefined && value !== false) throw notImplemented(feature);
  }
  const options: Document = {};
  for (const option of [
    "collation",
    "validationLevel",
    "validationAction",
    "storageEngine",
    "indexOptionDefaults",
  ]) {
    if (ctx.command[option] !== undefined) options[option] = ctx.command[option];
  }
  ctx.store.createCollection(ctx.db, name, options);
  return {};
}

function drop(ctx: CommandContext): Document {
  const name = collectionName(ctx);
  const dropped = ctx.server.engine.dropCollection(ctx.db, name, ctx.pending);
  // The current manual: dropping a missing collection still succeeds.
  if (!dropped) return {};
  return { nIndexesWas: dropped.indexes.length + 1, ns: dropped.ns };
}

function renameCollection(ctx: CommandContext): Document {
  const from = ctx.command.renameCollection;
  const to = ctx.command.to;
  if (typeof from !== "string" || typeof to !== "string")
    throw mongoError(2, "'renameCollection' and 'to' must be namespaces");
  const [fromDb, fromName] = splitNamespace(from);
  const [toDb, toName] = splitNamespace(to);
  const source = ctx.server.engine.get(fromDb, fromName);
  if (!source) throw mongoError(26, "source namespace does not exist");
  ctx.server.engine.rename(source, toDb, toName, optionalBool(ctx, "dropTarget", false), ctx.pending);
  return {};
}

function splitNamespace(ns: string): [string, string] {
  const dot = ns.indexOf(".");
  if (dot <= 0 || dot === ns.length - 1) throw mongoError(73, `Invalid namespace specified '${ns}'`);
  return [ns.slice(0, dot), ns.slice(dot + 1)];
}

function createIndexes(ctx: CommandContext): Document {
  const name = collectionName(ctx);
  const specs = requiredDocArray(ctx, "indexes");
  if (specs.length === 0) throw mongoError(2, "Must specify at least one index to create");
  const { collection, created: createdCollection } = ctx.store.ensureCollection(ctx.db, name);
  if (ctx.txn && !createdCollection && collection.docs.size > 0) {
    throw mongoError(
      263,
      "Cannot create new indexes on existing collection in a multi-document transaction.",
    );
  }
  const numIndexesBefore = collection.indexes.length + 1;
  let created = 0;
  for (const raw of specs) {
    // A collection default collation applies to indexes created without one.
    const withDefaults =
      raw.collation === undefined && collection.options.collation
        ? { ...raw, collation: collection.options.collation }
        : raw;
    if (collection.createIndex(withDefaults) === "created") {
      created++;
      const spec = collection.indexes[collection.indexes.length - 1]?.spec;
      if (spec) ctx.store.indexCreated(collection, spec);
    }
  }
  const reply: Document = {
    createdCollectionAutomatically: createdCollection,
    numIndexesBefore,
    numIndexesAfter: collection.indexes.length + 1,
  };
  if (created === 0) reply.note = "all indexes already exist";
  return reply;
}

function listIndexes(ctx: CommandContext): Document {
  const name = collectionName(ctx);
  const collection = ctx.server.engine.get(ctx.db, name);
  if (!collection) throw mongoError(26, `ns does not exist: ${ctx.db}.${name}`);
  const cursor = optionalDoc(ctx, "cursor");
  const batch = ctx.server.cursors.open(collection.ns, collection.indexSpecs() as Document[], {
    batchSize: batchSizeOf(ctx, cursor),
    owner: ctx.session?.key ?? null,
  });
  return cursorReply(batch, true);
}

function dropIndexes(ctx: CommandContext): Document {
  const name = collectionName(ctx);
  const collection = ctx.server.engine.get(ctx.db, name);
  if (!collection) throw mongoError(26, `ns not found ${ctx.db}.${name}`);
  const target = ctx.command.index;
  const nIndexesWas = collection.indexes.length + 1;
  let names: string[];
  if (target === "*") {
    names = collection.indexes.map((index) => index.spec.name);
  } else if (typeof target === "string") {
    names = [target];
  } else if (Array.isArray(target)) {
    names = target.map(String);
  } else if (target && typeof target === "object") {
    const spec = collection.findIndex(target as Document);
    if (!spec) throw mongoError(27, `can't find index with key: ${JSON.stringify(target)}`);
    names = [spec.name];
  } else {
    throw mongoError(2, "'index' must be a name, a key pattern, an array of names or '*'");
  }
  // Check every name before dropping any, so a bad list changes nothing.
  for (const indexName of names) {
    if (indexName === "_id_") throw mongoError(72, "cannot drop _id index");
    if (!collection.findIndex(indexName)) throw mongoError(27, `index not found with name [${indexName}]`);
  }
  for (const indexName of names) collection.dropIndex(indexName);
  ctx.server.engine.noteIndexesDropped(collection, names, ctx.pending);
  return { nIndexesWas, ...(target === "*" ? { msg: "non-_id indexes dropped for collection" } : {}) };
}

function listCollections(ctx: CommandContext): Document {
  const filter = compileFilter(optionalDoc(ctx, "filter"));
  const nameOnly = optionalBool(ctx, "nameOnly", false);
  const infos = ctx.server.engine.collections(ctx.db).map((collection) => ({
    name: collection.name,
    type: "collection",
    options: collection.options,
    info: { readOnly: false, uuid: collection.uuid },
    idIndex: { v: 2, key: { _id: 1 }, name: "_id_" },
  }));
  const matched = infos
    .filter((info) => filter.test(info))
    .map((info) => (nameOnly ? { name: info.name, type: info.type } : info));
  const batch = ctx.server.cursors.open(`${ctx.db}.$cmd.listCollections`, matched, {
    batchSize: batchSizeOf(ctx, optionalDoc(ctx, "cursor")),
    owner: ctx.session?.key ?? null,
  });
  return cursorReply(batch, true);
}

/** Catalog command declarations. */
export const ddlCommands: CommandDefinition[] = [
  { names: ["create"], fields: CREATE_OPTIONS, handler: create },
  { names: ["drop"], notInTransaction: true, fields: [], handler: drop },
  {
    names: ["dropDatabase"],
    fields: [],
    notInTransaction: true,
    handler: (ctx) => {
      ctx.server.engine.dropDatabase(ctx.db, ctx.pending);
      return { dropped: ctx.db };
    },
  },
  {
    names: ["renameCollection"],
    notInTransaction: true,
    fields: ["to", "dropTarget", "stayTemp"],
    adminOnly: true,
    handler: renameCollection,
  },
  { names: ["createIndexes"], fields: ["indexes", "commitQuorum"], handler: createIndexes },
  { names: ["listIndexes"], notInTransaction: true, fields: ["cursor"], handler: listIndexes },
  {
    names: ["dropIndexes", "deleteIndexes"],
    notInTransaction: true,
    fields: ["index"],
    handler: dropIndexes,
  },
  {
    names: ["listCollections"],
    notInTransaction: true,
    fields: ["filter", "nameOnly", "authorizedCollections", "cursor"],
    handler: listCollections,
  },
];
