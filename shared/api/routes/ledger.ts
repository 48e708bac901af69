/**
 * The wire contract of /api/ledger: the server's `routes/ledger.ts` attaches handlers to these, the
 * clients call them.
 */

import { LedgerExportQuery, LedgerImportQuery, LedgerImportResultDto } from "../../schemas/ledger.ts";
import { endpoint } from "../contract.ts";

/** The /api/ledger endpoints. */
export const ledgerApi = {
  importFile: endpoint({
    method: "post",
    path: "/ledger/import",
    query: LedgerImportQuery,
    response: LedgerImportResultDto,
  }),
  exportFile: endpoint({ method: "get", path: "/ledger/export", query: LedgerExportQuery }),
};
