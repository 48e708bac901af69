/**
 * Golden test of the sign-off chain (issue 17): the golden year built twice, once answered in one
 * step and once at an agency that requires 拟办、审核、签发 for every reply, where every 答复 is
 * preceded by a draft, a 返工, a redraft, an approval and a 签发. The annual report (tables 二, 三, 四,
 * timeliness, fees, provenance) and the exported ledger must be identical: the extra steps are
 * internal routing, never statistics.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { AgencyDoc } from "../../../server/models/Agency.ts";
import { Agency } from "../../../server/models/Agency.ts";
import { DisclosureRequest } from "../../../server/models/DisclosureRequest.ts";
import { generateReport, type ReportAgency } from "../../../server/reports/service.ts";
import { createPersonalDataCipher } from "../../../server/security/personalData.ts";
import { exportLedger } from "../../../server/services/ledger/exporter.ts";
import { createRequest } from "../../../server/services/requestCreator.ts";
import { type EventActor, fireEvent } from "../../../server/services/requestTransitioner.ts";
import { buildAgency } from "../../factories/people.ts";
import { buildRequest, fixtureStaff, registrationInput } from "../../factories/requests.ts";
import { goldenRequests, goldenToday, goldenYear } from "../../fixtures/golden-year.ts";
import { startTestServer, type TestServer } from "../../support/testServer.ts";

let server: TestServer;
const cipher = createPersonalDataCipher(randomBytes(32));
const chainActor: EventActor = { ...fixtureStaff, roles: [...fixtureStaff.roles, "signer"] };
const worlds: Record<"oneStep" | "chain", { agency: AgencyDoc; serials: Map<string, string> }> = {
  oneStep: { agency: undefined as unknown as AgencyDoc, serials: new Map() },
  chain: { agency: undefined as unknown as AgencyDoc, serials: new Map() },
};

/** The chain before a reply: 拟办, 返工, 拟办, 审核, 签发, all on the reply's day. */
function withChain(events: Record<string, unknown>[]): Record<string, unknown>[] {
  return events.flatMap((event) => {
    if (event.type !== "decide") return [event];
    const { type: _type, date, ...decision } = event;
    return [
      { type: "draftDecision", date, ...decision, letter: ["初稿"] },
      { type: "returnDraft", date, reason: "请修改" },
      { type: "draftDecision", date, ...decision },
      { type: "approveDraft", date },
      { type: "signOff", date },
      event,
    ];
  });
}

async function build(world: "oneStep" | "chain"): Promise<void> {
  const agency = await buildAgency({ code: `GOLD${world}`, name: `金标准市测试局（${world}）` });
  if (world === "chain") {
    const all = { granted: "signOff", partial: "signOff", withheld: "signOff", unable: "signOff" } as const;
    await Agency.updateOne(
      { _id: agency._id },
      { $set: { signOffPolicy: { ...all, notProcessed: "signOff", other: "signOff" } } },
    );
  }
  worlds[world].agency = agency;
  for (const item of goldenRequests) {
    const input = registrationInput(agency, {
      receiptDate: item.date,
      channel: item.first === "submit" ? "online" : "inPerson",
      applicant: {
        ...registrationInput(agency).applicant,
        type: item.type,
        name: item.type === "natural" ? "张三" : "某单位",
      },
    });
    const doc =
      item.first === "submit"
        ? await createRequest({
            intake: input,
            first: { type: "submit", date: item.date, channel: "online" },
            actor: fixtureStaff,
            applicantAccountId: null,
            cipher,
            today: goldenToday,
          })
        : world === "chain"
          ? await buildChained(agency, input, item.events)
          : await buildRequest(agency, cipher, { input, events: item.events, today: goldenToday });
    worlds[world].serials.set(doc.serialNo, item.id);
  }
}

/** Like `buildRequest`, with the chain before each reply fired by an actor who also signs. */
async function buildChained(
  agency: AgencyDoc,
  input: ReturnType<typeof registrationInput>,
  events: Record<string, unknown>[],
) {
  let request = await buildRequest(agency, cipher, { input, today: goldenToday });
  for (const event of withChain(events)) {
    request = (
      await fireEvent({ requestId: request._id, input: event, actor: chainActor, today: goldenToday })
    ).request;
  }
  return request;
}

/** Replaces each agency's serial numbers with the fixture ids, so two agencies' outputs compare. */
function neutral(world: "oneStep" | "chain", value: unknown): string {
  let text = JSON.stringify(value);
  for (const [serial, id] of worlds[world].serials) text = text.split(serial).join(id);
  return text.split(worlds[world].agency.name).join("AGENCY");
}

before(async () => {
  server = await startTestServer();
  await build("oneStep");
  await build("chain");
});

after(async () => {
  await server.close();
});

describe("the sign-off chain leaves the statistics alone", () => {
  it("really went through the chain at the second agency", async () => {
    const chained = await DisclosureRequest.find({ agencyId: worlds.chain.agency._id }).lean();
    const signOffs = chained.flatMap((r) => r.events.filter((e) => e.type === "signOff"));
    const decides = chained.flatMap((r) => r.events.filter((e) => e.type === "decide"));
    assert.ok(decides.length > 10);
    assert.equal(signOffs.length, decides.length, "every reply was signed off");
  });

  it("produces the same annual report (tables 二, 三, 四, timeliness, fees, provenance)", async () => {
    const report = async (world: "oneStep" | "chain") => {
      const { agency } = worlds[world];
      const target: ReportAgency = { _id: agency._id, code: "GOLD", name: agency.name, level: "department" };
      const { model, facts } = await generateReport(target, goldenYear, { previous: null });
      return {
        tables: model.tables,
        provenance: model.provenance,
        timeliness: facts.timeliness,
        fees: facts.fees,
      };
    };
    const [oneStep, chain] = [await report("oneStep"), await report("chain")];
    assert.ok(Object.keys(oneStep.tables.three.rows).length > 10);
    assert.ok(Object.values(oneStep.provenance).flat().length > 10, "the report counts the applications");
    assert.equal(neutral("chain", chain), neutral("oneStep", oneStep));
  });

  it("exports the same ledger", async () => {
    const ledger = async (world: "oneStep" | "chain") => {
      const { bytes, rows } = await exportLedger({
        agencyId: worlds[world].agency._id,
        format: "csv",
        cipher,
        today: goldenToday,
        masked: true,
      });
      return { text: bytes.toString("utf8"), rows };
    };
    const [oneStep, chain] = [await ledger("oneStep"), await ledger("chain")];
    assert.ok(oneStep.rows > 10);
    assert.equal(neutral("chain", chain), neutral("oneStep", oneStep));
  });
});
