/**
 * Chinese full-text search over published items: the query is segmented like the items were; items
 * sharing any token are scored by the weights of the tokens they match (×3 when the title or 文号
 * has it) times the share of the query they cover; ties go to the more recently published; hits
 * carry `<em>` highlights in escaped HTML. Ranking runs on the in-process read model.
 * No query string can make it fail: unusable input simply finds nothing.
 */
import { highlight, plainText, snippet } from "@govinfo/shared/catalogue/text";
import type { SearchResultDTO } from "@govinfo/shared/schemas/catalogue";
import { InfoItem, type InfoItemDoc } from "../../models/InfoItem.ts";
import { presentSummary, type SummarySource, summaryProjection } from "./present.ts";
import { readModel, scoreEntries } from "./readModel.ts";
import { parseQuery } from "./tokens.ts";

/** How much more a token counts when the title or 文号 contains it. */
export const TITLE_BOOST = 3;

/** Words worth highlighting: lone characters only when the query has nothing longer. */
function highlightWords(words: readonly string[]): string[] {
  const long = words.filter((w) => [...w].length > 1);
  return long.length > 0 ? long : [...words];
}

/**
 * Gets search ready before the first query: builds the read model (the inverted index of every
 * published item) and loads the segmenter's dictionary, so the first citizen to search after a
 * start waits for neither. Called at boot; returns how long it took in milliseconds.
 */
export async function prepareCatalogueSearch(): Promise<number> {
  const started = performance.now();
  await readModel();
  // One real search loads the segmenter's dictionary and runs every step of the query path once.
  await searchCatalogue("政府信息公开", undefined, 20);
  return Math.round(performance.now() - started);
}

/** Searches published items (optionally of one agency); the best `limit` hits with snippets. */
export async function searchCatalogue(
  q: string,
  agency: string | undefined,
  limit: number,
): Promise<SearchResultDTO> {
  const { keys, words } = parseQuery(q);
  if (keys.length === 0) return { query: q, words, total: 0, items: [] };
  const { total, top } = scoreEntries(await readModel(), keys, { agency, titleBoost: TITLE_BOOST, limit });
  const docs = await InfoItem.find(
    { _id: { $in: top.map((s) => s.entry.oid) } },
    { ...summaryProjection, body: 1 },
  ).lean<Array<SummarySource & Pick<InfoItemDoc, "body">>>();
  const byId = new Map(docs.map((doc) => [String(doc._id), doc]));
  const marks = highlightWords(words);
  const items: SearchResultDTO["items"] = [];
  for (const hit of top) {
    const doc = byId.get(hit.entry.id);
    if (!doc) continue;
    const text = doc.summary || plainText((doc.body ?? "").slice(0, 20_000)) || doc.excerpt || "";
    items.push({
      ...presentSummary(doc),
      score: hit.score,
      titleHtml: highlight(doc.title, marks),
      snippetHtml: snippet(text, marks),
    });
  }
  return { query: q, words, total, items };
}

/** A suggestion shown under the application form while the citizen types. */
export interface Suggestion {
  id: string;
  title: string;
  titleHtml: string;
  docNumber: string;
  indexNo: string;
  publishedDate: string | null;
}

/** The five published items whose title or 文号 best match what a citizen is typing. */
export async function suggestTitles(q: string, agency: string | undefined): Promise<Suggestion[]> {
  const { keys, words } = parseQuery(q);
  if (keys.length === 0) return [];
  const { top } = scoreEntries(await readModel(), keys, {
    agency,
    titleBoost: TITLE_BOOST,
    titleOnly: true,
    limit: 5,
  });
  const docs = await InfoItem.find(
    { _id: { $in: top.map((s) => s.entry.oid) } },
    { title: 1, docNumber: 1, indexNo: 1, publishedDate: 1 },
  ).lean<Array<Pick<InfoItemDoc, "_id" | "title" | "docNumber" | "indexNo" | "publishedDate">>>();
  const byId = new Map(docs.map((doc) => [String(doc._id), doc]));
  const marks = highlightWords(words);
  return top.flatMap((hit) => {
    const doc = byId.get(hit.entry.id);
    if (!doc) return [];
    return [
      {
        id: String(doc._id),
        title: doc.title,
        titleHtml: highlight(doc.title, marks),
        docNumber: doc.docNumber ?? "",
        indexNo: doc.indexNo,
        publishedDate: doc.publishedDate ?? null,
      },
    ];
  });
}
