/**
 * The catalogue management calls.
 */
import { catalogueApi } from "@govinfo/shared/api/routes/catalogue";
import type { InfoItemCreateInput } from "@govinfo/shared/schemas/catalogue";
import { api, upload } from "../../api.ts";

/** Catalogue calls. */
export const catalogueService = {
  list: (agencyId: string, status?: "draft" | "published" | "withdrawn") =>
    api.call(catalogueApi.manageItems, { query: { agencyId, status, limit: 100 } }),
  load: (id: string) => api.call(catalogueApi.manageItem, { params: { id } }),
  create: (input: InfoItemCreateInput) => api.call(catalogueApi.create, { body: input }),
  update: (id: string, patch: Partial<InfoItemCreateInput>) =>
    api.call(catalogueApi.update, { params: { id }, body: patch }),
  publish: (id: string) => api.call(catalogueApi.publish, { params: { id }, body: {} }),
  withdraw: (id: string, reason: string) =>
    api.call(catalogueApi.withdraw, { params: { id }, body: { reason } }),
  repeal: (id: string, repealedDate: string) =>
    api.call(catalogueApi.repeal, { params: { id }, body: { repealedDate, validity: "repealed" } }),
  upload: (id: string, file: File) =>
    upload(catalogueApi.upload, { params: { id }, query: { name: file.name } }, file),
  importFile: (agencyId: string, file: File) =>
    upload(catalogueApi.importFile, { query: { agencyId } }, file),
};
