/**
 * fast-check arbitraries built from zod 4 schemas, for fuzzing the API from its own input schemas
 * (`zod-fast-check` does not support zod 4).
 *
 * The schema is first turned into JSON Schema with `z.toJSONSchema(schema, { io: "input" })`, zod's
 * public description of what a schema accepts, and the arbitraries are built from that:
 * - `validValue` draws values the JSON Schema accepts (required keys always, optional keys sometimes,
 *   strings of visible characters without surrounding blanks, numbers in range, enum members…);
 * - `invalidValue` draws values the JSON Schema refuses, one defect at a time: a wrong JSON type (a
 *   string where a number belongs, an array or an operator object such as `{"$ne": null}` where a
 *   string belongs, an array where an object belongs), a missing required key, a string that is too
 *   short, too long (up to a few MB of filler) or does not match its pattern (also by a trailing
 *   newline), an unknown enum value, a number out of range (up to ±1e308) or not an integer, an
 *   array too short, too long or with one bad element, a bad record key or value. Objects at any
 *   depth may also carry hostile extra keys (`__proto__`, `constructor`, `$where`, dotted keys) with
 *   operator values, which never make an invalid object valid.
 *
 * JSON Schema cannot say everything zod checks: refinements, `.trim()`, `z.coerce`, a case-insensitive
 * pattern. So the raw generators are exact only for schemas JSON Schema describes exactly (the unit
 * test proves that on such schemas), and approximate otherwise. The schema-level helpers settle it
 * with zod itself: `invalidInput` draws from `invalidValue` and, one time in five, from `validValue`
 * (which reaches the refinements JSON Schema cannot express), and keeps only values the zod schema
 * refuses *as the server sees them* (after the JSON or query-string round trip); `validInput` is best
 * effort — use it for "may be valid" fuzzing, never as proof that a value is valid.
 *
 * Two modes: `json` for request bodies (any JSON value) and `query` for query strings and path
 * parameters, where every leaf becomes a string and an array becomes a repeated key.
 */
import { parse as parseQueryString } from "node:querystring";
import fc from "fast-check";
import { z } from "zod";

/** The subset of JSON Schema that `z.toJSONSchema` emits for input schemas and this module reads. */
export interface JsonSchema {
  type?: JsonType | JsonType[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  default?: unknown;
}

/** A JSON Schema type name. */
export type JsonType = "string" | "number" | "integer" | "boolean" | "null" | "array" | "object";

/** Where a value travels: a JSON body, or a query string / path (every leaf a string). */
export type InputMode = "json" | "query";

/** A query string as Node's parser hands it to Koa: repeated keys become arrays. */
export type QueryRecord = Record<string, string | string[]>;

/** Keys that try prototype pollution, MongoDB operators and dotted paths. */
export const hostileKeys = [
  "__proto__",
  "constructor",
  "prototype",
  "$where",
  "$ne",
  "$gt",
  "$regex",
  "$expr",
  "a.b",
  "$",
] as const;

/** The same ideas in query-string form (`?state[$ne]=x`), as a bracket-parsing framework would read them. */
export const hostileQueryKeys = [
  "state[$ne]",
  "q[$regex]",
  "agencyId[$gt]",
  "$where",
  "__proto__",
  "constructor",
  "a.b",
  "limit[]",
] as const;

/** Strings that break naive parsers, regexes, templates and terminals, plus unicode edge cases. */
export const hostileStrings = [
  "",
  " ",
  "\u3000",
  "\u0000",
  "a\u0000b",
  "\uFEFF",
  "\u202Efdp.exe",
  "\u200B",
  "e\u0301",
  "𠮷",
  "\uD800",
  "NaN",
  "Infinity",
  "-Infinity",
  "1e309",
  "0x1F",
  "１２",
  "null",
  "undefined",
  "true",
  ".*",
  "^",
  "(a+)+$",
  "[",
  "<script>alert(1)</script>",
  "{{7*7}}",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal template-injection probe, not a template.
  "${7*7}",
  "'; DROP TABLE requests; --",
  "../../etc/passwd",
  "%00",
  "__proto__",
  "constructor",
  "$ne",
] as const;

/** Values that smuggle MongoDB operators or prototype changes. */
export const hostileValues: readonly unknown[] = [
  { $ne: null },
  { $gt: "" },
  { $regex: ".*" },
  { $where: "sleep(100) || true" },
  Object.fromEntries([["__proto__", { polluted: true }]]),
  { constructor: { prototype: { polluted: true } } },
  [{ $ne: 1 }],
];

/**
 * The JSON Schema of a zod schema's input.
 * @param schema any zod 4 schema.
 */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
}

/**
 * Values the zod schema may accept, as the server would receive them (best effort, see the module doc).
 * @param mode `json` for bodies, `query` for query strings and path parameters.
 */
export function validInput(schema: z.ZodType, mode: InputMode = "json"): fc.Arbitrary<unknown> {
  return validValue(jsonSchemaOf(schema), mode);
}

/**
 * Values the zod schema refuses, checked with `schema.safeParse` on what the server would see; undefined
 * when the schema accepts everything (nothing can be invalid).
 * @param seenAs how the server will see the value; defaults to the JSON or query-string round trip.
 */
export function invalidInput(
  schema: z.ZodType,
  mode: InputMode = "json",
  seenAs: (value: unknown) => unknown = (value) => serverView(value, mode),
): fc.Arbitrary<unknown> | undefined {
  const json = jsonSchemaOf(schema);
  const raw = invalidValue(json, mode);
  if (!raw) return undefined;
  // Values JSON Schema accepts still meet what it cannot say (a 2 月 30 日, a wrong ID checksum).
  const nearValid = validValue(json, mode);
  return fc
    .oneof({ arbitrary: raw, weight: 4 }, { arbitrary: nearValid, weight: 1 })
    .filter((value) => !schema.safeParse(seenAs(value)).success);
}

/**
 * What the server parses out of `value`: `JSON.parse(JSON.stringify(value))` for bodies, Node's
 * query-string parser applied to `toQueryString(value)` for queries.
 */
export function serverView(value: unknown, mode: InputMode): unknown {
  if (mode === "json") return JSON.parse(JSON.stringify(value) ?? "null");
  return parseQueryString(toQueryString(value as QueryRecord));
}

/** `a=1&b=x&b=y` for a query record (arrays as repeated keys), percent-encoded. */
export function toQueryString(record: QueryRecord): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(record)) {
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, item);
  }
  return search.toString();
}

/**
 * Values the JSON Schema accepts.
 * @param mode `query` turns the top-level object's leaves into strings.
 */
export function validValue(schema: JsonSchema, mode: InputMode = "json"): fc.Arbitrary<unknown> {
  const arbitrary = valid(schema);
  return mode === "json" ? arbitrary : arbitrary.map(toQueryRecord);
}

/**
 * Values the JSON Schema refuses (exact for one schema, see the module doc); undefined when the
 * schema accepts every value of the mode.
 * @param mode in `query` mode the top level is always an object whose leaves are strings.
 */
export function invalidValue(
  schema: JsonSchema,
  mode: InputMode = "json",
): fc.Arbitrary<unknown> | undefined {
  if (mode === "json") return invalid(schema);
  const variants = invalidObjectParts(schema, { hostile: false });
  if (variants.length === 0) return undefined;
  const withKeys = fc.tuple(
    fc.oneof(...variants),
    fc.option(fc.array(fc.tuple(fc.constantFrom(...hostileQueryKeys), queryLeafText), { maxLength: 2 }), {
      freq: 3,
    }),
  );
  return withKeys
    .map(([value, extra]) => {
      const record = toQueryRecord(value);
      return extra ? { ...record, ...Object.fromEntries(extra) } : record;
    })
    .filter((record) => toQueryString(record).length <= MAX_QUERY_LENGTH);
}

/** Longer query strings meet Node's 16 KB header limit (431, before the app) instead of the schema. */
const MAX_QUERY_LENGTH = 8000;

/** Random JSON of any shape, salted with hostile keys, strings and operator values. */
export function anyJson(maxDepth = 3): fc.Arbitrary<unknown> {
  const key = fc.oneof(fc.constantFrom(...hostileKeys), fc.string({ maxLength: 8 }));
  const leaf = fc.oneof(
    fc.constantFrom(...hostileStrings),
    fc.string({ maxLength: 12 }),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(0, -1, 1e308, -1e308, 2 ** 53 + 2, 1e-300),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom(...hostileValues),
  );
  const { value } = fc.letrec<{ value: unknown; array: unknown[]; object: Record<string, unknown> }>(
    (tie) => ({
      value: fc.oneof({ maxDepth, depthIdentifier: "anyJson" }, leaf, tie("array"), tie("object")),
      array: fc.array(tie("value"), { maxLength: 4, depthIdentifier: "anyJson" }),
      object: fc
        .array(fc.tuple(key, tie("value")), { maxLength: 4, depthIdentifier: "anyJson" })
        .map((entries) => Object.fromEntries(entries)),
    }),
  );
  return value;
}

// ——— valid values ———

/** Visible characters: ASCII letters and digits, a little punctuation and CJK; never blank. */
const visibleChar = fc.oneof(
  fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"),
  fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((code) => String.fromCharCode(code)),
);

function visibleString(minLength: number, maxLength: number): fc.Arbitrary<string> {
  return fc.string({ unit: visibleChar, minLength, maxLength: Math.max(minLength, maxLength) });
}

/** One schema per alternative: `anyOf`/`oneOf` members and each type of a `type` array. */
function branchesOf(schema: JsonSchema): JsonSchema[] {
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return union.flatMap(branchesOf);
  if (Array.isArray(schema.type)) return schema.type.map((type) => ({ ...schema, type }));
  return [schema];
}

/** The JSON type of one branch, or undefined when the branch constrains no type. */
function typeOf(schema: JsonSchema): JsonType | undefined {
  if (typeof schema.type === "string") return schema.type;
  const fixed = schema.const !== undefined ? [schema.const] : schema.enum;
  if (fixed && fixed.length > 0) {
    const kinds = new Set(fixed.map(jsonTypeOfValue));
    return kinds.size === 1 ? [...kinds][0] : undefined;
  }
  if (schema.properties || schema.additionalProperties !== undefined) return "object";
  if (schema.items) return "array";
  return undefined;
}

function jsonTypeOfValue(value: unknown): JsonType {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value as JsonType;
}

function valid(schema: JsonSchema): fc.Arbitrary<unknown> {
  const branches = branchesOf(schema);
  if (branches.length !== 1) return fc.oneof(...branches.map(validBranch));
  return validBranch(branches[0] as JsonSchema);
}

function validBranch(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (typeOf(schema)) {
    case "string":
      return validString(schema);
    case "integer":
    case "number":
      return validNumber(schema);
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      return fc.array(valid(schema.items ?? {}), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? Number.POSITIVE_INFINITY, (schema.minItems ?? 0) + 4),
      });
    case "object":
      return validObject(schema);
    default:
      return anyJson(2);
  }
}

function validString(schema: JsonSchema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = Math.min(schema.maxLength ?? min + 24, min + 24);
  const fits = (text: string) => text.length >= min && text.length <= (schema.maxLength ?? Number.MAX_VALUE);
  if (schema.pattern !== undefined) return fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
  if (schema.format === "email") return fc.emailAddress().filter(fits);
  if (schema.format === "uri" || schema.format === "url") return fc.webUrl().filter(fits);
  return visibleString(min, max);
}

function numberBounds(schema: JsonSchema): { min: number; max: number } {
  const integer = typeOf(schema) === "integer";
  const step = integer ? 1 : 1e-6;
  const min =
    schema.minimum ?? (schema.exclusiveMinimum === undefined ? -1e6 : schema.exclusiveMinimum + step);
  const max =
    schema.maximum ?? (schema.exclusiveMaximum === undefined ? 1e6 : schema.exclusiveMaximum - step);
  return { min, max };
}

function validNumber(schema: JsonSchema): fc.Arbitrary<number> {
  const { min, max } = numberBounds(schema);
  if (typeOf(schema) === "integer") {
    return fc.integer({
      min: Math.max(Math.ceil(min), -(2 ** 31)),
      max: Math.min(Math.floor(max), 2 ** 31 - 1),
    });
  }
  return fc.double({
    min: Math.max(min, -1e9),
    max: Math.min(max, 1e9),
    noNaN: true,
    noDefaultInfinity: true,
  });
}

function validObject(schema: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const model = Object.fromEntries(Object.entries(properties).map(([key, inner]) => [key, valid(inner)]));
  const fixed = fc.record(model, {
    requiredKeys: (schema.required ?? []).filter((key) => key in properties),
  });
  const extra = schema.additionalProperties;
  if (extra === undefined || extra === false) return fixed;
  const names = schema.propertyNames
    ? (valid(schema.propertyNames).filter((key) => typeof key === "string") as fc.Arbitrary<string>)
    : visibleString(1, 12);
  const rest = fc.dictionary(
    names.filter((key) => !(key in properties) && !(hostileKeys as readonly string[]).includes(key)),
    extra === true ? anyJson(1) : valid(extra),
    { maxKeys: 3 },
  );
  return fc.tuple(fixed, rest).map(([known, more]) => ({ ...more, ...known }));
}

// ——— invalid values ———

/** Strings a number field must refuse: numeric-looking text included. */
const numericLikeStrings = fc.constantFrom(
  "12",
  "NaN",
  "Infinity",
  "1e309",
  "0x1F",
  " 7 ",
  "１２",
  "",
  "1,000",
);

/** A value of the given JSON type, chosen to be hostile where possible. */
function valueOfType(type: JsonType): fc.Arbitrary<unknown> {
  switch (type) {
    case "string":
      return fc.oneof(numericLikeStrings, fc.constantFrom(...hostileStrings), visibleString(0, 12));
    case "number":
      return fc.oneof(
        fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)),
        fc.constantFrom(0.5, -1.5, 1e-300),
      );
    case "integer":
      return fc.oneof(fc.integer(), fc.constantFrom(0, -1, 1e308, -1e308, 2 ** 53 + 2));
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      return fc.oneof(fc.array(anyJson(1), { maxLength: 3 }), fc.constant([{ $ne: 1 }]));
    case "object":
      return fc.oneof(
        fc.constantFrom(...hostileValues.filter((value) => !Array.isArray(value))),
        fc.dictionary(visibleString(1, 6), anyJson(1), { maxKeys: 3 }),
      );
  }
}

const allTypes: readonly JsonType[] = ["string", "number", "integer", "boolean", "null", "array", "object"];

/** A value of a JSON type no branch of `schema` allows; undefined when some branch allows any type. */
function wrongType(schema: JsonSchema): fc.Arbitrary<unknown> | undefined {
  const allowed = new Set<JsonType>();
  for (const branch of branchesOf(schema)) {
    const type = typeOf(branch);
    if (type === undefined) return undefined;
    allowed.add(type);
    if (type === "number") allowed.add("integer");
  }
  // An integer-only field meets non-integers through its number mutations, not here.
  if (allowed.has("integer")) allowed.add("number");
  const others = allTypes.filter((type) => !allowed.has(type));
  return others.length === 0 ? undefined : fc.oneof(...others.map(valueOfType));
}

function invalid(schema: JsonSchema): fc.Arbitrary<unknown> | undefined {
  const branches = branchesOf(schema);
  const variants: fc.Arbitrary<unknown>[] = [];
  const typeMismatch = wrongType(schema);
  if (typeMismatch) variants.push(typeMismatch);
  for (const branch of branches) variants.push(...invalidBranch(branch, { hostile: true }));
  return variants.length === 0 ? undefined : fc.oneof(...variants);
}

/** Values the branch refuses although they have its JSON type (the type itself is handled by `wrongType`). */
function invalidBranch(schema: JsonSchema, options: { hostile: boolean }): fc.Arbitrary<unknown>[] {
  if (schema.const !== undefined || schema.enum)
    return [notInEnum(schema.const !== undefined ? [schema.const] : (schema.enum ?? []))];
  switch (typeOf(schema)) {
    case "string":
      return invalidString(schema);
    case "integer":
    case "number":
      return invalidNumber(schema);
    case "array":
      return invalidArray(schema);
    case "object":
      return invalidObjectParts(schema, { hostile: options.hostile });
    default:
      return [];
  }
}

function notInEnum(members: readonly unknown[]): fc.Arbitrary<unknown> {
  const strings = members.filter((member): member is string => typeof member === "string");
  const near =
    strings.length === 0
      ? []
      : [
          fc.constantFrom(...strings).map((member) => `${member}x`),
          fc.constantFrom(...strings).map((member) => member.toUpperCase()),
        ];
  return fc
    .oneof(...near, fc.constantFrom(...hostileStrings), visibleString(1, 12))
    .filter((candidate) => !members.includes(candidate));
}

function invalidString(schema: JsonSchema): fc.Arbitrary<string>[] {
  const variants: fc.Arbitrary<string>[] = [];
  const min = schema.minLength ?? 0;
  if (min > 0) variants.push(visibleString(0, min - 1));
  if (schema.maxLength !== undefined) variants.push(overlong(schema.maxLength));
  if (schema.pattern !== undefined) {
    const pattern = new RegExp(schema.pattern);
    const near = fc.stringMatching(pattern);
    variants.push(
      fc
        .oneof(
          near.map((text) => `${text}\n`),
          near.map((text) => ` ${text}`),
          near.map((text) => `${text}'`),
          near.map((text) => text.slice(1)),
          fc.constantFrom(...hostileStrings),
          fc.string({ maxLength: 30 }),
        )
        .filter((text) => !pattern.test(text)),
    );
  }
  if (schema.format === "email") {
    variants.push(
      fc
        .constantFrom("not-an-email", "a@", "@b.cn", "a b@c.cn", "张三@例子")
        .filter((text) => !(schema.pattern && new RegExp(schema.pattern).test(text))),
    );
  }
  return variants;
}

/**
 * A string longer than `maxLength` counted in code points (so also in UTF-16 units, which zod counts):
 * a little over, or far over with multi-byte filler (some of these exceed the JSON body limit).
 */
function overlong(maxLength: number): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.oneof(
        { arbitrary: fc.integer({ min: 1, max: 16 }), weight: 8 },
        { arbitrary: fc.constant(maxLength + 1), weight: 2 },
        { arbitrary: fc.constant(1_100_000), weight: 1 },
      ),
      fc.constantFrom("a", "汉", "𠮷", "\u202E", "\u0000"),
      visibleString(0, 8),
    )
    .map(([extra, filler, head]) => head + filler.repeat(maxLength + extra));
}

function invalidNumber(schema: JsonSchema): fc.Arbitrary<number>[] {
  const variants: fc.Arbitrary<number>[] = [];
  const integer = typeOf(schema) === "integer";
  const low = schema.minimum ?? schema.exclusiveMinimum;
  const high = schema.maximum ?? schema.exclusiveMaximum;
  if (low !== undefined) {
    const edge = schema.minimum === undefined ? low : low - 1;
    variants.push(
      fc.oneof(
        fc.nat(1000).map((n) => edge - n),
        fc.constant(-1e308),
      ),
    );
  }
  if (high !== undefined) {
    const edge = schema.maximum === undefined ? high : high + 1;
    variants.push(
      fc.oneof(
        fc.nat(1000).map((n) => edge + n),
        fc.constant(1e308),
      ),
    );
  }
  if (integer) {
    const { min, max } = numberBounds(schema);
    variants.push(
      fc
        .integer({
          min: Math.max(Math.ceil(min), -1e6),
          max: Math.max(Math.ceil(min), Math.min(Math.floor(max) - 1, 1e6)),
        })
        .map((n) => n + 0.5),
    );
  }
  return variants;
}

function invalidArray(schema: JsonSchema): fc.Arbitrary<unknown[]>[] {
  const variants: fc.Arbitrary<unknown[]>[] = [];
  const item = valid(schema.items ?? {});
  const min = schema.minItems ?? 0;
  if (min > 0) variants.push(fc.array(item, { maxLength: min - 1 }));
  if (schema.maxItems !== undefined) {
    const max = schema.maxItems;
    variants.push(fc.array(item, { minLength: max + 1, maxLength: max + 3 }));
  }
  const badItem = schema.items ? invalid(schema.items) : undefined;
  if (badItem) {
    const upper = Math.min(schema.maxItems ?? min + 3, min + 3);
    variants.push(
      fc
        .tuple(
          fc.array(item, { minLength: Math.max(0, min - 1), maxLength: Math.max(0, upper - 1) }),
          badItem,
          fc.nat(),
        )
        .map(([items, bad, at]) => {
          const copy = [...items];
          copy.splice(at % (copy.length + 1), 0, bad);
          return copy;
        }),
    );
  }
  return variants;
}

/** Objects missing a required key, with one bad property or with a bad key; optionally with hostile extra keys. */
function invalidObjectParts(
  schema: JsonSchema,
  options: { hostile: boolean },
): fc.Arbitrary<Record<string, unknown>>[] {
  if (typeOf(schema) !== "object") return [];
  const properties = schema.properties ?? {};
  const base = validObject(schema);
  const variants: fc.Arbitrary<Record<string, unknown>>[] = [];
  for (const key of schema.required ?? []) {
    variants.push(base.map((value) => omit(value, key)));
  }
  for (const [key, inner] of Object.entries(properties)) {
    const bad = invalid(inner);
    if (bad) variants.push(fc.tuple(base, bad).map(([value, wrong]) => withEntry(value, key, wrong)));
  }
  const extra = schema.additionalProperties;
  if (extra === false) {
    variants.push(
      fc
        .tuple(
          base,
          visibleString(1, 8).filter((key) => !(key in properties)),
          anyJson(1),
        )
        .map(([value, key, more]) => withEntry(value, key, more)),
    );
  }
  if (extra !== undefined && extra !== false) {
    const badName = schema.propertyNames
      ? invalid(schema.propertyNames)?.filter((key): key is string => typeof key === "string")
      : undefined;
    const goodValue = extra === true ? anyJson(1) : valid(extra);
    if (badName)
      variants.push(
        fc.tuple(base, badName, goodValue).map(([value, key, more]) => withEntry(value, key, more)),
      );
    const badValue = extra === true ? undefined : invalid(extra);
    if (badValue) {
      const goodName = schema.propertyNames
        ? (valid(schema.propertyNames).filter((key) => typeof key === "string") as fc.Arbitrary<string>)
        : visibleString(1, 8);
      variants.push(
        fc
          .tuple(
            base,
            goodName.filter((key) => !(key in properties)),
            badValue,
          )
          .map(([value, key, wrong]) => withEntry(value, key, wrong)),
      );
    }
  }
  if (!options.hostile || variants.length === 0) return variants;
  // Extra keys never make an invalid object valid: required keys stay missing, bad values stay bad.
  const hostileEntries = fc.array(
    fc.tuple(
      fc.constantFrom(...hostileKeys),
      fc.oneof(fc.constantFrom(...hostileValues), fc.constantFrom(...hostileStrings)),
    ),
    { minLength: 1, maxLength: 3 },
  );
  return variants.map((variant) =>
    fc
      .tuple(variant, fc.option(hostileEntries, { freq: 2 }))
      .map(([value, entries]) =>
        entries && isPlainObject(value) ? Object.fromEntries([...Object.entries(value), ...entries]) : value,
      ),
  );
}

function omit(value: Record<string, unknown>, key: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([name]) => name !== key));
}

/** A copy with `key` set as an own property, even when the key is `__proto__`. */
function withEntry(value: Record<string, unknown>, key: string, entry: unknown): Record<string, unknown> {
  return Object.fromEntries([...Object.entries(value).filter(([name]) => name !== key), [key, entry]]);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// ——— query strings ———

const queryLeafText = fc.oneof(fc.constantFrom(...hostileStrings), visibleString(0, 8));

/** The top-level object of a JSON value as a query record: leaves become strings, arrays repeated keys. */
function toQueryRecord(value: unknown): QueryRecord {
  if (!isPlainObject(value)) return {};
  return Object.fromEntries(
    Object.entries(value).map(([key, leaf]) => [
      key,
      Array.isArray(leaf) ? leaf.map(queryText) : queryText(leaf),
    ]),
  );
}

function queryText(leaf: unknown): string {
  if (typeof leaf === "string") return leaf;
  if (typeof leaf === "number" || typeof leaf === "boolean" || leaf === null) return String(leaf);
  return JSON.stringify(leaf);
}
