/**
 * The wire contract of /api/catalogue (主动公开目录): the server's `routes/catalogue.ts` attaches handlers
 * to these, the clients call them.
 */
import { z } from "zod";
import {
  AgencyOptionDTO,
  AgencyScopeQuery,
  AttachmentParams,
  AttachmentUploadQuery,
  CatalogueImportQuery,
  CatalogueListQuery,
  CatalogueSearchQuery,
  CatalogueSuggestQuery,
  CategoryDTO,
  InfoItemCreateInput,
  InfoItemDTO,
  InfoItemParams,
  InfoItemPublishInput,
  InfoItemRepealInput,
  InfoItemStaffDTO,
  InfoItemSummaryDTO,
  InfoItemUpdateInput,
  InfoItemWithdrawInput,
  itemPage,
  SearchResultDTO,
  StaffItemsQuery,
  SuggestionDTO,
  Table2Query,
} from "../../schemas/catalogue.ts";
import { endpoint, typedAs } from "../contract.ts";

/** The answer of a catalogue import: rows read and what became of them. */
export const CatalogueImportResultDTO = z.strictObject({
  rows: z.number(),
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  indexNos: z.array(z.string()),
});

/** The /api/catalogue endpoints. */
export const catalogueApi = {
  categories: endpoint({ method: "get", path: "/catalogue/categories", response: z.array(CategoryDTO) }),
  agencies: endpoint({ method: "get", path: "/catalogue/agencies", response: z.array(AgencyOptionDTO) }),
  items: endpoint({
    method: "get",
    path: "/catalogue/items",
    query: CatalogueListQuery,
    response: itemPage(InfoItemSummaryDTO),
  }),
  item: endpoint({
    method: "get",
    path: "/catalogue/items/:id",
    params: InfoItemParams,
    response: InfoItemDTO,
  }),
  /** The file itself. */
  attachment: endpoint({
    method: "get",
    path: "/catalogue/items/:id/attachments/:attachmentId",
    params: AttachmentParams,
  }),
  search: endpoint({
    method: "get",
    path: "/catalogue/search",
    query: CatalogueSearchQuery,
    response: SearchResultDTO,
  }),
  suggest: endpoint({
    method: "get",
    path: "/catalogue/suggest",
    query: CatalogueSuggestQuery,
    response: z.array(SuggestionDTO),
  }),
  manageItems: endpoint({
    method: "get",
    path: "/catalogue/manage/items",
    query: StaffItemsQuery,
    response: itemPage(InfoItemStaffDTO),
  }),
  manageItem: endpoint({
    method: "get",
    path: "/catalogue/manage/items/:id",
    params: InfoItemParams,
    response: InfoItemStaffDTO,
  }),
  create: endpoint({
    method: "post",
    path: "/catalogue/items",
    body: InfoItemCreateInput,
    response: InfoItemStaffDTO,
  }),
  update: endpoint({
    method: "patch",
    path: "/catalogue/items/:id",
    body: InfoItemUpdateInput,
    params: InfoItemParams,
    response: InfoItemStaffDTO,
  }),
  publish: endpoint({
    method: "post",
    path: "/catalogue/items/:id/publish",
    body: InfoItemPublishInput,
    params: InfoItemParams,
    response: InfoItemStaffDTO,
  }),
  withdraw: endpoint({
    method: "post",
    path: "/catalogue/items/:id/withdraw",
    body: InfoItemWithdrawInput,
    params: InfoItemParams,
    response: InfoItemStaffDTO,
  }),
  repeal: endpoint({
    method: "post",
    path: "/catalogue/items/:id/repeal",
    body: InfoItemRepealInput,
    params: InfoItemParams,
    response: InfoItemStaffDTO,
  }),
  /** The request body is the file itself (see `ApiClient.upload`). */
  upload: endpoint({
    method: "post",
    path: "/catalogue/items/:id/attachments",
    query: AttachmentUploadQuery,
    params: InfoItemParams,
    response: InfoItemStaffDTO,
  }),
  /** The request body is the CSV or XLSX file. */
  importFile: endpoint({
    method: "post",
    path: "/catalogue/import",
    query: CatalogueImportQuery,
    response: CatalogueImportResultDTO,
  }),
  late: endpoint({
    method: "get",
    path: "/catalogue/late",
    query: AgencyScopeQuery,
    response: z.strictObject({
      items: z.array(InfoItemStaffDTO.safeExtend({ limitWorkingDays: z.number() })),
    }),
  }),
  table2: endpoint({
    method: "get",
    path: "/catalogue/table2",
    query: Table2Query,
    response: typedAs<unknown>(),
  }),
};
