/**
 * Property-based fuzzing of every declared route from its own zod schemas (issue 9, item 4). The routes
 * come from `routeRegistry`, so a new route is fuzzed without being listed here. Each route is called by
 * someone allowed to call it (the all-roles staff member, the citizen, or nobody for public routes), with
 * the ids of existing resources in its path, and:
 * - invalid bodies, queries and path parameters — drawn from the schema by `test/support/zodArbitrary`
 *   and confirmed invalid with `schema.safeParse` — are refused with 400 (413 when too large for the
 *   JSON limit), the error envelope, a Chinese message and field-level details;
 * - so are malformed JSON text (400), top-level arrays, scalars and `null` (400), bodies in another
 *   format, charset or encoding (415) and empty bodies where fields are required (400);
 * - the database fingerprint (every collection, nothing excluded: see `dbFingerprint.ts`) is the same
 *   after the route's whole batch as before it;
 * - random input that may be valid never gets a 5xx, and when it is accepted it was valid and carried no
 *   operator or prototype key.
 * Seeds are fixed per route (derived from "METHOD path"), so every run sends the same inputs; a failure
 * prints its seed and the shrunk counterexample.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, describe, it } from "node:test";
import fc from "fast-check";
import { resetRateLimits } from "../../../server/middlewares/rateLimit.ts";
import { type RegisteredRoute, routeRegistry } from "../../../server/routes/define.ts";
import { fingerprint } from "../../support/dbFingerprint.ts";
import type { TestResponse } from "../../support/http.ts";
import { startTestServer } from "../../support/testServer.ts";
import {
  anyJson,
  hostileQueryKeys,
  invalidInput,
  type QueryRecord,
  serverView,
  toQueryString,
  validInput,
} from "../../support/zodArbitrary.ts";
import {
  assertRefused,
  buildWorld,
  callerFor,
  pathOf,
  realParams,
  sendRaw,
  startFakeWechat,
  type World,
} from "./hostile.support.ts";

const wechat = await startFakeWechat();
const server = await startTestServer({ wechat: wechat.settings });
const world: World = await buildWorld(server);
const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();

after(async () => {
  await server.close();
  await wechat.close();
});

/** Runs per route and part; together about a minute on two cores. */
const RUNS = { body: 30, query: 30, params: 12, mayBeValid: 15, malformed: 12 } as const;

const keyOf = (route: RegisteredRoute) => `${route.method.toUpperCase()} ${route.fullPath}`;
const routes = [...routeRegistry.values()].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
const withInput = routes.filter((route) => route.body || route.query || route.params);

/** Literal path segments of all routes: a fuzzed parameter equal to one may select another route. */
const staticSegments = new Set(
  routes.flatMap((route) => route.fullPath.split("/").filter((s) => s && !s.startsWith(":"))),
);

function seedOf(route: RegisteredRoute, salt: string): number {
  return createHash("sha256")
    .update(`${keyOf(route)} ${salt}`)
    .digest()
    .readInt32BE(0);
}

function paramNames(route: RegisteredRoute): string[] {
  return [...route.fullPath.matchAll(/:(\w+)/g)].map((match) => match[1] as string);
}

/** What the router hands to the params schema: one decoded string per segment. */
function paramsAsSeen(route: RegisteredRoute, value: unknown): Record<string, string> {
  const record = value as QueryRecord;
  return Object.fromEntries(paramNames(route).map((name) => [name, segmentText(record[name])]));
}

function segmentText(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(",") : (value ?? "");
}

/** Segments that still address this route: non-empty, not a dot segment, not another route's literal. */
function addressable(route: RegisteredRoute, value: unknown): boolean {
  return Object.values(paramsAsSeen(route, value)).every(
    (segment) => segment !== "" && segment !== "." && segment !== ".." && !staticSegments.has(segment),
  );
}

function send(
  route: RegisteredRoute,
  parts: { body?: unknown; query?: QueryRecord; params?: Record<string, string> },
): Promise<TestResponse> {
  resetRateLimits();
  const params = parts.params ?? realParams(world, route);
  const search = parts.query ? toQueryString(parts.query) : "";
  const path = pathOf(route, params) + (search === "" ? "" : `?${search}`);
  const method = route.method.toUpperCase();
  const body = parts.body === undefined ? undefined : JSON.stringify(parts.body);
  return sendRaw(
    world,
    callerFor(world, route.access),
    method,
    path,
    body,
    body === undefined ? undefined : "application/json",
  );
}

/** What the invalid batches were refused with: error codes, and the field messages of validation errors. */
const refusals = { codes: new Set<string>(), fieldMessages: new Set<string>() };

/** A refusal of schema-invalid input: 400 validation_error, or 413 when the body is over the limit. */
function assertInvalidRefused(response: TestResponse, context: string): void {
  const body = assertRefused(response, [400, 413], context);
  assert.equal(body.code, response.status === 413 ? "payload_too_large" : "validation_error", context);
  refusals.codes.add(body.code);
  for (const field of body.details?.fields ?? []) refusals.fieldMessages.add(field.message);
}

const describeValue = (value: unknown) => JSON.stringify(value)?.slice(0, 300) ?? String(value);

async function fuzzInvalidBody(route: RegisteredRoute): Promise<void> {
  const schema = route.body;
  if (!schema) return;
  const arbitrary = invalidInput(schema, "json");
  assert.ok(arbitrary, `${keyOf(route)}: the body schema can be violated`);
  await fc.assert(
    fc.asyncProperty(arbitrary, async (body) => {
      assertInvalidRefused(await send(route, { body }), `${keyOf(route)} body ${describeValue(body)}`);
    }),
    { seed: seedOf(route, "body"), numRuns: RUNS.body },
  );
}

async function fuzzInvalidQuery(route: RegisteredRoute): Promise<void> {
  const schema = route.query;
  if (!schema) return;
  const arbitrary = invalidInput(schema, "query");
  assert.ok(arbitrary, `${keyOf(route)}: the query schema can be violated`);
  await fc.assert(
    fc.asyncProperty(arbitrary, async (query) => {
      const response = await send(route, { query: query as QueryRecord });
      assertInvalidRefused(response, `${keyOf(route)} ?${toQueryString(query as QueryRecord).slice(0, 300)}`);
    }),
    { seed: seedOf(route, "query"), numRuns: RUNS.query },
  );
}

async function fuzzInvalidParams(route: RegisteredRoute): Promise<void> {
  const schema = route.params;
  if (!schema) return;
  const arbitrary = invalidInput(schema, "query", (value) => paramsAsSeen(route, value));
  assert.ok(arbitrary, `${keyOf(route)}: the params schema can be violated`);
  await fc.assert(
    fc.asyncProperty(
      arbitrary.filter((value) => addressable(route, value)),
      async (value) => {
        const params = paramsAsSeen(route, value);
        const response = await send(route, { params, ...(route.body ? { body: {} } : {}) });
        assertInvalidRefused(response, `${keyOf(route)} params ${describeValue(params)}`);
      },
    ),
    { seed: seedOf(route, "params"), numRuns: RUNS.params },
  );
}

/** Text that is not JSON: cut-off documents, JavaScript-isms, stray bytes. */
const notJson = fc
  .oneof(
    fc.constantFrom(
      "{",
      "{]",
      '{"a":1,}',
      "[1,]",
      "{'a':1}",
      '{"a":NaN}',
      '{"a":undefined}',
      "{a:1}",
      '{"a":1}{"b":2}',
      '"unterminated',
      "\u0000",
      "\uFEFF{}",
      "// comment\n{}",
      "<xml/>",
    ),
    anyJson(2).chain((value) => {
      const text = JSON.stringify(value);
      return fc.nat(Math.max(0, text.length - 1)).map((cut) => text.slice(0, cut));
    }),
  )
  .filter((text) => {
    if (text.trim() === "") return false;
    try {
      JSON.parse(text);
      return false;
    } catch {
      return true;
    }
  });

async function fuzzMalformedBodies(route: RegisteredRoute): Promise<void> {
  const schema = route.body;
  if (!schema) return;
  const method = route.method.toUpperCase();
  const path = pathOf(route, realParams(world, route));
  const client = callerFor(world, route.access);
  await fc.assert(
    fc.asyncProperty(notJson, async (text) => {
      resetRateLimits();
      const response = await sendRaw(world, client, method, path, text, "application/json");
      const body = assertRefused(
        response,
        [400],
        `${keyOf(route)} text ${JSON.stringify(text).slice(0, 120)}`,
      );
      assert.equal(body.code, "bad_request");
    }),
    { seed: seedOf(route, "malformed"), numRuns: RUNS.malformed },
  );
  // Top-level values that are not objects, `null` included (it must not count as "no body").
  const sample = fc.sample(validInput(schema), { seed: 1, numRuns: 1 })[0];
  for (const value of [null, [], [sample], "text", 42, true, 1e308]) {
    resetRateLimits();
    const response = await sendRaw(world, client, method, path, JSON.stringify(value), "application/json");
    const body = assertRefused(response, [400], `${keyOf(route)} top-level ${describeValue(value)}`);
    assert.equal(body.code, "validation_error");
  }
  // A body in another format, charset or encoding is refused, never ignored and run as if empty.
  const json = JSON.stringify(sample ?? {});
  const refusedTypes: [string | undefined, Record<string, string>][] = [
    ["text/plain", {}],
    ["application/x-www-form-urlencoded", {}],
    ["multipart/form-data; boundary=x", {}],
    ["application/xml", {}],
    [undefined, {}],
    ["application/json; charset=latin1", {}],
    ["application/json", { "Content-Encoding": "gzip" }],
  ];
  for (const [type, headers] of refusedTypes) {
    resetRateLimits();
    const response = await sendRaw(world, client, method, path, Buffer.from(json), type, headers);
    const body = assertRefused(
      response,
      [415],
      `${keyOf(route)} as ${type ?? "no type"} ${JSON.stringify(headers)}`,
    );
    assert.equal(body.code, "unsupported_media_type");
  }
  // No body at all counts as `{}`: refused with field details where the schema requires fields.
  if (!schema.safeParse({}).success) {
    resetRateLimits();
    assertInvalidRefused(
      await sendRaw(world, client, method, path, "", "application/json"),
      `${keyOf(route)} empty`,
    );
    resetRateLimits();
    assertInvalidRefused(await sendRaw(world, client, method, path, undefined), `${keyOf(route)} no body`);
  }
}

describe("fuzzing: invalid input is refused with 4xx, a Chinese message and no change in the database", () => {
  it("takes its routes from the registry", () => {
    assert.ok(withInput.length >= 60, `${withInput.length} routes with input schemas`);
    assert.ok(withInput.some((route) => keyOf(route) === "POST /api/requests/:id/events"));
  });

  for (const route of withInput) {
    const parts = [route.body && "body", route.query && "query", route.params && "params"].filter(Boolean);
    it(`${keyOf(route)} (${parts.join(", ")})`, async () => {
      const before = await fingerprint(server.db.connection);
      await fuzzInvalidBody(route);
      await fuzzMalformedBodies(route);
      await fuzzInvalidQuery(route);
      await fuzzInvalidParams(route);
      assert.deepEqual(
        await fingerprint(server.db.connection),
        before,
        `${keyOf(route)} changed the database`,
      );
    });
  }

  it("reached every kind of refusal: over the limit, operator and prototype keys, types, lengths, enums", () => {
    assert.deepEqual([...refusals.codes].sort(), ["payload_too_large", "validation_error"]);
    const messages = [...refusals.fieldMessages];
    for (const expected of [
      /以 \$ 开头/,
      /字段名不合法/,
      /字段名不能包含“\.”/,
      /期望 (string|number|object)/,
      /不能超过/,
      /编号格式不正确/,
      /日期/,
    ]) {
      assert.ok(
        messages.some((message) => expected.test(message)),
        `${expected} among ${messages.length} messages`,
      );
    }
  });
});

/** Keys an accepted input must never have carried: operators, paths, prototype names. */
function hasHostileKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasHostileKey);
  if (!value || typeof value !== "object") return false;
  return Object.entries(value).some(
    ([key, inner]) =>
      key.includes("$") ||
      key.includes(".") ||
      ["__proto__", "constructor", "prototype"].includes(key) ||
      hasHostileKey(inner),
  );
}

describe("fuzzing: input that may be valid never gets a 5xx", () => {
  for (const route of withInput) {
    it(keyOf(route), async () => {
      const real = realParams(world, route);
      const parts = fc.record({
        body: route.body ? fc.oneof(validInput(route.body), anyJson(3)) : fc.constant(undefined),
        query: route.query
          ? fc.oneof(
              validInput(route.query, "query") as fc.Arbitrary<QueryRecord>,
              fc.dictionary(
                fc.constantFrom(...hostileQueryKeys, "limit", "q", "agencyId"),
                fc.string({ maxLength: 12 }),
                { maxKeys: 3 },
              ),
            )
          : fc.constant(undefined),
        params: route.params
          ? fc.oneof(
              { arbitrary: fc.constant(real), weight: 3 },
              {
                arbitrary: validInput(route.params, "query").map((value) => paramsAsSeen(route, value)),
                weight: 1,
              },
            )
          : fc.constant(undefined),
      });
      await fc.assert(
        fc.asyncProperty(
          parts.filter((value) => value.params === undefined || addressable(route, value.params)),
          async ({ body, query, params }) => {
            const response = await send(route, {
              ...(body === undefined ? {} : { body }),
              ...(query === undefined ? {} : { query }),
              ...(params === undefined ? {} : { params }),
            });
            const context = `${keyOf(route)} ${describeValue({ body, query, params })}`;
            assert.ok(
              response.status < 500,
              `${context} → ${response.status} ${describeValue(response.body)}`,
            );
            if (response.status >= 400) {
              assertRefused(response, [response.status], context);
              return;
            }
            // Accepted: every part was valid as the server saw it, and none carried a hostile key.
            if (route.body) assert.ok(route.body.safeParse(serverView(body, "json")).success, context);
            if (route.query) assert.ok(route.query.safeParse(serverView(query, "query")).success, context);
            assert.ok(!hasHostileKey(body) && !hasHostileKey(query), context);
          },
        ),
        { seed: seedOf(route, "may-be-valid"), numRuns: RUNS.mayBeValid },
      );
    });
  }

  it("leaves Object.prototype untouched after every payload", () => {
    assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), prototypeBefore);
    assert.equal((Object.prototype as Record<string, unknown>).polluted, undefined);
  });
});
