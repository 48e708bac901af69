/**
 * The agency tree as a staff member sees it, adding child agencies and editing an agency's
 * letterhead, serial prefix, vertical management, 行政复议机关 override and sign-off setting.
 */
import { rolesFor } from "@govinfo/shared/access/capabilities";
import { noSignOffPolicy, type SignOffPolicy, type SignOffSteps } from "@govinfo/shared/lifecycle/machine";
import type { AgencyCreateInput, AgencyNodeDto, AgencyUpdateInput } from "@govinfo/shared/schemas/agency";
import type { Context } from "koa";
import { Types } from "mongoose";
import { duplicateKeyAs } from "../db/duplicateKey.ts";
import { Conflict, Forbidden, NotFound } from "../errors.ts";
import { Agency, type AgencyDoc } from "../models/Agency.ts";
import { hasRole, type StaffActor } from "../policies/actor.ts";
import { audit } from "./audit.ts";
import { type ReviewBody, reviewBodiesOf, reviewBodyOf, reviewBodyRuleLabels } from "./reviewBody.ts";

/** The agencies where the caller holds any role, nested below their nearest visible ancestor. */
export async function agencyTree(actor: StaffActor): Promise<AgencyNodeDto[]> {
  const ids = [...actor.roles.keys()].map((id) => new Types.ObjectId(id));
  const agencies = await Agency.find({ _id: { $in: ids } })
    .sort({ code: 1 })
    .lean<AgencyDoc[]>();
  const bodies = await reviewBodiesOf(agencies);
  const nodes = new Map(
    agencies.map((agency) => [
      String(agency._id),
      presentNode(actor, agency, bodies.get(String(agency._id)) as ReviewBody),
    ]),
  );
  const roots: AgencyNodeDto[] = [];
  for (const agency of agencies) {
    const node = nodes.get(String(agency._id));
    if (!node) continue;
    const parent = [...agency.ancestors]
      .reverse()
      .map((id) => nodes.get(String(id)))
      .find(Boolean);
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

/** Adds an agency below `parentId` (administrators and supervisors of the parent). */
export async function createAgency(
  ctx: Context,
  actor: StaffActor,
  input: AgencyCreateInput,
): Promise<AgencyNodeDto> {
  if (!hasRole(actor, input.parentId, rolesFor("manageAgencies")))
    throw Forbidden("只有上级机关的管理员或监督人员可以新增下级机关");
  const parent = await Agency.findById(input.parentId).lean<AgencyDoc>();
  if (!parent) throw NotFound("agency");
  if (await Agency.exists({ code: input.code }))
    throw Conflict("agency.code_taken", `机关代码“${input.code}”已被使用`);
  const agency = await Agency.create({
    code: input.code,
    name: input.name,
    level: input.level,
    parentId: parent._id,
    ancestors: [...parent.ancestors, parent._id],
    serialPrefix: input.serialPrefix,
    letterhead: input.letterhead,
    verticallyManaged: input.verticallyManaged,
  }).catch(duplicateKeyAs(() => Conflict("agency.code_taken", `机关代码“${input.code}”已被使用`)));
  await audit(ctx, {
    action: "agency.create",
    targetType: "agency",
    targetId: agency._id,
    agencyId: parent._id,
    details: { code: input.code, name: input.name },
  });
  const created = agency.toObject() as AgencyDoc;
  return presentNode(actor, created, await reviewBodyOf(created));
}

/** Edits the letterhead or serial prefix (administrators of the agency, supervisors above it). */
export async function updateAgency(
  ctx: Context,
  actor: StaffActor,
  agencyId: string,
  input: AgencyUpdateInput,
): Promise<AgencyNodeDto> {
  if (!actor.roles.has(agencyId)) throw NotFound("agency");
  if (!hasRole(actor, agencyId, rolesFor("manageAgencies")))
    throw Forbidden("只有机关管理员可以修改机关信息");
  const before = await Agency.findById(agencyId).lean<AgencyDoc>();
  if (!before) throw NotFound("agency");
  const set: Record<string, string | boolean> = {};
  if (input.verticallyManaged !== undefined) set.verticallyManaged = input.verticallyManaged;
  if (input.serialPrefix !== undefined) set.serialPrefix = input.serialPrefix;
  if (input.reviewBodyName !== undefined) set["reviewBody.name"] = input.reviewBodyName;
  for (const [key, value] of Object.entries(input.staffNotify ?? {}))
    if (value !== undefined) set[`staffNotify.${key}`] = value;
  for (const [key, value] of Object.entries(input.letterhead ?? {}))
    if (value !== undefined) set[`letterhead.${key}`] = value;
  for (const [key, value] of Object.entries(input.signOffPolicy ?? {}))
    if (value !== undefined) set[`signOffPolicy.${key}`] = value;
  const after = await Agency.findByIdAndUpdate(agencyId, { $set: set }, { new: true }).lean<AgencyDoc>();
  if (!after) throw NotFound("agency");
  await audit(ctx, {
    action: "agency.update",
    targetType: "agency",
    targetId: agencyId,
    agencyId,
    details: {
      before: {
        serialPrefix: before.serialPrefix,
        letterhead: before.letterhead,
        verticallyManaged: before.verticallyManaged,
        reviewBodyName: before.reviewBody?.name ?? "",
        signOffPolicy: signOffPolicyOf(before),
      },
      after: {
        serialPrefix: after.serialPrefix,
        letterhead: after.letterhead,
        verticallyManaged: after.verticallyManaged,
        reviewBodyName: after.reviewBody?.name ?? "",
        signOffPolicy: signOffPolicyOf(after),
      },
    },
  });
  return presentNode(actor, after, await reviewBodyOf(after));
}

/** The agency's sign-off setting, every group filled (agencies created before it existed: none). */
export function signOffPolicyOf(agency: Pick<AgencyDoc, "signOffPolicy">): SignOffPolicy {
  const stored = (agency.signOffPolicy ?? {}) as Partial<Record<string, SignOffSteps | null>>;
  const policy: Record<string, SignOffSteps> = { ...noSignOffPolicy };
  for (const key of Object.keys(noSignOffPolicy)) {
    const value = stored[key];
    if (value) policy[key] = value;
  }
  return policy as SignOffPolicy;
}

function presentNode(actor: StaffActor, agency: AgencyDoc, reviewBody: ReviewBody): AgencyNodeDto {
  const id = String(agency._id);
  const manages = hasRole(actor, id, rolesFor("manageAgencies"));
  return {
    id,
    code: agency.code,
    name: agency.name,
    level: agency.level,
    parentId: agency.parentId ? String(agency.parentId) : null,
    serialPrefix: agency.serialPrefix,
    letterhead: {
      title: agency.letterhead?.title ?? "",
      address: agency.letterhead?.address ?? "",
      phone: agency.letterhead?.phone ?? "",
      postcode: agency.letterhead?.postcode ?? "",
    },
    verticallyManaged: agency.verticallyManaged ?? false,
    staffNotify: {
      quietStart: agency.staffNotify?.quietStart ?? "",
      quietEnd: agency.staffNotify?.quietEnd ?? "",
      wechatTemplateId: agency.staffNotify?.wechatTemplateId ?? "",
    },
    reviewBody: {
      name: reviewBody.name,
      derivedName: reviewBody.derivedName,
      overrideName: reviewBody.overrideName,
      rule: reviewBodyRuleLabels[reviewBody.rule],
    },
    signOffPolicy: signOffPolicyOf(agency),
    abilities: { canEdit: manages, canAddChild: manages },
    children: [],
  };
}
