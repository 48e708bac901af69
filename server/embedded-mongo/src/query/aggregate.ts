/** Aggregation through mingo with server overrides: BSON-aware $match and $sort, stage checks, resolver. */
import { Aggregator } from "mingo/aggregator";
import { Context } from "mingo/core";
import { type Iterator, Lazy } from "mingo/lazy";
import * as pipelineOps from "mingo/operators/pipeline";
import { Query } from "mingo/query";
import type { Options } from "mingo/types";
import { mongoError, notImplemented } from "../errors.ts";
import type { Collation, Document } from "../types.ts";
import { effectiveCollation } from "./collation.ts";
import { normalizeQuery } from "./filter.ts";
import { baseContext, mingoOptions, translateError } from "./mingo-context.ts";
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
  }
}

/** Runs an aggregation pipeline over `input`; other collections are read through `opts.resolve`. */
export function runPipeline(
  input: Document[],
  pipeline: Document[],
  opts: { resolve(collection: string): Document[]; variables?: Document; collation?: Collation; now?: Date },
): Document[] {
  validatePipeline(pipeline);
  const stages = convertRegexesDeep(pipeline) as Document[];
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
