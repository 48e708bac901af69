/**
 * Live countdowns of the remedy periods (救济向导): how long is left until a deadline's last day ends
 * (midnight in China, UTC+8, whatever the phone's time zone), in words a citizen reads at a glance.
 */

/** Milliseconds until the end of `deadline` ('YYYY-MM-DD', China time) at `now`. */
export function msUntilEndOf(deadline: string, now: Date): number {
  const [y, m, d] = deadline.split("-").map(Number) as [number, number, number];
  // The day ends at 24:00 China time = 16:00 UTC of the same date.
  const end = Date.UTC(y, m - 1, d, 16, 0, 0);
  return end - now.getTime();
}

/**
 * The countdown text: "还剩 12 天 3 小时", "今天是最后一天（还剩 5 小时）" or "已超过期限".
 * @param deadline last day of the period.
 * @param now the current time.
 */
export function countdownText(deadline: string, now: Date): string {
  const ms = msUntilEndOf(deadline, now);
  if (ms <= 0) return "已超过期限";
  const hours = Math.floor(ms / 3_600_000);
  const days = Math.floor(hours / 24);
  if (days === 0) return `今天是最后一天（还剩 ${Math.max(1, hours)} 小时）`;
  return `还剩 ${days} 天 ${hours % 24} 小时`;
}
