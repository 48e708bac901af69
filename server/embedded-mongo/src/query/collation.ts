/** Collation approximation: case/diacritic folding for equality, Intl.Collator for order (§6.9). */
import type { Collation } from "../types.ts";

/** The collation that actually changes semantics, or undefined for none/"simple". */
export function effectiveCollation(collation: Collation | null | undefined): Collation | undefined {
  if (!collation || collation.locale === "simple") return undefined;
  return collation;
}

const COMBINING_MARKS = /\p{M}/gu;
const locales = new Map<string, string>();

/** MongoDB spells locales with underscores (en_US); JavaScript wants BCP 47 tags (en-US). */
function jsLocale(locale: string): string {
  let tag = locales.get(locale);
  if (tag === undefined) {
    tag = locale.replace(/_/g, "-").replace(/@.*$/, "");
    try {
      "a".toLocaleLowerCase(tag);
    } catch {
      tag = "en";
    }
    locales.set(locale, tag);
  }
  return tag;
}

/** The string as compared for equality under the collation (strength 1 also drops diacritics). */
export function foldString(s: string, collation: Collation | undefined): string {
  if (!collation) return s;
  const strength = collation.strength ?? 3;
  if (strength >= 3) return s;
  if (strength === 1) {
    return s
      .normalize("NFD")
      .replace(COMBINING_MARKS, "")
      .toLocaleLowerCase(jsLocale(collation.locale))
      .normalize("NFC");
  }
  return s.toLocaleLowerCase(jsLocale(collation.locale)).normalize("NFC");
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
      coll = new Intl.Collator(jsLocale(c.locale), {
        sensitivity,
        caseFirst,
        numeric: c.numericOrdering === true,
      });
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
