/**
 * One lease per scheduled job (`_id` = the job's name): the app instance that holds an unexpired
 * lease is the only one allowed to run the job. A lease that is not renewed expires, so the job of an
 * instance that died is picked up by another one.
 */
import { type InferSchemaType, model, Schema } from "mongoose";

const jobLeaseSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** The scheduler instance holding the lease (host, pid and a random suffix). */
    holder: { type: String, required: true },
    /** While a run is in progress: now + lease time (renewed); after a run: the time it finished. */
    expiresAt: { type: Date, required: true },
    /** No instance starts the job before this time (set when a run starts: start + the job's interval). */
    nextRunAt: { type: Date, required: true },
    lastStartedAt: { type: Date, default: null },
    lastFinishedAt: { type: Date, default: null },
    /** Outcome of the last run: its counters, or the error message. */
    lastReport: { type: Schema.Types.Mixed, default: null },
    lastError: { type: String, default: null },
  },
  { versionKey: false },
);

/** A job lease document. */
export type JobLeaseDoc = InferSchemaType<typeof jobLeaseSchema>;

/** The JobLease model. */
export const JobLease = model("JobLease", jobLeaseSchema);
