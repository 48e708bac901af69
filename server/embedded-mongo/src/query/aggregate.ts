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
  opts: { resolve(collection: string): Document[]; variables?: Document; collation?: Collation; now?: Date },
): Document[] {
  validatePipeline(pipeline);
  const stages = rewriteStages(convertRegexesDeep(pipeline) as Document[]);
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
