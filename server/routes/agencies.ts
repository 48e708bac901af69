/**
 * The agency tree: viewing, adding a child agency, editing letterhead and serial prefix.
 */
import { agenciesApi } from "@govinfo/shared/api/routes/agencies";
import { agencyTree, createAgency, updateAgency } from "../services/agencyAdmin.ts";
import { access, buildRouter, route, staffOf } from "./define.ts";

/** The /api/agencies router. */
export function createAgenciesRouter() {
  return buildRouter("", [
    route({
      ...agenciesApi.tree,
      summary: "本人所在机关（监督人员：所辖机关）的机关树",
      access: access.staff(),
      handler: (ctx) => agencyTree(staffOf(ctx)),
    }),
    route({
      ...agenciesApi.create,
      summary: "新增下级机关（上级机关的管理员、监督人员）",
      access: access.staff("manageAgencies"),
      handler: async (ctx, { body }) => {
        ctx.status = 201;
        return createAgency(ctx, staffOf(ctx), body);
      },
    }),
    route({
      ...agenciesApi.update,
      summary: "修改机关的文书抬头、申请编号前缀和行政复议机关（机关管理员）",
      access: access.staff("manageAgencies"),
      handler: (ctx, { params, body }) => updateAgency(ctx, staffOf(ctx), params.id, body),
    }),
  ]);
}
