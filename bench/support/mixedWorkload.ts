/**
 * The mixed workload: what citizens and staff do on the platform, as weighted operations over the
 * real API. Browse (catalogue pages and items, annual reports), search, apply (a citizen submits an
 * application and checks their list) and staff work (the queue, an application's page, a lifecycle
 * event). Operations are drawn from a seeded generator, so every run sends the same sequence.
 */
import { createRandom } from "@govinfo/shared/random";
import type { HttpClient, HttpResponse } from "./httpClient.ts";
import type { Operation } from "./openLoop.ts";
import { createRequestPool, nextStep, type RequestPool, type TrackedRequest } from "./requestPool.ts";

/** Share of each operation in the mix, in percent, with the group it is reported under. */
export const MIX: readonly { kind: string; name: string; weight: number }[] = [
  { kind: "browse", name: "catalogueList", weight: 20 },
  { kind: "browse", name: "catalogueItem", weight: 15 },
  { kind: "browse", name: "reports", weight: 7 },
  { kind: "search", name: "search", weight: 20 },
  { kind: "apply", name: "apply", weight: 6 },
  { kind: "apply", name: "mine", weight: 6 },
  { kind: "staff", name: "staffQueue", weight: 12 },
  { kind: "staff", name: "staffOpen", weight: 8 },
  { kind: "staff", name: "staffEvent", weight: 6 },
];

/** An applicant may submit 20 applications an hour; the workload keeps each account below that. */
export const APPLIES_PER_APPLICANT = 15;

/** Share of arrivals that are submissions, to size the applicant accounts. */
export const APPLY_SHARE = (MIX.find((m) => m.name === "apply")?.weight ?? 0) / 100;

/** What the workload acts with. */
export interface WorkloadContext {
  client: HttpClient;
  bureauId: string;
  staff: { registrar: Record<string, string>; handler: Record<string, string> };
  applicantTokens: string[];
  /** Published catalogue item ids and annual report paths, found during warm-up. */
  itemIds: string[];
  reportPaths: string[];
}

/** A workload: the i-th operation, and what it has done so far. */
export interface Workload {
  next(i: number): Operation;
  /** The operation of the mix named `name` (warm-up). */
  operation(name: string): Operation;
  /** Staff events that found every application busy and read the queue instead. */
  eventFallbacks(): number;
  pool: RequestPool;
}

const searchQueries = [
  "大气污染防治",
  "排污许可证",
  "环境影响报告表的批复",
  "饮用水水源地",
  "突发环境事件应急预案",
  "行政处罚决定书",
  "环境空气质量状况",
  "危险废物",
  "扬尘",
  "乐都区",
  "污水处理厂",
  "重污染天气",
  "生态环境状况公报",
  "湟水河",
  "罚款",
];

const descriptions = [
  "2024年乐都区空气质量监测月报",
  "海东市生态环境局2023年行政处罚决定书",
  "湟水河海东段水质监测数据",
  "某污水处理厂提标改造项目环境影响报告表的批复",
];

/**
 * Creates the workload over a started, warmed-up server.
 * @param context the client, the demo bureau, staff sessions, applicant tokens and public ids.
 * @param seed the generator seed.
 */
export function createMixedWorkload(context: WorkloadContext, seed = 20_240_601): Workload {
  const random = createRandom(seed);
  const pick = () => random.next();
  const pool = createRequestPool();
  const totalWeight = MIX.reduce((sum, m) => sum + m.weight, 0);
  const a = context.bureauId;
  const listPaths = [
    `/api/catalogue/items?agency=${a}`,
    "/api/catalogue/items",
    `/api/catalogue/items?agency=${a}&category=licensing`,
    `/api/catalogue/items?agency=${a}&category=news`,
    `/api/catalogue/items?agency=${a}&limit=50`,
  ];
  const queueStates = [
    "",
    "&state=submitted",
    "&state=received",
    "&state=correctionRequested",
    "&state=consulting",
  ];
  let applies = 0;
  let fallbacks = 0;
  const client = context.client;

  const get = async (path: string, headers?: Record<string, string>): Promise<void> => {
    check(await client.send(path, headers ? { headers } : {}), 200);
  };

  const operations: Record<string, () => Promise<void>> = {
    catalogueList: () => get(listPaths[Math.floor(pick() * listPaths.length)] as string),
    catalogueItem: () =>
      get(`/api/catalogue/items/${context.itemIds[Math.floor(pick() * context.itemIds.length)]}`),
    reports: () => {
      const paths = ["/api/reports/public", ...context.reportPaths];
      return get(paths[Math.floor(pick() * paths.length)] as string);
    },
    search: () =>
      get(
        `/api/catalogue/search?agency=${a}&q=${encodeURIComponent(searchQueries[Math.floor(pick() * searchQueries.length)] as string)}`,
      ),
    apply: async () => {
      const tokens = context.applicantTokens;
      if (applies >= tokens.length * APPLIES_PER_APPLICANT) throw new Error("applicant accounts used up");
      const token = tokens[applies % tokens.length] as string;
      applies++;
      const response = await client.send("/api/requests", {
        method: "POST",
        headers: { Authorization: `Bearer ${token}` },
        json: submission(a, descriptions[Math.floor(pick() * descriptions.length)] as string),
      });
      const data = dataOf(response, 201) as { id: string; version: number; state: string };
      pool.add({ id: data.id, version: data.version, state: data.state, isCorrected: false, isBusy: false });
    },
    mine: () => {
      const tokens = context.applicantTokens;
      return get("/api/requests/mine", {
        Authorization: `Bearer ${tokens[Math.floor(pick() * tokens.length)]}`,
      });
    },
    staffQueue: () =>
      get(
        `/api/requests?agencyId=${a}${queueStates[Math.floor(pick() * queueStates.length)]}`,
        context.staff.handler,
      ),
    staffOpen: async () => {
      const id = pool.anyId(pick);
      if (id === undefined) return operations.staffQueue?.();
      await get(`/api/requests/${id}`, context.staff.handler);
    },
    staffEvent: async () => {
      const request = pool.checkout(pick);
      if (!request) {
        fallbacks++;
        return operations.staffQueue?.();
      }
      await fire(request);
    },
  };

  const fire = async (request: TrackedRequest) => {
    let answer: { state: string; version: number } | undefined;
    try {
      const step = nextStep(request);
      const response = await client.send(`/api/requests/${request.id}/events`, {
        method: "POST",
        headers: context.staff[step.role],
        json: { event: step.event, expectedVersion: request.version },
      });
      answer = (dataOf(response, 200) as { request: { state: string; version: number } }).request;
    } finally {
      pool.release(request, answer);
    }
  };

  const operationOf = (entry: (typeof MIX)[number]): Operation => ({
    kind: entry.kind,
    name: entry.name,
    send: operations[entry.name] as () => Promise<void>,
  });

  return {
    pool,
    eventFallbacks: () => fallbacks,
    next: () => {
      const roll = pick() * totalWeight;
      let sum = 0;
      const chosen = MIX.find((m) => {
        sum += m.weight;
        return roll < sum;
      });
      return operationOf(chosen ?? (MIX[0] as (typeof MIX)[number]));
    },
    operation: (name) => {
      const entry = MIX.find((m) => m.name === name);
      if (!entry) throw new Error(`no operation ${name}`);
      return operationOf(entry);
    },
  };
}

/**
 * An online application to `agencyId`, as the mini-program form sends it.
 * @param agencyId the agency applied to.
 * @param description what is asked for.
 */
export function submission(agencyId: string, description: string) {
  return {
    agencyId,
    applicant: {
      type: "natural",
      name: "李四",
      idType: "idCard",
      idNumber: "11010519491231002X",
      phone: "13812345678",
      address: "青海省海东市乐都区碾伯镇1号",
      email: "lisi@example.com",
    },
    description,
    infoForm: "electronic",
    delivery: "email",
  };
}

/**
 * Throws with the answer unless `response` has `status`.
 * @param response the response.
 * @param status the status expected.
 */
export function check(response: HttpResponse, status: number): void {
  if (response.status !== status) throw new Error(`${response.status} ${response.text.slice(0, 300)}`);
}

/**
 * The `data` of a success envelope after checking the status.
 * @param response the response.
 * @param status the status expected.
 */
export function dataOf(response: HttpResponse, status: number): unknown {
  check(response, status);
  return (JSON.parse(response.text) as { data?: unknown }).data;
}
