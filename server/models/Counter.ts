/**
 * Named counters (serial numbers per agency and year, 索引号 sequences). Incremented inside the same
 * transaction as the record that takes the number, so numbers are gap-free.
 */
import { model, Schema } from "mongoose";

const counterSchema = new Schema(
  { _id: { type: String, required: true }, value: { type: Number, default: 0 } },
  { versionKey: false },
);

/** The Counter model. */
export const Counter = model("Counter", counterSchema);
