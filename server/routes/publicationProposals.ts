/**
 * 纳入主动公开 (《条例》第四十四条, under /api/publication-proposals): the agency's board of similar
 * applications the platform suggests publishing, staff confirming a group as a proposal, and linking
 * the proposal to the catalogue item that publishes the information.
 */
import { publicationProposalsApi } from "@govinfo/shared/api/routes/publicationProposals";
import { assertCanEdit, assertCanRead } from "../services/catalogue/access.ts";
import {
  createProposal,
  loadProposal,
  proposalBoard,
  publishProposal,
} from "../services/publicationProposals.ts";
import { access, buildRouter, route, staffOf } from "./define.ts";

/** The /api/publication-proposals router. */
export function createPublicationProposalsRouter() {
  return buildRouter("", [
    route({
      ...publicationProposalsApi.board,
      summary: "纳入主动公开：多人申请相同信息的建议与已确认的建议",
      access: access.staff(),
      handler: (ctx, { query }) => {
        assertCanRead(staffOf(ctx), query.agencyId);
        return proposalBoard(query.agencyId);
      },
    }),
    route({
      ...publicationProposalsApi.create,
      summary: "确认多件申请所需信息相同，建议纳入主动公开",
      access: access.staff("editCatalogue"),
      handler: async (ctx, { body }) => {
        assertCanEdit(staffOf(ctx), body.agencyId);
        ctx.status = 201;
        return createProposal(ctx, staffOf(ctx), body);
      },
    }),
    route({
      ...publicationProposalsApi.publish,
      summary: "关联已发布的目录信息，将相关申请链接到该信息",
      access: access.staff("editCatalogue"),
      handler: async (ctx, { params, body }) => {
        const proposal = await loadProposal(staffOf(ctx), params.id);
        assertCanEdit(staffOf(ctx), String(proposal.agencyId));
        return publishProposal(ctx, proposal, body.itemId);
      },
    }),
  ]);
}
