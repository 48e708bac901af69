/**
 * Every router of the API, mounted under /api by `app.ts`. Add a router here (one line) when adding a
 * resource.
 */
import type { Router } from "@koa/router";
import type { AppDeps, AppServices } from "../app.ts";
import { createAuthRouter } from "./auth.ts";
import { createDocsRouter } from "./docs.ts";
import { createHealthRouter } from "./health.ts";

/** The routers, in mounting order. */
export function createRouters(deps: AppDeps, services: AppServices): Router[] {
  return [createHealthRouter(deps), createDocsRouter(), createAuthRouter(services)];
}
