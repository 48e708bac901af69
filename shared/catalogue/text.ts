/**
 * Pure text helpers of catalogue search: normalisation, 文号 (document number) keys, HTML escaping
 * and `<em>` highlighting. Segmentation itself (jieba) lives on the server; everything here is plain
 * string work so clients can reuse it.
 */

/** Folds full-width forms (ＡＢＣ１２３, ［］) to ASCII and lowercases Latin letters. */
export function normalizeText(text: string): string {
  return text.normalize("NFKC").toLowerCase();
}

/** The parts of a 文号 such as 青环发〔2019〕12号: issuer prefix, year, sequence number. */
export interface DocNumberParts {
  prefix: string;
  year: string;
  number: string;
}

// Issuer prefix (Han or Latin), then the year in any bracket (〔〕 [] () 【】 ［］ or none), then the number.
const DOC_NUMBER =
  /([\p{Script=Han}A-Za-z]{1,16})\s*[〔[(（【［{〖]?\s*((?:19|20)\d{2})\s*[〕\])）】］}〗]?\s*(?:第\s*)?(\d{1,6})\s*号?/gu;
const YEAR_ONLY = /([\p{Script=Han}A-Za-z]{1,16})\s*[〔[(（【［{〖]\s*((?:19|20)\d{2})\s*[〕\])）】］}〗]/gu;

/** Every 文号 found in a text (each match once). */
export function parseDocNumbers(text: string): DocNumberParts[] {
  const found: DocNumberParts[] = [];
  const source = normalizeText(text).slice(0, 2000);
  for (const m of source.matchAll(DOC_NUMBER)) {
    found.push({ prefix: m[1] ?? "", year: m[2] ?? "", number: String(Number(m[3])) });
  }
  return found;
}

/** Issuer-and-year 文号 fragments without a number, e.g. 青环发〔2019〕. */
export function parseDocNumberYears(text: string): Array<{ prefix: string; year: string }> {
  const source = normalizeText(text).slice(0, 2000);
  return [...source.matchAll(YEAR_ONLY)].map((m) => ({ prefix: m[1] ?? "", year: m[2] ?? "" }));
}

/**
 * Index keys of a 文号 for the document side: full key per suffix of the issuer prefix (so a query
 * whose prefix carries extra words, or drops the city, still meets it) and the issuer-year key.
 */
export function docNumberKeys(docNumber: string): string[] {
  const keys = new Set<string>();
  for (const { prefix, year, number } of parseDocNumbers(docNumber)) {
    for (const suffix of suffixes(prefix)) {
      keys.add(`#${suffix}/${year}/${number}`);
      keys.add(`#${suffix}/${year}`);
    }
  }
  return [...keys];
}

/** Keys a query's 文号 fragments look for, each with its weight (a longer issuer match weighs more). */
export function docNumberQueryKeys(query: string): Array<{ key: string; weight: number }> {
  const keys = new Map<string, number>();
  const put = (key: string, weight: number) => keys.set(key, Math.max(keys.get(key) ?? 0, weight));
  for (const { prefix, year, number } of parseDocNumbers(query)) {
    for (const suffix of suffixes(prefix)) put(`#${suffix}/${year}/${number}`, 4 + suffix.length);
  }
  for (const { prefix, year } of parseDocNumberYears(query)) {
    for (const suffix of suffixes(prefix)) put(`#${suffix}/${year}`, 1 + suffix.length / 2);
  }
  return [...keys].map(([key, weight]) => ({ key, weight }));
}

function suffixes(prefix: string): string[] {
  const chars = [...prefix];
  const out: string[] = [];
  // Two characters is the shortest issuer abbreviation worth matching (e.g. 环发).
  for (let i = 0; i <= chars.length - 2; i++) out.push(chars.slice(i).join(""));
  return out;
}

/** Escapes the five HTML-significant characters. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes a string for use inside a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

/**
 * Returns the text HTML-escaped with every occurrence of `words` wrapped in `<em>`; longer words win
 * over their own parts. Case-insensitive for Latin letters.
 */
export function highlight(text: string, words: readonly string[]): string {
  const usable = [...new Set(words.filter((w) => w.trim() !== ""))].sort((a, b) => b.length - a.length);
  if (usable.length === 0) return escapeHtml(text);
  const pattern = new RegExp(usable.slice(0, 64).map(escapeRegExp).join("|"), "giu");
  let out = "";
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    const at = m.index ?? 0;
    if (m[0] === "") continue;
    out += `${escapeHtml(text.slice(last, at))}<em>${escapeHtml(m[0])}</em>`;
    last = at + m[0].length;
  }
  return out + escapeHtml(text.slice(last));
}

/**
 * A window of `size` characters of `text` around the first occurrence of any of `words` (the start
 * when none occurs), with an ellipsis where it was cut, highlighted and HTML-escaped.
 */
export function snippet(text: string, words: readonly string[], size = 120): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const lower = flat.toLowerCase();
  let first = -1;
  for (const word of words) {
    if (word === "") continue;
    const at = lower.indexOf(word.toLowerCase());
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  const start = first < 0 ? 0 : Math.max(0, first - Math.floor(size / 4));
  const end = Math.min(flat.length, start + size);
  const body = highlight(flat.slice(start, end), words);
  return `${start > 0 ? "…" : ""}${body}${end < flat.length ? "…" : ""}`;
}

/**
 * Plain text of a Markdown or plain body: drops markup characters, keeps the words. Code fences,
 * images, links and tags are found by scanning with `indexOf` and remembering where the next closing
 * mark is, never by a pattern that searches again from every opening (`<` repeated 200 000 times
 * would otherwise cost 200 000² steps), so any body is read in linear time.
 */
export function plainText(body: string): string {
  const withoutTags = replaceSpans(links(links(replaceSpans(body, "```", "```"), true), false), "<", ">");
  return withoutTags
    .replace(/^[#>*\-+\s]+/gm, "")
    .replace(/[*_`~|]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** Replaces each span from `open` to the first `close` after it with a space; an unclosed `open` stays. */
function replaceSpans(text: string, open: string, close: string): string {
  let out = "";
  let at = 0;
  for (let start = text.indexOf(open, at); start >= 0; start = text.indexOf(open, at)) {
    const end = text.indexOf(close, start + open.length);
    // No closing mark after this opening means none after any later one either.
    if (end < 0) break;
    out += `${text.slice(at, start)} `;
    at = end + close.length;
  }
  return out + text.slice(at);
}

/** Markdown links `[text](url)` become their text, images `![alt](url)` a space. */
function links(text: string, images: boolean): string {
  const open = images ? "![" : "[";
  let out = "";
  let at = 0;
  // The first `]` / `)` at or after a position, remembered: a later opening reuses it while valid.
  let bracket = -1;
  let paren = -1;
  for (let start = text.indexOf(open, at); start >= 0; start = text.indexOf(open, at)) {
    const inner = start + open.length;
    if (bracket < inner) bracket = text.indexOf("]", inner);
    if (bracket < 0) break;
    if (text[bracket + 1] !== "(") {
      out += text.slice(at, start + 1);
      at = start + 1;
      continue;
    }
    if (paren < bracket + 2) paren = text.indexOf(")", bracket + 2);
    if (paren < 0) break;
    out += text.slice(at, start) + (images ? " " : text.slice(inner, bracket));
    at = paren + 1;
  }
  return out + text.slice(at);
}
