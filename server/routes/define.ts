/**
 * Declarative routes: each states who may call it and the zod schemas of its input and response, so the
 * router, the OpenAPI document and the authorization matrix test all read one table. The wire part of a
 * declaration (method, path, schemas) is an `Endpoint` in `shared/api/routes/`, which the clients call
 * through; a route file spreads it and adds summary, access and handler. Every request flows
 * validate → authorize → handler; handlers read typed `input`, never `ctx.request.body`, and return the
 * type of their response schema (checked at compile time, and at run time when `checkResponses` is on).
 */
import { type CapabilityName, rolesFor } from "@govinfo/shared/access/capabilities";
import type { StaffRole } from "@govinfo/shared/schemas/auth";
import { Router } from "@koa/router";
import type { Context, Middleware } from "koa";
import type { z } from "zod";
import { AppError, Forbidden, Unauthorized, UnsupportedMediaType, ValidationFailed } from "../errors.ts";
import type { ApplicantActor, StaffActor } from "../policies/actor.ts";

/** Who may call a route. Agency and ownership checks happen in the handler's policy call. */
export type Access =
  | { kind: "public" }
  | { kind: "applicant" }
  | {
      kind: "staff";
      /** The capability from the shared table; `roles` are its roles, kept for the matrix and OpenAPI. */
      capability?: CapabilityName;
      roles?: readonly StaffRole[];
      allowPendingPasswordChange?: boolean;
    }
  | { kind: "staffOrApplicant"; allowPendingPasswordChange?: boolean };

/** Access shorthands. */
export const access = {
  public: { kind: "public" } as Access,
  applicant: { kind: "applicant" } as Access,
  /** Staff holding `capability` at some agency (any staff member when omitted). */
  staff: (capability?: CapabilityName): Access =>
    capability ? { kind: "staff", capability, roles: rolesFor(capability) } : { kind: "staff" },
  staffOrApplicant: { kind: "staffOrApplicant" } as Access,
  /** Any staff member, even one who still has to replace a one-time password (the change itself). */
  staffChangingPassword: { kind: "staff", allowPendingPasswordChange: true } as Access,
  /** Any logged-in user, staff included before they replaced a one-time password (who am I, logout). */
  anyLoggedIn: { kind: "staffOrApplicant", allowPendingPasswordChange: true } as Access,
};

type Schema = z.ZodType;
type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;
/** What a handler returns: what its response schema parses (anything when it declares none). */
type Returned<R> = R extends z.ZodType ? z.input<R> : unknown;

/** A route declaration. */
export interface RouteSpec<
  B extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  P extends Schema | undefined = undefined,
  R extends Schema | undefined = undefined,
> {
  method: "get" | "post" | "put" | "patch" | "delete";
  path: string;
  summary: string;
  access: Access;
  body?: B;
  query?: Q;
  params?: P;
  /** The schema of the answer's `data` (absent for files and answers that set `ctx.body` themselves). */
  response?: R;
  /** Extra middleware before validation (rate limits, uploads). */
  before?: Middleware[];
  handler: (
    ctx: Context,
    input: { body: Infer<B>; query: Infer<Q>; params: Infer<P> },
  ) => Promise<Returned<R>> | Returned<R>;
}

type AnyRouteSpec = RouteSpec<Schema | undefined, Schema | undefined, Schema | undefined, Schema | undefined>;

/** A declared route with its full path. */
export type RegisteredRoute = AnyRouteSpec & {
  fullPath: string;
};

/** Every declared route by "METHOD path", for OpenAPI and the authorization matrix. */
export const routeRegistry = new Map<string, RegisteredRoute>();

/**
 * Declares one route (keeps the input types of `spec` for its handler).
 * @param spec the declaration.
 */
export function route<
  B extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  P extends Schema | undefined = undefined,
  R extends Schema | undefined = undefined,
>(spec: RouteSpec<B, Q, P, R>): AnyRouteSpec {
  return spec as unknown as AnyRouteSpec;
}

/**
 * When on, every handler's result is parsed with its route's response schema and a mismatch answers 500
 * (logged with the route and the problems), so a response drifting from its contract fails the HTTP
 * tests. The test server turns it on; production leaves it off (no parse on the hot path).
 */
export const responseChecks = { enabled: false };

/**
 * Builds a router from declarations under `prefix` (relative to /api) and registers them.
 * A handler's return value becomes `{ ok: true, data }` unless it set `ctx.body` itself.
 */
export function buildRouter(prefix: string, specs: AnyRouteSpec[]): Router {
  const router = new Router({ prefix });
  for (const spec of specs) {
    const fullPath = `/api${prefix}${spec.path}`;
    routeRegistry.set(`${spec.method.toUpperCase()} ${fullPath}`, { ...spec, fullPath });
    router[spec.method](spec.path, ...(spec.before ?? []), async (ctx) => {
      authorize(ctx, spec.access);
      const input = {
        body: parse(spec.body, bodyOf(ctx, spec.body !== undefined), ""),
        query: parse(spec.query, ctx.query, ""),
        params: parse(spec.params, ctx.params, ""),
      };
      if (responseChecks.enabled) ctx.state.routeSpec = spec;
      const result = await spec.handler(ctx, input as never);
      if (responseChecks.enabled && spec.response && ctx.body === undefined) checkResponse(spec, result);
      if (ctx.body === undefined && result !== undefined) ctx.body = { ok: true, data: result };
      else if (ctx.body === undefined) ctx.status = 204;
    });
  }
  return router;
}

/**
 * For handlers that write their answer themselves (cached public reads): in test mode, checks the data
 * they computed against their route's response schema.
 */
export function checkComputedResponse(ctx: Context, data: unknown): void {
  const spec = ctx.state.routeSpec as AnyRouteSpec | undefined;
  if (responseChecks.enabled && spec?.response) checkResponse(spec, data);
}

/** Test mode: the handler's result must parse with the declared response schema. */
function checkResponse(spec: AnyRouteSpec, result: unknown): void {
  // What the client receives: Dates and ObjectIds as JSON turns them into strings.
  const parsed = spec.response?.safeParse(
    result === undefined ? undefined : JSON.parse(JSON.stringify(result)),
  );
  if (!parsed || parsed.success) return;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  throw new Error(
    `response of ${spec.method.toUpperCase()} ${spec.path} breaks its schema: ${problems.join("; ")}`,
  );
}

/** The staff actor of a staff-only route (routes declared `access.staff` always have one). */
export function staffOf(ctx: Context): StaffActor {
  const actor = ctx.state.actor;
  if (actor.kind !== "staff") throw Unauthorized();
  return actor;
}

/** The applicant actor of an applicant-only route. */
export function applicantOf(ctx: Context): ApplicantActor {
  const actor = ctx.state.actor;
  if (actor.kind !== "applicant") throw Unauthorized();
  return actor;
}

/** A staff member with a one-time password may only change it (and see who they are) until they do. */
function requirePasswordChanged(actor: StaffActor, rule: { allowPendingPasswordChange?: boolean }): void {
  if (actor.user.mustChangePassword && !rule.allowPendingPasswordChange) {
    throw new AppError("forbidden", {
      message: "请先修改初始密码后再继续操作",
      details: { reason: "auth.must_change_password" },
    });
  }
}

function authorize(ctx: Context, rule: Access): void {
  const actor = ctx.state.actor;
  switch (rule.kind) {
    case "public":
      return;
    case "applicant":
      if (actor.kind === "applicant") return;
      if (actor.kind === "anonymous") throw Unauthorized();
      throw Forbidden("此功能仅供申请人使用");
    case "staffOrApplicant":
      if (actor.kind === "anonymous") throw Unauthorized();
      if (actor.kind === "staff") requirePasswordChanged(actor, rule);
      return;
    case "staff": {
      if (actor.kind === "anonymous") throw Unauthorized();
      if (actor.kind !== "staff") throw Forbidden("此功能仅供工作人员使用");
      requirePasswordChanged(actor, rule);
      if (!rule.roles) return;
      for (const held of actor.roles.values()) if (rule.roles.some((role) => held.has(role))) return;
      throw Forbidden("您的角色不能执行此操作");
    }
  }
}

/**
 * The JSON body to validate: `{}` when none was sent. A body in another format is refused rather than
 * ignored, and a JSON `null` stays `null` (the schema refuses it), so neither runs the route on defaults.
 */
function bodyOf(ctx: Context, expectsBody: boolean): unknown {
  if (ctx.request.body !== undefined) return ctx.request.body;
  const hasContent = (ctx.request.length ?? 0) > 0 || ctx.get("Transfer-Encoding") !== "";
  if (expectsBody && hasContent && !ctx.is("application/json", "application/*+json")) {
    throw UnsupportedMediaType("请以 JSON 格式提交（Content-Type: application/json）");
  }
  return {};
}

/** Parses one part of the input after `rejectUnsafeKeys`. */
function parse(schema: Schema | undefined, value: unknown, _where: string): unknown {
  rejectUnsafeKeys(value);
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw ValidationFailed(
    result.error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message })),
  );
}

/** Real forms nest a few levels; anything deeper is refused before a recursive parser sees it. */
const MAX_INPUT_DEPTH = 32;

const prototypeKeys = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Refuses keys that could steer a MongoDB query or update, or an object's prototype, anywhere in the
 * input: `$` (operators, also `state[$ne]`), dots (paths into documents, through record schemas whose
 * keys are stored), `__proto__`/`constructor`/`prototype`; and nesting deeper than MAX_INPUT_DEPTH.
 * Walks with its own stack, so no input can exhaust the call stack.
 */
function rejectUnsafeKeys(value: unknown): void {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value, path: "", depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value: node, path, depth } = next;
    if (!node || typeof node !== "object") continue;
    if (depth >= MAX_INPUT_DEPTH) {
      throw ValidationFailed([{ path, message: `内容嵌套不能超过 ${MAX_INPUT_DEPTH} 层` }]);
    }
    const isArray = Array.isArray(node);
    for (const [key, inner] of Object.entries(node)) {
      const at = path ? `${path}.${key}` : key;
      const problem = isArray ? undefined : keyProblem(key);
      if (problem) throw ValidationFailed([{ path: at, message: problem }]);
      pending.push({ value: inner, path: at, depth: depth + 1 });
    }
  }
}

function keyProblem(key: string): string | undefined {
  if (key.startsWith("$")) return "字段名不能以 $ 开头";
  if (key.includes("$")) return "字段名不能包含 $";
  if (key.includes(".")) return "字段名不能包含“.”";
  if (prototypeKeys.has(key)) return "字段名不合法";
  return undefined;
}
