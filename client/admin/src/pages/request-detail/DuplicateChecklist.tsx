/**
 * The four-point 重复申请 checklist (《条例》第三十六条第（六）项) as staff tick it before 不予处理-重复申请:
 * one component for the 重复申请 card and the decide dialog, so both ask the same four questions.
 */
import { duplicateChecklistLabels, duplicateChecklistPoints } from "@govinfo/shared/schemas/requestEvent";
import { Checkbox, Typography } from "antd";

/** One point of the checklist. */
export type DuplicateChecklistPoint = (typeof duplicateChecklistPoints)[number];

/**
 * Whether every point is ticked (the server refuses 不予处理-重复申请 otherwise).
 * @param ticked the ticked points.
 */
export function isChecklistComplete(ticked: readonly string[]): boolean {
  return duplicateChecklistPoints.every((p) => ticked.includes(p));
}

/**
 * The checklist payload a decision carries.
 * @param ticked the ticked points.
 */
export function checklistPayload(ticked: readonly string[]): Record<DuplicateChecklistPoint, boolean> {
  return Object.fromEntries(duplicateChecklistPoints.map((p) => [p, ticked.includes(p)])) as Record<
    DuplicateChecklistPoint,
    boolean
  >;
}

/** The checklist: a heading and the four checkboxes. */
export function DuplicateChecklist(props: { value: string[]; onChange(ticked: string[]): void }) {
  return (
    <div data-testid="duplicate-checklist" style={{ marginBottom: 12 }}>
      <Typography.Paragraph style={{ marginTop: 8, marginBottom: 4 }}>
        认定重复申请须逐项确认（《条例》第三十六条第（六）项）：
      </Typography.Paragraph>
      <Checkbox.Group
        value={props.value}
        onChange={(values) => props.onChange(values as string[])}
        options={duplicateChecklistPoints.map((p) => ({ value: p, label: duplicateChecklistLabels[p] }))}
      />
    </div>
  );
}
