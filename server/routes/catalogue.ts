/**
 * The proactive-disclosure catalogue (主动公开目录): public list, detail, attachment download, search,
 * suggestions and categories, all HTTP-cacheable (strong ETag, 304); staff commands on items of the
 * agencies where they are admin, handler or reviewer; Art. 26 list, table 二 figures and import.
 */
import { catalogueApi } from "@govinfo/shared/api/routes/catalogue";
import { art20Heading, categories } from "@govinfo/shared/catalogue/categories";
import type { Context } from "koa";
import { routeLabel } from "../metrics/http.ts";
import type { InfoItemDoc } from "../models/InfoItem.ts";
import { etagMatches, PUBLIC_CACHE_CONTROL, writeCachedResponse } from "../presenters/cachedResponse.ts";
import { assertCanEdit, assertCanRead, assertCanSeeItem } from "../services/catalogue/access.ts";
import {
  attachFile,
  contentDisposition,
  openAttachment,
  readUpload,
} from "../services/catalogue/attachments.ts";
import { cachedResponse, rememberUrl, renderEnvelope } from "../services/catalogue/cache.ts";
import { lateItems } from "../services/catalogue/compliance.ts";
import { importCatalogue, MAX_IMPORT_BYTES } from "../services/catalogue/import.ts";
import {
  createItem,
  loadItem,
  publishItem,
  repealItem,
  updateItem,
  withdrawItem,
} from "../services/catalogue/items.ts";
import {
  applicationAgencies,
  decodeCursor,
  listPublished,
  listStaffItems,
  loadPublished,
  publishedItemPage,
} from "../services/catalogue/listing.ts";
import { presentStaffItem } from "../services/catalogue/present.ts";
import { searchCatalogue, suggestTitles } from "../services/catalogue/search.ts";
import { catalogueTable2 } from "../services/catalogue/table2.ts";
import { access, buildRouter, checkComputedResponse, route, staffOf } from "./define.ts";

/** The /api/catalogue router. */
export function createCatalogueRouter() {
  return buildRouter("", [
    route({
      ...catalogueApi.categories,
      summary: "主动公开目录类别（含《条例》第二十条对应项）",
      access: access.public,
      handler: (ctx) =>
        sendCached(ctx, "categories", async () =>
          categories.map((c) => ({
            key: c.key,
            label: c.label,
            art20: c.art20,
            art20Heading: art20Heading(c.art20),
          })),
        ),
    }),
    route({
      ...catalogueApi.agencies,
      summary: "可在线申请政府信息公开的行政机关（供小程序选择受理机关）",
      access: access.public,
      handler: () => applicationAgencies(),
    }),
    route({
      ...catalogueApi.items,
      summary: "主动公开目录列表（按机关、类别、专题、年份筛选，最新在前）",
      access: access.public,
      handler: (ctx, { query }) => {
        if (query.cursor) decodeCursor(query.cursor);
        return sendCached(ctx, `items:${JSON.stringify(query)}`, () => listPublished(query));
      },
    }),
    route({
      ...catalogueApi.item,
      summary: "主动公开信息详情",
      access: access.public,
      handler: (ctx, { params }) => sendCached(ctx, `item:${params.id}`, () => publishedItemPage(params.id)),
    }),
    route({
      ...catalogueApi.attachment,
      summary: "下载附件",
      access: access.public,
      handler: async (ctx, { params }) => {
        const item = await loadPublished(params.id);
        const { attachment, stream } = openAttachment(item, params.attachmentId);
        const etag = `"${attachment.sha256}"`;
        ctx.set("Cache-Control", PUBLIC_CACHE_CONTROL);
        ctx.set("ETag", etag);
        if (etagMatches(ctx.get("If-None-Match"), etag)) {
          stream.destroy();
          ctx.status = 304;
          ctx.body = null;
          return;
        }
        ctx.set("Content-Disposition", contentDisposition(attachment.name));
        ctx.set("X-Content-Type-Options", "nosniff");
        ctx.type = attachment.contentType;
        ctx.length = attachment.size;
        ctx.body = stream;
      },
    }),
    route({
      ...catalogueApi.search,
      summary: "全文检索（中文分词，标题加权，高亮）",
      access: access.public,
      handler: (ctx, { query }) =>
        sendCached(ctx, `search:${JSON.stringify(query)}`, () =>
          searchCatalogue(query.q, query.agency, query.limit),
        ),
    }),
    route({
      ...catalogueApi.suggest,
      summary: "申请时推荐已公开的信息（前 5 条）",
      access: access.public,
      handler: (ctx, { query }) =>
        sendCached(ctx, `suggest:${JSON.stringify(query)}`, () => suggestTitles(query.q, query.agency)),
    }),

    // Staff.
    route({
      ...catalogueApi.manageItems,
      summary: "本机关目录信息（含草稿、已撤回）",
      access: access.staff(),
      handler: async (ctx, { query }) => {
        assertCanRead(staffOf(ctx), query.agencyId);
        return listStaffItems(query);
      },
    }),
    route({
      ...catalogueApi.manageItem,
      summary: "目录信息详情（工作人员）",
      access: access.staff(),
      handler: async (ctx, { params }) => {
        const item = await loadItem(params.id);
        assertCanSeeItem(staffOf(ctx), String(item.agencyId));
        assertCanRead(staffOf(ctx), String(item.agencyId));
        return presentStaffItem(item);
      },
    }),
    route({
      ...catalogueApi.create,
      summary: "新建目录信息（草稿）",
      access: access.staff("editCatalogue"),
      handler: async (ctx, { body }) => {
        assertCanEdit(staffOf(ctx), body.agencyId);
        ctx.status = 201;
        return presentStaffItem(await createItem(ctx, body));
      },
    }),
    route({
      ...catalogueApi.update,
      summary: "修改目录信息",
      access: access.staff("editCatalogue"),
      handler: async (ctx, { params, body }) =>
        presentStaffItem(await updateItem(ctx, await editable(ctx, params.id), body)),
    }),
    route({
      ...catalogueApi.publish,
      summary: "发布",
      access: access.staff("editCatalogue"),
      handler: async (ctx, { params, body }) =>
        presentStaffItem(await publishItem(ctx, await editable(ctx, params.id), body.publishedDate)),
    }),
    route({
      ...catalogueApi.withdraw,
      summary: "撤回（不再公开）",
      access: access.staff("editCatalogue"),
      handler: async (ctx, { params, body }) =>
        presentStaffItem(await withdrawItem(ctx, await editable(ctx, params.id), body.reason)),
    }),
    route({
      ...catalogueApi.repeal,
      summary: "废止或标记为已修订",
      access: access.staff("editCatalogue"),
      handler: async (ctx, { params, body }) =>
        presentStaffItem(await repealItem(ctx, await editable(ctx, params.id), body)),
    }),
    route({
      ...catalogueApi.upload,
      summary: "上传附件（请求体为文件本身，≤ 20 MB）",
      access: access.staff("editCatalogue"),
      handler: async (ctx, { params, query }) => {
        const item = await editable(ctx, params.id);
        const bytes = await readUpload(ctx);
        ctx.status = 201;
        return presentStaffItem(await attachFile(ctx, item, query.name, bytes));
      },
    }),
    route({
      ...catalogueApi.importFile,
      summary: "导入已有目录（CSV 或 XLSX，全部成功或全部不导入）",
      access: access.staff("editCatalogue"),
      handler: async (ctx, { query }) => {
        assertCanEdit(staffOf(ctx), query.agencyId);
        return importCatalogue(ctx, query.agencyId, await readUpload(ctx, MAX_IMPORT_BYTES));
      },
    }),
    route({
      ...catalogueApi.late,
      summary: "超过 20 个工作日才公开的信息（《条例》第二十六条）",
      access: access.staff(),
      handler: async (ctx, { query }) => {
        assertCanRead(staffOf(ctx), query.agencyId);
        return { items: await lateItems(query.agencyId) };
      },
    }),
    route({
      ...catalogueApi.table2,
      summary: "年度报告表二 第二十条第（一）项 数据",
      access: access.staff(),
      handler: async (ctx, { query }) => {
        assertCanRead(staffOf(ctx), query.agencyId);
        return catalogueTable2([query.agencyId], query.year, query.format);
      },
    }),
  ]);
}

async function editable(ctx: Context, id: string): Promise<InfoItemDoc> {
  const item = await loadItem(id);
  assertCanSeeItem(staffOf(ctx), String(item.agencyId));
  assertCanEdit(staffOf(ctx), String(item.agencyId));
  return item;
}

// Public reads: cached rendering, answered by the shared presenter. The URL is remembered with its
// cache key, so the next request for the same URL is answered before routing (publicCacheHit). Typed as
// `compute`'s value, so the route's response schema checks what is computed; the answer is already written.
async function sendCached<T>(ctx: Context, key: string, compute: () => Promise<T>): Promise<T> {
  const cached = await cachedResponse(key, async () => {
    const data = await compute();
    checkComputedResponse(ctx, data);
    return renderEnvelope(data);
  });
  rememberUrl(ctx.url, key, routeLabel(ctx));
  await writeCachedResponse(ctx, cached);
  return undefined as T;
}
