/**
 * Reads: find, getMore, killCursors, count, distinct, aggregate and explain.
 */
import { Binary, Long } from "bson";
import { select } from "../engine/select.ts";
import { mongoError, notImplemented } from "../errors.ts";
import { runPipeline } from "../query/aggregate.ts";
import { compileFilter } from "../query/filter.ts";
import { canonicalKey } from "../query/keys.ts";
import { compileProjection } from "../query/projection.ts";
import type { Document } from "../types.ts";
import {
  batchSizeOf,
  collationOf,
  collectionName,
  optionalBool,
  optionalDoc,
  optionalInt,
  requiredDocArray,
} from "./args.ts";
import type { CommandContext, CommandDefinition } from "./context.ts";
import { cursorReply } from "./replies.ts";
import { runOutStage } from "./write.ts";

const FIND_FIELDS = [
  "filter",
  "sort",
  "projection",
  "hint",
  "skip",
  "limit",
  "batchSize",
  "singleBatch",
  "max",
  "min",
  "returnKey",
  "showRecordId",
  "tailable",
  "oplogReplay",
  "noCursorTimeout",
  "awaitData",
  "allowPartialResults",
  "collation",
  "allowDiskUse",
  "let",
  "readOnce",
  "$_requestResumeToken",
  "$_resumeAfter",
];

/** The command's `let` variables, each evaluated once as an expression ({$literal: "$x"} is the string "$x"). */
export function variablesOf(
  ctx: CommandContext,
  source: Document | undefined = optionalDoc(ctx, "let"),
): Document | undefined {
  if (!source || Object.keys(source).length === 0) return source;
  const [evaluated] = runPipeline([{}], [{ $replaceWith: source }], {
    resolve: () => [],
  });
  return evaluated;
}

function find(ctx: CommandContext): Document {
  const name = collectionName(ctx);
  for (const option of ["tailable", "awaitData", "oplogReplay"]) {
    if (ctx.command[option] === true) throw notImplemented(`find option '${option}' (capped collections)`);
  }
  for (const option of ["min", "max", "returnKey", "showRecordId"]) {
    if (ctx.command[option] !== undefined && ctx.command[option] !== false)
      throw notImplemented(`find option '${option}'`);
  }
  let limit = optionalInt(ctx, "limit") ?? 0;
  let singleBatch = optionalBool(ctx, "singleBatch", false);
  if (limit < 0) {
    // A negative limit is the legacy spelling of "limit and close the cursor".
    limit = -limit;
    singleBatch = true;
  }
  const skip = optionalInt(ctx, "skip") ?? 0;
  if (skip < 0) throw mongoError(51024, `BSON field 'skip' value must be >= 0, actual value '${skip}'`);
  const batchSize = batchSizeOf(ctx, ctx.command);
  const filter = optionalDoc(ctx, "filter");
  const collation = collationOf(ctx);
  const variables = variablesOf(ctx);
  const project = compileProjection(optionalDoc(ctx, "projection"), { filter, variables });
  const collection = ctx.store.view(ctx.db, name);
  const docs = select(collection, {
    filter,
    sort: optionalDoc(ctx, "sort"),
    skip,
    limit,
    collation,
    variables,
    hint: ctx.command.hint,
  }).map(([, doc]) => doc);
  ctx.server.opCounters.query++;
  const batch = ctx.server.cursors.open(`${ctx.db}.${name}`, docs, {
    batchSize: batchSize === 0 ? 0 : batchSize,
    singleBatch,
    owner: ctx.session?.key ?? null,
    noTimeout: optionalBool(ctx, "noCursorTimeout", false),
    project,
  });
  return cursorReply(batch, true);
}

function getMore(ctx: CommandContext): Document {
  const collection = ctx.command.collection;
  if (typeof collection !== "string")
    throw mongoError(40414, "BSON field 'getMore.collection' is missing but a required field");
  ctx.server.opCounters.getmore++;
  const batch = ctx.server.cursors.getMore(
    ctx.command.getMore,
    `${ctx.db}.${collection}`,
    batchSizeOf(ctx, ctx.command) || undefined,
    ctx.session?.key ?? null,
  );
  return cursorReply(batch, false);
}

function killCursors(ctx: CommandContext): Document {
  const ids = ctx.command.cursors;
  if (!Array.isArray(ids))
    throw mongoError(40414, "BSON field 'killCursors.cursors' is missing but a required field");
  const { killed, notFound } = ctx.server.cursors.kill(ids);
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [] };
}

function count(ctx: CommandContext): Document {
  const name = collectionName(ctx);
  const limit = Math.abs(optionalInt(ctx, "limit") ?? 0);
  const skip = optionalInt(ctx, "skip") ?? 0;
  if (skip < 0) throw mongoError(51024, `BSON field 'skip' value must be >= 0, actual value '${skip}'`);
  const collection = ctx.server.engine.get(ctx.db, name);
  const query = optionalDoc(ctx, "query");
  if (!query && skip === 0 && limit === 0) return { n: collection?.docs.size ?? 0 };
  const n = select(collection, {
    filter: query,
    skip,
    limit,
    collation: collationOf(ctx),
    hint: ctx.command.hint,
  }).length;
  return { n };
}

function distinct(ctx: CommandContext): Document {
  const name = collectionName(ctx);
  const key = ctx.command.key;
  if (typeof key !== "string")
    throw mongoError(40414, "BSON field 'distinct.key' is missing but a required field");
  const collation = collationOf(ctx);
  const matches = select(ctx.store.view(ctx.db, name), {
    filter: optionalDoc(ctx, "query"),
    collation,
    hint: ctx.command.hint,
  });
  const seen = new Map<string, unknown>();
  for (const [, doc] of matches) {
    for (const value of valuesAtPath(doc, key.split("."))) {
      const id = canonicalKey(value, collation);
      if (!seen.has(id)) seen.set(id, value);
    }
  }
  return { values: [...seen.values()] };
}

/** Values at a dotted path, traversing arrays and flattening a final array, as distinct does. */
export function valuesAtPath(value: unknown, path: string[]): unknown[] {
  if (path.length === 0) return Array.isArray(value) ? value : value === undefined ? [] : [value];
  if (Array.isArray(value)) {
    const [head] = path;
    if (head !== undefined && /^\d+$/.test(head)) return valuesAtPath(value[Number(head)], path.slice(1));
    return value.flatMap((item) => valuesAtPath(item, path));
  }
  if (
    !value ||
    typeof value !== "object" ||
    (value as { _bsontype?: string })._bsontype ||
    value instanceof Date
  )
    return [];
  return valuesAtPath((value as Document)[path[0] as string], path.slice(1));
}

function aggregate(ctx: CommandContext): Document {
  const target = ctx.command.aggregate;
  const pipeline = requiredDocArray(ctx, "pipeline");
  const explain = optionalBool(ctx, "explain", false);
  const cursor = optionalDoc(ctx, "cursor");
  if (!cursor && !explain)
    throw mongoError(9, "The 'cursor' option is required, except for aggregate with the explain argument");
  const collation = collationOf(ctx);
  const variables = variablesOf(ctx);
  const last = pipeline[pipeline.length - 1];
  const out = last && "$out" in last ? last.$out : undefined;
  if (pipeline.slice(0, -1).some((stage) => "$out" in stage || "$merge" in stage)) {
    throw mongoError(40601, "$out can only be the final stage in the pipeline");
  }
  const stages = out !== undefined ? pipeline.slice(0, -1) : [...pipeline];
  let input: Document[];
  let prefiltered = false;
  let ns: string;
  if (out !== undefined && (ctx.command.readConcern as Document | undefined)?.level === "linearizable") {
    throw mongoError(2, "$out cannot be used with a 'linearizable' read concern level");
  }
  if (target === 1) {
    const first = stages[0];
    ns = `${ctx.db}.$cmd.aggregate`;
    if (first && "$listLocalSessions" in first) {
      input = [...ctx.server.sessions.values()].map((session) => ({
        _id: { id: new Binary(Buffer.from(session.key, "hex"), 4), uid: new Binary(Buffer.alloc(32), 0) },
        lastUse: new Date(session.lastUse),
      }));
      stages.shift();
    } else if (first && "$documents" in first) {
      input = [];
    } else {
      throw mongoError(
        73,
        `{aggregate: 1} is not valid for '${Object.keys(first ?? {})[0] ?? ""}'; a collection is required.`,
      );
    }
  } else {
    const name = collectionName(ctx);
    const collection = ctx.store.view(ctx.db, name);
    ns = `${ctx.db}.${name}`;
    const first = stages[0];
    // The planner may narrow the input through an index when the pipeline starts with $match.
    const match =
      first && "$match" in first && first.$match && typeof first.$match === "object"
        ? (first.$match as Document)
        : undefined;
    prefiltered = match !== undefined;
    input = match
      ? select(collection, { filter: match, collation, variables, hint: ctx.command.hint }).map(
          ([, doc]) => doc,
        )
      : select(collection, { collation, hint: ctx.command.hint }).map(([, doc]) => doc);
  }
  const results = runPipeline(input, stages, {
    resolve: (name: string) => [...(ctx.store.view(ctx.db, name)?.all() ?? [])],
    variables,
    collation,
    prefiltered,
  });
  if (explain) return { stages: pipeline.map((stage) => ({ [Object.keys(stage)[0] ?? ""]: {} })) };
  if (out !== undefined) {
    if (ctx.txn) throw mongoError(263, "$out cannot be used in a transaction");
    runOutStage(ctx, out, results);
    return cursorReply({ id: Long.ZERO, ns, documents: [] }, true);
  }
  ctx.server.opCounters.command++;
  const batch = ctx.server.cursors.open(ns, results, {
    batchSize: batchSizeOf(ctx, cursor),
    owner: ctx.session?.key ?? null,
  });
  return cursorReply(batch, true);
}

function explain(ctx: CommandContext): Document {
  const inner = optionalDoc(ctx, "explain");
  if (!inner) throw mongoError(40414, "BSON field 'explain.explain' is missing but a required field");
  const innerName = Object.keys(inner)[0] ?? "";
  const collName = typeof inner[innerName] === "string" ? (inner[innerName] as string) : "";
  const collection = ctx.server.engine.get(ctx.db, collName);
  const filterDoc = (inner.filter ?? inner.query ?? inner.q) as Document | undefined;
  const filter = compileFilter(filterDoc);
  const indexName = collection?.plannedIndex(filter, undefined) ?? null;
  const winningPlan = indexName
    ? { stage: "FETCH", inputStage: { stage: "IXSCAN", indexName } }
    : { stage: "COLLSCAN" };
  const reply: Document = {
    queryPlanner: { namespace: `${ctx.db}.${collName}`, winningPlan, rejectedPlans: [] },
    command: inner,
    serverInfo: { host: "embedded", version: "7.0.0" },
  };
  if (ctx.command.verbosity === "executionStats" || ctx.command.verbosity === "allPlansExecution") {
    let examined = 0;
    let returned = 0;
    for (const [, doc] of collection?.candidates(filter, undefined) ?? []) {
      examined++;
      if (filter.test(doc)) returned++;
    }
    reply.executionStats = { nReturned: returned, executionSuccess: true, totalDocsExamined: examined };
  }
  return reply;
}

/** Read command declarations. */
export const readCommands: CommandDefinition[] = [
  { names: ["find"], fields: FIND_FIELDS, handler: find },
  {
    names: ["getMore"],
    fields: ["collection", "batchSize", "term", "lastKnownCommittedOpTime"],
    handler: getMore,
  },
  { names: ["killCursors"], fields: ["cursors"], handler: killCursors },
  {
    names: ["count"],
    fields: ["query", "limit", "skip", "hint", "collation", "fields"],
    notInTransaction: true,
    handler: count,
  },
  { names: ["distinct"], fields: ["key", "query", "collation", "hint"], handler: distinct },
  {
    names: ["aggregate"],
    fields: [
      "pipeline",
      "explain",
      "allowDiskUse",
      "cursor",
      "hint",
      "collation",
      "let",
      "bypassDocumentValidation",
      "fromMongos",
      "needsMerge",
    ],
    handler: aggregate,
  },
  { names: ["explain"], fields: ["verbosity"], handler: explain },
];
