/** Aggregation through mingo with server overrides: BSON-aware $match and $sort, stage checks, resolver. */
import { Aggregator } from "mingo/aggregator";
import { Context } from "mingo/core";
import { type Iterator, Lazy } from "mingo/lazy";
import * as accumulatorOps from "mingo/operators/accumulator";
import * as expressionOps from "mingo/operators/expression";
import * as pipelineOps from "mingo/operators/pipeline";
import * as projectionOps from "mingo/operators/projection";
import * as queryOps from "mingo/operators/query";
import * as windowOps from "mingo/operators/window";
import { Query } from "mingo/query";
import type { Options } from "mingo/types";
import { mongoError, notImplemented } from "../errors.ts";
import type { Collation, Document } from "../types.ts";
import { effectiveCollation } from "./collation.ts";
import { normalizeQuery } from "./filter.ts";
import { canonicalKey } from "./keys.ts";
import {
  baseContext,
  expressionOverrides,
  mingoOptions,
  queryOverrides,
  translateError,
} from "./mingo-context.ts";
import { isPlainObject } from "./paths.ts";
import { convertRegexesDeep } from "./regex.ts";
import { sortDocuments } from "./sort.ts";
import { structuralClone } from "./update.ts";

const REFUSED = new Set([
  "$out",
  "$merge",
  "$changeStream",
  "$changeStreamSplitLargeEvent",
  "$search",
  "$searchMeta",
  "$vectorSearch",
  "$listSearchIndexes",
  "$geoNear",
  "$collStats",
  "$indexStats",
  "$currentOp",
  "$listSessions",
  "$listLocalSessions",
  "$planCacheStats",
  "$shardedDataDistribution",
]);

/** Stages that never modify the documents they pass on, so inputs need no defensive copy. */
const NON_MUTATING = new Set([
  "$match",
  "$sort",
  "$skip",
  "$limit",
  "$count",
  "$group",
  "$sortByCount",
  "$sample",
  "$documents",
]);

const KNOWN = new Set(Object.keys(pipelineOps));

/** Every `$name` that may appear as an object key inside a stage's arguments. */
const OPERATOR_NAMES = new Set([
  ...Object.keys(expressionOps),
  ...Object.keys(accumulatorOps),
  ...Object.keys(queryOps),
  ...Object.keys(windowOps),
  ...Object.keys(projectionOps),
  ...Object.keys(expressionOverrides),
  ...Object.keys(queryOverrides),
  "$options",
  "$meta",
  "$natural",
  "$comment",
]);

/** MongoDB parses the whole pipeline first, so an unknown operator fails even when no document reaches it. */
function checkOperators(value: unknown, stage: string): void {
  if (Array.isArray(value)) {
    for (const item of value) checkOperators(item, stage);
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [key, inner] of Object.entries(value)) {
    if (key.startsWith("$") && !OPERATOR_NAMES.has(key) && !KNOWN.has(key)) {
      throw mongoError(168, `Invalid ${stage} :: caused by :: Unrecognized expression '${key}'`);
    }
    checkOperators(inner, stage);
  }
}

/**
 * Rewrites `$bucket` as `$group` + `$sort`: mingo 7.2.7 puts a value equal to an inner boundary in the
 * lower bucket, while MongoDB's buckets include their lower bound.
 */
function rewriteBucket(arg: unknown): Document[] {
  if (!isPlainObject(arg) || !Array.isArray(arg.boundaries) || arg.boundaries.length < 2) {
    throw mongoError(40192, "The $bucket 'boundaries' field must be an array of at least two values");
  }
  const bounds = arg.boundaries as unknown[];
  const branches = bounds.slice(0, -1).map((lower, i) => ({
    case: { $and: [{ $gte: [arg.groupBy, lower] }, { $lt: [arg.groupBy, bounds[i + 1]] }] },
    // biome-ignore lint/suspicious/noThenProperty: "then" is the $switch branch field MongoDB defines.
    then: lower,
  }));
  // Without a default, a value outside the boundaries fails the $switch, as MongoDB fails the $bucket.
  const $switch = arg.default !== undefined ? { branches, default: arg.default } : { branches };
  const output = isPlainObject(arg.output) ? arg.output : { count: { $sum: 1 } };
  return [{ $group: { _id: { $switch }, ...output } }, { $sort: { _id: 1 } }];
}

/** Applies rewrites at every nesting level ($facet, $lookup and $unionWith pipelines). */
function rewriteStages(stages: Document[]): Document[] {
  const out: Document[] = [];
  for (const stage of stages) {
    const name = Object.keys(stage)[0] as string;
    const arg = stage[name];
    if (name === "$bucket") {
      out.push(...rewriteBucket(arg));
    } else if (name === "$facet" && isPlainObject(arg)) {
      out.push({
        $facet: Object.fromEntries(
          Object.entries(arg).map(([key, sub]) => [key, rewriteStages(sub as Document[])]),
        ),
      });
    } else if (
      (name === "$lookup" || name === "$unionWith") &&
      isPlainObject(arg) &&
      Array.isArray(arg.pipeline)
    ) {
      out.push({ [name]: { ...arg, pipeline: rewriteStages(arg.pipeline as Document[]) } });
    } else {
      out.push(stage);
    }
  }
  return out;
}

function $match(coll: Iterator, expr: Document, options: Options): Iterator {
  const query = new Query(normalizeQuery(expr), options);
  return coll.filter((doc: Document) => query.test(doc));
}

function $sort(coll: Iterator, spec: Document, options: Options): Iterator {
  if (!isPlainObject(spec) || Object.keys(spec).length === 0)
    throw mongoError(15976, "$sort stage must have at least one sort key");
  const collation = effectiveCollation(options.collation as Collation | undefined);
  return coll.transform((docs: Document[]) => Lazy(sortDocuments(docs, spec, collation)));
}

const aggregateContext: Context = Context.from(
  Context.init({ pipeline: { $match, $sort } as never }),
  baseContext,
);

/** Checks every stage (nested pipelines included): one key each, known, and not refused. */
function validatePipeline(pipeline: unknown): void {
  if (!Array.isArray(pipeline)) throw mongoError(14, "'pipeline' option must be specified as an array");
  for (const stage of pipeline) {
    const names = isPlainObject(stage) ? Object.keys(stage) : [];
    if (names.length !== 1)
      throw mongoError(40323, "A pipeline stage specification object must contain exactly one field.");
    const name = names[0] as string;
    if (REFUSED.has(name)) throw notImplemented(`the ${name} stage`);
    if (!KNOWN.has(name)) throw mongoError(40324, `Unrecognized pipeline stage name: '${name}'`);
    const arg = (stage as Document)[name];
    if ((name === "$lookup" || name === "$unionWith") && isPlainObject(arg) && arg.pipeline !== undefined) {
      validatePipeline(arg.pipeline);
    }
    if (name === "$facet" && isPlainObject(arg)) for (const sub of Object.values(arg)) validatePipeline(sub);
    else checkOperators(arg, name);
  }
}

/** Runs an aggregation pipeline over `input`; other collections are read through `opts.resolve`. */
export function runPipeline(
  input: Document[],
  pipeline: Document[],
  opts: {
    resolve(collection: string): Document[];
    variables?: Document;
    collation?: Collation;
    now?: Date;
    /** `input` is already the output of the pipeline's leading `$match` (the planner applied it). */
    prefiltered?: boolean;
  },
): Document[] {
  validatePipeline(pipeline);
  let stages = rewriteStages(convertRegexesDeep(pipeline) as Document[]);
  if (opts.prefiltered && stages[0] && "$match" in stages[0]) {
    // Parsed for its errors, but not tested again on every document the planner already tested.
    try {
      new Query(normalizeQuery(stages[0].$match as Document), mingoOptions({ collation: opts.collation }));
    } catch (err) {
      throw translateError(err);
    }
    stages = stages.slice(1);
  }
  if (!opts.collation && stages.length === 1 && stages[0] && "$group" in stages[0]) {
    const grouped = fastGroup(input, stages[0].$group);
    if (grouped) return grouped;
  }
  const safe = stages.every((s) => NON_MUTATING.has(Object.keys(s)[0] as string));
  const docs = safe ? input : input.map(structuralClone);
  const resolve = safe ? opts.resolve : (name: string) => opts.resolve(name).map(structuralClone);
  try {
    const options = {
      ...mingoOptions({ collation: opts.collation, variables: opts.variables, context: aggregateContext }),
      collectionResolver: resolve,
    };
    return new Aggregator(stages, options).run(docs) as Document[];
  } catch (err) {
    throw translateError(err);
  }
}

// A fast path for the common reporting shape: one `$group` whose `_id` and accumulators (`$push`, or
// `$sum` of a number) use only field paths, literals, `$concat`, `$ifNull` and objects of these. It is
// compiled to plain functions instead of being interpreted per document by mingo; anything else, or
// any document where the compiled form could differ from MongoDB's (an array on a path, a non-string in
// `$concat`, a missing value pushed), returns undefined and the pipeline runs through mingo as before.
class Unsupported extends Error {}
type Compiled = (doc: Document) => unknown;

function compileExpression(expr: unknown): Compiled {
  if (typeof expr === "string") {
    if (expr.startsWith("$$")) throw new Unsupported();
    if (!expr.startsWith("$")) return () => expr;
    const path = expr.slice(1).split(".");
    if (path.some((part) => part === "")) throw new Unsupported();
    return (doc) => {
      let value: unknown = doc;
      for (const part of path) {
        if (Array.isArray(value)) throw new Unsupported();
        if (!isPlainObject(value)) return undefined;
        value = (value as Document)[part];
      }
      if (Array.isArray(value)) throw new Unsupported();
      return value;
    };
  }
  if (typeof expr === "number" || typeof expr === "boolean" || expr === null) return () => expr;
  if (!isPlainObject(expr)) throw new Unsupported();
  const keys = Object.keys(expr);
  if (keys.length === 1 && keys[0] === "$concat" && Array.isArray(expr.$concat)) {
    const parts = (expr.$concat as unknown[]).map(compileExpression);
    return (doc) => {
      let out = "";
      for (const part of parts) {
        const value = part(doc);
        if (value === null || value === undefined) return null;
        if (typeof value !== "string") throw new Unsupported();
        out += value;
      }
      return out;
    };
  }
  if (keys.length === 1 && keys[0] === "$ifNull" && Array.isArray(expr.$ifNull) && expr.$ifNull.length >= 2) {
    const parts = (expr.$ifNull as unknown[]).map(compileExpression);
    const last = parts.at(-1) as Compiled;
    const candidates = parts.slice(0, -1);
    return (doc) => {
      for (const part of candidates) {
        const value = part(doc);
        if (value !== null && value !== undefined) return value;
      }
      return last(doc);
    };
  }
  if (keys.some((key) => key.startsWith("$"))) throw new Unsupported();
  const fields = keys.map((key) => [key, compileExpression(expr[key])] as const);
  return (doc) => {
    const out: Document = {};
    // As mingo builds it (a missing value stays an undefined key), so the reply is the same either way.
    for (const [key, field] of fields) out[key] = field(doc);
    return out;
  };
}

function fastGroup(input: Document[], spec: unknown): Document[] | undefined {
  try {
    if (!isPlainObject(spec) || !("_id" in spec)) return undefined;
    const id = compileExpression(spec._id);
    const accumulators: { name: string; kind: "push" | "sum"; value: Compiled; step: number }[] = [];
    for (const [name, acc] of Object.entries(spec)) {
      if (name === "_id") continue;
      if (name.includes(".") || !isPlainObject(acc) || Object.keys(acc).length !== 1) return undefined;
      if ("$push" in acc)
        accumulators.push({ name, kind: "push", value: compileExpression(acc.$push), step: 0 });
      else if ("$sum" in acc && typeof acc.$sum === "number" && Number.isFinite(acc.$sum))
        accumulators.push({ name, kind: "sum", value: () => acc.$sum, step: acc.$sum as number });
      else return undefined;
    }
    const groups = new Map<string, Document>();
    for (const doc of input) {
      const key = id(doc) ?? null;
      const canonical = canonicalKey(key);
      let group = groups.get(canonical);
      if (!group) {
        group = { _id: key };
        for (const acc of accumulators) group[acc.name] = acc.kind === "push" ? [] : 0;
        groups.set(canonical, group);
      }
      for (const acc of accumulators) {
        if (acc.kind === "sum") {
          group[acc.name] = (group[acc.name] as number) + acc.step;
          continue;
        }
        const value = acc.value(doc);
        if (value === undefined) throw new Unsupported();
        (group[acc.name] as unknown[]).push(value);
      }
    }
    return [...groups.values()];
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
}
