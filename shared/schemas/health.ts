/**
 * The health report served at `GET /api/health`, used by load balancers and the admin page footer.
 */
import { z } from "zod";

/** Whether the API runs on the embedded database or an external MongoDB. */
export const DatabaseMode = z.enum(["embedded", "external"]);

/** Whether the API runs on the embedded database or an external MongoDB. */
export type DatabaseMode = z.infer<typeof DatabaseMode>;

/** The health report; `status` is `degraded` (served with HTTP 503) when the database does not answer. */
export const HealthDTO = z.object({
  status: z.enum(["ok", "degraded"]),
  database: z.object({ mode: DatabaseMode, ok: z.boolean() }),
  version: z.string(),
  uptimeSeconds: z.number().int().nonnegative(),
});

/** The health report. */
export type HealthDTO = z.infer<typeof HealthDTO>;
