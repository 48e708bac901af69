/** Query filters: validation and BSON preprocessing in front of mingo's Query with BSON-aware operators. */
import { Query } from "mingo/query";
import { mongoError, notImplemented } from "../errors.ts";
import type { Collation, Document } from "../types.ts";
import { mingoOptions, translateError, withMingoErrors } from "./mingo-context.ts";
import { isPlainObject } from "./paths.ts";
import { convertRegexesDeep, isBsonRegExp, makeRegExp, toRegExp } from "./regex.ts";

/** A compiled filter plus the equality constraints an index planner may use. */
export interface CompiledFilter {
  test(doc: Document): boolean;
  /** Top-level equality or $in constraints usable by a hash-index planner: path -> list of candidate values (one value for equality; the $in list). Only include a path when every matching document MUST have one of these values at that path (so implicit $and, {$eq}, {$in} without regex; not inside $or/$nor/$not). */
  equalities: Map<string, unknown[]>;
}

const GEO_OPERATORS = new Set([
  "$near",
  "$nearSphere",
  "$geoWithin",
  "$geoIntersects",
  "$within",
  "$box",
  "$center",
  "$centerSphere",
  "$polygon",
  "$geometry",
  "$maxDistance",
  "$minDistance",
]);

const PASS_THROUGH = new Set([
  "$eq",
  "$ne",
  "$gt",
  "$gte",
  "$lt",
  "$lte",
  "$exists",
  "$type",
  "$size",
  "$mod",
  "$bitsAllSet",
  "$bitsAllClear",
  "$bitsAnySet",
  "$bitsAnyClear",
]);

const LOGICAL = new Set(["$and", "$or", "$nor"]);

/** Values an index can look up exactly: not null/missing (which also match absent fields), not arrays or regexes. */
function indexable(v: unknown): boolean {
  return v !== null && v !== undefined && !Array.isArray(v) && !(v instanceof RegExp) && !isBsonRegExp(v);
}

type Equalities = Map<string, unknown[]> | null;

function recordEquality(eqs: Equalities, path: string, values: unknown[]): void {
  if (eqs && !eqs.has(path)) eqs.set(path, values);
}

/** Rewrites a filter document: strips $comment, converts regexes, wraps literals in $eq, validates operators. */
function normalizeFilter(filter: unknown, eqs: Equalities, top: boolean): Document {
  if (!isPlainObject(filter)) throw mongoError(2, "query filter must be an object");
  const out: Document = {};
  for (const key of Object.keys(filter)) {
    const val = filter[key];
    if (key.startsWith("$")) {
      switch (key) {
        case "$comment":
          continue;
        case "$and":
        case "$or":
        case "$nor": {
          if (!Array.isArray(val) || val.length === 0) throw mongoError(2, `${key} must be a nonempty array`);
          out[key] = val.map((f) => {
            if (!isPlainObject(f)) throw mongoError(2, `${key} argument's entries must be objects`);
            return normalizeFilter(f, key === "$and" ? eqs : null, false);
          });
          continue;
        }
        case "$expr":
          out[key] = convertRegexesDeep(val);
          continue;
        case "$where":
          throw mongoError(2, "$where is not allowed: the embedded server has no server-side JavaScript");
        case "$text":
          throw notImplemented("$text");
        case "$jsonSchema":
          throw notImplemented("$jsonSchema");
        case "$alwaysTrue":
          out.$expr = true;
          continue;
        case "$alwaysFalse":
          out.$expr = false;
          continue;
        default:
          if (GEO_OPERATORS.has(key)) throw notImplemented(key);
          throw mongoError(2, `unknown top level operator: ${key}`);
      }
    }
    out[key] = normalizeCondition(key, val, top ? eqs : eqs);
  }
  return out;
}

function isOperatorObject(v: unknown): v is Record<string, unknown> {
  if (!isPlainObject(v)) return false;
  const first = Object.keys(v)[0];
  return first?.startsWith("$") === true;
}

/** Normalizes the condition on one field; `eqs` is null where equalities would not be necessary conditions. */
function normalizeCondition(path: string, val: unknown, eqs: Equalities): unknown {
  if (val instanceof RegExp || isBsonRegExp(val)) return { $regex: toRegExp(val) };
  if (!isOperatorObject(val)) {
    if (indexable(val)) recordEquality(eqs, path, [val]);
    return { $eq: val };
  }
  const out: Record<string, unknown> = {};
  let regexOptions: string | undefined;
  for (const op of Object.keys(val)) {
    const arg = val[op];
    if (PASS_THROUGH.has(op)) {
      if (op === "$eq" && indexable(arg)) recordEquality(eqs, path, [arg]);
      out[op] = arg;
      continue;
    }
    switch (op) {
      case "$in":
      case "$nin": {
        if (!Array.isArray(arg)) throw mongoError(2, `${op} needs an array`);
        const list = arg.map((v) => {
          if (isOperatorObject(v)) throw mongoError(2, `cannot nest $ under ${op}`);
          return toRegExp(v);
        });
        if (op === "$in" && list.every(indexable)) recordEquality(eqs, path, list);
        out[op] = list;
        break;
      }
      case "$regex":
        out.$regex = arg;
        break;
      case "$options":
        if (typeof arg !== "string") throw mongoError(2, "$options has to be a string");
        regexOptions = arg;
        break;
      case "$not": {
        if (arg instanceof RegExp || isBsonRegExp(arg)) out.$not = { $regex: toRegExp(arg) };
        else if (isPlainObject(arg)) {
          if (Object.keys(arg).length === 0) throw mongoError(2, "$not cannot be empty");
          if (!isOperatorObject(arg)) throw mongoError(2, "$not needs a regex or a document");
          out.$not = normalizeCondition(path, arg, null);
        } else throw mongoError(2, "$not needs a regex or a document");
        break;
      }
      case "$elemMatch": {
        if (!isPlainObject(arg)) throw mongoError(2, "$elemMatch needs an Object");
        const first = Object.keys(arg)[0];
        const asOperators = first?.startsWith("$") && !LOGICAL.has(first) && first !== "$expr";
        out.$elemMatch = asOperators
          ? normalizeCondition(path, arg, null)
          : normalizeFilter(arg, null, false);
        break;
      }
      case "$all": {
        if (!Array.isArray(arg)) throw mongoError(2, "$all needs an array");
        out.$all = arg.map((v) => {
          if (isPlainObject(v) && "$elemMatch" in v) {
            return {
              $elemMatch: (normalizeCondition(path, { $elemMatch: v.$elemMatch }, null) as Document)
                .$elemMatch,
            };
          }
          return toRegExp(v);
        });
        break;
      }
      case "$where":
        throw mongoError(2, "$where is not allowed: the embedded server has no server-side JavaScript");
      case "$text":
        throw notImplemented("$text");
      case "$comment":
        break;
      default:
        if (GEO_OPERATORS.has(op)) throw notImplemented(op);
        throw mongoError(2, `unknown operator: ${op}`);
    }
  }
  if (regexOptions !== undefined && out.$regex === undefined) throw mongoError(2, "$options needs a $regex");
  if (out.$regex !== undefined) {
    const r = out.$regex;
    if (typeof r === "string") out.$regex = makeRegExp(r, regexOptions ?? "");
    else if (r instanceof RegExp || isBsonRegExp(r)) {
      const base = toRegExp(r) as RegExp;
      out.$regex = regexOptions === undefined ? base : makeRegExp(base.source, regexOptions);
    } else throw mongoError(2, "$regex has to be a string");
  }
  return out;
}

const MATCH_ALL: CompiledFilter = { test: () => true, equalities: new Map() };

/** Validates and rewrites a filter so mingo can evaluate it with BSON semantics. */
export function normalizeQuery(filter: Document | undefined): Document {
  return filter ? normalizeFilter(filter, null, true) : {};
}

/** Compiles a MongoDB filter into a predicate plus the equality constraints a hash-index planner can use. */
export function compileFilter(
  filter: Document | undefined,
  opts?: { collation?: Collation; variables?: Document },
): CompiledFilter {
  if (!filter || Object.keys(filter).length === 0) {
    if (filter !== undefined && !isPlainObject(filter)) throw mongoError(2, "query filter must be an object");
    return { test: MATCH_ALL.test, equalities: new Map() };
  }
  const equalities = new Map<string, unknown[]>();
  const normalized = normalizeFilter(filter, equalities, true);
  if (Object.keys(normalized).length === 0) return { test: MATCH_ALL.test, equalities };
  const query = withMingoErrors(() => new Query(normalized, mingoOptions(opts ?? {})));
  return {
    test: (doc) => {
      try {
        return query.test(doc);
      } catch (err) {
        throw translateError(err);
      }
    },
    equalities,
  };
}

/** Normalizes an `$elemMatch` argument (operators on elements, or a filter on subdocuments). */
export function normalizeElemMatch(arg: unknown): Document {
  return normalizeCondition("", { $elemMatch: arg }, null) as Document;
}
