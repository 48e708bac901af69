/**
 * How `npm run bench` files a benchmark's JSON summary: figures whose name says "ratio" are the
 * ratios against the baseline of the same run; the rest are figures. Nested objects become dotted
 * names so the two maps stay flat; arrays (the load test's steps) are kept whole.
 */

/** A summary split into its figures and its ratios. */
export interface SplitFigures {
  figures: Record<string, unknown>;
  ratios: Record<string, number | null>;
}

/**
 * Splits and flattens a summary.
 * @param summary the JSON object a benchmark printed last.
 */
export function splitFigures(summary: Record<string, unknown>): SplitFigures {
  const figures: Record<string, unknown> = {};
  const ratios: Record<string, number | null> = {};
  const visit = (prefix: string, value: unknown) => {
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) visit(prefix ? `${prefix}.${key}` : key, inner);
      return;
    }
    const name = prefix.split(".").at(-1) ?? prefix;
    if (/ratio/i.test(name) && (typeof value === "number" || value === null)) ratios[prefix] = value;
    else figures[prefix] = value;
  };
  visit("", summary);
  return { figures, ratios };
}
