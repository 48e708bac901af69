/** find/findAndModify projections: plain include/exclude natively (document order kept), operators via mingo. */
import { Query } from "mingo/query";
import { mongoError, notImplemented } from "../errors.ts";
import type { Document } from "../types.ts";
import { isNumeric, toNumber } from "./bson-types.ts";
import { normalizeElemMatch, normalizeQuery } from "./filter.ts";
import { mingoOptions, translateError } from "./mingo-context.ts";
import { isPlainObject } from "./paths.ts";

type Tree = { [field: string]: Tree | true };

const PROJECTION_OPS = new Set(["$slice", "$elemMatch", "$meta"]);

interface SliceOp {
  container: Document;
  key: string;
  path: string;
  arg: unknown;
}

interface Analysis {
  slices: SliceOp[];
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
  if (keys.length === 0)
    throw mongoError(2, `An empty sub-projection is not a valid value. Found empty object at path ${prefix}`);
  for (const key of keys) {
    if (key.startsWith("$") && prefix === "")
      throw mongoError(2, `FieldPath field names may not start with '$'. Given '${key}'`);
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
      if (first === "$slice") {
        const arg = v.$slice;
        const ok =
          isNumeric(arg) ||
          (Array.isArray(arg) && arg.length === 2 && isNumeric(arg[0]) && isNumeric(arg[1]));
        if (!ok)
          throw mongoError(
            28724,
            "First argument to $slice must be an array, second argument must be a number",
          );
        if (Array.isArray(arg) && toNumber(arg[1]) <= 0)
          throw mongoError(28724, "$slice limit must be positive");
        a.slices.push({ container: spec, key, path, arg });
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
  if (Array.isArray(v))
    return v.map((e) => (isPlainObject(e) || Array.isArray(e) ? excludeTree(e, tree) : e));
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

function applySlice(arr: unknown[], arg: unknown): unknown[] {
  if (!Array.isArray(arg)) {
    const n = toNumber(arg);
    return n >= 0 ? arr.slice(0, n) : arr.slice(Math.max(0, arr.length + n));
  }
  const skip = toNumber(arg[0]);
  const limit = toNumber(arg[1]);
  const start = skip >= 0 ? skip : Math.max(0, arr.length + skip);
  return arr.slice(start, start + limit);
}

/** Replaces the array at the path with its slice, copying (never mutating) the objects on the way. */
function sliceAt(v: unknown, segs: string[], i: number, arg: unknown): unknown {
  if (i === segs.length) return Array.isArray(v) ? applySlice(v, arg) : v;
  if (Array.isArray(v)) return v.map((e) => (isPlainObject(e) ? sliceAt(e, segs, i, arg) : e));
  const seg = segs[i] as string;
  if (isPlainObject(v) && seg in v) return { ...v, [seg]: sliceAt(v[seg], segs, i + 1, arg) };
  return v;
}

/** Removes emptied sub-projections left behind when $slice entries are taken out of the spec. */
function pruneEmpty(spec: Document): void {
  for (const k of Object.keys(spec)) {
    const v = spec[k];
    if (isPlainObject(v) && !Object.keys(v)[0]?.startsWith("$")) {
      pruneEmpty(v);
      if (Object.keys(v).length === 0) delete spec[k];
    }
  }
}

/** Compiles a find-style projection (null when it keeps the whole document); never mutates its input. */
export function compileProjection(
  spec: Document | undefined,
  opts?: { filter?: Document; variables?: Document },
): ((doc: Document) => Document) | null {
  if (!spec || Object.keys(spec).length === 0) return null;
  if (!isPlainObject(spec)) throw mongoError(2, "projection must be an object");
  const own: Document = structuralClone(spec) as Document;
  const a: Analysis = {
    slices: [],
    mode: undefined,
    excludeId: false,
    includeId: false,
    paths: [],
    needsMingo: false,
  };
  analyze(own, "", a);
  const including = a.mode === "include" || (a.mode === undefined && a.includeId);
  for (const s of a.slices) {
    if (including) {
      s.container[s.key] = 1;
      a.paths.push(s.path);
    } else delete s.container[s.key];
  }
  pruneEmpty(own);
  const slices = a.slices.map((s) => ({ segs: s.path.split("."), arg: s.arg }));
  const withSlices = (out: Document): Document => {
    let r: unknown = out;
    for (const s of slices) r = sliceAt(r, s.segs, 0, s.arg);
    return r as Document;
  };
  if (!a.needsMingo) {
    if (including) {
      const tree = buildTree(a.excludeId ? a.paths : ["_id", ...a.paths]);
      return (doc) => withSlices(includeTree(doc, tree) as Document);
    }
    const tree = buildTree(a.excludeId ? ["_id", ...a.paths] : a.paths);
    return (doc) => withSlices(excludeTree(doc, tree) as Document);
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
      return withSlices(reorder(out, doc));
    } catch (err) {
      throw translateError(err);
    }
  };
}
