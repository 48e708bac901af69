/**
 * Writes: insert, update, delete, findAndModify and the $out stage. Each statement is atomic; the
 * command's changes go to the journal as one record.
 */

import { select } from "../engine/select.ts";
import type { CollectionView } from "../engine/store.ts";
import { MongoError, mongoError } from "../errors.ts";
import { prepareForInsert, validateStoredDocument } from "../query/documents.ts";
import { compileProjection } from "../query/projection.ts";
import { applyUpdate, documentsEqual, isOperatorUpdate } from "../query/update.ts";
import { upsertSeed } from "../query/upsert.ts";
import type { Collation, Document } from "../types.ts";
import { rawOf } from "../wire/raw.ts";
import { collationOf, collectionName, optionalBool, optionalDoc, requiredDocArray, toInt } from "./args.ts";
import type { CommandContext, CommandDefinition } from "./context.ts";
import { variablesOf } from "./read.ts";

const UPDATE_STATEMENT_FIELDS = new Set([
  "q",
  "u",
  "multi",
  "upsert",
  "arrayFilters",
  "collation",
  "hint",
  "c",
  "upsertSupplied",
]);
const DELETE_STATEMENT_FIELDS = new Set(["q", "limit", "collation", "hint"]);

function checkStatementFields(
  ctx: CommandContext,
  list: string,
  statement: Document,
  known: Set<string>,
): void {
  for (const field of Object.keys(statement)) {
    if (!known.has(field))
      throw mongoError(40415, `BSON field '${ctx.name}.${list}.${field}' is an unknown field.`);
  }
}

function writeReply(n: number, writeErrors: Document[], extra: Document = {}): Document {
  const reply: Document = { n, ...extra };
  if (writeErrors.length > 0) reply.writeErrors = writeErrors;
  return reply;
}

/** A statement's error as a writeErrors entry; transient transaction errors fail the whole command instead, as in MongoDB. */
function asMongoError(error: unknown): MongoError {
  if (error instanceof MongoError && error.errorLabels.length > 0) throw error;
  if (error instanceof MongoError) return error;
  return mongoError(1, error instanceof Error ? error.message : String(error));
}

function insert(ctx: CommandContext): Document {
  const name = collectionName(ctx);
  const documents = requiredDocArray(ctx, "documents");
  const ordered = optionalBool(ctx, "ordered", true);
  const writeErrors: Document[] = [];
  let n = 0;
  documents.forEach((raw, index) => {
    if (ordered && writeErrors.length > 0) return;
    try {
      // The bytes it came in give its size and journal it without serializing it again.
      const bytes = rawOf(documents, index);
      ctx.store.insert(ctx.db, name, prepareForInsert(raw, bytes?.bytes.length), bytes);
      n++;
    } catch (error) {
      writeErrors.push(asMongoError(error).toWriteError(index));
    }
  });
  ctx.server.opCounters.insert += n;
  return writeReply(n, writeErrors);
}

interface UpdateOutcome {
  matched: number;
  modified: number;
  upsertedId?: unknown;
  /** The last document written (post-image) and the one before it, for findAndModify. */
  before?: Document;
  after?: Document;
}

/**
 * Applies one update statement; throws on error, leaving the document it failed on unchanged.
 * @param options the statement: filter, update, flags, array filters, collation, variables, hint and sort.
 */
function updateStatement(
  ctx: CommandContext,
  name: string,
  options: {
    q: Document | undefined;
    u: Document | Document[];
    multi: boolean;
    upsert: boolean;
    arrayFilters?: Document[];
    collation?: Collation;
    variables?: Document;
    hint?: unknown;
    sort?: Document;
  },
): UpdateOutcome {
  const { q, u, multi, upsert } = options;
  const replacement = !Array.isArray(u) && !isOperatorUpdate(u);
  if (replacement && multi) throw mongoError(9, "multi update is not supported for replacement-style update");
  if (!Array.isArray(u) && !replacement && Object.keys(u).length === 0 && multi) {
    throw mongoError(9, "Update document requires atomic operators");
  }
  const collection = ctx.store.view(ctx.db, name);
  const matches = select(collection, {
    filter: q,
    sort: options.sort,
    limit: multi ? 0 : 1,
    collation: options.collation,
    variables: options.variables,
    hint: options.hint,
  });
  const outcome: UpdateOutcome = { matched: 0, modified: 0 };
  const updateOptions = {
    arrayFilters: options.arrayFilters,
    query: q,
    collation: options.collation,
    variables: options.variables,
    isUpsertInsert: false,
  };
  for (const [idKey, doc] of matches) {
    const next = applyUpdate(doc, u, updateOptions);
    validateStoredDocument(next);
    outcome.matched++;
    outcome.before = doc;
    outcome.after = doc;
    if (documentsEqual(doc, next)) continue;
    ctx.store.replace(collection as CollectionView, idKey, next);
    outcome.modified++;
    outcome.after = next;
  }
  if (outcome.matched > 0 || !upsert) return outcome;
  const seed = upsertSeed(q, options.collation);
  let created: Document;
  if (replacement) {
    created =
      "_id" in seed && !("_id" in (u as Document))
        ? { _id: seed._id, ...(u as Document) }
        : { ...(u as Document) };
  } else {
    created = applyUpdate(seed, u, { ...updateOptions, isUpsertInsert: true });
  }
  const doc = prepareForInsert(created);
  ctx.store.insert(ctx.db, name, doc);
  outcome.upsertedId = doc._id;
  outcome.after = doc;
  return outcome;
}

function update(ctx: CommandContext): Document {
  const name = collectionName(ctx);
  const statements = requiredDocArray(ctx, "updates");
  const ordered = optionalBool(ctx, "ordered", true);
  const variables = variablesOf(ctx);
  for (const statement of statements)
    checkStatementFields(ctx, "updates", statement, UPDATE_STATEMENT_FIELDS);
  const writeErrors: Document[] = [];
  const upserted: Document[] = [];
  let n = 0;
  let nModified = 0;
  for (const [index, statement] of statements.entries()) {
    if (ordered && writeErrors.length > 0) break;
    try {
      const u = statement.u;
      if (!u || typeof u !== "object")
        throw mongoError(40414, "BSON field 'update.updates.u' is missing but a required field");
      const outcome = updateStatement(ctx, name, {
        q: (statement.q as Document | undefined) ?? {},
        u: u as Document | Document[],
        multi: statement.multi === true,
        upsert: statement.upsert === true,
        arrayFilters: statement.arrayFilters as Document[] | undefined,
        collation: collationOf(ctx, statement),
        variables: { ...variables, ...variablesOf(ctx, statement.c as Document | undefined) },
        hint: statement.hint,
      });
      n += outcome.matched;
      nModified += outcome.modified;
      if (outcome.upsertedId !== undefined) {
        n++;
        upserted.push({ index, _id: outcome.upsertedId });
      }
    } catch (error) {
      writeErrors.push(asMongoError(error).toWriteError(index));
    }
  }
  ctx.server.opCounters.update += statements.length;
  return writeReply(n, writeErrors, { nModified, ...(upserted.length > 0 ? { upserted } : {}) });
}

function remove(ctx: CommandContext): Document {
  const name = collectionName(ctx);
  const statements = requiredDocArray(ctx, "deletes");
  const ordered = optionalBool(ctx, "ordered", true);
  const variables = variablesOf(ctx);
  for (const statement of statements)
    checkStatementFields(ctx, "deletes", statement, DELETE_STATEMENT_FIELDS);
  const writeErrors: Document[] = [];
  let n = 0;
  for (const [index, statement] of statements.entries()) {
    if (ordered && writeErrors.length > 0) break;
    try {
      const limit = toInt(statement.limit);
      if (limit !== 0 && limit !== 1) {
        throw mongoError(
          9,
          `The limit field in delete objects must be 0 or 1. Got ${String(statement.limit)}`,
        );
      }
      const collection = ctx.store.view(ctx.db, name);
      const matches = select(collection, {
        filter: (statement.q as Document | undefined) ?? {},
        limit,
        collation: collationOf(ctx, statement),
        variables,
        hint: statement.hint,
      });
      for (const [idKey, doc] of matches) {
        ctx.store.remove(collection as CollectionView, idKey, doc);
        n++;
      }
    } catch (error) {
      writeErrors.push(asMongoError(error).toWriteError(index));
    }
  }
  ctx.server.opCounters.delete += n;
  return writeReply(n, writeErrors);
}

function findAndModify(ctx: CommandContext): Document {
  const name = collectionName(ctx);
  const query = optionalDoc(ctx, "query") ?? {};
  const sort = optionalDoc(ctx, "sort");
  const removeDoc = optionalBool(ctx, "remove", false);
  const returnNew = optionalBool(ctx, "new", false);
  const upsert = optionalBool(ctx, "upsert", false);
  const updateSpec = ctx.command.update;
  const collation = collationOf(ctx);
  const variables = variablesOf(ctx);
  const project = compileProjection(optionalDoc(ctx, "fields"), { filter: query, variables });
  const present = (doc: Document | undefined): Document | null =>
    doc ? (project ? project(doc) : doc) : null;
  if (removeDoc && updateSpec !== undefined)
    throw mongoError(9, "Cannot specify both an update and remove=true");
  if (!removeDoc && updateSpec === undefined)
    throw mongoError(9, "Either an update or remove=true must be specified");
  if (removeDoc && returnNew)
    throw mongoError(
      9,
      "Cannot specify both new=true and remove=true; 'remove' always returns the deleted document",
    );
  if (removeDoc && upsert) throw mongoError(9, "Cannot specify both upsert=true and remove=true");
  if (removeDoc) {
    const collection = ctx.store.view(ctx.db, name);
    const [match] = select(collection, {
      filter: query,
      sort,
      limit: 1,
      collation,
      variables,
      hint: ctx.command.hint,
    });
    if (!match) return { lastErrorObject: { n: 0 }, value: null };
    ctx.store.remove(collection as CollectionView, match[0], match[1]);
    return { lastErrorObject: { n: 1 }, value: present(match[1]) };
  }
  if (!updateSpec || typeof updateSpec !== "object") {
    throw mongoError(
      14,
      "BSON field 'findAndModify.update' is the wrong type, expected type 'object or array'",
    );
  }
  const outcome = updateStatement(ctx, name, {
    q: query,
    u: updateSpec as Document | Document[],
    multi: false,
    upsert,
    arrayFilters: ctx.command.arrayFilters as Document[] | undefined,
    collation,
    variables,
    hint: ctx.command.hint,
    sort,
  });
  if (outcome.upsertedId !== undefined) {
    return {
      lastErrorObject: { n: 1, updatedExisting: false, upserted: outcome.upsertedId },
      value: returnNew ? present(outcome.after) : null,
    };
  }
  return {
    lastErrorObject: { n: outcome.matched, updatedExisting: outcome.matched > 0 },
    value: present(returnNew ? outcome.after : outcome.before),
  };
}

/**
 * Replaces the target collection of `$out` with the pipeline's results.
 * @param target a collection name or {db, coll}.
 */
export function runOutStage(ctx: CommandContext, target: unknown, results: Document[]): void {
  let db = ctx.db;
  let name: string;
  if (typeof target === "string") name = target;
  else if (target && typeof target === "object" && typeof (target as Document).coll === "string") {
    name = (target as Document).coll as string;
    if (typeof (target as Document).db === "string") db = (target as Document).db as string;
  } else throw mongoError(16990, "$out only supports a string or object argument");
  const prepared = results.map((doc) => prepareForInsert(doc));
  const previous = ctx.server.engine.get(db, name);
  const indexes = previous?.indexes.map((index) => index.spec) ?? [];
  // Build the new contents aside first so a duplicate _id leaves the old collection untouched.
  const scratch: Document[] = [];
  const seen = new Set<string>();
  for (const doc of prepared) {
    const key = JSON.stringify(doc._id);
    if (seen.has(key))
      throw mongoError(
        11000,
        `E11000 duplicate key error collection: ${db}.${name} index: _id_ dup key: { _id: ${key} }`,
      );
    seen.add(key);
    scratch.push(doc);
  }
  if (previous) ctx.server.engine.dropCollection(db, name, ctx.pending);
  const collection = ctx.server.engine.createCollection(db, name, previous?.options ?? {}, ctx.pending);
  for (const spec of indexes) {
    collection.createIndex(spec);
    ctx.server.engine.noteIndexCreated(collection, spec, ctx.pending);
  }
  for (const doc of scratch) ctx.store.insert(collection.db, collection.name, doc);
}

/** Write command declarations. */
export const writeCommands: CommandDefinition[] = [
  {
    names: ["insert"],
    fields: ["documents", "ordered", "bypassDocumentValidation", "let"],
    retryableWrite: true,
    handler: insert,
  },
  {
    names: ["update"],
    fields: ["updates", "ordered", "bypassDocumentValidation", "let"],
    retryableWrite: true,
    handler: update,
  },
  { names: ["delete"], fields: ["deletes", "ordered", "let"], retryableWrite: true, handler: remove },
  {
    names: ["findAndModify", "findandmodify"],
    fields: [
      "query",
      "sort",
      "remove",
      "update",
      "new",
      "fields",
      "upsert",
      "bypassDocumentValidation",
      "collation",
      "arrayFilters",
      "hint",
      "let",
    ],
    retryableWrite: true,
    handler: findAndModify,
  },
];
