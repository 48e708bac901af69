/**
 * From December on, warns every signed-in staff member when next year's holidays are not in the
 * working-day calendar yet (deadlines running into January would be counted Monday to Friday). The
 * people who can enter them are told where; everyone else is told whom to ask.
 */
import { calendarApi } from "@govinfo/shared/api/routes/calendar";
import { Alert } from "antd";
import { api } from "../api.ts";
import { todayInChina, useAsync } from "../hooks.ts";

/**
 * The year to warn about, or null: next year from December, this year when it is missing.
 * @param today the day ('YYYY-MM-DD').
 * @param covered the years whose holidays are known.
 */
export function missingCalendarYear(today: string, covered: readonly number[]): number | null {
  const year = Number(today.slice(0, 4));
  if (!covered.includes(year)) return year;
  if (Number(today.slice(5, 7)) === 12 && !covered.includes(year + 1)) return year + 1;
  return null;
}

/** The banner (nothing when the calendar is complete). */
export function CalendarBanner({ canEdit }: { canEdit: boolean }) {
  const today = todayInChina();
  const calendar = useAsync(() => api.call(calendarApi.days, { query: { from: today, to: today } }), [today]);
  const missing = calendar.data ? missingCalendarYear(today, calendar.data.coveredYears) : null;
  if (missing === null) return null;
  return (
    <Alert
      type="warning"
      showIcon
      banner
      style={{ marginBottom: 16 }}
      data-testid="calendar-banner"
      message={`${missing}年的法定节假日和调休安排尚未录入工作日日历，跨入${missing}年的答复期限暂按周一至周五推算。`}
      description={
        canEdit ? (
          <span>
            请在国务院办公厅发布放假安排后，到
            <a href="#/system?tab=calendar">“系统 › 节假日”</a>
            粘贴通知原文录入。
          </span>
        ) : (
          "节假日日历由上级监督管理人员统一维护，请提醒其在国务院办公厅发布放假安排后及时录入。"
        )
      }
    />
  );
}
