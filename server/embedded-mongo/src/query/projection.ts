/** find/findAndModify projections: plain include/exclude natively (document order kept), operators via mingo. */
import { Query } from "mingo/query";
import { mongoError, notImplemented } from "../errors.ts";
import type { Document } from "../types.ts";
import { normalizeElemMatch, normalizeQuery } from "./filter.ts";
import { mingoOptions, translateError } from "./mingo-context.ts";
import { isPlainObject } from "./paths.ts";

type Tree = { [field: string]: Tree | true };

const PROJECTION_OPS = new Set(["$slice", "$elemMatch", "$meta"]);

interface Analysis {
  mode: "include" | "exclude" | undefined;
  excludeId: boolean;
  includeId: boolean;
  paths: string[];
  needsMingo: boolean;
}

function isFalsy(v: unknown): boolean {
  return v === false || v === 0;
}

function isTruthyFlag(v: unknown): boolean {
  return v === true || (typeof v === "number" && v !== 0);
}

/** Flattens the spec into dotted paths and checks the inclusion/exclusion mix (31254). */
function analyze(spec: Document, prefix: string, a: Analysis): void {
  const keys = Object.keys(spec);
  if (keys.length === 0) throw mongoError(2, `An empty sub-projection is not a valid value. Found empty object at path ${prefix}`);
  for (const key of keys) {
    if (key.startsWith("$") && prefix === "") throw mongoError(2, `FieldPath field names may not start with '$'. Given '${key}'`);
    const path = prefix ? `${prefix}.${key}` : key;
    const v = spec[key];
    if (path === "_id" && (isFalsy(v) || isTruthyFlag(v))) {
      if (isFalsy(v)) a.excludeId = true;
      else a.includeId = true;
      continue;
    }
    let kind: "include" | "exclude" | undefined;
    if (isFalsy(v)) kind = "exclude";
    else if (isTruthyFlag(v)) kind = "include";
    else if (isPlainObject(v)) {
      const first = Object.keys(v)[0];
      if (first === undefined || !first.startsWith("$")) {
        analyze(v, path, a);
        continue;
      }
      a.needsMingo = true;
      if (first === "$meta") {
        if (v.$meta === "textScore") throw notImplemented("$meta textScore projection");
        throw notImplemented(`$meta ${String(v.$meta)} projection`);
      }
      if (first === "$elemMatch") {
        if (path.includes(".")) throw mongoError(2, "Cannot use $elemMatch projection on a nested field.");
        spec[key] = { $elemMatch: normalizeElemMatch(v.$elemMatch).$elemMatch };
      }
      if (first === "$slice") {
        const s = v.$slice;
        if (Array.isArray(s) && (s.length !== 2 || typeof s[1] !== "number" || s[1] <= 0)) {
          throw mongoError(2, "$slice limit must be positive");
        }
      }
      if (!PROJECTION_OPS.has(first)) kind = "include";
    } else {
      a.needsMingo = true;
      kind = "include";
    }
    if (path.endsWith(".$")) a.needsMingo = true;
    if (kind === undefined) continue;
    if (a.mode !== undefined && a.mode !== kind) {
      throw mongoError(
        31254,
        a.mode === "include"
          ? `Cannot do exclusion on field ${path} in inclusion projection`
          : `Cannot do inclusion on field ${path} in exclusion projection`,
      );
    }
    a.mode = kind;
    a.paths.push(path);
  }
}

function buildTree(paths: string[]): Tree {
  const root: Tree = {};
  for (const p of paths) {
    const parts = p.split(".");
    let node = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      if (i === parts.length - 1) node[part] = true;
      else {
        const next = node[part];
        if (next === true) break;
        if (next === undefined) node[part] = {};
        node = node[part] as Tree;
      }
    }
  }
  return root;
}

function includeTree(v: unknown, tree: Tree): unknown {
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const e of v) if (isPlainObject(e) || Array.isArray(e)) out.push(includeTree(e, tree));
    return out;
  }
  const src = v as Record<string, unknown>;
  const out: Document = {};
  for (const k of Object.keys(src)) {
    const t = tree[k];
    if (t === undefined) continue;
    const val = src[k];
    if (t === true) out[k] = val;
    else if (isPlainObject(val) || Array.isArray(val)) out[k] = includeTree(val, t);
  }
  return out;
}

function excludeTree(v: unknown, tree: Tree): unknown {
  if (Array.isArray(v)) return v.map((e) => (isPlainObject(e) || Array.isArray(e) ? excludeTree(e, tree) : e));
  const src = v as Record<string, unknown>;
  const out: Document = {};
  for (const k of Object.keys(src)) {
    const t = tree[k];
    const val = src[k];
    if (t === true) continue;
    out[k] = t !== undefined && (isPlainObject(val) || Array.isArray(val)) ? excludeTree(val, t) : val;
  }
  return out;
}

/** Copies plain objects and arrays so mingo's in-place edits never reach the stored document. */
function structuralClone(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(structuralClone);
  if (isPlainObject(v)) {
    const out: Document = {};
    for (const k of Object.keys(v)) out[k] = structuralClone(v[k]);
    return out;
  }
  return v;
}

/** Puts fields back in the source document's order (mingo sorts them), `_id` first. */
function reorder(result: Document, source: Document): Document {
  const out: Document = {};
  for (const k of Object.keys(source)) if (k in result) out[k] = result[k];
  for (const k of Object.keys(result)) if (!(k in out)) out[k] = result[k];
  return out;
}

/** Compiles a find-style projection (null when it keeps the whole document); never mutates its input. */
export function compileProjection(
  spec: Document | undefined,
  opts?: { filter?: Document; variables?: Document },
): ((doc: Document) => Document) | null {
  if (!spec || Object.keys(spec).length === 0) return null;
  if (!isPlainObject(spec)) throw mongoError(2, "projection must be an object");
  const own: Document = structuralClone(spec) as Document;
  const a: Analysis = { mode: undefined, excludeId: false, includeId: false, paths: [], needsMingo: false };
  analyze(own, "", a);
  if (!a.needsMingo) {
    if (a.mode === "include" || (a.mode === undefined && a.includeId)) {
      const tree = buildTree(a.excludeId ? a.paths : ["_id", ...a.paths]);
      return (doc) => includeTree(doc, tree) as Document;
    }
    const tree = buildTree(a.excludeId ? ["_id", ...a.paths] : a.paths);
    return (doc) => excludeTree(doc, tree) as Document;
  }
  const positional = a.paths.some((p) => p.endsWith(".$"));
  const condition = positional ? normalizeQuery(opts?.filter) : {};
  if (positional && Object.keys(condition).length === 0) {
    throw mongoError(2, "positional operator '.$' requires a query filter on the array field");
  }
  const options = mingoOptions({ variables: opts?.variables });
  let query: Query;
  let plain: Query;
  try {
    query = new Query(condition, options);
    plain = new Query({}, options);
  } catch (err) {
    throw translateError(err);
  }
  return (doc) => {
    try {
      const input = structuralClone(doc) as Document;
      let out = query.find([input], own).all()[0] as Document | undefined;
      if (!out) out = plain.find([input], own).all()[0] as Document;
      return reorder(out, doc);
    } catch (err) {
      throw translateError(err);
    }
  };
}
