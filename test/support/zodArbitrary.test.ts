/**
 * The schema-driven arbitraries: on schemas JSON Schema describes exactly, every "valid" value passes
 * zod and every "invalid" value fails it; on the real API schemas (refinements, trim, coerce) the
 * filtered `invalidInput` still always fails and covers every kind of defect; query mode yields what
 * Node's query-string parser would hand to the schema.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CalendarDaysQuery } from "@govinfo/shared/schemas/calendar";
import { DateString, ObjectIdString, PageQuery } from "@govinfo/shared/schemas/common";
import { RequestSubmitInput } from "@govinfo/shared/schemas/request";
import { AssignBody, RequestQueueQuery } from "@govinfo/shared/schemas/requestDto";
import fc from "fast-check";
import { z } from "zod";
import {
  hostileKeys,
  invalidInput,
  invalidValue,
  jsonSchemaOf,
  serverView,
  validInput,
  validValue,
} from "./zodArbitrary.ts";

const SEED = 20_250_901;
const RUNS = 300;

/** Schemas whose JSON Schema says exactly what zod checks (no refinements, trim, coerce or /i). */
const exact: Record<string, z.ZodType> = {
  "bounded string": z.string().min(2).max(5),
  "hex id (pattern)": z.string().regex(/^[0-9a-f]{24}$/),
  enum: z.enum(["draft", "published", "withdrawn"]),
  literal: z.literal("me"),
  "bounded integer": z.number().int().min(2008).max(2100),
  "positive number": z.number().positive(),
  "nullable number": z.number().nullable(),
  boolean: z.boolean(),
  "bounded array": z
    .array(z.enum(["a", "b"]))
    .min(1)
    .max(3),
  "id or null": z.union([z.string().regex(/^[0-9a-f]{24}$/), z.null()]),
  record: z.record(z.string().max(10), z.number().nullable()),
  "nested object": z.object({
    name: z.string().min(1).max(20),
    kind: z.enum(["x", "y"]),
    count: z.number().int().min(0).optional(),
    tags: z.array(z.string().max(5)).max(2).default([]),
    inner: z.object({ code: z.string().regex(/^\d{6}$/), flag: z.boolean() }),
  }),
};

function sample<T>(arbitrary: fc.Arbitrary<T>, numRuns = RUNS): T[] {
  return fc.sample(arbitrary, { seed: SEED, numRuns });
}

describe("zodArbitrary on exactly describable schemas", () => {
  for (const [name, schema] of Object.entries(exact)) {
    it(`${name}: valid values pass and invalid values fail`, () => {
      const json = jsonSchemaOf(schema);
      for (const value of sample(validValue(json))) {
        const result = schema.safeParse(serverView(value, "json"));
        assert.ok(result.success, `${JSON.stringify(value)} should pass: ${result.error?.message}`);
      }
      const bad = invalidValue(json);
      assert.ok(bad, "every schema here can be violated");
      for (const value of sample(bad)) {
        assert.equal(
          schema.safeParse(serverView(value, "json")).success,
          false,
          `${JSON.stringify(value)?.slice(0, 200)} should fail`,
        );
      }
    });
  }

  it("has nothing invalid to offer for a schema that accepts anything", () => {
    assert.equal(invalidValue(jsonSchemaOf(z.unknown())), undefined);
    const loose = invalidInput(z.looseObject({}));
    assert.ok(loose, "a loose object still refuses non-objects");
    for (const value of sample(loose)) {
      assert.ok(typeof value !== "object" || value === null || Array.isArray(value), JSON.stringify(value));
    }
  });
});

describe("zodArbitrary on the API's own schemas", () => {
  it("always produces refused submissions, covering every kind of defect, nested fields and hostile keys", () => {
    const arbitrary = invalidInput(RequestSubmitInput);
    assert.ok(arbitrary);
    const codes = new Set<string>();
    const paths = new Set<string>();
    let hostile = 0;
    let topLevelNonObject = 0;
    for (const value of sample(arbitrary, 500)) {
      const result = RequestSubmitInput.safeParse(serverView(value, "json"));
      assert.equal(result.success, false);
      for (const issue of result.error?.issues ?? []) {
        codes.add(issue.code);
        paths.add(issue.path.join("."));
      }
      if (typeof value !== "object" || value === null || Array.isArray(value)) topLevelNonObject++;
      if (JSON.stringify(value).match(/"(\$|__proto__|constructor|a\.b)/)) hostile++;
    }
    for (const code of [
      "invalid_type",
      "too_small",
      "too_big",
      "invalid_format",
      "invalid_value",
      "custom",
    ]) {
      assert.ok(codes.has(code), `issue code ${code} among ${[...codes].join(", ")}`);
    }
    assert.ok(paths.has("applicant.name") || paths.has("applicant.idNumber"), "nested fields are mutated");
    assert.ok(paths.has("agencyId") && paths.has("description"));
    assert.ok(topLevelNonObject > 0, "wrong top-level types (arrays, strings, null) are produced");
    assert.ok(hostile > 0, "hostile keys are added");
  });

  it("refines what JSON Schema cannot say: a date that matches the pattern but does not exist is kept", () => {
    const arbitrary = invalidInput(DateString);
    assert.ok(arbitrary);
    const values = sample(arbitrary, 400);
    assert.ok(values.every((value) => !DateString.safeParse(value).success));
    assert.ok(values.some((value) => typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)));
  });

  it("puts hostile keys in as own properties, __proto__ included, without touching Object.prototype", () => {
    const schema = z.object({ a: z.string() });
    const values = sample(invalidInput(schema) as fc.Arbitrary<unknown>, 400);
    const keys = new Set(
      values.flatMap((value) => (value && typeof value === "object" ? Object.keys(value) : [])),
    );
    assert.ok(
      hostileKeys.some((key) => key === "__proto__" && keys.has(key)),
      "__proto__ is an own key",
    );
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it("answers a union with null with its alternatives: ids and null pass, anything else fails", () => {
    for (const value of sample(validInput(AssignBody))) assert.ok(AssignBody.safeParse(value).success);
    for (const value of sample(invalidInput(AssignBody) as fc.Arbitrary<unknown>)) {
      assert.equal(AssignBody.safeParse(serverView(value, "json")).success, false);
    }
  });
});

describe("zodArbitrary in query mode", () => {
  it("yields string leaves that coerce to valid values", () => {
    for (const schema of [PageQuery, RequestQueueQuery]) {
      for (const value of sample(validInput(schema, "query"))) {
        for (const leaf of Object.values(value as Record<string, unknown>)) {
          assert.ok(
            typeof leaf === "string" || (Array.isArray(leaf) && leaf.every((s) => typeof s === "string")),
          );
        }
        const seen = serverView(value, "query");
        const result = schema.safeParse(seen);
        assert.ok(result.success, `${JSON.stringify(seen)}: ${result.error?.message}`);
      }
    }
  });

  it("yields refused queries: missing required keys, numbers out of range, repeated keys, bad patterns", () => {
    const arbitrary = invalidInput(CalendarDaysQuery, "query");
    assert.ok(arbitrary);
    const codes = new Set<string>();
    for (const value of sample(arbitrary)) {
      const result = CalendarDaysQuery.safeParse(serverView(value, "query"));
      assert.equal(result.success, false);
      for (const issue of result.error?.issues ?? []) codes.add(issue.code);
    }
    assert.ok(codes.has("invalid_type"), "missing keys and repeated keys");
    assert.ok(codes.has("invalid_format") || codes.has("custom"), "pattern mismatches");
    const numbers = invalidInput(RequestQueueQuery, "query");
    assert.ok(numbers);
    const numberCodes = new Set<string>();
    for (const value of sample(numbers)) {
      for (const issue of RequestQueueQuery.safeParse(serverView(value, "query")).error?.issues ?? []) {
        numberCodes.add(issue.code);
      }
    }
    for (const code of ["too_small", "too_big", "invalid_value", "invalid_type"]) {
      assert.ok(numberCodes.has(code), `${code} among ${[...numberCodes].join(", ")}`);
    }
  });

  it("keeps an id pattern exact in query mode", () => {
    const schema = z.object({ id: ObjectIdString });
    const arbitrary = invalidInput(schema, "query");
    assert.ok(arbitrary);
    for (const value of sample(arbitrary)) {
      assert.equal(schema.safeParse(serverView(value, "query")).success, false);
    }
  });

  it("is reproducible: the same seed gives the same values", () => {
    const arbitrary = invalidInput(RequestSubmitInput) as fc.Arbitrary<unknown>;
    assert.deepEqual(
      fc.sample(arbitrary, { seed: 7, numRuns: 20 }).map((value) => JSON.stringify(value)),
      fc.sample(arbitrary, { seed: 7, numRuns: 20 }).map((value) => JSON.stringify(value)),
    );
  });
});
