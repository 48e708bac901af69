/**
 * Fixed-window rate limits per client address and key (login, one-time codes, submissions). In memory:
 * with several app instances each enforces its own window, which still bounds abuse per instance.
 */
import type { Context, Middleware } from "koa";
import { RateLimited } from "../errors.ts";

/** A limit: at most `max` hits per `windowMs`, counted per `key(ctx)`. */
export interface RateLimit {
  name: string;
  max: number;
  windowMs: number;
  key?: (ctx: Context) => string;
}

const windows = new Map<string, { start: number; hits: number }>();

/** Forgets every window (tests). */
export function resetRateLimits(): void {
  windows.clear();
}

/** Refuses with 429 and Retry-After once a client exceeds the limit. */
export function rateLimit(limit: RateLimit): Middleware {
  return async (ctx, next) => {
    const now = Date.now();
    const id = `${limit.name}|${limit.key ? limit.key(ctx) : ctx.ip}`;
    let window = windows.get(id);
    if (!window || now - window.start >= limit.windowMs) {
      window = { start: now, hits: 0 };
      windows.set(id, window);
    }
    window.hits++;
    if (window.hits > limit.max) {
      throw RateLimited(Math.max(1, Math.ceil((window.start + limit.windowMs - now) / 1000)));
    }
    if (windows.size > 100_000) {
      for (const [key, value] of windows) if (now - value.start >= limit.windowMs) windows.delete(key);
    }
    await next();
  };
}
