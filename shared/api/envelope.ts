/**
 * The success envelope shared by every endpoint, so clients unwrap `data` in one place.
 */
import { z } from "zod";

/** Builds the schema of a success response carrying `data` of the given schema. */
export const okEnvelope = <T extends z.ZodType>(data: T) => z.object({ ok: z.literal(true), data });

/** The body of every success response. */
export type OkEnvelope<T> = { ok: true; data: T };
