/**
 * WeChat subscribe messages (订阅消息), as one table for every side: the notification kinds an
 * applicant can subscribe to and the message steps each carries (the mini-program asks for consent
 * per kind, the server picks the template by kind); and the fields every template must have, keyed as the server fills them (`wechatData` in server/services/outbox.ts). The build
 * variable that holds each kind's template id is in client/miniapp/config/weapp.ts.
 *
 * WeChat lets one tap ask for at most three one-time templates, and each consent allows one message,
 * so the steps are grouped into three kinds an applicant understands.
 */
import type { MessageStep } from "../schemas/message.ts";

/** Kinds of notification, one subscribe-message template each. */
export const subscribeKinds = ["progress", "action", "result"] as const;

/** A kind of notification. */
export type SubscribeKind = (typeof subscribeKinds)[number];

/** What each kind is called in the WeChat console and the steps it carries. */
export const subscribeKindInfo: Readonly<
  Record<SubscribeKind, { title: string; steps: readonly MessageStep[] }>
> = {
  progress: {
    title: "申请办理进度通知",
    steps: ["received", "extended", "delivered", "closed"],
  },
  action: { title: "补正及缴费提醒", steps: ["correctionRequested", "feeNotice"] },
  result: { title: "申请答复结果通知", steps: ["decided"] },
};

/**
 * The keywords every template must have, in this order: key (as WeChat numbers the keyword), its
 * name in the template library, and WeChat's limit for that keyword type.
 */
export const subscribeFields = {
  serialNo: { key: "thing1", name: "申请编号", limit: "thing：20 个以内字符" },
  step: { key: "phrase2", name: "办理进度", limit: "phrase：5 个以内汉字" },
  date: { key: "date3", name: "办理日期", limit: "date：年月日" },
  note: { key: "thing4", name: "温馨提示", limit: "thing：20 个以内字符" },
} as const;

/** The page a subscribe message opens (the application's detail), without the leading slash. */
export const subscribeMessagePage = "pages/mine/detail/index";

/** The kind whose template carries a step. */
export function kindOfStep(step: MessageStep): SubscribeKind {
  return subscribeKinds.find((kind) => subscribeKindInfo[kind].steps.includes(step)) ?? "progress";
}

/** How an accepted template is stored on the applicant: one entry per consent, `kind:templateId`. */
export function subscriptionEntry(kind: SubscribeKind, templateId: string): string {
  return `${kind}:${templateId}`;
}
