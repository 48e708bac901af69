/** Index key extraction (§6.9): multikey expansion, parallel-array check, sparse, dup-key formatting. */
import { mongoError, notImplemented } from "../errors.ts";
import type { Collation, Document } from "../types.ts";
import { formatValue } from "./format.ts";
import { canonicalKey } from "./keys.ts";
import { EMPTY_ARRAY, pathValues } from "./paths.ts";

function checkKeyType(field: string, dir: unknown): void {
  if (typeof dir === "number" || (typeof dir === "object" && dir !== null)) return;
  if (dir === "text") throw notImplemented("text indexes");
  if (dir === "2dsphere" || dir === "2d" || dir === "geoHaystack") throw notImplemented(`${dir} indexes`);
  if (dir === "hashed") throw notImplemented("hashed indexes");
  throw mongoError(67, `Unknown index plugin '${String(dir)}' on field ${field}`);
}

function valueKey(v: unknown, collation: Collation | undefined): string {
  return v === EMPTY_ARRAY ? "u" : canonicalKey(v, collation);
}

function lastSegment(path: string): string {
  const i = path.lastIndexOf(".");
  return i === -1 ? path : path.slice(i + 1);
}

/** True when two array prefixes are different arrays (neither contains the other). */
function parallel(a: string, b: string): boolean {
  return !(a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`) || a === "" || b === "");
}

/** Distinct canonical key tuples this document contributes to an index (null when sparse skips it). */
export function indexKeysFor(
  doc: Document,
  key: Document,
  opts?: { sparse?: boolean; collation?: Collation },
): string[] | null {
  const fields = Object.keys(key);
  for (const f of fields) checkKeyType(f, key[f]);
  const collation = opts?.collation;
  if (fields.length === 1) {
    const f = fields[0] as string;
    const { values } = pathValues(doc, f);
    if (opts?.sparse && !hasField(doc, f)) return null;
    return [...new Set(values.map((v) => valueKey(v, collation)))];
  }
  const perField: string[][] = [];
  let arrayField: { field: string; prefix: string } | undefined;
  let present = false;
  for (const f of fields) {
    const { values, arrays } = pathValues(doc, f, true);
    if (hasField(doc, f)) present = true;
    for (const prefix of arrays) {
      if (arrayField && arrayField.field !== f && parallel(arrayField.prefix, prefix)) {
        throw mongoError(
          171,
          `cannot index parallel arrays [${lastSegment(prefix)}] [${lastSegment(arrayField.prefix)}]`,
        );
      }
      arrayField ??= { field: f, prefix };
    }
    perField.push([...new Set(values.map((v) => valueKey(v, collation)))]);
  }
  if (opts?.sparse && !present) return null;
  let tuples = [""];
  for (const keys of perField) {
    const next: string[] = [];
    for (const t of tuples) for (const k of keys) next.push(`${t}${k.length}:${k}`);
    tuples = next;
  }
  return [...new Set(tuples)];
}

/** True when some value exists at the path (null counts as present, as MongoDB sparse indexes treat it). */
function hasField(doc: Document, path: string): boolean {
  let cur: unknown[] = [doc];
  for (const seg of path.split(".")) {
    const next: unknown[] = [];
    for (const c of cur) {
      if (Array.isArray(c)) {
        if (/^\d+$/.test(seg) && c[Number(seg)] !== undefined) next.push(c[Number(seg)]);
        for (const e of c)
          if (typeof e === "object" && e !== null && !Array.isArray(e) && seg in e)
            next.push((e as Document)[seg]);
      } else if (typeof c === "object" && c !== null && seg in c) next.push((c as Document)[seg]);
    }
    if (next.length === 0) return false;
    cur = next;
  }
  return true;
}

/** `{field: value}` for the E11000 keyValue (the first value for multikey fields, null when missing). */
export function keyValueFor(doc: Document, key: Document): Document {
  const out: Document = {};
  for (const f of Object.keys(key)) {
    const { values } = pathValues(doc, f);
    const v = values[0];
    out[f] = v === EMPTY_ARRAY ? undefined : (v ?? null);
  }
  return out;
}

/** Shell-style rendering used after "dup key: ", e.g. `{ name: "x" }`. */
export function formatDupKey(keyValue: Document): string {
  const keys = Object.keys(keyValue);
  if (keys.length === 0) return "{}";
  return `{ ${keys.map((k) => `${k}: ${formatValue(keyValue[k])}`).join(", ")} }`;
}
