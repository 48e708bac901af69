/**
 * NoSQL-operator injection (issue 9, item 4): operator objects, `$where`, `$regex`, dotted and
 * prototype keys in bodies, in query strings (`?state[$ne]=x`) and in path parameters are refused with
 * 400 and field details, and the refusal touches the database no more than an ordinary bad request
 * does — the same reads (compared with mongoose's operation log) and no writes (the fingerprint). Search
 * text such as `.*` or `^` is matched as text, never as a pattern.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import mongoose from "mongoose";
import { resetRateLimits } from "../../../server/middlewares/rateLimit.ts";
import { User } from "../../../server/models/User.ts";
import { buildStaff } from "../../factories/people.ts";
import { fingerprint } from "../../support/dbFingerprint.ts";
import type { TestResponse } from "../../support/http.ts";
import { startTestServer } from "../../support/testServer.ts";
import { assertRefused, buildWorld, type ErrorEnvelope, sendRaw, type World } from "./hostile.support.ts";

const server = await startTestServer();
const world: World = await buildWorld(server);
const victim = await buildStaff([{ agency: world.agency, role: "handler" }], { username: "victim" });

after(async () => {
  await server.close();
});

/** Database operations (collection.method) mongoose runs while `action` runs, sorted. */
async function operationsDuring(
  action: () => Promise<TestResponse>,
): Promise<{ response: TestResponse; ops: string[] }> {
  const ops: string[] = [];
  mongoose.set("debug", (collection: string, method: string) => {
    ops.push(`${collection}.${method}`);
  });
  try {
    const response = await action();
    return { response, ops: ops.sort() };
  } finally {
    mongoose.set("debug", false);
  }
}

/**
 * Sends `attack` and `baseline` (an ordinary bad request to the same route) and asserts the attack is
 * refused with 400 and the field at fault, reads exactly what the baseline reads, and writes nothing.
 */
async function assertRefusedLikeBadInput(
  attack: () => Promise<TestResponse>,
  baseline: () => Promise<TestResponse>,
  field: string | RegExp,
): Promise<ErrorEnvelope> {
  resetRateLimits();
  const expected = await operationsDuring(baseline);
  assert.equal(
    expected.response.status,
    400,
    `the baseline is a bad request: ${JSON.stringify(expected.response.body)}`,
  );
  const before = await fingerprint(server.db.connection);
  resetRateLimits();
  const { response, ops } = await operationsDuring(attack);
  const body = assertRefused(response, [400], `attack on ${String(field)}`);
  assert.equal(body.code, "validation_error");
  const paths = body.details?.fields?.map((f) => f.path) ?? [];
  assert.ok(
    paths.some((path) => (typeof field === "string" ? path === field : field.test(path))),
    `field ${String(field)} among ${paths.join(", ")}`,
  );
  assert.deepEqual(ops, expected.ops, "the attack reads no more than an ordinary bad request");
  assert.deepEqual(await fingerprint(server.db.connection), before, "the attack writes nothing");
  return body;
}

const json = (client: World["staff"], method: string, path: string, value: unknown) =>
  sendRaw(world, client, method, path, JSON.stringify(value), "application/json");

describe("the yardsticks", () => {
  it("the operation log sees what a request reads, and the fingerprint sees what it writes", async () => {
    const { response, ops } = await operationsDuring(() => world.staff.get("/api/requests"));
    assert.equal(response.status, 200);
    assert.ok(ops.includes("sessions.findOne") && ops.includes("disclosurerequests.find"), ops.join(", "));
    const before = await fingerprint(server.db.connection);
    const note = await world.staff.post(`/api/requests/${world.ids.requests}/notes`, { text: "核对材料" });
    assert.equal(note.status, 200, JSON.stringify(note.body));
    const afterwards = await fingerprint(server.db.connection);
    const changed = Object.keys(afterwards).filter(
      (name) => afterwards[name]?.documents !== before[name]?.documents,
    );
    assert.ok(changed.includes("disclosurerequests"), changed.join(", "));
  });
});

describe("operator injection in JSON bodies", () => {
  const login = (value: unknown) => () => json(world.anonymous, "POST", "/api/auth/staff/login", value);
  const plainBad = login({ username: 5, password: 5 });

  for (const [name, payload, field] of [
    [
      "$ne/$gt in place of credentials",
      { username: { $ne: null }, password: { $gt: "" } },
      /^(username|password)\.\$/,
    ],
    ["a real user with $ne as password", { username: "victim", password: { $ne: "x" } }, "password.$ne"],
    ["$regex as user name", { username: { $regex: ".*" }, password: "x" }, "username.$regex"],
    ["$where beside the credentials", { username: "victim", password: "x", $where: "return true" }, "$where"],
    [
      "an operator nested in an unknown field",
      { username: "victim", password: "x", extra: { deep: { $gt: 1 } } },
      "extra.deep.$gt",
    ],
    ["arrays in place of strings", { username: ["victim"], password: ["x"] }, /^(username|password)$/],
    ["a dotted key", { username: "victim", password: "x", "profile.role": "admin" }, "profile.role"],
  ] as const) {
    it(`staff login refuses ${name}`, async () => {
      const before = await User.findById(victim.id).lean();
      const response = await assertRefusedLikeBadInput(login(payload), plainBad, field);
      assert.ok(!JSON.stringify(response).includes("csrfToken"));
      const afterwards = await User.findById(victim.id).lean();
      assert.equal(afterwards?.failedLogins ?? 0, before?.failedLogins ?? 0, "no failed attempt was counted");
    });
  }

  it("staff login refuses a __proto__ key and sets no cookie", async () => {
    const body = `{"username":"victim","password":"x","__proto__":{"isAdmin":true}}`;
    resetRateLimits();
    const response = await sendRaw(
      world,
      world.anonymous,
      "POST",
      "/api/auth/staff/login",
      body,
      "application/json",
    );
    const envelope = assertRefused(response, [400], "__proto__");
    assert.deepEqual(
      envelope.details?.fields?.map((f) => f.path),
      ["__proto__"],
    );
    assert.equal(response.headers.get("set-cookie"), null);
    assert.equal(({} as Record<string, unknown>).isAdmin, undefined);
  });

  it("an applicant cannot smuggle operators into a submission", async () => {
    const submit = (applicantName: unknown) => () =>
      json(world.citizen, "POST", "/api/requests", {
        agencyId: String(world.agency._id),
        applicant: {
          type: "natural",
          name: applicantName,
          idType: "idCard",
          idNumber: "11010519491231002X",
          phone: "13812345678",
        },
        description: "2024年空气质量月报",
        infoForm: "electronic",
        delivery: "online",
      });
    await assertRefusedLikeBadInput(submit({ $gt: "" }), submit(5), "applicant.name.$gt");
  });

  it("staff cannot smuggle operators into an event, a record schema, a catalogue edit or a role grant", async () => {
    const { requests: requestId, items: itemId, users: userId } = world.ids;
    const event = (outcome: unknown) => () =>
      json(world.staff, "POST", `/api/requests/${requestId}/events`, {
        event: { type: "decide", date: "2025-03-10", outcome },
        expectedVersion: 0,
      });
    await assertRefusedLikeBadInput(
      event({ $ne: null }),
      () => json(world.staff, "POST", `/api/requests/${requestId}/events`, { event: 5, expectedVersion: 0 }),
      "event.outcome.$ne",
    );

    const inputs = `/api/reports/agencies/${world.agency._id}/${world.reportYear}/inputs`;
    const two = (value: unknown) => () => json(world.staff, "PUT", inputs, { two: value });
    const badTwo = two("not a table");
    await assertRefusedLikeBadInput(two({ regulations: { $inc: 5 } }), badTwo, "two.regulations.$inc");
    await assertRefusedLikeBadInput(
      two({ "regulations.issued": { x: 1 } }),
      badTwo,
      "two.regulations.issued",
    );
    await assertRefusedLikeBadInput(
      () =>
        sendRaw(world, world.staff, "PUT", inputs, '{"two":{"__proto__":{"issued":1}}}', "application/json"),
      badTwo,
      "two.__proto__",
    );
    await assertRefusedLikeBadInput(
      two({ constructor: { prototype: { issued: 1 } } }),
      badTwo,
      "two.constructor",
    );

    await assertRefusedLikeBadInput(
      () =>
        json(world.staff, "PATCH", `/api/catalogue/items/${itemId}`, {
          title: "新标题",
          $set: { status: "draft" },
        }),
      () => json(world.staff, "PATCH", `/api/catalogue/items/${itemId}`, { title: 5 }),
      "$set",
    );
    await assertRefusedLikeBadInput(
      () =>
        json(world.staff, "PUT", `/api/users/${userId}/roles`, {
          roles: [{ agencyId: { $ne: null }, role: "admin" }],
        }),
      () =>
        json(world.staff, "PUT", `/api/users/${userId}/roles`, { roles: [{ agencyId: 5, role: "admin" }] }),
      "roles.0.agencyId.$ne",
    );
  });
});

describe("operator injection in query strings", () => {
  const get = (client: World["staff"], path: string) => () => sendRaw(world, client, "GET", path, undefined);

  for (const [path, field, baseline] of [
    ["/api/requests?state[$ne]=x", "state[$ne]", "/api/requests?state=nonsense"],
    ["/api/requests?q[$regex]=.*", "q[$regex]", "/api/requests?year=x"],
    ["/api/requests?agencyId[$gt]=", "agencyId[$gt]", "/api/requests?agencyId=x"],
    ["/api/requests?$where=1", "$where", "/api/requests?limit=0"],
    ["/api/requests?sort.x=1", "sort.x", "/api/requests?sort=x"],
    ["/api/requests?state=received&state=decided", "state", "/api/requests?state=nonsense"],
  ] as const) {
    it(`the staff queue refuses ${path}`, async () => {
      await assertRefusedLikeBadInput(get(world.staff, path), get(world.staff, baseline), field);
    });
  }

  for (const [path, field] of [
    ["/api/catalogue/search?q[$regex]=.*", "q[$regex]"],
    ["/api/catalogue/items?agency[$ne]=x", "agency[$ne]"],
    ["/api/reports/public?agencyCode[$regex]=.*", "agencyCode[$regex]"],
  ] as const) {
    it(`public reads refuse ${path}`, async () => {
      await assertRefusedLikeBadInput(
        get(world.anonymous, path),
        get(world.anonymous, "/api/catalogue/items?limit=0"),
        field,
      );
    });
  }
});

describe("bracket keys without operators", () => {
  it("are unknown keys, ignored rather than expanded into objects", async () => {
    const plain = await world.anonymous.get("/api/catalogue/items");
    for (const path of [
      "/api/catalogue/items?__proto__[status]=draft",
      "/api/catalogue/items?constructor[prototype][status]=draft",
      "/api/catalogue/items?agency[]=x",
    ]) {
      const response = await world.anonymous.get(path);
      assert.equal(response.status, 200, path);
      assert.deepEqual(response.body, plain.body, path);
    }
    assert.equal((Object.prototype as Record<string, unknown>).status, undefined);
  });
});

describe("operator objects in path parameters", () => {
  for (const path of [
    "/api/requests/%7B%22$ne%22:1%7D",
    "/api/requests/%7B%22%24gt%22%3A%22%22%7D/clock",
    "/api/requests/[$ne]=1",
    "/api/catalogue/manage/items/%5B%5D",
    "/api/review-cases/000000000000000000000000%00",
  ]) {
    it(`GET ${path} is refused`, async () => {
      const get = (target: string) => () => sendRaw(world, world.staff, "GET", target, undefined);
      await assertRefusedLikeBadInput(get(path), get("/api/requests/nonsense"), /^id$/);
    });
  }

  it("an operator in place of a user id disables nobody", async () => {
    const post = (target: string) => () => sendRaw(world, world.staff, "POST", target, undefined);
    await assertRefusedLikeBadInput(
      post("/api/users/%7B%22$ne%22:null%7D/disable"),
      post("/api/users/nonsense/disable"),
      "id",
    );
    const users = await User.find({}, { disabled: 1 }).lean();
    assert.ok(users.length >= 3 && users.every((user) => !user.disabled));
  });
});

describe("search text is text, not a pattern", () => {
  const items = async (path: string): Promise<unknown[]> => {
    const response = await world.anonymous.get(path);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const data = (response.body as { data: unknown[] | { items: unknown[] } }).data;
    return Array.isArray(data) ? data : data.items;
  };

  it("the catalogue search finds the item by its words and nothing by regex syntax", async () => {
    assert.equal((await items("/api/catalogue/search?q=扬尘")).length, 1, "the control query finds the item");
    for (const q of [".*", "^", "$", ".", "[", "(a+)+$", "\\", "扬.*"]) {
      assert.deepEqual(await items(`/api/catalogue/search?q=${encodeURIComponent(q)}`), [], q);
      assert.deepEqual(await items(`/api/catalogue/suggest?q=${encodeURIComponent(q)}`), [], q);
    }
  });

  it("the staff queue's keyword matches names and numbers literally", async () => {
    const queue = async (q: string) => {
      const response = await world.staff.get(`/api/requests?q=${encodeURIComponent(q)}`);
      assert.equal(response.status, 200, `${q}: ${JSON.stringify(response.body)}`);
      return (response.body as { data: { items: unknown[] } }).data.items;
    };
    assert.equal((await queue("李四")).length, 1, "the control query finds the application");
    for (const q of [".*", "^", "$", ".", "[", "(a+)+$", "李.*", "\\"]) {
      assert.deepEqual(await queue(q), [], q);
    }
  });
});
