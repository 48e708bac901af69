/**
 * Pure figures of the dashboard, computed from queue rows (unit-tested).
 */
import { closedStates, type State, stateLabels, states } from "@govinfo/shared/lifecycle/machine";
import { applicantColumns, type OutcomeKey, outcomeGroups, outcomes } from "@govinfo/shared/stats/keys";

/** The fields of a queue row the dashboard reads. */
export interface DashboardRow {
  state: State;
  receiptDate: string | null;
  closedDate?: string | null;
  outcome: OutcomeKey | null;
  overdue: boolean;
  workingDaysLeft: number | null;
  applicant: { type: string };
  assignee?: { id: string } | null;
}

/** Count of rows per state, in lifecycle order, with labels. */
export function countByState(
  rows: readonly DashboardRow[],
): { state: State; label: string; count: number }[] {
  return states.map((state) => ({
    state,
    label: stateLabels[state],
    count: rows.filter((row) => row.state === state).length,
  }));
}

/** Open rows due within `days` working days (not yet overdue). */
export function dueSoon(rows: readonly DashboardRow[], days = 3): number {
  return rows.filter(
    (row) =>
      !row.overdue && row.workingDaysLeft !== null && row.workingDaysLeft >= 0 && row.workingDaysLeft <= days,
  ).length;
}

/** Rows still being handled (not closed for statistics) that no one has been assigned to. */
export function unassignedOpen(rows: readonly DashboardRow[]): number {
  return rows.filter((row) => !row.assignee && row.outcome === null && !closedStates.includes(row.state))
    .length;
}

/** Open rows past their due date. */
export function overdueOpen(rows: readonly DashboardRow[]): number {
  return rows.filter((row) => row.overdue && row.closedDate == null && row.outcome === null).length;
}

/** Received (by receipt date) and closed (by closing date) per month of `year`. */
export function monthlySeries(
  rows: readonly DashboardRow[],
  year: number,
): { received: number[]; closed: number[] } {
  const received = Array.from({ length: 12 }, () => 0);
  const closed = Array.from({ length: 12 }, () => 0);
  const bump = (series: number[], date: string | null | undefined) => {
    if (!date || Number(date.slice(0, 4)) !== year) return;
    const month = Number(date.slice(5, 7)) - 1;
    series[month] = (series[month] ?? 0) + 1;
  };
  for (const row of rows) {
    bump(received, row.receiptDate);
    bump(closed, row.closedDate);
  }
  return { received, closed };
}

/** Closed rows per outcome group of table 三 (non-empty groups only). */
export function outcomeMix(rows: readonly DashboardRow[]): { name: string; value: number }[] {
  return outcomeGroups
    .map((group) => ({
      name: group.label.replace(/（区分处理.*）$/, ""),
      value: rows.filter((row) => row.outcome !== null && outcomes[row.outcome].group === group.key).length,
    }))
    .filter((entry) => entry.value > 0);
}

/** Rows per applicant column of table 三 (non-empty columns only). */
export function applicantMix(rows: readonly DashboardRow[]): { name: string; value: number }[] {
  return applicantColumns
    .filter((column) => column.key !== "total")
    .map((column) => ({
      name: column.key === "otherOrg" ? "其他组织" : column.label,
      value: rows.filter((row) => row.applicant.type === column.key).length,
    }))
    .filter((entry) => entry.value > 0);
}

/** Share of closed rows answered on time, 0–1, or null when nothing is closed. */
export function onTimeRate(rows: readonly DashboardRow[]): number | null {
  const closed = rows.filter((row) => row.outcome !== null);
  if (closed.length === 0) return null;
  return closed.filter((row) => !row.overdue).length / closed.length;
}
