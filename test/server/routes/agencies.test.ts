import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { AgencyNodeDto } from "@govinfo/shared/schemas/agency";
import { AuditEvent } from "../../../server/models/AuditEvent.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";
import { fails, ok, type StaffedAgency, staffedAgency } from "./requests.support.ts";

let server: TestServer;
let staff: StaffedAgency;
let other: StaffedAgency;

before(async () => {
  server = await startTestServer();
  staff = await staffedAgency(server);
  other = await staffedAgency(server);
});
after(async () => {
  await server.close();
});

describe("agencies API", () => {
  it("shows each staff member their agencies; a supervisor sees the subtree as a tree", async () => {
    const mine = ok<AgencyNodeDto[]>(await staff.handler.get("/api/agencies/tree"));
    assert.deepEqual(
      mine.map((n) => n.id),
      [String(staff.agency._id)],
    );
    assert.deepEqual(mine[0]?.abilities, { canEdit: false, canAddChild: false });
    const tree = ok<AgencyNodeDto[]>(await staff.supervisor.get("/api/agencies/tree"));
    assert.equal(tree.length, 1);
    assert.equal(tree[0]?.id, String(staff.parent._id));
    assert.deepEqual(
      tree[0]?.children.map((c) => c.id),
      [String(staff.agency._id)],
    );
    assert.ok(!JSON.stringify(tree).includes(String(other.agency._id)));
  });

  it("lets the parent's supervisor add a child agency with a unique code, audited", async () => {
    const body = {
      parentId: String(staff.parent._id),
      code: "HDSJT",
      name: "海东市交通运输局",
      level: "department",
      serialPrefix: "海交",
      letterhead: { title: "海东市交通运输局", postcode: "810600" },
    };
    const child = ok<AgencyNodeDto>(await staff.supervisor.post("/api/agencies", body), 201);
    assert.equal(child.parentId, String(staff.parent._id));
    assert.equal(child.letterhead.postcode, "810600");
    const dup = fails(await staff.supervisor.post("/api/agencies", body), 409);
    assert.match(dup.message, /已被使用/);
    fails(
      await staff.admin.post("/api/agencies", { ...body, code: "X1", parentId: String(staff.parent._id) }),
      403,
    );
    fails(
      await other.admin.post("/api/agencies", { ...body, code: "X2", parentId: String(staff.agency._id) }),
      403,
    );
    const bad = fails(
      await staff.supervisor.post("/api/agencies", {
        ...body,
        code: "坏 代码",
        letterhead: { postcode: "12" },
      }),
      400,
    );
    assert.deepEqual(bad.details?.fields?.map((f) => f.path).sort(), ["code", "letterhead.postcode"]);
    fails(await staff.supervisor.post("/api/agencies", { ...body, code: "X3", name: { $ne: null } }), 400);
    assert.ok(await AuditEvent.exists({ action: "agency.create", targetId: child.id }));
    const tree = ok<AgencyNodeDto[]>(await staff.supervisor.get("/api/agencies/tree"));
    assert.equal(tree[0]?.children.length, 2);
  });

  it("lets the agency admin edit the letterhead and serial prefix; others get 403 or 404", async () => {
    const id = String(staff.agency._id);
    const edited = ok<AgencyNodeDto>(
      await staff.admin.patch(`/api/agencies/${id}`, {
        serialPrefix: "测试",
        letterhead: { address: "乐都区1号" },
      }),
    );
    assert.equal(edited.serialPrefix, "测试");
    assert.equal(edited.letterhead.address, "乐都区1号");
    fails(await staff.handler.patch(`/api/agencies/${id}`, { serialPrefix: "x" }), 403);
    fails(await other.admin.patch(`/api/agencies/${id}`, { serialPrefix: "x" }), 404);
    const empty = fails(await staff.admin.patch(`/api/agencies/${id}`, {}), 400);
    assert.match(empty.message, /没有要修改的内容/);
    const event = await AuditEvent.findOne({ action: "agency.update", targetId: id }).lean();
    assert.equal(
      (event?.details as { after?: { serialPrefix: string } } | undefined)?.after?.serialPrefix,
      "测试",
    );
  });
});
