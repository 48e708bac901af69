/**
 * The demo history goes through the real transitioner, so the outbox listener queues a text message
 * for every step of every demo application. The demo applicants' numbers are generated and may
 * belong to real people: those messages must never be sent. They are marked skipped here, before the
 * scheduler (and its dispatcher) starts; the in-app copies stay, so demo accounts see their messages.
 */
import type { Types } from "mongoose";
import { OutboxMessage } from "../models/OutboxMessage.ts";

/** Why the demo's text and WeChat messages were not sent. */
export const DEMO_SKIP_REASON = "演示数据，不发送";

/**
 * Marks every pending SMS and WeChat message of the demo agencies as skipped.
 * @param agencyIds the demo agencies.
 * @returns the number of messages changed.
 */
export async function silenceDemoOutbox(agencyIds: readonly Types.ObjectId[]): Promise<number> {
  const ofDemo = { agencyId: { $in: agencyIds } };
  for (const channel of ["sms", "wechat"] as const) {
    await OutboxMessage.updateMany(
      { ...ofDemo, [`channels.${channel}.status`]: "pending" },
      {
        $set: {
          [`channels.${channel}.status`]: "skipped",
          [`channels.${channel}.skippedReason`]: DEMO_SKIP_REASON,
          [`channels.${channel}.nextAttemptAt`]: null,
        },
      },
    );
  }
  const done = await OutboxMessage.updateMany(
    { ...ofDemo, status: "pending" },
    { $set: { status: "done", nextAttemptAt: null } },
  );
  return done.modifiedCount;
}
