/**
 * Chinese segmentation for catalogue search. MongoDB's `$text` cannot segment Chinese (and the
 * embedded server refuses it), so each item stores its own tokens: jieba `cutForSearch` (which also
 * emits the shorter words inside long ones) over title, 文号 and body, plus normalised 文号 keys.
 */
import { createRequire } from "node:module";
import { docNumberKeys, docNumberQueryKeys, normalizeText, plainText } from "@govinfo/shared/catalogue/text";

interface JiebaInstance {
  cutForSearch(sentence: string, hmm?: boolean | null): string[];
}
interface JiebaModule {
  Jieba: { withDict(dict: Uint8Array): JiebaInstance };
}

const require = createRequire(import.meta.url);
let jieba: JiebaInstance | null = null;

// Loading the dictionary takes ~200 ms, so it happens on first use, once per process.
function segmenter(): JiebaInstance {
  if (jieba) return jieba;
  const { Jieba } = require("@node-rs/jieba") as JiebaModule;
  const { dict } = require("@node-rs/jieba/dict") as { dict: Uint8Array };
  jieba = Jieba.withDict(dict);
  return jieba;
}

// Function words that match almost every document and carry no meaning on their own.
const STOPWORDS = new Set(
  "的 了 和 与 及 或 之 其 等 在 对 为 是 于 将 把 被 从 向 由 以 并 而 也 就 都 这 那 有".split(" "),
);
const WORDLIKE = /[\p{L}\p{N}]/u;
const MAX_TOKEN_LENGTH = 32;
const MAX_BODY_CHARS = 30_000;

/** Segments text into normalised, deduplicated search words (punctuation and stopwords dropped). */
export function segment(text: string): string[] {
  if (text.trim() === "") return [];
  const out = new Set<string>();
  for (const raw of segmenter().cutForSearch(normalizeText(text), true)) {
    const token = raw.trim();
    if (token === "" || token.length > MAX_TOKEN_LENGTH || !WORDLIKE.test(token) || STOPWORDS.has(token))
      continue;
    out.add(token);
  }
  return [...out];
}

/** The fields an item's tokens are computed from. */
export interface TokenSource {
  title: string;
  docNumber: string;
  body: string;
  summary?: string;
  topics?: readonly string[];
}

/** Tokens of an item: all tokens (title, 文号, summary, topics, body) and the title/文号 ones alone. */
export function itemTokens(source: TokenSource): { tokens: string[]; titleTokens: string[] } {
  const numberKeys = docNumberKeys(source.docNumber);
  const titleTokens = [...new Set([...segment(source.title), ...segment(source.docNumber), ...numberKeys])];
  const rest = segment(
    `${source.summary ?? ""}\n${(source.topics ?? []).join(" ")}\n${plainText(source.body).slice(0, MAX_BODY_CHARS)}`,
  );
  return { tokens: [...new Set([...titleTokens, ...rest])], titleTokens };
}

/** A query as the search runs it: index keys with weights, and the words to highlight. */
export interface ParsedQuery {
  keys: Array<{ key: string; weight: number }>;
  words: string[];
}

const MAX_QUERY_KEYS = 24;

/** Parses a search query of any content; never throws, may return no keys. */
export function parseQuery(query: string): ParsedQuery {
  const text = query.slice(0, 200);
  const words = segment(text);
  const keys = new Map<string, number>();
  for (const word of words) keys.set(word, wordWeight(word));
  for (const { key, weight } of docNumberQueryKeys(text)) keys.set(key, weight);
  const ranked = [...keys]
    .map(([key, weight]) => ({ key, weight }))
    .sort((a, b) => b.weight - a.weight)
    .slice(0, MAX_QUERY_KEYS);
  return { keys: ranked, words: words.slice(0, MAX_QUERY_KEYS) };
}

// A lone Han character (局, 市, 发) matches a large share of the catalogue; it should only tip the scales.
function wordWeight(word: string): number {
  if (/^\d+$/.test(word)) return 0.6;
  if ([...word].length === 1) return 0.3;
  return 1;
}
