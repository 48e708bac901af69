/**
 * The working-day calendar API: overrides (for years the package data does not cover yet, or a local
 * arrangement) and the classified days for the admin calendar page. The calendar moves every agency's
 * statutory deadlines, so only the supervisors of the root agency (the top government's 政务公开
 * office) change it: never an agency's own administrator, nor a supervisor of one subtree.
 */
import { calendarApi } from "@govinfo/shared/api/routes/calendar";
import { assertDeploymentSupervisor } from "../policies/deployment.ts";
import { calendarDays, deleteOverride, listOverrides, setOverride } from "../services/calendarAdmin.ts";
import { access, buildRouter, route, staffOf } from "./define.ts";

/** The /api/calendar router. */
export function createCalendarRouter() {
  return buildRouter("", [
    route({
      ...calendarApi.overrides,
      summary: "人工调整的工作日日历（节假日、调休上班日）",
      access: access.staff(),
      handler: () => listOverrides(),
    }),
    route({
      ...calendarApi.setOverride,
      summary: "设置某日为放假或调休上班（最上级机关的监督人员）",
      access: access.staff("editCalendar"),
      handler: async (ctx, { params, body }) => {
        await assertDeploymentSupervisor(staffOf(ctx));
        return setOverride(params.date, body, ctx);
      },
    }),
    route({
      ...calendarApi.deleteOverride,
      summary: "删除某日的人工调整（最上级机关的监督人员）",
      access: access.staff("editCalendar"),
      handler: async (ctx, { params }) => {
        await assertDeploymentSupervisor(staffOf(ctx));
        await deleteOverride(params.date, ctx);
        return { deleted: params.date };
      },
    }),
    route({
      ...calendarApi.days,
      summary: "逐日列出工作日、周末、法定节假日和调休上班日",
      access: access.staffOrApplicant,
      handler: (_ctx, { query }) => calendarDays(query.from, query.to),
    }),
  ]);
}
