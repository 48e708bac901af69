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

/**
 * The year and serial number of a 文号 fragment such as "〔2020〕44", "[2020]44号" or "（2020）第44号"
 * (any bracket style, full-width digits too), or null when the query has none.
 */
export function docNumberFragment(q: string): { year: string; number: string } | null {
  const text = q.normalize("NFKC");
  const match = /[〔[［(（【]\s*((?:19|20)\d{2})\s*[〕\]］)）】]\s*第?\s*0*(\d{1,6})/.exec(text);
  return match ? { year: match[1] as string, number: match[2] as string } : null;
}

/**
 * Published items whose 文号 carries exactly this year and number (so "〔2019〕12" is not "〔2019〕120"),
 * ids only. The tokens cannot tell 12 from 120 reliably, the stored 文号 can.
 */
async function exactDocNumberIds(
  fragment: { year: string; number: string },
  agency: string | undefined,
): Promise<string[]> {
  // Built from digits only, so the pattern carries no user-controlled syntax.
  const pattern = new RegExp(
    `[〔[［(（【]\\s*${fragment.year}\\s*[〕\\]］)）】]\\s*第?\\s*0*${fragment.number}(?![0-9０-９])`,
  );
  const rows = await InfoItem.find(
    { status: "published", docNumber: pattern, ...(agency ? { agencyId: agency } : {}) },
    { _id: 1 },
  )
    .limit(20)
    .lean<Array<{ _id: unknown }>>();
  return rows.map((row) => String(row._id));
}

/** Searches published items (optionally of one agency); the best `limit` hits with snippets. */
export async function searchCatalogue(
  q: string,
  agency: string | undefined,
  limit: number,
): Promise<SearchResultDTO> {
  const { keys, words } = parseQuery(q);
  if (keys.length === 0) return { query: q, words, total: 0, items: [] };
  const model = await readModel();
  const scored = scoreEntries(model, keys, { agency, titleBoost: TITLE_BOOST, limit });
  // A 文号 typed by a citizen means one document: the exact match ranks first, above any title.
  const fragment = docNumberFragment(q);
  const exact = fragment ? await exactDocNumberIds(fragment, agency) : [];
  const best = (scored.top[0]?.score ?? 0) + 1;
  const exactHits = exact.flatMap((id) => {
    const ordinal = model.byId.get(id);
    const entry = ordinal === undefined ? null : model.entries[ordinal];
    return entry ? [{ entry, score: best }] : [];
  });
  const exactIds = new Set(exactHits.map((hit) => hit.entry.id));
  const top = [...exactHits, ...scored.top.filter((hit) => !exactIds.has(hit.entry.id))].slice(0, limit);
  const total = Math.max(scored.total, exactHits.length);
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
