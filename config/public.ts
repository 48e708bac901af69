/**
 * The subset of configuration that is safe to hand to clients (the admin page, H5 and the
 * mini-program). It is a whitelist: a field is public only when it is listed here.
 */
import type { Config } from "./env.ts";

/** Configuration a browser or the mini-program may see. */
export interface PublicConfig {
  /** Path prefix of the JSON API on this origin. */
  apiBasePath: string;
  /** Public origin of the platform, when the operator configured one. */
  publicBaseUrl: string | null;
}

/** Picks the public subset of a configuration. */
export function toPublicConfig(config: Config): PublicConfig {
  return { apiBasePath: "/api", publicBaseUrl: config.publicBaseUrl ?? null };
}
