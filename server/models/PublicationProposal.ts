/**
 * A 纳入主动公开 proposal (《条例》第四十四条): staff confirmed that several applications to one agency
 * ask for the same information; once the agency publishes it, the proposal links the applications to
 * the catalogue item. Each application belongs to at most one proposal.
 */
import { type InferSchemaType, model, Schema, type Types } from "mongoose";

const publicationProposalSchema = new Schema(
  {
    agencyId: { type: Schema.Types.ObjectId, ref: "Agency", required: true },
    title: { type: String, required: true },
    status: { type: String, enum: ["proposed", "published"], default: "proposed" },
    requestIds: { type: [Schema.Types.ObjectId], default: [] },
    itemId: { type: Schema.Types.ObjectId, ref: "InfoItem", default: null },
    proposedOn: { type: String, required: true },
    proposedBy: { type: Schema.Types.ObjectId, ref: "User", required: true },
    publishedOn: { type: String, default: null },
  },
  { timestamps: true },
);
publicationProposalSchema.index({ agencyId: 1, createdAt: -1 });
publicationProposalSchema.index({ requestIds: 1 });

/** A proposal document. */
export type PublicationProposalDoc = InferSchemaType<typeof publicationProposalSchema> & {
  _id: Types.ObjectId;
};

/** The PublicationProposal model. */
export const PublicationProposal = model("PublicationProposal", publicationProposalSchema);
