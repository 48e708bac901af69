/**
 * An agency (机关): a node of the government's tree. `ancestors` lets a supervisor's queries cover a
 * subtree with one indexed `$in`.
 */
import { signOffStepKeys } from "@govinfo/shared/lifecycle/machine";
import { type InferSchemaType, model, Schema, type Types } from "mongoose";

const step = { type: String, enum: signOffStepKeys, default: "none" };

/** 部门 (a department that reports by 31 January) or 政府 (a government that reports by 31 March). */
export const agencyLevels = ["department", "government"] as const;

const agencySchema = new Schema(
  {
    code: { type: String, required: true, unique: true, trim: true },
    name: { type: String, required: true, trim: true },
    parentId: { type: Schema.Types.ObjectId, ref: "Agency", default: null },
    ancestors: { type: [Schema.Types.ObjectId], default: [], index: true },
    level: { type: String, enum: agencyLevels, default: "department" },
    letterhead: {
      title: { type: String, default: "" },
      address: { type: String, default: "" },
      phone: { type: String, default: "" },
      postcode: { type: String, default: "" },
    },
    /** 实行垂直领导的行政机关 (海关、金融、外汇管理、税务、国家安全机关): reviewed by the 上一级主管部门. */
    verticallyManaged: { type: Boolean, default: false },
    /** The administrator's override of the 行政复议机关 derived from the tree ('' = derived). */
    reviewBody: { name: { type: String, default: "" } },
    /**
     * Messages to staff (催办, 超期预警) by SMS and WeChat: quiet hours 'HH:mm' in Beijing time (held
     * until they end; equal or empty: none) and the WeChat template the agency registered for them.
     */
    staffNotify: {
      quietStart: { type: String, default: "" },
      quietEnd: { type: String, default: "" },
      wechatTemplateId: { type: String, default: "" },
    },
    /** Prefix of application serial numbers, e.g. 海生环 → 海生环依申〔2025〕12号. */
    serialPrefix: { type: String, default: "" },
    /** Steps a reply needs before it is issued, per outcome group (shared `SignOffPolicy`). */
    signOffPolicy: {
      granted: step,
      partial: step,
      withheld: step,
      unable: step,
      notProcessed: step,
      other: step,
    },
  },
  { timestamps: true },
);

/** An agency document. */
export type AgencyDoc = InferSchemaType<typeof agencySchema> & { _id: Types.ObjectId };

/** The Agency model. */
export const Agency = model("Agency", agencySchema);
