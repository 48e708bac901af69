/**
 * Which subscribe-message templates to ask for and what the applicant accepted. Pure: no Taro
 * (unit-tested under node).
 */
import { type SubscribeKind, subscribeKinds } from "@govinfo/shared/wechat/subscribe";

/** One accepted template, as the server stores it. */
export interface AcceptedTemplate {
  kind: SubscribeKind;
  templateId: string;
}

/** The configured kinds, in table order (at most three: WeChat's limit for one tap). */
export function configuredKinds(
  templates: Readonly<Partial<Record<SubscribeKind, string>>>,
): SubscribeKind[] {
  return subscribeKinds.filter((kind) => (templates[kind] ?? "") !== "");
}

/**
 * The templates accepted in WeChat's answer to requestSubscribeMessage (`{ [templateId]: "accept" |
 * "reject" | "ban" | "filter" }`).
 */
export function acceptedTemplates(
  templates: Readonly<Partial<Record<SubscribeKind, string>>>,
  answer: Readonly<Record<string, unknown>>,
): AcceptedTemplate[] {
  return configuredKinds(templates)
    .map((kind) => ({ kind, templateId: templates[kind] ?? "" }))
    .filter(({ templateId }) => answer[templateId] === "accept");
}

/** What the applicant is told when some or all notifications were refused (null: all accepted). */
export function refusedNotice(asked: number, accepted: number): string | null {
  if (asked === 0 || accepted >= asked) return null;
  return accepted === 0
    ? "您未同意接收微信通知。办理进度会发送到“我的 → 消息”，也可以随时在“我的申请”中查看。"
    : "部分微信通知未开启。其余办理进度会发送到“我的 → 消息”，也可以随时在“我的申请”中查看。";
}
