/**
 * The notification outbox. A transition listener writes one message per step the applicant should
 * hear about (received, correction requested, extended, fee notice, decided, delivered, closed) in the
 * transition's own transaction, so a rolled-back transition leaves no message and a committed one
 * always has its message. `deliverOutbox(services, now)` then sends the pending channels — SMS through
 * the SmsSender, WeChat subscribe messages through `{apiBase}/cgi-bin/message/subscribe/send` — and
 * retries failures with exponential backoff until they are delivered. In-app messages are delivered by
 * being stored. A channel that does not apply (no phone, no openid or subscription, WeChat not
 * configured, the applicant refused) is `skipped`, never retried.
 *
 * Importing this module registers the listener (`server/app.ts` imports it).
 */
import { type FeeMethod, feeMethodLabels } from "@govinfo/shared/fees";
import type { MessageChannel, MessageStep } from "@govinfo/shared/schemas/message";
import { messageStepLabels } from "@govinfo/shared/schemas/message";
import { deliveryLabels, type deliveryMethods } from "@govinfo/shared/schemas/request";
import type { RequestEvent } from "@govinfo/shared/schemas/requestEvent";
import { isOutcomeKey, outcomes } from "@govinfo/shared/stats/keys";
import { kindOfStep, subscribeFields, subscribeMessagePage } from "@govinfo/shared/wechat/subscribe";
import type { ClientSession } from "mongoose";
import type { Logger } from "../logger.ts";
import { Agency } from "../models/Agency.ts";
import { Applicant, type ApplicantDoc } from "../models/Applicant.ts";
import type { DisclosureRequestDoc } from "../models/DisclosureRequest.ts";
import { type ChannelState, OutboxMessage, type OutboxMessageDoc } from "../models/OutboxMessage.ts";
import type { PersonalDataCipher } from "../security/personalData.ts";
import type { WechatSettings } from "./applicantLogin.ts";
import type { SmsSender } from "./notify/sms.ts";
import { onTransition, type TransitionContext } from "./requestTransitioner.ts";
import { takeSubscription } from "./wechatSubscriptions.ts";

/** What the dispatcher needs; `AppServices` satisfies it, and so can a job built from `JobDeps`. */
export interface OutboxServices {
  cipher: PersonalDataCipher;
  sms: SmsSender;
  logger: Logger;
  wechat: WechatSettings;
  /** HTTP client for WeChat; node's fetch by default (tests may pass their own). */
  fetch?: typeof fetch;
}

/** What one dispatcher run did. */
export interface OutboxReport extends Record<string, number> {
  messages: number;
  delivered: number;
  failed: number;
  skipped: number;
}

/** First retry after one minute, doubling up to six hours; attempts never stop until delivered. */
export function backoffMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 6 * 3600_000);
}

/** How long a dispatcher holds a message while sending it. */
export const LOCK_MS = 2 * 60_000;

/** Which step an event tells the applicant about (none for internal steps such as consultation). */
export function stepOf(eventType: string): MessageStep | null {
  switch (eventType) {
    case "confirmReceipt":
    case "receiveCorrection":
      return "received";
    case "requestCorrection":
      return "correctionRequested";
    case "extend":
    case "delayDeadline":
      return "extended";
    case "feeNotice":
      return "feeNotice";
    case "decide":
      return "decided";
    case "deliver":
      return "delivered";
    case "withdraw":
    case "expireCorrection":
    case "expireFee":
    case "closeUnprocessed":
      return "closed";
    default:
      return null;
  }
}

/**
 * Enqueues the applicant's notification of a transition, inside the transition's transaction.
 * @param context what the transitioner passes to its listeners.
 */
export async function enqueueTransitionMessage(context: TransitionContext): Promise<void> {
  const { after, event, session } = context;
  const step = stepOf(event.type);
  if (!step) return;
  const agency = await Agency.findById(after.agencyId, { name: 1 }).session(session).lean<{ name: string }>();
  const text = messageText(step, event, after, agency?.name ?? "本机关");
  await enqueueApplicantMessage({
    request: after,
    eventIndex: after.events.length - 1,
    eventType: event.type,
    step,
    text,
    date: event.date,
    session,
  });
}

/**
 * Enqueues one message to the applicant of `request` about its event `eventIndex` (in-app, SMS,
 * WeChat), inside the caller's transaction. Also used for steps that are not transitions of the
 * request itself, such as an application handed on to it (转办).
 */
export async function enqueueApplicantMessage(args: {
  request: Pick<DisclosureRequestDoc, "_id" | "agencyId" | "applicantAccountId" | "serialNo" | "applicant">;
  eventIndex: number;
  eventType: string;
  step: MessageStep;
  text: { title: string; body: string };
  date: string;
  session: ClientSession;
}): Promise<void> {
  const { request: after, text, step, session } = args;
  const account = after.applicantAccountId
    ? await Applicant.findById(after.applicantAccountId).session(session).lean<ApplicantDoc>()
    : null;
  const phoneSealed = after.applicant.phoneSealed || account?.phoneSealed || "";
  // One consent allows one message: the template of this step's kind is taken with the transition.
  const templateId = account?.openid ? await takeSubscription(account, kindOfStep(step), session) : null;
  const now = new Date();
  const pending: Partial<ChannelState> = { status: "pending", attempts: 0, nextAttemptAt: now };
  const skipped = (reason: string): Partial<ChannelState> => ({ status: "skipped", skippedReason: reason });
  const channels: Record<MessageChannel, Partial<ChannelState>> = {
    inApp: account ? { status: "delivered" as const, deliveredAt: now } : skipped("申请人没有平台账户"),
    sms: phoneSealed ? pending : skipped("没有联系电话"),
    wechat: !account?.openid
      ? skipped("申请人未使用微信登录")
      : !templateId
        ? skipped("申请人未订阅微信消息")
        : pending,
  };
  const isPending = channels.sms.status === "pending" || channels.wechat.status === "pending";
  await OutboxMessage.create(
    [
      {
        requestId: after._id,
        agencyId: after.agencyId,
        applicantAccountId: after.applicantAccountId ?? null,
        serialNo: after.serialNo,
        eventIndex: args.eventIndex,
        eventType: args.eventType,
        step,
        title: text.title,
        body: text.body,
        smsText: `【政府信息公开】${text.body}`,
        phoneSealed,
        openid: account?.openid ?? null,
        templateId,
        date: args.date,
        channels,
        status: isPending ? "pending" : "done",
        nextAttemptAt: isPending ? now : null,
      },
    ],
    { session },
  );
}

/**
 * Sends every message whose next attempt is due, at most `limit` per run; safe to run concurrently
 * and repeatedly (a delivered channel is never sent again).
 * @param now the time of this run (tests pass a fixed one).
 */
export async function deliverOutbox(
  services: OutboxServices,
  now: Date = new Date(),
  options: { limit?: number } = {},
): Promise<OutboxReport> {
  const report: OutboxReport = { messages: 0, delivered: 0, failed: 0, skipped: 0 };
  const due = {
    status: "pending" as const,
    nextAttemptAt: { $lte: now },
    $or: [{ lockedUntil: null }, { lockedUntil: { $lte: now } }],
  };
  const candidates = await OutboxMessage.find(due, { _id: 1 })
    .sort({ nextAttemptAt: 1 })
    .limit(options.limit ?? 100)
    .lean();
  for (const { _id } of candidates) {
    const message = await OutboxMessage.findOneAndUpdate(
      { _id, ...due },
      { $set: { lockedUntil: new Date(now.getTime() + LOCK_MS) } },
      { returnDocument: "after" },
    ).lean<OutboxMessageDoc>();
    if (!message) continue;
    report.messages++;
    await deliverOne(services, message, now, report);
  }
  return report;
}

/** A scheduler job running the dispatcher (the scheduler's `Job` shape). */
export function createOutboxJob(services: OutboxServices): {
  name: string;
  intervalMs: number;
  run(now: Date): Promise<OutboxReport>;
} {
  return { name: "deliverOutbox", intervalMs: 60_000, run: (now) => deliverOutbox(services, now) };
}

/** Every transition queues its message in the same transaction (registered once by the transitioner). */
onTransition(enqueueTransitionMessage);

type Attempt = { ok: true } | { ok: false; error: string } | { ok: "skip"; reason: string };

async function deliverOne(
  services: OutboxServices,
  message: OutboxMessageDoc,
  now: Date,
  report: OutboxReport,
): Promise<void> {
  const set: Record<string, unknown> = {};
  const states: Record<MessageChannel, ChannelState> = { ...message.channels };
  for (const channel of ["sms", "wechat"] as const) {
    const state = message.channels[channel];
    if (state.status !== "pending" || (state.nextAttemptAt && state.nextAttemptAt > now)) continue;
    const attempt = await attemptChannel(services, channel, message);
    const attempts = (state.attempts ?? 0) + 1;
    let next: ChannelState;
    if (attempt.ok === true) {
      next = {
        ...state,
        status: "delivered",
        attempts,
        deliveredAt: now,
        nextAttemptAt: null,
        lastError: "",
      };
      report.delivered++;
    } else if (attempt.ok === "skip") {
      next = { ...state, status: "skipped", attempts, skippedReason: attempt.reason, nextAttemptAt: null };
      report.skipped++;
    } else {
      next = {
        ...state,
        attempts,
        lastError: attempt.error.slice(0, 500),
        nextAttemptAt: new Date(now.getTime() + backoffMs(attempts)),
      };
      report.failed++;
      services.logger.warn(
        { messageId: String(message._id), channel, attempts, error: next.lastError },
        "outbox delivery failed; will retry",
      );
    }
    states[channel] = next;
    set[`channels.${channel}`] = next;
  }
  const waiting = (["sms", "wechat"] as const)
    .map((channel) => states[channel])
    .filter((state) => state.status === "pending");
  set.status = waiting.length > 0 ? "pending" : "done";
  set.nextAttemptAt =
    waiting.length > 0
      ? new Date(Math.min(...waiting.map((state) => (state.nextAttemptAt ?? now).getTime())))
      : null;
  set.lockedUntil = null;
  await OutboxMessage.updateOne({ _id: message._id }, { $set: set });
}

async function attemptChannel(
  services: OutboxServices,
  channel: "sms" | "wechat",
  message: OutboxMessageDoc,
): Promise<Attempt> {
  if (channel === "sms") {
    let phone: string;
    try {
      phone = services.cipher.decrypt(message.phoneSealed);
    } catch {
      // Sealed with another key: no retry can ever read it.
      return { ok: "skip", reason: "联系电话无法解密" };
    }
    try {
      await services.sms.send(phone, message.smsText);
      return { ok: true };
    } catch (error) {
      return { ok: false, error: errorText(error) };
    }
  }
  return sendWechat(services, message);
}

/** WeChat error codes after which retrying cannot help: the applicant has not subscribed or refused. */
const WECHAT_REFUSED = new Set([43101, 43107, 43108]);
/** WeChat error codes of an invalid or expired access token. */
const WECHAT_BAD_TOKEN = new Set([40001, 40014, 42001]);

async function sendWechat(services: OutboxServices, message: OutboxMessageDoc): Promise<Attempt> {
  const settings = services.wechat;
  if (!settings.appId || !settings.secret) return { ok: "skip", reason: "微信订阅消息未配置" };
  if (!message.openid || !message.templateId) return { ok: "skip", reason: "申请人未订阅微信消息" };
  const http = services.fetch ?? fetch;
  try {
    const token = await accessToken(settings, http);
    const url = new URL("/cgi-bin/message/subscribe/send", settings.apiBase);
    url.searchParams.set("access_token", token);
    const response = await http(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        touser: message.openid,
        template_id: message.templateId,
        page: `${subscribeMessagePage}?id=${String(message.requestId)}`,
        miniprogram_state: "formal",
        lang: "zh_CN",
        data: wechatData(message),
      }),
      signal: AbortSignal.timeout(5_000),
    });
    const payload = (await response.json()) as { errcode?: number; errmsg?: string };
    const code = payload.errcode ?? 0;
    if (code === 0) return { ok: true };
    if (WECHAT_REFUSED.has(code)) return { ok: "skip", reason: `申请人未订阅或已拒收（${code}）` };
    if (WECHAT_BAD_TOKEN.has(code)) tokens.delete(tokenKey(settings));
    return { ok: false, error: `微信接口错误 ${code}：${payload.errmsg ?? ""}` };
  } catch (error) {
    return { ok: false, error: errorText(error) };
  }
}

/**
 * The subscribe-message fields, under the keys every template must have (shared/wechat/subscribe.ts);
 * WeChat limits thing to 20 and phrase to 5 characters.
 */
export function wechatData(message: Pick<OutboxMessageDoc, "serialNo" | "step" | "date" | "title">) {
  const [year, month, day] = message.date.split("-").map(Number);
  return {
    [subscribeFields.serialNo.key]: { value: message.serialNo.slice(0, 20) },
    [subscribeFields.step.key]: { value: messageStepLabels[message.step as MessageStep] },
    [subscribeFields.date.key]: { value: `${year}年${month}月${day}日` },
    [subscribeFields.note.key]: { value: `${message.title}，请进入小程序查看`.slice(0, 20) },
  };
}

const tokens = new Map<string, { token: string; expiresAt: number }>();
const tokenKey = (settings: WechatSettings) => `${settings.apiBase}|${settings.appId}`;

async function accessToken(settings: WechatSettings, http: typeof fetch): Promise<string> {
  const key = tokenKey(settings);
  const cached = tokens.get(key);
  if (cached && cached.expiresAt > Date.now()) return cached.token;
  const url = new URL("/cgi-bin/token", settings.apiBase);
  url.search = new URLSearchParams({
    grant_type: "client_credential",
    appid: settings.appId ?? "",
    secret: settings.secret ?? "",
  }).toString();
  const response = await http(url, { signal: AbortSignal.timeout(5_000) });
  const payload = (await response.json()) as { access_token?: string; expires_in?: number; errcode?: number };
  if (!payload.access_token)
    throw new Error(`获取微信 access_token 失败（${payload.errcode ?? response.status}）`);
  // Refresh five minutes early: a token that expires in flight fails the send.
  tokens.set(key, {
    token: payload.access_token,
    expiresAt: Date.now() + Math.max(0, (payload.expires_in ?? 7200) - 300) * 1000,
  });
  return payload.access_token;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function chineseDate(iso: string): string {
  const [year, month, day] = iso.split("-").map(Number);
  return `${year}年${month}月${day}日`;
}

function messageText(
  step: MessageStep,
  event: RequestEvent,
  after: DisclosureRequestDoc,
  agencyName: string,
): { title: string; body: string } {
  const application = `您的政府信息公开申请（${after.serialNo}）`;
  const due = after.dueDate ? `，答复期限为${chineseDate(after.dueDate)}` : "";
  switch (event.type) {
    case "confirmReceipt":
      return {
        title: "申请已收到",
        body: `${agencyName}已于${chineseDate(event.date)}收到${application}${due}。`,
      };
    case "receiveCorrection":
      return {
        title: "补正申请已收到",
        body: `${agencyName}已于${chineseDate(event.date)}收到${application}的补正材料，答复期限重新计算${due}。`,
      };
    case "requestCorrection":
      return {
        title: "申请需要补正",
        body: `${application}内容不明确，需要补正，请于${chineseDate(event.deadline)}前补正，补正事项详见补正告知书。无正当理由逾期不补正的，视为放弃申请。`,
      };
    case "extend":
      return {
        title: "答复期限已延长",
        body: `${application}的答复期限经批准延长${event.workingDays}个工作日${due}。`,
      };
    case "delayDeadline":
      return {
        title: "答复期限已延长",
        body: `${application}的答复期限确定延迟至${chineseDate(event.deadline)}。`,
      };
    case "feeNotice":
      return {
        title: "信息处理费缴费通知",
        body: `${application}需缴纳信息处理费${event.amount}元（${feeMethodLabels[event.method as FeeMethod]}），请自收到收费通知之日的次日起20个工作日内缴纳；逾期未缴纳的，视为放弃申请。`,
      };
    case "decide": {
      const result = isOutcomeKey(event.outcome) ? `（${outcomes[event.outcome].ledgerName}）` : "";
      if (event.transfer) {
        return {
          title: "申请已转办",
          body: `${agencyName}告知${application}不属于本机关负责公开，经您同意已转送负责公开的行政机关办理，请查看告知书和新的申请记录。`,
        };
      }
      return {
        title: "申请已答复",
        body: `${agencyName}已对${application}作出答复${result}，请查看答复告知书。`,
      };
    }
    case "deliver": {
      const method = deliveryLabels[event.method as (typeof deliveryMethods)[number]] ?? "";
      return {
        title: "答复已送达",
        body: `${application}的答复已于${chineseDate(event.date)}送达${method ? `（${method}）` : ""}。`,
      };
    }
    case "withdraw":
      return {
        title: "申请已撤回",
        body: `${application}已于${chineseDate(event.date)}撤回，${agencyName}不再处理。`,
      };
    case "expireCorrection":
      return {
        title: "申请已终止处理",
        body: `${application}因无正当理由逾期未补正，视为放弃申请，${agencyName}不再处理。`,
      };
    case "expireFee":
      return {
        title: "申请已终止处理",
        body: `${application}因逾期未缴纳信息处理费，视为放弃申请，${agencyName}不再处理。`,
      };
    default:
      return {
        title: step === "closed" ? "申请已终止处理" : messageStepLabels[step],
        body: `${agencyName}对${application}不再处理，详见告知书。`,
      };
  }
}
