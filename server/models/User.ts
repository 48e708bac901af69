/**
 * A staff user: argon2 password hash, roles per agency, and the counters behind login lockout.
 */
import { staffRoles } from "@govinfo/shared/schemas/auth";
import { type InferSchemaType, model, Schema, type Types } from "mongoose";

const roleGrantSchema = new Schema(
  {
    agencyId: { type: Schema.Types.ObjectId, ref: "Agency", required: true },
    role: { type: String, enum: staffRoles, required: true },
  },
  { _id: false },
);

const userSchema = new Schema(
  {
    username: { type: String, required: true, unique: true, trim: true },
    displayName: { type: String, required: true, trim: true },
    passwordHash: { type: String, required: true },
    /** The password was set by an administrator and must be changed at first login. */
    mustChangePassword: { type: Boolean, default: true },
    roles: { type: [roleGrantSchema], default: [] },
    disabled: { type: Boolean, default: false },
    /** Where 催办 and 超期预警 reach the person: mobile (sealed with the data key) and bound WeChat openid. */
    phoneSealed: { type: String, default: "" },
    /** The mobile masked (138****5678), kept beside the sealed one so that lists never decrypt. */
    phoneMasked: { type: String, default: "" },
    wechatOpenid: { type: String, default: "" },
    failedLogins: { type: Number, default: 0 },
    lockedUntil: { type: Date, default: null },
    lastLoginAt: { type: Date, default: null },
  },
  { timestamps: true },
);
userSchema.index({ "roles.agencyId": 1 });

/** A staff user document. */
export type UserDoc = InferSchemaType<typeof userSchema> & { _id: Types.ObjectId };

/** The User model. */
export const User = model("User", userSchema);
