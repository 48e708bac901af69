/**
 * Update application (§6.8): replacement, pipeline and operator updates with MongoDB's validation
 * (codes 9, 14, 2, 28, 40, 66). Positional paths are resolved here so mingo only sees concrete paths.
 */
import { Long, Timestamp } from "bson";
import { Aggregator } from "mingo/aggregator";
import { update as mingoUpdate } from "mingo/updater";
import { mongoError, notImplemented } from "../errors.ts";
import type { Collation, Document } from "../types.ts";
import { bsonTag, bsonTypeName, isNumeric, toNumber } from "./bson-types.ts";
import { bsonEquals, compareValues } from "./compare.ts";
import { idFirst, validateStoredDocument } from "./documents.ts";
import { compileFilter } from "./filter.ts";
import { formatDocument, formatValue } from "./format.ts";
import { mingoOptions, translateError } from "./mingo-context.ts";
import { isPlainObject } from "./paths.ts";
import { convertRegexesDeep } from "./regex.ts";

/** Options of one update application. */
export interface UpdateOptions {
  arrayFilters?: Document[];
  query?: Document;
  isUpsertInsert: boolean;
  collation?: Collation;
  now?: Date;
  /** `let` variables for pipeline updates ($$name). */
  variables?: Document;
}

const MODIFIERS = new Set([
  "$set",
  "$unset",
  "$inc",
  "$mul",
  "$rename",
  "$min",
  "$max",
  "$currentDate",
  "$push",
  "$addToSet",
  "$pop",
  "$pull",
  "$pullAll",
  "$bit",
  "$setOnInsert",
]);

/** Operators that create missing path components (so a scalar on the way is code 28). */
const CREATES = new Set([
  "$set",
  "$setOnInsert",
  "$inc",
  "$mul",
  "$min",
  "$max",
  "$currentDate",
  "$push",
  "$addToSet",
  "$bit",
]);
const PIPELINE_STAGES = new Set(["$addFields", "$set", "$project", "$unset", "$replaceRoot", "$replaceWith"]);

interface Entry {
  op: string;
  path: string;
  arg: unknown;
}

/** True when every top-level key is an update operator (an empty document is a replacement). */
export function isOperatorUpdate(update: Document): boolean {
  const keys = Object.keys(update);
  return keys.length > 0 && keys.every((k) => k.startsWith("$"));
}

/** Deep copy of plain objects and arrays (BSON values are immutable and shared). */
export function structuralClone<T>(v: T): T {
  if (Array.isArray(v)) return v.map(structuralClone) as T;
  if (isPlainObject(v)) {
    const out: Document = {};
    for (const k of Object.keys(v)) out[k] = structuralClone(v[k]);
    return out as T;
  }
  return v;
}

/** Applies an update to a copy of `doc` and returns the validated after-image. */
export function applyUpdate(doc: Document, update: Document | Document[], opts: UpdateOptions): Document {
  if (Array.isArray(update)) return pipelineUpdate(doc, update, opts);
  const first = Object.keys(update)[0];
  if (first?.startsWith("$")) return operatorUpdate(doc, update, opts);
  return replacementUpdate(doc, update);
}

function replacementUpdate(doc: Document, repl: Document): Document {
  const out: Document = {};
  if ("_id" in doc) out._id = doc._id;
  for (const k of Object.keys(repl)) {
    if (k.startsWith("$")) {
      throw mongoError(
        52,
        `The dollar ($) prefixed field '${k}' in '${k}' is not allowed in the context of an update's replacement document. Consider using an aggregation pipeline with $replaceWith.`,
      );
    }
    if (k === "_id") {
      if ("_id" in doc && !strictEqual(repl._id, doc._id) && !bsonEquals(repl._id, doc._id)) {
        throw mongoError(
          66,
          `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${formatValue(repl._id)}`,
        );
      }
      if (!("_id" in doc)) out._id = repl._id;
      continue;
    }
    out[k] = repl[k];
  }
  validateStoredDocument(out);
  return out;
}

function pipelineUpdate(doc: Document, pipeline: Document[], opts: UpdateOptions): Document {
  for (const stage of pipeline) {
    const names = isPlainObject(stage) ? Object.keys(stage) : [];
    if (names.length !== 1)
      throw mongoError(40323, "A pipeline stage specification object must contain exactly one field.");
    const name = names[0] as string;
    if (!PIPELINE_STAGES.has(name)) {
      if (!name.startsWith("$")) throw mongoError(40324, `Unrecognized pipeline stage name: '${name}'`);
      throw mongoError(72, `${name} is not allowed to be used within an update`);
    }
  }
  let res: Document | undefined;
  try {
    const agg = new Aggregator(
      convertRegexesDeep(pipeline) as Document[],
      mingoOptions({ collation: opts.collation, variables: opts.variables }),
    );
    res = agg.run([structuralClone(doc)])[0] as Document | undefined;
  } catch (err) {
    throw translateError(err);
  }
  if (!res) throw mongoError(2, "pipeline update produced no document");
  if ("_id" in doc) {
    if (!("_id" in res)) res = { _id: doc._id, ...res };
    else if (!bsonEquals(res._id, doc._id)) {
      throw mongoError(66, "Performing an update on the path '_id' would modify the immutable field '_id'");
    }
  }
  const out = idFirst(res);
  validateStoredDocument(out);
  return out;
}

function validatePath(path: string): void {
  if (path === "") throw mongoError(56, "An empty update path is not valid.");
  for (const seg of path.split(".")) {
    if (seg === "")
      throw mongoError(56, `An update path '${path}' contains an empty field name, which is not allowed.`);
    if (seg.startsWith("$") && seg !== "$" && !/^\$\[\w*\]$/.test(seg)) {
      throw mongoError(52, `The dollar ($) prefixed field '${seg}' in '${path}' is not valid for storage.`);
    }
  }
}

function collectEntries(update: Document): Entry[] {
  const entries: Entry[] = [];
  for (const op of Object.keys(update)) {
    if (!MODIFIERS.has(op)) {
      throw mongoError(
        9,
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
    const arg = update[op];
    if (!isPlainObject(arg)) {
      throw mongoError(
        9,
        `Modifiers operate on fields but we found type ${bsonTypeName(arg)} instead. For example: {$mod: {<field>: ...}} not {${op}: ${formatValue(arg)}}`,
      );
    }
    const paths = Object.keys(arg);
    if (paths.length === 0)
      throw mongoError(9, `'${op}' is empty. You must specify a field like so: {${op}: {<field>: ...}}`);
    for (const path of paths) {
      validatePath(path);
      const value = arg[path];
      if (op === "$rename") {
        if (typeof value !== "string")
          throw mongoError(2, `The 'to' field for $rename must be a string: ${path}: ${formatValue(value)}`);
        validatePath(value);
        if (path.includes("$") || value.includes("$"))
          throw mongoError(2, `The source field for $rename may not be dynamic: ${path}`);
        if (value === path)
          throw mongoError(
            2,
            `The source and target field for $rename must differ: ${path}: ${formatValue(value)}`,
          );
      }
      entries.push({ op, path, arg: value });
    }
  }
  return entries;
}

function checkConflicts(entries: Entry[]): void {
  const paths: string[] = [];
  for (const e of entries) {
    paths.push(e.path);
    if (e.op === "$rename") paths.push(e.arg as string);
  }
  for (let i = 0; i < paths.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = paths[j] as string;
      const b = paths[i] as string;
      if (a === b || b.startsWith(`${a}.`) || a.startsWith(`${b}.`)) {
        const at = a.length <= b.length ? a : b;
        throw mongoError(40, `Updating the path '${b}' would create a conflict at '${at}'`);
      }
    }
  }
}

type ElementTest = (elem: unknown) => boolean;

function compileArrayFilters(
  filters: Document[] | undefined,
  collation: Collation | undefined,
): Map<string, ElementTest> {
  const out = new Map<string, ElementTest>();
  for (const f of filters ?? []) {
    if (!isPlainObject(f)) throw mongoError(2, "arrayFilters entries must be objects");
    let id: string | undefined;
    for (const key of Object.keys(f)) {
      const top = key.split(".")[0] as string;
      if (key.startsWith("$")) continue;
      if (id !== undefined && id !== top) {
        throw mongoError(
          9,
          `Error parsing array filter :: caused by :: Expected a single top-level field name, found '${id}' and '${top}'`,
        );
      }
      id = top;
    }
    if (id === undefined)
      throw mongoError(9, "Cannot use an expression without a top-level field name in arrayFilters");
    if (!/^[a-z][a-zA-Z0-9]*$/.test(id)) {
      throw mongoError(
        2,
        `Error parsing array filter :: caused by :: The top-level field name must be an alphanumeric string beginning with a lowercase letter, found '${id}'`,
      );
    }
    if (out.has(id))
      throw mongoError(9, `Found multiple array filters with the same top-level field name ${id}`);
    const compiled = compileFilter(f, { collation });
    const name = id;
    out.set(name, (elem) => compiled.test({ [name]: elem }));
  }
  return out;
}

function getPath(doc: unknown, segs: string[]): unknown {
  let cur = doc;
  for (const s of segs) {
    if (Array.isArray(cur)) cur = /^\d+$/.test(s) ? cur[Number(s)] : undefined;
    else if (isPlainObject(cur)) cur = cur[s];
    else return undefined;
  }
  return cur;
}

function nestUnder(path: string, value: unknown): Document {
  const segs = path.split(".");
  let v: unknown = value;
  for (let i = segs.length - 1; i >= 0; i--) v = { [segs[i] as string]: v };
  return v as Document;
}

/** Finds the index the positional `$` stands for: the first element satisfying the query's conditions on that array. */
function positionalIndex(
  doc: Document,
  arrayPath: string,
  query: Document | undefined,
  collation: Collation | undefined,
): number {
  const notFound = () =>
    mongoError(2, "The positional operator did not find the match needed from the query.");
  const arr = getPath(doc, arrayPath.split("."));
  if (!Array.isArray(arr) || !query) throw notFound();
  const conds: Document[] = [];
  const gather = (q: Document) => {
    for (const k of Object.keys(q)) {
      if (k === "$and" && Array.isArray(q.$and))
        for (const sub of q.$and) if (isPlainObject(sub)) gather(sub);
      if (k === arrayPath || k.startsWith(`${arrayPath}.`)) conds.push({ [k]: q[k] });
    }
  };
  gather(query);
  if (conds.length === 0) throw notFound();
  const f = compileFilter({ $and: conds }, { collation });
  for (let i = 0; i < arr.length; i++) if (f.test(nestUnder(arrayPath, [arr[i]]))) return i;
  throw notFound();
}

/** Expands `$`, `$[]` and `$[id]` into concrete dotted paths against the current document. */
function expandPath(
  doc: Document,
  path: string,
  filters: Map<string, ElementTest>,
  used: Set<string>,
  opts: UpdateOptions,
): string[] {
  if (!path.includes("$")) return [path];
  const segs = path.split(".");
  if (segs.filter((s) => s === "$").length > 1)
    throw mongoError(2, `Too many positional (i.e. '$') elements found in path '${path}'`);
  const out: string[] = [];
  const walk = (value: unknown, i: number, prefix: string[]): void => {
    if (i === segs.length) {
      out.push(prefix.join("."));
      return;
    }
    const seg = segs[i] as string;
    if (seg === "$") {
      const idx = positionalIndex(doc, prefix.join("."), opts.query, opts.collation);
      walk((value as unknown[])[idx], i + 1, [...prefix, String(idx)]);
      return;
    }
    if (seg.startsWith("$[")) {
      const id = seg.slice(2, -1);
      let test: ElementTest | undefined;
      if (id !== "") {
        test = filters.get(id);
        if (!test) throw mongoError(2, `No array filter found for identifier '${id}' in path '${path}'`);
        used.add(id);
      }
      if (!Array.isArray(value)) {
        if (value === undefined)
          throw mongoError(
            2,
            `The path '${prefix.join(".")}' must exist in the document in order to apply array updates.`,
          );
        throw mongoError(
          2,
          `Cannot apply array updates to non-array element ${prefix.at(-1)}: ${formatValue(value)}`,
        );
      }
      for (let j = 0; j < value.length; j++) {
        if (test && !test(value[j])) continue;
        walk(value[j], i + 1, [...prefix, String(j)]);
      }
      return;
    }
    const next = Array.isArray(value)
      ? /^\d+$/.test(seg)
        ? value[Number(seg)]
        : undefined
      : isPlainObject(value)
        ? value[seg]
        : undefined;
    walk(next, i + 1, [...prefix, seg]);
  };
  walk(doc, 0, []);
  for (const s of segs) if (s.startsWith("$[") && s.length > 3) used.add(s.slice(2, -1));
  return out;
}

function idText(doc: Document): string {
  return `{_id: ${formatValue(doc._id, true)}}`;
}

/** Walks a concrete path for type checks; returns the leaf value, or a marker when the path cannot be reached. */
function checkTraversal(doc: Document, op: string, path: string): { reachable: boolean; value: unknown } {
  const segs = path.split(".");
  let cur: unknown = doc;
  for (let i = 0; i < segs.length - 1; i++) {
    const seg = segs[i] as string;
    let next: unknown;
    if (Array.isArray(cur)) {
      if (!/^\d+$/.test(seg)) {
        if (CREATES.has(op)) {
          throw mongoError(
            28,
            `Cannot create field '${seg}' in element {${segs[i - 1] ?? ""}: ${formatValue(cur, true)}}`,
          );
        }
        return { reachable: false, value: undefined };
      }
      next = cur[Number(seg)];
    } else if (isPlainObject(cur)) next = cur[seg];
    else return { reachable: false, value: undefined };
    if (next !== undefined && !isPlainObject(next) && !Array.isArray(next)) {
      if (CREATES.has(op)) {
        throw mongoError(
          28,
          `Cannot create field '${segs[i + 1]}' in element {${seg}: ${formatValue(next, true)}}`,
        );
      }
      return { reachable: false, value: undefined };
    }
    cur = next;
    if (cur === undefined) return { reachable: true, value: undefined };
  }
  const last = segs[segs.length - 1] as string;
  if (Array.isArray(cur)) {
    if (!/^\d+$/.test(last)) {
      if (CREATES.has(op))
        throw mongoError(
          28,
          `Cannot create field '${last}' in element {${segs[segs.length - 2] ?? ""}: ${formatValue(cur, true)}}`,
        );
      return { reachable: false, value: undefined };
    }
    return { reachable: true, value: cur[Number(last)] };
  }
  return { reachable: true, value: isPlainObject(cur) ? cur[last] : undefined };
}

function arith(op: "$inc" | "$mul", cur: unknown, operand: unknown): unknown {
  if (bsonTag(cur) === "Decimal128" || bsonTag(operand) === "Decimal128")
    throw notImplemented(`${op} on Decimal128 values`);
  const base = cur === undefined ? (op === "$inc" ? 0 : 0) : cur;
  const useLong = bsonTag(base) === "Long" || bsonTag(operand) === "Long";
  if (useLong) {
    const a = toNumber(base);
    const b = toNumber(operand);
    if (Number.isInteger(a) && Number.isInteger(b)) {
      const x = bsonTag(base) === "Long" ? (base as Long) : Long.fromNumber(a);
      const y = bsonTag(operand) === "Long" ? (operand as Long) : Long.fromNumber(b);
      const r = op === "$inc" ? x.add(y) : cur === undefined ? Long.ZERO : x.multiply(y);
      const n = r.toNumber();
      return Number.isSafeInteger(n) ? n : r;
    }
  }
  const a = toNumber(base);
  const b = toNumber(operand);
  return op === "$inc" ? a + b : a * b;
}

function setPath(doc: Document, path: string, value: unknown): void {
  const segs = path.split(".");
  let cur: unknown = doc;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i] as string;
    const lastSeg = i === segs.length - 1;
    if (Array.isArray(cur)) {
      const idx = Number(seg);
      while (cur.length < idx) cur.push(null);
      if (lastSeg) cur[idx] = value;
      else {
        if (cur[idx] === undefined || cur[idx] === null) cur[idx] = {};
        cur = cur[idx];
      }
    } else {
      const o = cur as Document;
      if (lastSeg) o[seg] = value;
      else {
        if (o[seg] === undefined) o[seg] = {};
        cur = o[seg];
      }
    }
  }
}

function unsetPath(doc: Document, path: string): void {
  const segs = path.split(".");
  const parent = getPath(doc, segs.slice(0, -1));
  const last = segs[segs.length - 1] as string;
  if (Array.isArray(parent)) {
    if (/^\d+$/.test(last) && Number(last) < parent.length) parent[Number(last)] = null;
  } else if (isPlainObject(parent)) delete parent[last];
}

/** Replaces array holes (left by index assignment in mingo) with null, as MongoDB pads arrays. */
function fillHoles(v: unknown): void {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      if (v[i] === undefined) v[i] = null;
      else fillHoles(v[i]);
    }
  } else if (isPlainObject(v)) for (const k of Object.keys(v)) fillHoles(v[k]);
}

function typeCheck(doc: Document, e: Entry): unknown {
  const { reachable, value } = checkTraversal(doc, e.op, e.path);
  if (!reachable) return undefined;
  const last = e.path.split(".").pop() as string;
  switch (e.op) {
    case "$inc":
    case "$mul":
      if (!isNumeric(e.arg)) {
        const verb = e.op === "$inc" ? "increment" : "multiply";
        throw mongoError(
          14,
          `Cannot ${verb} with non-numeric argument: {${e.path}: ${formatValue(e.arg, true)}}`,
        );
      }
      if (value !== undefined && !isNumeric(value)) {
        throw mongoError(
          14,
          `Cannot apply ${e.op} to a value of non-numeric type. ${idText(doc)} has the field '${last}' of non-numeric type ${bsonTypeName(value)}`,
        );
      }
      break;
    case "$push":
    case "$addToSet":
      if (value !== undefined && !Array.isArray(value)) {
        throw mongoError(
          2,
          `The field '${last}' must be an array but is of type ${bsonTypeName(value)} in document ${idText(doc)}`,
        );
      }
      break;
    case "$pop":
      if (!isNumeric(e.arg) || Math.abs(toNumber(e.arg)) !== 1)
        throw mongoError(9, `$pop expects 1 or -1, found: ${formatValue(e.arg)}`);
      if (value !== undefined && !Array.isArray(value)) {
        throw mongoError(
          14,
          `Path '${e.path}' contains an element of non-array type '${bsonTypeName(value)}'`,
        );
      }
      break;
    case "$pull":
    case "$pullAll":
      if (e.op === "$pullAll" && !Array.isArray(e.arg))
        throw mongoError(2, `$pullAll requires an array argument but was given a ${bsonTypeName(e.arg)}`);
      if (value !== undefined && !Array.isArray(value))
        throw mongoError(2, "Cannot apply $pull to a non-array value");
      break;
    case "$bit":
      if (
        value !== undefined &&
        !(typeof value === "number" && Number.isInteger(value)) &&
        bsonTag(value) !== "Long"
      ) {
        throw mongoError(
          14,
          `Cannot apply $bit to a value of non-integral type.${idText(doc)} has the field ${last} of non-integer type ${bsonTypeName(value)}`,
        );
      }
      break;
    case "$currentDate": {
      const a = e.arg;
      const ok = a === true || (isPlainObject(a) && (a.$type === "date" || a.$type === "timestamp"));
      if (!ok && a !== false)
        throw mongoError(
          2,
          `${formatValue(a)} is not valid type for $currentDate. Please use a boolean ('true') or a $type expression ({$type: 'timestamp/date'}).`,
        );
      break;
    }
    default:
      break;
  }
  return value;
}

function operatorUpdate(doc: Document, update: Document, opts: UpdateOptions): Document {
  const entries = collectEntries(update);
  checkConflicts(entries);
  const filters = compileArrayFilters(opts.arrayFilters, opts.collation);
  const used = new Set<string>();
  const hadId = "_id" in doc;
  const now = opts.now ?? new Date();
  const clone = structuralClone(doc);
  const mingoMods: Record<string, Document> = {};
  for (const e of entries) {
    if (e.op === "$setOnInsert" && !opts.isUpsertInsert) {
      expandPath(doc, e.path, filters, used, opts);
      continue;
    }
    const op = e.op === "$setOnInsert" ? "$set" : e.op;
    if (e.path === "_id" || e.path.startsWith("_id.")) {
      if (hadId) {
        const cur = getPath(doc, e.path.split("."));
        if (op === "$set" && bsonEquals(cur, e.arg) && bsonTypeName(cur) === bsonTypeName(e.arg)) continue;
        throw mongoError(66, "Performing an update on the path '_id' would modify the immutable field '_id'");
      }
      if (op !== "$set")
        throw mongoError(66, "Performing an update on the path '_id' would modify the immutable field '_id'");
    }
    for (const path of expandPath(doc, e.path, filters, used, opts)) {
      const concrete: Entry = { op, path, arg: e.arg };
      const current = typeCheck(doc, concrete);
      switch (op) {
        case "$set":
          setPath(clone, path, structuralClone(e.arg));
          break;
        case "$unset":
          unsetPath(clone, path);
          break;
        case "$inc":
        case "$mul":
          if (checkTraversal(doc, op, path).reachable) setPath(clone, path, arith(op, current, e.arg));
          break;
        case "$min":
        case "$max": {
          const c =
            current === undefined ? (op === "$min" ? -1 : 1) : compareValues(e.arg, current, opts.collation);
          if (op === "$min" ? c < 0 : c > 0) setPath(clone, path, structuralClone(e.arg));
          break;
        }
        case "$currentDate": {
          const a = e.arg;
          const ts = isPlainObject(a) && a.$type === "timestamp";
          setPath(
            clone,
            path,
            ts ? new Timestamp({ t: Math.floor(now.getTime() / 1000), i: 1 }) : new Date(now.getTime()),
          );
          break;
        }
        default: {
          const mods = mingoMods[op] ?? {};
          mods[path] = convertRegexesDeep(e.arg);
          mingoMods[op] = mods;
        }
      }
    }
  }
  for (const id of filters.keys()) {
    if (!used.has(id)) {
      throw mongoError(
        9,
        `The array filter for identifier '${id}' was not used in the update ${formatDocument(update)}`,
      );
    }
  }
  if (Object.keys(mingoMods).length > 0) {
    try {
      mingoUpdate(clone, mingoMods as never, [], undefined, {
        cloneMode: "copy",
        queryOptions: mingoOptions({ collation: opts.collation }),
      });
    } catch (err) {
      throw translateError(err);
    }
    fillHoles(clone);
  }
  if (hadId && !bsonEquals(clone._id, doc._id)) {
    throw mongoError(66, "Performing an update on the path '_id' would modify the immutable field '_id'");
  }
  const out = idFirst(clone);
  validateStoredDocument(out);
  return out;
}

/** Strict BSON equality including field order and numeric representation, for deciding nModified. */
export function documentsEqual(a: Document, b: Document): boolean {
  return strictEqual(a, b);
}

function strictEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b) return false;
  if (typeof a === "number") return Number.isNaN(a) && Number.isNaN(b as number) ? true : Object.is(a, b);
  if (typeof a !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!strictEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    for (let i = 0; i < ka.length; i++) {
      const k = ka[i] as string;
      if (k !== kb[i] || !strictEqual(a[k], b[k])) return false;
    }
    return true;
  }
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  const ta = a instanceof RegExp ? "RegExp" : bsonTag(a);
  const tb = b instanceof RegExp ? "RegExp" : bsonTag(b);
  return ta === tb && compareValues(a, b) === 0;
}
