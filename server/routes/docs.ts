/**
 * The OpenAPI 3.1 document at /api/docs, generated from the route declarations and their zod schemas.
 */
import { okEnvelope } from "@govinfo/shared/api/envelope";
import { Router } from "@koa/router";
import { z } from "zod";
import { version } from "../version.ts";
import { routeRegistry } from "./define.ts";

const accessText: Record<string, string> = {
  public: "公开",
  applicant: "申请人",
  staff: "工作人员",
  staffOrApplicant: "已登录用户",
};

/** Builds the OpenAPI document from every registered route. */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routeRegistry.values()) {
    const path = spec.fullPath.replace(/:(\w+)/g, "{$1}");
    const operation: Record<string, unknown> = {
      summary: spec.summary,
      description: `访问权限：${accessText[spec.access.kind]}${spec.access.kind === "staff" && spec.access.roles ? `（${spec.access.roles.join("、")}）` : ""}`,
      responses: {
        "200": {
          description: "成功：{ ok: true, data }",
          ...(spec.response
            ? { content: { "application/json": { schema: toSchema(okEnvelope(spec.response), "output") } } }
            : {}),
        },
        "4XX": { description: "错误：{ ok: false, code, message, requestId }" },
      },
    };
    if (spec.body) {
      operation.requestBody = { content: { "application/json": { schema: toSchema(spec.body) } } };
    }
    const parameters: unknown[] = [];
    for (const [where, schema] of [
      ["query", spec.query],
      ["path", spec.params],
    ] as const) {
      if (!schema) continue;
      const json = toSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, property] of Object.entries(json.properties ?? {})) {
        parameters.push({
          name,
          in: where,
          required: where === "path" || (json.required ?? []).includes(name),
          schema: property,
        });
      }
    }
    if (parameters.length > 0) operation.parameters = parameters;
    paths[path] ??= {};
    (paths[path] as Record<string, unknown>)[spec.method] = operation;
  }
  return { openapi: "3.1.0", info: { title: "政府信息公开平台 API", version }, paths };
}

function toSchema(schema: z.ZodType, io: "input" | "output" = "input"): unknown {
  try {
    return z.toJSONSchema(schema, { io, unrepresentable: "any" });
  } catch {
    return {};
  }
}

/** GET /api/docs. */
export function createDocsRouter(): Router {
  const router = new Router();
  router.get("/docs", (ctx) => {
    ctx.body = openApiDocument();
  });
  return router;
}
