/**
 * Who may read `/api/metrics`. The metrics reveal operational data (request volumes, backlog per
 * agency), so they are never public:
 * - with `METRICS_TOKEN` set, every scrape must send `Authorization: Bearer <token>`;
 * - without it, only a client on this machine may scrape: the TCP peer must be a loopback address
 *   and the request must not have passed through a proxy (no X-Forwarded-For, X-Real-IP or
 *   Forwarded header). The decision deliberately ignores `ctx.ip`: with TRUST_PROXY on, that is the
 *   address a proxy (or the client itself) wrote into X-Forwarded-For, and a public request relayed
 *   by an nginx on the same host arrives from loopback.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { ErrorCode } from "@govinfo/shared/api/errors";
import type { Middleware } from "koa";
import { AppError, Forbidden } from "../errors.ts";

/** What a metrics request looks like to the access rule. */
export interface MetricsRequest {
  /** The `Authorization` header ("" when absent). */
  authorization: string;
  /** The TCP peer's address (`socket.remoteAddress`). */
  peerAddress: string | undefined;
  /** True when the request carries a proxy's forwarding header. */
  isForwarded: boolean;
}

/** The outcome of the access rule. */
export type MetricsAccessDecision =
  | { allowed: true }
  | { allowed: false; status: 401 | 403; message: string };

/** Headers a reverse proxy adds; their presence means the client is not the TCP peer. */
export const forwardingHeaders = ["x-forwarded-for", "x-real-ip", "forwarded"] as const;

/**
 * Decides whether a request may read the metrics.
 * @param token the configured METRICS_TOKEN, or undefined.
 */
export function decideMetricsAccess(
  token: string | undefined,
  request: MetricsRequest,
): MetricsAccessDecision {
  if (token !== undefined) {
    const presented = /^Bearer\s+(\S+)$/i.exec(request.authorization)?.[1];
    if (presented !== undefined && sameSecret(presented, token)) return { allowed: true };
    return { allowed: false, status: 401, message: "读取监控指标需要有效的访问令牌（METRICS_TOKEN）" };
  }
  if (isLoopback(request.peerAddress) && !request.isForwarded) return { allowed: true };
  return {
    allowed: false,
    status: 403,
    message: "监控指标仅对本机开放；从其他主机抓取请设置 METRICS_TOKEN 并携带该令牌",
  };
}

/**
 * True for 127.0.0.0/8, ::1 and IPv4-mapped loopback (::ffff:127.x.y.z).
 * @param address a socket address as Node reports it.
 */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith("::ffff:") ? address.slice("::ffff:".length) : address;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4)) return true;
  return address === "::1" || address === "0:0:0:0:0:0:0:1";
}

/**
 * Middleware enforcing `decideMetricsAccess` (401 with `WWW-Authenticate`, or 403).
 * @param token the configured METRICS_TOKEN, or undefined.
 */
export function requireMetricsAccess(token: string | undefined): Middleware {
  return async (ctx, next) => {
    const decision = decideMetricsAccess(token, {
      authorization: ctx.get("Authorization"),
      peerAddress: ctx.req.socket.remoteAddress,
      isForwarded: forwardingHeaders.some((name) => ctx.get(name) !== ""),
    });
    if (decision.allowed) return next();
    if (decision.status === 403) throw Forbidden(decision.message);
    throw new AppError(ErrorCode.unauthorized, {
      message: decision.message,
      headers: { "WWW-Authenticate": 'Bearer realm="metrics"' },
    });
  };
}

// Comparing digests keeps the time independent of where the strings differ and of their lengths.
function sameSecret(presented: string, expected: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
