// Value matching for the unified test format ("Evaluating Matches"): root-level documents may carry extra fields,
// nested documents may not, arrays must have the same length, numbers compare across int/long/double, and the
// special $$ operators ($$exists, $$type, $$unsetOrMatches, $$matchesEntity, $$sessionLsid, $$lte,
// $$matchAsDocument, $$matchAsRoot, $$matchesHexBytes) are honoured. Also an exact mode for `outcome` data.
import {
  ABSENT,
  bsonTag,
  bsonTypeNames,
  compareNumbers,
  type Doc,
  getField,
  isDocument,
  numericValue,
  parseExtendedJson,
  presentKeys,
  show,
} from "./values.ts";

/** Lookups the $$matchesEntity and $$sessionLsid operators need. */
export interface MatchEnv {
  /** The value of a stored entity (throws when it does not exist). */
  entity(name: string): unknown;
  /** The logical session id document of a session entity (throws when it does not exist). */
  sessionLsid(name: string): unknown;
}

/** One difference between the expected and the actual value. */
export interface Mismatch {
  path: string;
  message: string;
}

/** Options of a match. */
export interface MatchOptions {
  /** Whether the top-level value is a root-level document (extra fields allowed). Default true. */
  root?: boolean;
  /** Path prefix used in messages. */
  path?: string;
  /** Entity lookups for the operators that need them. */
  env?: MatchEnv;
  /** Stop after this many mismatches (default 20). */
  limit?: number;
}

const NO_ENV: MatchEnv = {
  entity: (name) => {
    throw new Error(`no entity map to resolve $$matchesEntity ${name}`);
  },
  sessionLsid: (name) => {
    throw new Error(`no entity map to resolve $$sessionLsid ${name}`);
  },
};

interface State {
  env: MatchEnv;
  out: Mismatch[];
  limit: number;
  exact: boolean;
}

/** Matches `actual` against `expected` with the unified-format rules; returns the mismatches (empty = match). */
export function match(expected: unknown, actual: unknown, options: MatchOptions = {}): Mismatch[] {
  const state: State = { env: options.env ?? NO_ENV, out: [], limit: options.limit ?? 20, exact: false };
  matchValue(expected, actual, options.path ?? "", options.root ?? true, state);
  return state.out;
}

/**
 * Matches an iterable result (find, aggregate, listIndexes …): same length, each element matched as a root-level
 * document.
 */
export function matchDocuments(expected: unknown, actual: unknown, options: MatchOptions = {}): Mismatch[] {
  if (!Array.isArray(expected) || !Array.isArray(actual)) return match(expected, actual, options);
  const state: State = { env: options.env ?? NO_ENV, out: [], limit: options.limit ?? 20, exact: false };
  const path = options.path ?? "";
  if (expected.length !== actual.length) {
    fail(state, path, `expected ${expected.length} documents, got ${actual.length}: ${show(actual)}`);
  }
  const n = Math.min(expected.length, actual.length);
  for (let i = 0; i < n; i++) matchValue(expected[i], actual[i], `${path}[${i}]`, true, state);
  return state.out;
}

/**
 * Exact comparison (used for `outcome` collection data): no operators, no extra fields anywhere, key order ignored,
 * numbers compared across int/long/double.
 */
export function matchExact(expected: unknown, actual: unknown, options: MatchOptions = {}): Mismatch[] {
  const state: State = { env: options.env ?? NO_ENV, out: [], limit: options.limit ?? 20, exact: true };
  matchValue(expected, actual, options.path ?? "", false, state);
  return state.out;
}

/** Formats mismatches one per line. */
export function formatMismatches(mismatches: Mismatch[]): string {
  return mismatches.map((m) => `${m.path || "<root>"}: ${m.message}`).join("\n");
}

/** True when `value` is a document whose first and only key starts with "$$". */
export function isSpecialOperator(value: unknown): value is Doc {
  if (!isDocument(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0]!.startsWith("$$");
}

function fail(state: State, path: string, message: string): void {
  if (state.out.length < state.limit) state.out.push({ path, message });
}

function join(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

function asDocumentLike(value: unknown): object | undefined {
  if (value instanceof Map) {
    const doc: Doc = {};
    for (const [k, v] of value) doc[String(k)] = v;
    return doc;
  }
  return isDocument(value) ? value : undefined;
}

function matchValue(expected: unknown, actual: unknown, path: string, root: boolean, state: State): void {
  if (state.out.length >= state.limit) return;
  if (!state.exact && isSpecialOperator(expected)) {
    const [op, arg] = Object.entries(expected)[0]!;
    applyOperator(op, arg, actual, path, root, state);
    return;
  }
  if (actual === ABSENT) {
    fail(state, path, `expected ${show(expected)}, but the field is absent`);
    return;
  }
  if (isDocument(expected)) {
    const doc = asDocumentLike(actual);
    if (doc === undefined) {
      fail(state, path, `expected a document ${show(expected)}, got ${show(actual)}`);
      return;
    }
    const expectedKeys = Object.keys(expected);
    for (const key of expectedKeys) {
      matchValue(expected[key], getField(doc, key), join(path, key), false, state);
    }
    if (!root) {
      const extra = presentKeys(doc).filter((k) => !expectedKeys.includes(k));
      if (extra.length > 0) {
        fail(state, path, `unexpected field(s) ${extra.join(", ")} in ${show(actual)}`);
      }
    }
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) {
      fail(state, path, `expected an array ${show(expected)}, got ${show(actual)}`);
      return;
    }
    if (expected.length !== actual.length) {
      fail(
        state,
        path,
        `expected ${expected.length} elements ${show(expected)}, got ${actual.length} ${show(actual)}`,
      );
      return;
    }
    for (let i = 0; i < expected.length; i++) matchValue(expected[i], actual[i], join(path, i), false, state);
    return;
  }
  const problem = scalarDifference(expected, actual);
  if (problem !== undefined) fail(state, path, problem);
}

function applyOperator(
  op: string,
  arg: unknown,
  actual: unknown,
  path: string,
  root: boolean,
  state: State,
): void {
  switch (op) {
    case "$$exists": {
      const present = actual !== ABSENT;
      if (present !== Boolean(arg)) {
        fail(state, path, arg ? "expected the field to exist" : `expected no field, got ${show(actual)}`);
      }
      return;
    }
    case "$$unsetOrMatches":
      if (actual !== ABSENT) matchValue(arg, actual, path, root, state);
      return;
    case "$$type": {
      const wanted = (Array.isArray(arg) ? arg : [arg]).map(String);
      if (actual === ABSENT) {
        fail(state, path, `expected a value of type ${wanted.join("|")}, but the field is absent`);
        return;
      }
      const names = bsonTypeNames(actual);
      const numeric = names.some((n) => ["int", "long", "double", "decimal"].includes(n));
      const ok = wanted.some((w) => names.includes(w) || (w === "number" && numeric));
      if (!ok) fail(state, path, `expected type ${wanted.join("|")}, got ${names[0]} ${show(actual)}`);
      return;
    }
    case "$$matchesEntity": {
      const value = state.env.entity(String(arg));
      matchValue(value, actual, path, root, state);
      return;
    }
    case "$$sessionLsid": {
      const lsid = state.env.sessionLsid(String(arg));
      if (actual === ABSENT) {
        fail(state, path, `expected the lsid of ${String(arg)}, but the field is absent`);
        return;
      }
      const sub: State = { ...state, out: [], exact: true };
      matchValue(lsid, actual, path, false, sub);
      if (sub.out.length > 0)
        fail(state, path, `expected lsid of ${String(arg)} ${show(lsid)}, got ${show(actual)}`);
      return;
    }
    case "$$lte": {
      const limit = numericValue(arg);
      const value = actual === ABSENT ? undefined : numericValue(actual);
      if (limit === undefined) throw new Error(`$$lte needs a number, got ${show(arg)}`);
      if (value === undefined || !(compareNumbers(value, limit) <= 0)) {
        fail(state, path, `expected a number <= ${show(arg)}, got ${show(actual)}`);
      }
      return;
    }
    case "$$matchAsDocument": {
      if (typeof actual !== "string") {
        fail(state, path, `expected an Extended JSON string, got ${show(actual)}`);
        return;
      }
      let parsed: unknown;
      try {
        parsed = parseExtendedJson(actual);
      } catch (error) {
        fail(state, path, `cannot parse ${JSON.stringify(actual)} as Extended JSON: ${String(error)}`);
        return;
      }
      matchValue(arg, parsed, path, false, state);
      return;
    }
    case "$$matchAsRoot":
      matchValue(arg, actual, path, true, state);
      return;
    case "$$matchesHexBytes": {
      const expectedHex = String(arg).toLowerCase();
      if (!/^([0-9a-f]{2})*$/.test(expectedHex))
        throw new Error(`malformed $$matchesHexBytes ${String(arg)}`);
      const bytes = bytesOf(actual);
      const actualHex = bytes ? Buffer.from(bytes).toString("hex") : undefined;
      if (actualHex !== expectedHex) fail(state, path, `expected bytes ${expectedHex}, got ${show(actual)}`);
      return;
    }
    default:
      throw new Error(`unsupported special operator ${op}`);
  }
}

function bytesOf(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (typeof value === "string") return Buffer.from(value, "latin1");
  if (bsonTag(value) === "Binary") return (value as { buffer: Uint8Array }).buffer;
  return undefined;
}

function regexParts(value: unknown): { pattern: string; flags: string } | undefined {
  if (value instanceof RegExp) return { pattern: value.source, flags: [...value.flags].sort().join("") };
  if (bsonTag(value) === "BSONRegExp") {
    const r = value as { pattern: string; options: string };
    return { pattern: r.pattern, flags: [...r.options].sort().join("") };
  }
  return undefined;
}

/** Describes why two non-container values differ, or undefined when they are equal. */
function scalarDifference(expected: unknown, actual: unknown): string | undefined {
  const mismatch = () => `expected ${show(expected)}, got ${show(actual)}`;
  const expectedTag = bsonTag(expected);
  if (expectedTag === "Decimal128" || bsonTag(actual) === "Decimal128") {
    const same =
      expectedTag === bsonTag(actual) && (expected as object).toString() === (actual as object).toString();
    return same ? undefined : mismatch();
  }
  const expectedNumber = numericValue(expected);
  if (expectedNumber !== undefined) {
    const actualNumber = numericValue(actual);
    if (actualNumber === undefined) return mismatch();
    return compareNumbers(expectedNumber, actualNumber) === 0 ? undefined : mismatch();
  }
  if (expected === null || typeof expected !== "object") {
    return Object.is(expected, actual) ? undefined : mismatch();
  }
  if (expected instanceof Date) {
    return actual instanceof Date && actual.getTime() === expected.getTime() ? undefined : mismatch();
  }
  const expectedRegex = regexParts(expected);
  if (expectedRegex) {
    const actualRegex = regexParts(actual);
    const same =
      actualRegex !== undefined &&
      actualRegex.pattern === expectedRegex.pattern &&
      actualRegex.flags === expectedRegex.flags;
    return same ? undefined : mismatch();
  }
  if (expectedTag === "Binary" || expected instanceof Uint8Array) {
    const a = bytesOf(expected);
    const b = typeof actual === "string" ? undefined : bytesOf(actual);
    const subtype = (v: unknown) => (bsonTag(v) === "Binary" ? (v as { sub_type: number }).sub_type : 0);
    const same =
      a !== undefined && b !== undefined && subtype(expected) === subtype(actual) && Buffer.from(a).equals(b);
    return same ? undefined : mismatch();
  }
  if (expectedTag === "ObjectId") {
    const same =
      bsonTag(actual) === "ObjectId" &&
      (expected as { toHexString(): string }).toHexString() ===
        (actual as { toHexString(): string }).toHexString();
    return same ? undefined : mismatch();
  }
  if (expectedTag !== undefined) {
    // Timestamp, MinKey, MaxKey, Code, Symbol …: same tag and the same canonical Extended JSON.
    if (bsonTag(actual) !== expectedTag) return mismatch();
    return canonical(expected) === canonical(actual) ? undefined : mismatch();
  }
  return mismatch();
}

function canonical(value: unknown): string {
  const doc: Doc = { v: value };
  try {
    return JSON.stringify(sortKeys(JSON.parse(show({ ...doc }))));
  } catch {
    return String(value);
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === "object" && value !== null) {
    const out: Doc = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Doc)[key]);
    return out;
  }
  return value;
}
