/**
 * The applications staff work on during a run, and the next lifecycle step for each. Every event is
 * sent with the version the previous answer returned, so a request is checked out while its event is
 * in flight: two concurrent events on one application would (correctly) conflict, which is not what
 * the benchmark measures.
 *
 * The steps cycle so a small pool never runs dry: 确认收到 (online submissions) → 补正 requested →
 * corrections recorded → 征求意见 started → ended → started… (补正 is allowed once per application).
 */
import { dateInChina } from "../../server/services/calendar.ts";

/** An application as the workload last saw it. */
export interface TrackedRequest {
  id: string;
  version: number;
  state: string;
  isCorrected: boolean;
  isBusy: boolean;
}

/** The next event for a request, and which staff role sends it. */
export interface NextStep {
  role: "registrar" | "handler";
  event: Record<string, unknown>;
}

/** The pool of applications: new online submissions first, then the ones in work. */
export interface RequestPool {
  /** Adds an application (a fresh online submission waits for 确认收到). */
  add(request: TrackedRequest): void;
  /** An idle application to act on, marked busy, or undefined when every one is busy. */
  checkout(pick: () => number): TrackedRequest | undefined;
  /** Hands a request back after its event, with the state and version the server answered. */
  release(request: TrackedRequest, answer?: { state: string; version: number }): void;
  /** Any known application id (for reads). */
  anyId(pick: () => number): string | undefined;
  size(): number;
}

/** Creates an empty pool. */
export function createRequestPool(): RequestPool {
  const awaitingReceipt: TrackedRequest[] = [];
  const inWork: TrackedRequest[] = [];
  const all: TrackedRequest[] = [];
  return {
    add(request) {
      all.push(request);
      (request.state === "submitted" ? awaitingReceipt : inWork).push(request);
    },
    checkout(pick) {
      const fresh = awaitingReceipt.shift();
      if (fresh) {
        fresh.isBusy = true;
        return fresh;
      }
      if (inWork.length === 0) return undefined;
      const offset = Math.floor(pick() * inWork.length);
      for (let i = 0; i < inWork.length; i++) {
        const candidate = inWork[(offset + i) % inWork.length] as TrackedRequest;
        if (!candidate.isBusy) {
          candidate.isBusy = true;
          return candidate;
        }
      }
      return undefined;
    },
    release(request, answer) {
      const wasAwaiting = request.state === "submitted";
      if (answer) {
        if (request.state === "correctionRequested" && answer.state === "received")
          request.isCorrected = true;
        request.state = answer.state;
        request.version = answer.version;
      }
      request.isBusy = false;
      if (!wasAwaiting) return;
      (request.state === "submitted" ? awaitingReceipt : inWork).push(request);
    },
    anyId(pick) {
      return all.length === 0 ? undefined : all[Math.floor(pick() * all.length)]?.id;
    },
    size: () => all.length,
  };
}

/**
 * The next lifecycle step for `request`, dated today as staff would date it.
 * @param request the application as last seen.
 */
export function nextStep(request: TrackedRequest): NextStep {
  const date = dateInChina();
  switch (request.state) {
    case "submitted":
      return { role: "registrar", event: { type: "confirmReceipt", date } };
    case "correctionRequested":
      return {
        role: "handler",
        event: { type: "receiveCorrection", date, description: "2024年乐都区空气质量监测月报（电子版）" },
      };
    case "consulting":
      return { role: "handler", event: { type: "endConsultation", date, result: "agreed" } };
    case "received":
      return request.isCorrected
        ? {
            role: "handler",
            event: { type: "startConsultation", date, party: "otherAgency", name: "海东市自然资源局" },
          }
        : {
            role: "handler",
            event: {
              type: "requestCorrection",
              date,
              items: ["请写明所需信息的年份和区域"],
              deadline: addDays(date, 15),
            },
          };
    default:
      throw new Error(`no benchmark step from state ${request.state}`);
  }
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
