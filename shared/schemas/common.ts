/**
 * Building blocks of every API schema: ids, dates, pagination. Messages are Chinese because clients
 * show them as they are.
 */
import { z } from "zod";

// Messages zod writes itself (a wrong type, a missing field) are shown to Chinese users too.
z.config(z.locales.zhCN());

/** A MongoDB ObjectId in its 24-hex-character form. */
export const ObjectIdString = z.string().regex(/^[0-9a-f]{24}$/i, "编号格式不正确");

/** A calendar date 'YYYY-MM-DD' (Asia/Shanghai), checked to exist. */
export const DateString = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "日期格式应为 YYYY-MM-DD")
  .refine((value) => {
    const [y, m, d] = value.split("-").map(Number) as [number, number, number];
    const date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  }, "日期不存在");

/** A non-empty trimmed text of at most `max` characters. */
export function Text(max: number, label = "内容") {
  return z
    .string({ error: `${label}必须是文字` })
    .trim()
    .min(1, `${label}不能为空`)
    .max(max, `${label}不能超过 ${max} 个字`);
}

/**
 * Whether `value` is an absolute http: or https: address with a host. Every user-supplied link goes
 * through this one rule: `javascript:` and `data:` (and any other scheme) would run or smuggle content
 * in the page that shows the link.
 * @param value the trimmed address.
 */
export function isHttpUrl(value: string): boolean {
  if (!/^https?:\/\/[^\s/?#]/i.test(value) || /\s/.test(value)) return false;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return false;
  }
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/** An optional link (empty when absent): only http:// or https:// addresses, at most 500 characters. */
export function HttpUrl(label = "链接") {
  return z
    .string({ error: `${label}必须是文字` })
    .trim()
    .max(500, `${label}不能超过 500 个字符`)
    .refine((value) => value === "" || isHttpUrl(value), `${label}只能是以 http:// 或 https:// 开头的网址`);
}

/** Cursor pagination of list endpoints. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1, "每页条数至少为 1").max(100, "每页条数不能超过 100").default(20),
  cursor: z.string().max(200).optional(),
});

/** Cursor pagination input. */
export type PageQuery = z.infer<typeof PageQuery>;

/** A page of results with the cursor of the next page (null at the end). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
