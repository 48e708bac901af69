/**
 * Plain-Chinese text for the message list. Pure (unit-tested under node).
 */

/** The time of a message in China time, e.g. "2026年3月5日 10:02". */
export function messageTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return "";
  // Messages are about a Chinese agency's dates: show Beijing time (UTC+8) wherever the phone is.
  const local = new Date(at.getTime() + 8 * 3600_000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${local.getUTCFullYear()}年${local.getUTCMonth() + 1}月${local.getUTCDate()}日 ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
}

/** The 我的 entry text: "消息" with the unread count when there is any. */
export function unreadBadge(count: number): string {
  if (count <= 0) return "";
  return count > 99 ? "99+" : String(count);
}
