/** Collation approximation: case/diacritic folding for equality, Intl.Collator for order (§6.9). */
import type { Collation } from "../types.ts";

/** The collation that actually changes semantics, or undefined for none/"simple". */
export function effectiveCollation(collation: Collation | null | undefined): Collation | undefined {
  if (!collation || collation.locale === "simple") return undefined;
  return collation;
}

const COMBINING_MARKS = /\p{M}/gu;

/** The string as compared for equality under the collation (strength 1 also drops diacritics). */
export function foldString(s: string, collation: Collation | undefined): string {
  if (!collation) return s;
  const strength = collation.strength ?? 3;
  if (strength >= 3) return s;
  if (strength === 1) {
    return s
      .normalize("NFD")
      .replace(COMBINING_MARKS, "")
      .toLocaleLowerCase(collation.locale)
      .normalize("NFC");
  }
  return s.toLocaleLowerCase(collation.locale).normalize("NFC");
}

const collators = new Map<string, Intl.Collator>();

function collatorFor(c: Collation): Intl.Collator {
  const key = `${c.locale}|${c.strength ?? 3}|${c.caseFirst ?? ""}|${c.numericOrdering ? 1 : 0}|${c.caseLevel ? 1 : 0}`;
  let coll = collators.get(key);
  if (!coll) {
    const strength = c.strength ?? 3;
    const sensitivity =
      strength === 1 ? (c.caseLevel ? "case" : "base") : strength === 2 ? "accent" : "variant";
    const caseFirst = c.caseFirst === "upper" || c.caseFirst === "lower" ? c.caseFirst : "false";
    try {
      coll = new Intl.Collator(c.locale, { sensitivity, caseFirst, numeric: c.numericOrdering === true });
    } catch {
      coll = new Intl.Collator("en", { sensitivity, caseFirst, numeric: c.numericOrdering === true });
    }
    collators.set(key, coll);
  }
  return coll;
}

/** Orders two strings; equal folded forms compare 0 so order agrees with canonicalKey equality. */
export function compareStrings(a: string, b: string, collation: Collation | undefined): number {
  if (a === b) return 0;
  if (!collation) return a < b ? -1 : 1;
  const fa = foldString(a, collation);
  const fb = foldString(b, collation);
  if (fa === fb) return 0;
  const c = collatorFor(collation).compare(a, b);
  if (c !== 0) return c;
  return fa < fb ? -1 : 1;
}
