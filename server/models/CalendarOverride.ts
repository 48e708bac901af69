/**
 * Working-day calendar days entered by an administrator for years the `chinese-days` data does not
 * cover yet (each year's State Council notice arrives in the autumn before).
 */
import { model, Schema } from "mongoose";

const calendarOverrideSchema = new Schema(
  {
    date: { type: String, required: true, unique: true },
    kind: { type: String, enum: ["holiday", "workday"], required: true },
    name: { type: String, required: true },
  },
  { timestamps: true },
);

/** The CalendarOverride model. */
export const CalendarOverride = model("CalendarOverride", calendarOverrideSchema);
