/**
 * 先查再申: while typing an application the citizen is shown matching published items and asked once
 * whether one is what they need. Choosing one ends the flow without an application and is counted here,
 * once per account and item, against the agency that published it.
 */
import type { DeflectionInput } from "@govinfo/shared/schemas/feedback";
import { Types } from "mongoose";
import { NotFound } from "../errors.ts";
import { Deflection } from "../models/Deflection.ts";
import { InfoItem } from "../models/InfoItem.ts";
import type { ApplicantActor } from "../policies/actor.ts";
import { dateInChina } from "./calendar.ts";

/**
 * Counts one application saved: the item must be published by the agency the citizen was applying to
 * (otherwise 404, nothing written). Returns whether this choice was new.
 */
export async function recordDeflection(
  actor: ApplicantActor,
  input: DeflectionInput,
  today = dateInChina(),
): Promise<{ counted: boolean }> {
  const item = await InfoItem.exists({
    _id: new Types.ObjectId(input.itemId),
    agencyId: new Types.ObjectId(input.agencyId),
    status: "published",
  });
  if (!item) throw NotFound("infoItem", "所选的已公开信息不存在或不属于该机关");
  const result = await Deflection.updateOne(
    { applicantAccountId: actor.id, itemId: new Types.ObjectId(input.itemId) },
    {
      $setOnInsert: {
        agencyId: new Types.ObjectId(input.agencyId),
        applicantAccountId: actor.id,
        itemId: new Types.ObjectId(input.itemId),
        date: today,
      },
    },
    { upsert: true },
  );
  return { counted: result.upsertedCount > 0 };
}
