/**
 * 区分处理 of a long PDF:
 *   npx tsx bench/redaction.ts [--quick]
 *
 * Builds a 50-page PDF (`--quick`: 10 pages) holding an ID number, a phone and a name in text, an
 * image and an annotation on every page, then times the two steps a handler triggers: searching the
 * ID-number and phone patterns, and applying every box (5 per page) to produce the delivered file.
 * Baseline in the same run: opening and rewriting the same file with the same save options and no
 * redaction, i.e. the floor any MuPDF-based tool pays. Each step is run 3 times; the median counts.
 *
 * Then a Word file: a 10-page DOCX (the same secrets in body, table and header) is converted to PDF
 * by LibreOffice as the server does before 区分处理, against a 1-page DOCX converted the same way in
 * the same run (the floor: starting LibreOffice with a fresh private profile), and the converted
 * PDF is searched and redacted. Conversions run 3 times (`--quick`: once); the median counts.
 *
 * Prints a table, then, as the very last line, one JSON object with every figure.
 */
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { config } from "@govinfo/config/env";
import type { RedactionBox } from "@govinfo/shared/schemas/redaction";
import * as mupdf from "mupdf";
import { createDocxConverter } from "../server/services/documents/docxToPdf.ts";
import { applyRedactions, pageSizes, searchPdf } from "../server/services/documents/redaction.ts";
import { buildSecretDocx } from "../test/support/redactionDocx.ts";
import {
  ANNOTATION_RECT,
  buildSecretPdf,
  extractEverything,
  IMAGE_SECRET_RECT,
  SECRET,
} from "../test/support/redactionPdf.ts";

const { values } = parseArgs({ options: { quick: { type: "boolean", default: false } } });
const pages = values.quick ? 10 : 50;
const runs = 3;

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function time<T>(work: () => T): { ms: number; result: T } {
  const samples: number[] = [];
  let result: T | undefined;
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    result = work();
    samples.push(performance.now() - start);
  }
  return { ms: median(samples), result: result as T };
}

const pdf = buildSecretPdf(pages);

const floor = time(() => {
  const doc = mupdf.Document.openDocument(pdf, "application/pdf").asPDF();
  if (!doc) throw new Error("not a PDF");
  const out = doc.saveToBuffer("garbage=4,compress,clean,sanitize").asUint8Array().length;
  doc.destroy();
  return out;
});

const search = time(() => [
  ...searchPdf(pdf, { pattern: "idNumber" }),
  ...searchPdf(pdf, { pattern: "phone" }),
  ...searchPdf(pdf, { phrase: SECRET.name }),
]);
const boxes: RedactionBox[] = search.result.map(({ page, x, y, width, height }) => ({
  page,
  x,
  y,
  width,
  height,
  ground: "art15.thirdPartyRefused",
}));
for (let page = 0; page < pages; page++) {
  boxes.push({ page, ...IMAGE_SECRET_RECT, ground: "art14.stateSecret" });
  boxes.push({ page, ...ANNOTATION_RECT, ground: "notGovInfo" });
}
const apply = time(() => applyRedactions(pdf, boxes));

// A fast wrong answer must not pass: the delivered file holds no secret.
const { text } = extractEverything(apply.result);
if (text.includes(SECRET.idNumber) || text.includes(SECRET.phone) || text.includes(SECRET.name)) {
  throw new Error("a secret survived the redaction");
}

// Word files: LibreOffice's conversion, timed as the server runs it (the converter's own clock).
const docxPages = 10;
const conversionRuns = values.quick ? 1 : runs;
const converter = createDocxConverter({ soffice: config.sofficePath });
async function timeConversion(docx: Buffer): Promise<{ ms: number; pdf: Buffer }> {
  const samples: number[] = [];
  let pdf: Buffer = Buffer.alloc(0);
  for (let run = 0; run < conversionRuns; run++) {
    const converted = await converter.convert(docx);
    samples.push(converted.ms);
    pdf = converted.pdf;
  }
  return { ms: median(samples), pdf };
}
const docx = await buildSecretDocx(docxPages);
const convertFloor = await timeConversion(await buildSecretDocx(1));
const convert = await timeConversion(docx);
const convertedPages = pageSizes(convert.pdf).length;
if (convertedPages !== docxPages)
  throw new Error(`the DOCX converted to ${convertedPages} pages, not ${docxPages}`);
const docxStarted = performance.now();
const docxBoxes: RedactionBox[] = [
  ...searchPdf(convert.pdf, { pattern: "idNumber" }),
  ...searchPdf(convert.pdf, { pattern: "phone" }),
  ...searchPdf(convert.pdf, { phrase: SECRET.name }),
].map(({ page, x, y, width, height }) => ({ page, x, y, width, height, ground: "art15.thirdPartyRefused" }));
const docxRedacted = applyRedactions(convert.pdf, docxBoxes);
const docxRedactMs = performance.now() - docxStarted;
const docxText = extractEverything(docxRedacted).text;
if (Object.values(SECRET).some((secret) => docxText.includes(secret))) {
  throw new Error("a secret survived the redaction of the converted DOCX");
}

const round = (ms: number) => Math.round(ms * 10) / 10;
console.log(`operation            pages  boxes  ms (median of ${runs})`);
console.log(`rewrite (floor)      ${pages}     -      ${round(floor.ms)}`);
console.log(`search 3 patterns    ${pages}     -      ${round(search.ms)}`);
console.log(`apply redactions     ${pages}     ${boxes.length}    ${round(apply.ms)}`);
console.log(`DOCX → PDF (floor)   1      -      ${round(convertFloor.ms)}  (median of ${conversionRuns})`);
console.log(
  `DOCX → PDF           ${docxPages}     -      ${round(convert.ms)}  (median of ${conversionRuns})`,
);
console.log(`search + apply DOCX  ${docxPages}     ${docxBoxes.length}     ${round(docxRedactMs)}`);
console.log(
  JSON.stringify({
    pages,
    boxes: boxes.length,
    inputBytes: pdf.length,
    outputBytes: apply.result.length,
    floorMs: round(floor.ms),
    searchMs: round(search.ms),
    applyMs: round(apply.ms),
    ratio: round(apply.ms / floor.ms),
    docxPages,
    docxBytes: docx.length,
    convertFloorMs: round(convertFloor.ms),
    convertMs: round(convert.ms),
    convertRatio: round(convert.ms / convertFloor.ms),
    docxBoxes: docxBoxes.length,
    docxRedactMs: round(docxRedactMs),
  }),
);
