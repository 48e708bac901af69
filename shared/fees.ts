/**
 * 信息处理费 per 《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）: charged only for
 * excessive volume or frequency, either 按件 or 按量 (one method per application, never both),
 * both 超额累进 (marginal tiers). Amounts are whole yuan.
 */

/** The two charging methods; an application uses exactly one. */
export const feeMethods = ["perRequest", "byPages"] as const;

/** A charging method. */
export type FeeMethod = (typeof feeMethods)[number];

/** Chinese names of the charging methods. */
export const feeMethodLabels: Readonly<Record<FeeMethod, string>> = {
  perRequest: "按件计收",
  byPages: "按量计收",
};

/** Legal basis cited on a 收费通知. */
export const feeLegalBasis =
  "《中华人民共和国政府信息公开条例》第四十二条、《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）";

/** One tier line of a fee computation, for the notice text. */
export interface FeeTierLine {
  from: number;
  to: number | null;
  unitPrice: number;
  quantity: number;
  subtotal: number;
}

/** A computed fee with its tier breakdown. */
export interface FeeResult {
  method: FeeMethod;
  amount: number;
  breakdown: FeeTierLine[];
}

/** Input for computeFee: exactly one method, so both can never be combined. */
export type FeeInput =
  | { method: "perRequest"; ordinalInMonth: number }
  | { method: "byPages"; pages: number };

/**
 * 按件 fee of one application, given that it is the n-th application of the same applicant in the
 * same natural month (cumulative): 1–10 free, 11–30 ¥100, 31–40 ¥200, 41–50 ¥300, +¥100 per 10.
 */
export function perRequestFee(ordinalInMonth: number): number {
  assertPositiveInteger(ordinalInMonth, "当月申请序号");
  if (ordinalInMonth <= 10) return 0;
  if (ordinalInMonth <= 30) return 100;
  return 200 + Math.floor((ordinalInMonth - 31) / 10) * 100;
}

/** 按件 total for an applicant's first `count` applications of a natural month. */
export function perRequestMonthTotal(count: number): number {
  if (count === 0) return 0;
  let total = 0;
  for (let n = 1; n <= count; n++) total += perRequestFee(n);
  return total;
}

/** 按量 page tiers: ≤30 free, 31–100 ¥10, 101–200 ¥20, ≥201 ¥40 per page, marginal. */
export const pageTiers: ReadonlyArray<{ from: number; to: number | null; unitPrice: number }> = [
  { from: 1, to: 30, unitPrice: 0 },
  { from: 31, to: 100, unitPrice: 10 },
  { from: 101, to: 200, unitPrice: 20 },
  { from: 201, to: null, unitPrice: 40 },
];

/** 按量 fee for one application of `pages` pages, with the marginal tier breakdown. */
export function byPagesFee(pages: number): FeeResult {
  if (pages !== 0) assertPositiveInteger(pages, "页数");
  const breakdown: FeeTierLine[] = [];
  for (const tier of pageTiers) {
    const upper = tier.to ?? Number.POSITIVE_INFINITY;
    const quantity = Math.max(0, Math.min(pages, upper) - tier.from + 1);
    if (quantity === 0) continue;
    breakdown.push({ ...tier, quantity, subtotal: quantity * tier.unitPrice });
  }
  return { method: "byPages", amount: breakdown.reduce((sum, line) => sum + line.subtotal, 0), breakdown };
}

/** Fee of one application under the chosen method. */
export function computeFee(input: FeeInput): FeeResult {
  if (input.method === "byPages") return byPagesFee(input.pages);
  const n = input.ordinalInMonth;
  const amount = perRequestFee(n);
  return {
    method: "perRequest",
    amount,
    breakdown: [{ from: n, to: n, unitPrice: amount, quantity: 1, subtotal: amount }],
  };
}

/** Natural-month key 'YYYY-MM' of a date, the period over which 按件 applications accumulate. */
export function feeMonth(date: string): string {
  return date.slice(0, 7);
}

function assertPositiveInteger(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${what}应为正整数：${value}`);
}
