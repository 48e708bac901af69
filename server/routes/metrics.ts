/**
 * `GET /api/metrics`: this instance's metrics in the Prometheus text format, for Prometheus to
 * scrape each instance directly (not through the load balancer, which would mix instances). Access
 * rule in `server/metrics/access.ts`: a bearer METRICS_TOKEN, or else loopback clients only.
 */
import type { Database } from "../db/connect.ts";
import type { Logger } from "../logger.ts";
import { requireMetricsAccess } from "../metrics/access.ts";
import { createBusinessMetrics } from "../metrics/business.ts";
import { metricsContentType, renderMetrics } from "../metrics/registry.ts";
import { access, buildRouter, route } from "./define.ts";

/** The /api/metrics router. */
export function createMetricsRouter(deps: { db: Database; logger: Logger; metricsToken?: string }) {
  const business = createBusinessMetrics({ db: deps.db, logger: deps.logger });
  return buildRouter("", [
    route({
      method: "get",
      path: "/metrics",
      summary: "Prometheus 监控指标（文本格式）：需携带 METRICS_TOKEN，未设置令牌时仅限本机访问",
      // Not public in practice: `requireMetricsAccess` checks the token or the loopback peer first.
      access: access.public,
      before: [requireMetricsAccess(deps.metricsToken)],
      handler: async (ctx) => {
        ctx.body = await renderMetrics(business);
        ctx.set("Content-Type", metricsContentType);
        ctx.set("Cache-Control", "no-store");
      },
    }),
  ]);
}
