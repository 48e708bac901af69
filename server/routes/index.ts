/**
 * Every router of the API, mounted under /api by `app.ts`. Add a router here (one line) when adding a
 * resource.
 */
import type { Router } from "@koa/router";
import type { AppDeps, AppServices } from "../app.ts";
import { createAftercareRouter } from "./aftercare.ts";
import { createAgenciesRouter } from "./agencies.ts";
import { createAuditRouter } from "./audit.ts";
import { createAuthRouter } from "./auth.ts";
import { createCalendarRouter } from "./calendar.ts";
import { createCatalogueRouter } from "./catalogue.ts";
import { createDocsRouter } from "./docs.ts";
import { createDocumentsRouter } from "./documents.ts";
import { createFeedbackRouter } from "./feedback.ts";
import { createHealthRouter } from "./health.ts";
import { createLedgerRouter } from "./ledger.ts";
import { createLookupRouter } from "./lookup.ts";
import { createMessagesRouter } from "./messages.ts";
import { createMetricsRouter } from "./metrics.ts";
import { createNotificationsRouter } from "./notifications.ts";
import { createPublicationProposalsRouter } from "./publicationProposals.ts";
import { createRedactionRouter } from "./redaction.ts";
import { createReportsRouter } from "./reports.ts";
import { createRequestsRouter } from "./requests.ts";
import { createReviewCasesRouter } from "./reviewCases.ts";
import { createSupervisionsRouter } from "./supervisions.ts";
import { createUsersRouter } from "./users.ts";

/** The routers, in mounting order. */
export function createRouters(deps: AppDeps, services: AppServices): Router[] {
  return [
    createHealthRouter(deps),
    createMetricsRouter(deps),
    createDocsRouter(),
    createAuthRouter(services),
    createNotificationsRouter(),
    createRequestsRouter(services),
    createDocumentsRouter(),
    createRedactionRouter(services),
    createLookupRouter(services),
    createAftercareRouter(services),
    createFeedbackRouter(),
    createPublicationProposalsRouter(),
    createMessagesRouter(),
    createCalendarRouter(),
    createCatalogueRouter(),
    createReviewCasesRouter(),
    createLedgerRouter(services),
    createReportsRouter(),
    createUsersRouter(services),
    createAgenciesRouter(),
    createAuditRouter(),
    createSupervisionsRouter(),
  ];
}
