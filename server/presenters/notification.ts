/** A staff reminder (站内提醒) as its reader sees it: the kind's label, and whether it is read and meant for them. */
import { type StaffNotificationDTO, staffNotificationKindLabels } from "@govinfo/shared/schemas/notification";
import type { StaffNotificationDoc } from "../models/StaffNotification.ts";
import type { StaffActor } from "../policies/actor.ts";

/** Maps a stored reminder to its DTO for `actor` (a whitelist). */
export function presentNotification(row: StaffNotificationDoc, actor: StaffActor): StaffNotificationDTO {
  const kind = row.kind as StaffNotificationDTO["kind"];
  return {
    id: String(row._id),
    agencyId: String(row.agencyId),
    requestId: String(row.requestId),
    serialNo: row.serialNo,
    kind,
    kindLabel: staffNotificationKindLabels[kind],
    date: row.date,
    dueDate: row.dueDate,
    text: row.text,
    isRead: row.readBy.some((id) => id.equals(actor.id)),
    isForMe: row.userId?.equals(actor.id) ?? false,
    createdAt: (row as StaffNotificationDoc & { createdAt: Date }).createdAt.toISOString(),
  };
}
