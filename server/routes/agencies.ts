/**
 * The agency tree: viewing, adding a child agency, editing letterhead and serial prefix.
 */
import { AgencyCreateInput, AgencyParams, AgencyUpdateInput } from "@govinfo/shared/schemas/agency";
import { agencyTree, createAgency, updateAgency } from "../services/agencyAdmin.ts";
import { access, buildRouter, route, staffOf } from "./define.ts";

/** The /api/agencies router. */
export function createAgenciesRouter() {
  return buildRouter("/agencies", [
    route({
      method: "get",
      path: "/tree",
      summary: "本人所在机关（监督人员：所辖机关）的机关树",
      access: access.staff(),
      handler: (ctx) => agencyTree(staffOf(ctx)),
    }),
    route({
      method: "post",
      path: "/",
      summary: "新增下级机关（上级机关的管理员、监督人员）",
      access: access.staff("manageAgencies"),
      body: AgencyCreateInput,
      handler: async (ctx, { body }) => {
        ctx.status = 201;
        return createAgency(ctx, staffOf(ctx), body);
      },
    }),
    route({
      method: "patch",
      path: "/:id",
      summary: "修改机关的文书抬头、申请编号前缀和行政复议机关（机关管理员）",
      access: access.staff("manageAgencies"),
      params: AgencyParams,
      body: AgencyUpdateInput,
      handler: (ctx, { params, body }) => updateAgency(ctx, staffOf(ctx), params.id, body),
    }),
  ]);
}
