/**
 * 纳入主动公开 (《条例》第四十四条): information that several applicants ask one agency for should be
 * published proactively. The platform groups an agency's applications whose texts share most of their
 * words (Jaccard over the catalogue's segmenter), proposes the groups asked by PROPOSAL_MIN_APPLICANTS
 * different applicants, staff confirm a group as a proposal, and once the agency publishes the
 * information in its catalogue the proposal links the applications to the item. Later applicants find
 * the item while they type (先查再申), like any other published item.
 */
import {
  PROPOSAL_MIN_APPLICANTS,
  PROPOSAL_SIMILARITY,
  type ProposalBoardDto,
  type ProposalCreateInput,
  type ProposalDto,
} from "@govinfo/shared/schemas/feedback";
import type { Context } from "koa";
import { Types } from "mongoose";
import { Conflict, NotFound } from "../errors.ts";
import { DisclosureRequest } from "../models/DisclosureRequest.ts";
import { InfoItem } from "../models/InfoItem.ts";
import { PublicationProposal, type PublicationProposalDoc } from "../models/PublicationProposal.ts";
import type { StaffActor } from "../policies/actor.ts";
import { presentProposal } from "../presenters/feedback.ts";
import { audit } from "./audit.ts";
import { dateInChina } from "./calendar.ts";
import { segment } from "./catalogue/tokens.ts";

/** How many of the agency's latest applications the grouping reads (it is quadratic in them). */
const MAX_SCANNED = 1000;

interface Scanned {
  id: string;
  serialNo: string;
  description: string;
  receiptDate: string;
  applicant: string;
  words: Set<string>;
}

/** Share of words two texts have in common: |A ∩ B| / |A ∪ B|. */
export function similarity(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const word of a) if (b.has(word)) shared++;
  return shared / (a.size + b.size - shared);
}

/**
 * Groups applications (single link: one joins a group when it is similar enough to any member) and
 * keeps the groups asked by enough different applicants.
 */
export function groupSimilar(rows: readonly Scanned[]): { members: Scanned[]; similarity: number }[] {
  const groups: Scanned[][] = [];
  for (const row of rows) {
    const home = groups.find((group) =>
      group.some((member) => similarity(member.words, row.words) >= PROPOSAL_SIMILARITY),
    );
    if (home) home.push(row);
    else groups.push([row]);
  }
  return groups
    .filter((group) => new Set(group.map((m) => m.applicant)).size >= PROPOSAL_MIN_APPLICANTS)
    .map((members) => {
      let sum = 0;
      let pairs = 0;
      for (let i = 0; i < members.length; i++)
        for (let j = i + 1; j < members.length; j++) {
          sum += similarity((members[i] as Scanned).words, (members[j] as Scanned).words);
          pairs++;
        }
      return { members, similarity: pairs > 0 ? Math.round((sum / pairs) * 100) / 100 : 1 };
    });
}

/** The agency's board: groups the platform suggests (not yet in a proposal) and the stored proposals. */
export async function proposalBoard(agencyId: string): Promise<ProposalBoardDto> {
  const agency = new Types.ObjectId(agencyId);
  const proposals = await PublicationProposal.find({ agencyId: agency })
    .sort({ createdAt: -1 })
    .lean<PublicationProposalDoc[]>();
  const taken = new Set(proposals.flatMap((p) => p.requestIds.map(String)));
  const rows = await DisclosureRequest.find(
    { agencyId: agency },
    { serialNo: 1, description: 1, receiptDate: 1, "applicant.name": 1, createdAt: 1 },
  )
    .sort({ createdAt: -1 })
    .limit(MAX_SCANNED)
    .lean<
      {
        _id: Types.ObjectId;
        serialNo: string;
        description: string;
        receiptDate: string | null;
        applicant: { name: string };
      }[]
    >();
  const scanned: Scanned[] = rows
    .filter((row) => !taken.has(String(row._id)))
    .reverse()
    .map((row) => ({
      id: String(row._id),
      serialNo: row.serialNo,
      description: row.description,
      receiptDate: row.receiptDate ?? "",
      applicant: row.applicant.name.normalize("NFKC").replace(/\s+/g, ""),
      words: new Set(segment(row.description)),
    }));
  const candidates = groupSimilar(scanned).map(({ members, similarity: score }) => ({
    title: (members[0] as Scanned).description.slice(0, 60),
    applicants: new Set(members.map((m) => m.applicant)).size,
    requests: members.map((m) => ({
      id: m.id,
      serialNo: m.serialNo,
      description: m.description,
      receiptDate: m.receiptDate,
    })),
    similarity: score,
  }));
  const itemTitles = await titlesOf(
    proposals.map((p) => p.itemId).filter((id): id is Types.ObjectId => Boolean(id)),
  );
  return { candidates, proposals: proposals.map((p) => presentProposal(p, itemTitles)) };
}

/**
 * Staff confirm that the applications ask for the same information: stores the proposal. Every
 * application must be the agency's and in no other proposal (404 / 409, nothing written).
 */
export async function createProposal(
  ctx: Context,
  actor: StaffActor,
  input: ProposalCreateInput,
  today = dateInChina(),
): Promise<ProposalDto> {
  const ids = [...new Set(input.requestIds)].map((id) => new Types.ObjectId(id));
  const agency = new Types.ObjectId(input.agencyId);
  const found = await DisclosureRequest.countDocuments({ _id: { $in: ids }, agencyId: agency });
  if (found !== ids.length) throw NotFound("request", "所选申请不存在或不属于该机关");
  if (ids.length < 2) throw Conflict("proposal.too_few", "请至少选择两件内容相同的申请");
  if (await PublicationProposal.exists({ requestIds: { $in: ids } })) {
    throw Conflict("proposal.taken", "所选申请已列入其他纳入主动公开建议");
  }
  const [created] = await PublicationProposal.create([
    { agencyId: agency, title: input.title, requestIds: ids, proposedOn: today, proposedBy: actor.id },
  ]);
  const doc = (created as unknown as { toObject(): PublicationProposalDoc }).toObject();
  await audit(ctx, {
    action: "proposal.create",
    targetType: "proposal",
    targetId: doc._id,
    agencyId: agency,
    details: { title: input.title, requests: ids.length },
  });
  return presentProposal(doc, new Map());
}

/** Loads a proposal the actor's agency owns (404 otherwise, so others learn nothing). */
export async function loadProposal(actor: StaffActor, id: string): Promise<PublicationProposalDoc> {
  const doc = await PublicationProposal.findById(id).lean<PublicationProposalDoc>();
  if (!doc || !actor.roles.has(String(doc.agencyId))) throw NotFound("proposal", "纳入主动公开建议不存在");
  return doc;
}

/**
 * Links the proposal to the catalogue item that now publishes the information: the item must be
 * published by the same agency; a proposal is published once.
 */
export async function publishProposal(
  ctx: Context,
  proposal: PublicationProposalDoc,
  itemId: string,
  today = dateInChina(),
): Promise<ProposalDto> {
  const item = await InfoItem.findOne(
    { _id: new Types.ObjectId(itemId), agencyId: proposal.agencyId, status: "published" },
    { title: 1 },
  ).lean<{ _id: Types.ObjectId; title: string }>();
  if (!item) throw NotFound("infoItem", "所选目录信息不存在、尚未发布或不属于该机关");
  const updated = await PublicationProposal.findOneAndUpdate(
    { _id: proposal._id, status: "proposed" },
    { $set: { status: "published", itemId: item._id, publishedOn: today } },
    { returnDocument: "after" },
  ).lean<PublicationProposalDoc>();
  if (!updated) throw Conflict("proposal.published", "该建议已关联已公开的信息，不能重复操作");
  await audit(ctx, {
    action: "proposal.publish",
    targetType: "proposal",
    targetId: proposal._id,
    agencyId: proposal.agencyId,
    details: { itemId: String(item._id), requests: proposal.requestIds.length },
  });
  return presentProposal(updated, new Map([[String(item._id), item.title]]));
}

/** The published item that answers an application through a proposal, if any. */
export async function publishedItemOfRequest(
  requestId: Types.ObjectId,
): Promise<{ id: string; title: string } | null> {
  const proposal = await PublicationProposal.findOne(
    { requestIds: requestId, status: "published" },
    { itemId: 1 },
  ).lean<{ itemId: Types.ObjectId | null }>();
  if (!proposal?.itemId) return null;
  const titles = await titlesOf([proposal.itemId]);
  return { id: String(proposal.itemId), title: titles.get(String(proposal.itemId)) ?? "" };
}

async function titlesOf(ids: readonly Types.ObjectId[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const items = await InfoItem.find({ _id: { $in: ids } }, { title: 1 }).lean<
    { _id: Types.ObjectId; title: string }[]
  >();
  return new Map(items.map((i) => [String(i._id), i.title]));
}
