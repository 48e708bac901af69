/**
 * One-time login codes for H5 applicants, stored hashed, expiring after 5 minutes, with an attempt
 * counter so a code cannot be guessed.
 */
import { model, Schema } from "mongoose";

const otpCodeSchema = new Schema(
  {
    phoneIndex: { type: String, required: true, unique: true },
    codeHash: { type: String, required: true },
    attempts: { type: Number, default: 0 },
    expiresAt: { type: Date, required: true },
  },
  { timestamps: true },
);
otpCodeSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

/** The OtpCode model. */
export const OtpCode = model("OtpCode", otpCodeSchema);
