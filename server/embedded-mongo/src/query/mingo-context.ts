/**
 * The mingo Context used by every query-layer module: mingo's operators plus BSON-aware overrides
 * for the leaf query operators and the comparison/type expression operators it gets wrong (§5.2).
 */
import { Binary, Decimal128, Long, ObjectId, UUID } from "bson";
import { Context, evalExpr } from "mingo/core";
import * as accumulatorOps from "mingo/operators/accumulator";
import * as expressionOps from "mingo/operators/expression";
import * as pipelineOps from "mingo/operators/pipeline";
import * as projectionOps from "mingo/operators/projection";
import * as queryOps from "mingo/operators/query";
import * as windowOps from "mingo/operators/window";
import type { Options } from "mingo/types";
import { MingoError, resolve } from "mingo/util";
import { MongoError, mongoError } from "../errors.ts";
import type { Collation } from "../types.ts";
import { bsonTypeName, isNumeric, toNumber, typeCodes, typeRank } from "./bson-types.ts";
import { effectiveCollation } from "./collation.ts";
import { bsonEquals, compareValues } from "./compare.ts";
import { canonicalKey } from "./keys.ts";
import { pathExists, pathValues } from "./paths.ts";

type Pred = (doc: unknown) => boolean;
type QueryOp = (selector: string, value: unknown, options: Options) => Pred;
type ExprOp = (obj: Record<string, unknown>, expr: unknown, options: Options) => unknown;

const RESOLVE = { unwrapArray: true };

function collationOf(options: Options): Collation | undefined {
  return effectiveCollation(options.collation as Collation | undefined);
}

function depthOf(selector: string): number {
  let d = 0;
  for (let i = 0; i < selector.length; i++) if (selector.charCodeAt(i) === 46) d++;
  return d;
}

/** Array candidates as mingo resolves them: the elements, then nested elements down to `depth`. */
function someCandidate(lhs: unknown, depth: number, f: (v: unknown) => boolean): boolean {
  if (!Array.isArray(lhs)) return f(lhs);
  for (const v of lhs) if (f(v)) return true;
  if (depth > 0) {
    for (const v of lhs) if (Array.isArray(v) && someCandidate(v, depth - 1, f)) return true;
  }
  return false;
}

/** MongoDB `{path: null}` also matches array elements that lack the field, which mingo's resolve drops. */
function dottedNullMatch(doc: unknown, selector: string): boolean {
  return pathValues(doc, selector).values.some((v) => v === null);
}

const $eq: QueryOp = (selector, value, options) => {
  const c = collationOf(options);
  const depth = depthOf(selector);
  const dottedNull = value === null && depth > 0;
  return (doc) => {
    const lhs = resolve(doc as Record<string, unknown>, selector, RESOLVE);
    if (bsonEquals(lhs, value, c)) return true;
    if (Array.isArray(lhs) && someCandidate(lhs, depth, (v) => bsonEquals(v, value, c))) return true;
    return dottedNull && dottedNullMatch(doc, selector);
  };
};

const $ne: QueryOp = (selector, value, options) => {
  const eq = $eq(selector, value, options);
  return (doc) => !eq(doc);
};

function inMatcher(selector: string, value: unknown, options: Options): Pred {
  if (!Array.isArray(value)) throw mongoError(2, "$in needs an array");
  const c = collationOf(options);
  const depth = depthOf(selector);
  const keys = new Set<string>();
  const regexes: RegExp[] = [];
  let hasNull = false;
  for (const v of value) {
    if (v instanceof RegExp) regexes.push(v);
    else {
      if (v === null) hasNull = true;
      keys.add(canonicalKey(v, c));
    }
  }
  const one = (v: unknown): boolean => {
    if (v === undefined) return hasNull;
    if (keys.has(canonicalKey(v, c))) return true;
    if (regexes.length > 0 && typeof v === "string") for (const re of regexes) if (re.test(v)) return true;
    return false;
  };
  return (doc) => {
    const lhs = resolve(doc as Record<string, unknown>, selector, RESOLVE);
    if (one(lhs)) return true;
    if (Array.isArray(lhs) && someCandidate(lhs, depth, one)) return true;
    return hasNull && depth > 0 && dottedNullMatch(doc, selector);
  };
}

const $nin: QueryOp = (selector, value, options) => {
  const f = inMatcher(selector, value, options);
  return (doc) => !f(doc);
};

function rangeOp(test: (c: number) => boolean): QueryOp {
  return (selector, value, options) => {
    const c = collationOf(options);
    const depth = depthOf(selector);
    const rank = typeRank(value);
    const anyType = rank === 1 || rank === 127;
    const one = (v: unknown): boolean =>
      (anyType || typeRank(v) === rank) && test(compareValues(v, value, c));
    return (doc) => {
      const lhs = resolve(doc as Record<string, unknown>, selector, RESOLVE);
      if (Array.isArray(lhs)) return (Array.isArray(value) && one(lhs)) || someCandidate(lhs, depth, one);
      return one(lhs);
    };
  };
}

function typeMatcher(t: unknown): (v: unknown) => boolean {
  if (typeof t === "string") {
    if (t === "number") return isNumeric;
    if (!(t in typeCodes)) throw mongoError(2, `Unknown type name alias: ${t}`);
    return (v) => bsonTypeName(v) === t;
  }
  if (isNumeric(t)) {
    const n = toNumber(t);
    const name = Object.keys(typeCodes).find((k) => typeCodes[k] === n);
    if (!name) throw mongoError(2, `Invalid numerical type code: ${n}`);
    return (v) => bsonTypeName(v) === name;
  }
  throw mongoError(14, "type must be represented as a number or a string");
}

const $type: QueryOp = (selector, value) => {
  const matchers = (Array.isArray(value) ? value : [value]).map(typeMatcher);
  const wantsArray = matchers.some((m) => m([]));
  const one = (v: unknown): boolean => matchers.some((m) => m(v));
  return (doc) => {
    const lhs = resolve(doc as Record<string, unknown>, selector, RESOLVE);
    if (Array.isArray(lhs))
      return wantsArray || lhs.some(one) || lhs.some((e) => Array.isArray(e) && e.some(one));
    return one(lhs);
  };
};

const $regex: QueryOp = (selector, value) => {
  if (!(value instanceof RegExp)) throw mongoError(2, "$regex has to be a string");
  const one = (v: unknown): boolean => typeof v === "string" && value.test(v);
  const depth = Math.max(1, depthOf(selector));
  return (doc) => {
    const lhs = resolve(doc as Record<string, unknown>, selector, RESOLVE);
    return one(lhs) || (Array.isArray(lhs) && someCandidate(lhs, depth, one));
  };
};

const $mod: QueryOp = (selector, value) => {
  if (!Array.isArray(value) || value.length !== 2 || !isNumeric(value[0]) || !isNumeric(value[1])) {
    throw mongoError(2, "malformed mod, needs to be an array of two numbers");
  }
  const d = Math.trunc(toNumber(value[0]));
  const r = Math.trunc(toNumber(value[1]));
  if (d === 0) throw mongoError(2, "divisor cannot be 0");
  const one = (v: unknown): boolean => isNumeric(v) && Math.trunc(toNumber(v)) % d === r;
  return (doc) => {
    const lhs = resolve(doc as Record<string, unknown>, selector, RESOLVE);
    return one(lhs) || (Array.isArray(lhs) && lhs.some(one));
  };
};

const $all: QueryOp = (selector, value, options) => {
  if (!Array.isArray(value)) throw mongoError(2, "$all needs an array");
  if (value.length === 0) return () => false;
  const preds = value.map((v): Pred => {
    if (v instanceof RegExp) return $regex(selector, v, options);
    if (typeof v === "object" && v !== null && !Array.isArray(v) && "$elemMatch" in v) {
      const elemMatch = options.context.getOperator("query" as never, "$elemMatch") as QueryOp;
      return elemMatch(selector, (v as { $elemMatch: unknown }).$elemMatch, options);
    }
    return $eq(selector, v, options);
  });
  return (doc) => preds.every((p) => p(doc));
};

const $exists: QueryOp = (selector, value) => {
  const wanted = Boolean(value);
  return (doc) => pathExists(doc, selector) === wanted;
};

/** BSON-aware replacements for mingo's leaf query operators. */
export const queryOverrides: Record<string, QueryOp> = {
  $eq,
  $exists,
  $ne,
  $in: inMatcher,
  $nin,
  $gt: rangeOp((c) => c > 0),
  $gte: rangeOp((c) => c >= 0),
  $lt: rangeOp((c) => c < 0),
  $lte: rangeOp((c) => c <= 0),
  $type,
  $regex,
  $mod,
  $all,
};

function twoArgs(
  obj: Record<string, unknown>,
  expr: unknown,
  options: Options,
  name: string,
): [unknown, unknown] {
  const args = evalExpr(obj, expr, options);
  if (!Array.isArray(args) || args.length !== 2) {
    throw mongoError(
      16020,
      `Expression ${name} takes exactly 2 arguments. ${Array.isArray(args) ? args.length : 1} were passed in.`,
    );
  }
  return [args[0], args[1]];
}

function cmpExpr(name: string, test: (c: number) => boolean): ExprOp {
  return (obj, expr, options) => {
    const [a, b] = twoArgs(obj, expr, options, name);
    return test(compareValues(a, b, collationOf(options)));
  };
}

function oneArg(obj: Record<string, unknown>, expr: unknown, options: Options): unknown {
  const v = evalExpr(obj, expr, options);
  return Array.isArray(v) && Array.isArray(expr) && expr.length === 1 ? v[0] : v;
}

const mingoToString = expressionOps.$toString as unknown as ExprOp;

/** Expression operators that mingo lacks or gets wrong for BSON values. */
export const expressionOverrides: Record<string, ExprOp> = {
  $cmp: (obj, expr, options) => {
    const [a, b] = twoArgs(obj, expr, options, "$cmp");
    return Math.sign(compareValues(a, b, collationOf(options)));
  },
  $eq: cmpExpr("$eq", (c) => c === 0),
  $ne: cmpExpr("$ne", (c) => c !== 0),
  $gt: cmpExpr("$gt", (c) => c > 0),
  $gte: cmpExpr("$gte", (c) => c >= 0),
  $lt: cmpExpr("$lt", (c) => c < 0),
  $lte: cmpExpr("$lte", (c) => c <= 0),
  $type: (obj, expr, options) => bsonTypeName(oneArg(obj, expr, options)),
  $isNumber: (obj, expr, options) => isNumeric(oneArg(obj, expr, options)),
  $toObjectId: (obj, expr, options) => {
    const v = oneArg(obj, expr, options);
    if (v === null || v === undefined) return null;
    if (v instanceof ObjectId) return v;
    if (typeof v === "string" && /^[0-9a-fA-F]{24}$/.test(v)) return ObjectId.createFromHexString(v);
    throw mongoError(241, `Failed to parse objectId '${String(v)}' in $convert with no onError value`);
  },
  $toUUID: (obj, expr, options) => {
    const v = oneArg(obj, expr, options);
    if (v === null || v === undefined) return null;
    if (v instanceof UUID) return v;
    if (v instanceof Binary && v.sub_type === 4) return v;
    if (typeof v === "string") {
      try {
        return new UUID(v);
      } catch {
        // fall through to the conversion error
      }
    }
    throw mongoError(241, `Failed to parse UUID '${String(v)}' in $convert with no onError value`);
  },
  $toString: (obj, expr, options) => {
    const v = oneArg(obj, expr, options);
    if (v instanceof ObjectId) return v.toHexString();
    if (v instanceof Long || v instanceof Decimal128) return v.toString();
    if (v instanceof UUID) return v.toHexString(true);
    return mingoToString(obj, expr, options);
  },
  $tsSecond: (obj, expr, options) => {
    const v = oneArg(obj, expr, options) as { high?: number } | null;
    return v && typeof v.high === "number" ? v.high >>> 0 : null;
  },
  $tsIncrement: (obj, expr, options) => {
    const v = oneArg(obj, expr, options) as { low?: number } | null;
    return v && typeof v.low === "number" ? v.low >>> 0 : null;
  },
  $binarySize: (obj, expr, options) => {
    const v = oneArg(obj, expr, options);
    if (v === null || v === undefined) return null;
    if (typeof v === "string") return Buffer.byteLength(v, "utf8");
    if (v instanceof Binary) return v.position;
    throw mongoError(2, "$binarySize requires a string or BinData argument");
  },
};

/** Context shared by filters, projections and updates (no stage overrides). */
export const baseContext: Context = Context.init({
  accumulator: accumulatorOps as never,
  expression: { ...expressionOps, ...expressionOverrides } as never,
  pipeline: pipelineOps as never,
  projection: projectionOps as never,
  query: { ...queryOps, ...queryOverrides } as never,
  window: windowOps as never,
});

/** Base mingo options (no server-side JS, strict mode). */
export function mingoOptions(extra: {
  collation?: Collation;
  variables?: Record<string, unknown>;
  context?: Context;
}): Partial<Options> {
  const c = effectiveCollation(extra.collation);
  return {
    context: extra.context ?? baseContext,
    scriptEnabled: false,
    useStrictMode: true,
    ...(c ? { collation: c as never } : {}),
    ...(extra.variables ? { variables: extra.variables } : {}),
  };
}

/** Runs `fn`, turning mingo's own errors into MongoErrors (code 168 for unknown expressions, else 2). */
export function withMingoErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw translateError(err);
  }
}

/** Maps a mingo (or other non-Mongo) error to the MongoError the server reports. */
export function translateError(err: unknown): unknown {
  if (err instanceof MongoError) return err;
  if (err instanceof MingoError || err instanceof Error) {
    const m = /accumulator '(\$\w+)' is not registered/.exec(err.message);
    if (m) return mongoError(168, `Invalid $project :: caused by :: Unrecognized expression '${m[1]}'`);
    return mongoError(2, err.message);
  }
  return err;
}
