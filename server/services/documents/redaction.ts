/**
 * 区分处理 on PDF files with MuPDF (the `mupdf` WASM build): searching text, rendering pages for the
 * redaction tool, and applying redactions so the covered text, image pixels, line art, annotations and
 * links are removed from the file — not painted over — before a black box labelled with its legal
 * ground is drawn in their place. Pure functions over bytes; storage and audit live in the callers.
 */
import {
  type RedactionBox,
  type RedactionHitDto,
  type RedactionPattern,
  redactionGroundInfo,
} from "@govinfo/shared/schemas/redaction";
import * as mupdf from "mupdf";
import { BadRequest, UnsupportedMediaType } from "../../errors.ts";
import { detectType } from "../../security/fileTypes.ts";

/** Size of one page in points, as the redaction tool lays it out. */
export interface PageSize {
  width: number;
  height: number;
}

/**
 * Opens a PDF for redaction, refusing what cannot be redacted safely: anything that is not a PDF by
 * content (a DOCX gets its own message: callers convert it first, see `docxToPdf.ts`), an encrypted
 * file, and a file MuPDF cannot read or that has no pages.
 */
export function openPdf(data: Buffer | Uint8Array): mupdf.PDFDocument {
  const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data);
  const type = detectType(bytes);
  if (type?.extensions.includes("docx")) {
    throw UnsupportedMediaType(
      "Word（DOCX）文件须先转换为 PDF 才能进行区分处理，请先将该文件另存为 PDF 后重新上传",
    );
  }
  if (!type?.extensions.includes("pdf")) {
    throw UnsupportedMediaType("只能对 PDF 文件进行区分处理，该文件的内容不是 PDF 或 Word（DOCX）文件");
  }
  let doc: mupdf.PDFDocument;
  try {
    const opened = mupdf.Document.openDocument(bytes, "application/pdf");
    const pdf = opened.asPDF();
    if (!pdf) throw new Error("not a PDF");
    doc = pdf;
  } catch {
    throw BadRequest("该 PDF 文件已损坏，无法打开，请检查后重新上传");
  }
  // An owner-password-only file opens without a password, but its permissions say it must not be
  // changed; and a file with a user password cannot be read at all. Both are refused alike.
  let encrypted: boolean;
  let pages: number;
  try {
    encrypted = doc.needsPassword() || !doc.getTrailer().get("Encrypt").isNull();
    pages = encrypted ? 0 : doc.countPages();
  } catch {
    doc.destroy();
    throw BadRequest("该 PDF 文件已损坏，无法打开，请检查后重新上传");
  }
  if (encrypted) {
    doc.destroy();
    throw BadRequest("该 PDF 文件已加密（设有密码或权限限制），无法进行区分处理，请上传未加密的 PDF 文件");
  }
  if (pages < 1) {
    doc.destroy();
    throw BadRequest("该 PDF 文件已损坏或没有任何页面，请检查后重新上传");
  }
  return doc;
}

/** Page sizes of a PDF in points (the space boxes are drawn in). */
export function pageSizes(data: Buffer | Uint8Array): PageSize[] {
  const doc = openPdf(data);
  try {
    const sizes: PageSize[] = [];
    for (let index = 0; index < doc.countPages(); index++) {
      const [x0, y0, x1, y1] = doc.loadPage(index).getBounds();
      sizes.push({ width: x1 - x0, height: y1 - y0 });
    }
    return sizes;
  } finally {
    doc.destroy();
  }
}

/**
 * Renders one page as a PNG (the redaction tool's background and the reviewer's view).
 * @param pageIndex 0-based page number.
 * @param scale pixels per point.
 */
export function renderPagePng(data: Buffer | Uint8Array, pageIndex: number, scale = 1.5): Buffer {
  const doc = openPdf(data);
  try {
    if (!Number.isInteger(pageIndex) || pageIndex < 0 || pageIndex >= doc.countPages()) {
      throw BadRequest(`页码超出范围，该文件共 ${doc.countPages()} 页`);
    }
    const page = doc.loadPage(pageIndex);
    const pixmap = page.toPixmap(mupdf.Matrix.scale(scale, scale), mupdf.ColorSpace.DeviceRGB, false, true);
    return Buffer.from(pixmap.asPNG());
  } finally {
    doc.destroy();
  }
}

// 18-digit resident ID (GB 11643): region, birth date 18xx–20xx, sequence, check digit.
const ID_NUMBER =
  /(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/g;
// Mobile numbers, and landlines with an area code (0xx-xxxxxxxx, the hyphen optional).
const PHONE = /(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}[- ]?\d{7,8})(?!\d)/g;

const patterns: Readonly<Record<RedactionPattern, RegExp>> = { idNumber: ID_NUMBER, phone: PHONE };

/**
 * Finds every occurrence of a phrase or a pattern, one rectangle per line an occurrence spans.
 * Searches the text layer and the contents of annotations (a match there marks the whole
 * annotation); text inside images is for the handler to box by eye.
 */
export function searchPdf(
  data: Buffer | Uint8Array,
  query: { phrase?: string | undefined; pattern?: RedactionPattern | undefined },
): RedactionHitDto[] {
  const regex = query.pattern
    ? new RegExp(patterns[query.pattern].source, "g")
    : new RegExp(escapeRegExp(query.phrase ?? ""), "gu");
  if (regex.source === "(?:)") return [];
  const doc = openPdf(data);
  const hits: RedactionHitDto[] = [];
  try {
    for (let index = 0; index < doc.countPages(); index++) {
      const page = doc.loadPage(index);
      const chars: { c: string; quad: mupdf.Quad | null }[] = [];
      page.toStructuredText("preserve-whitespace").walk({
        onChar: (c, _origin, _font, _size, quad) => chars.push({ c, quad }),
        endLine: () => chars.push({ c: "\n", quad: null }),
      });
      // Offsets in the joined text are UTF-16 units; keep a map back to characters.
      const unitToChar: number[] = [];
      let text = "";
      chars.forEach((ch, i) => {
        for (let unit = 0; unit < ch.c.length; unit++) unitToChar.push(i);
        text += ch.c;
      });
      for (const match of text.matchAll(regex)) {
        if (match[0] === "") continue;
        const first = unitToChar[match.index] ?? 0;
        const last = unitToChar[match.index + match[0].length - 1] ?? first;
        let line: mupdf.Quad[] = [];
        const flush = () => {
          if (line.length > 0) hits.push({ page: index, ...boundsOf(line), text: match[0] });
          line = [];
        };
        for (let i = first; i <= last; i++) {
          const quad = chars[i]?.quad;
          if (quad) line.push(quad);
          else flush();
        }
        flush();
      }
      // Annotations (comments, form fields) are not in the text layer: a match in one marks all of it.
      for (const annot of [...page.getAnnotations(), ...page.getWidgets()]) {
        const contents = annot.getContents() ?? "";
        for (const match of contents.matchAll(regex)) {
          if (match[0] === "") continue;
          const [x0, y0, x1, y1] = annot.getBounds();
          hits.push({ page: index, x: x0, y: y0, width: x1 - x0, height: y1 - y0, text: match[0] });
        }
      }
    }
  } finally {
    doc.destroy();
  }
  return hits;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function boundsOf(quads: mupdf.Quad[]): { x: number; y: number; width: number; height: number } {
  const xs = quads.flatMap((q) => [q[0], q[2], q[4], q[6]]);
  const ys = quads.flatMap((q) => [q[1], q[3], q[5], q[7]]);
  const pad = 0.5;
  const x = Math.min(...xs) - pad;
  const y = Math.min(...ys) - pad;
  return { x, y, width: Math.max(...xs) + pad - x, height: Math.max(...ys) + pad - y };
}

/**
 * Applies the boxes and returns the redacted PDF. Under every box MuPDF removes the text, the
 * image pixels and the line art; annotations, form fields and links touching a box are deleted
 * first (their contents would survive otherwise). Each box is then filled black with its ground
 * printed in white. The file is rewritten from scratch with unused objects collected and without
 * the original's metadata, so no earlier revision, orphaned image stream or author field carries
 * the removed content.
 */
export function applyRedactions(data: Buffer | Uint8Array, boxes: readonly RedactionBox[]): Buffer {
  const doc = openPdf(data);
  try {
    const pageCount = doc.countPages();
    const outside = boxes.find((box) => box.page >= pageCount);
    if (outside)
      throw BadRequest(`遮盖框的页码（第 ${outside.page + 1} 页）超出范围，该文件共 ${pageCount} 页`);
    const byPage = new Map<number, RedactionBox[]>();
    for (const box of boxes) byPage.set(box.page, [...(byPage.get(box.page) ?? []), box]);
    let font: mupdf.PDFObject | null = null;
    for (const [index, pageBoxes] of byPage) {
      const page = doc.loadPage(index);
      const rects = pageBoxes.map((box): mupdf.Rect => [box.x, box.y, box.x + box.width, box.y + box.height]);
      const touches = (rect: mupdf.Rect) => rects.some((box) => intersects(box, rect));
      for (const annot of [...page.getAnnotations(), ...page.getWidgets()]) {
        if (annot.getType() !== "Redact" && touches(annot.getBounds())) page.deleteAnnotation(annot);
      }
      for (const link of page.getLinks()) if (touches(link.getBounds())) page.deleteLink(link);
      for (const rect of rects) page.createAnnotation("Redact").setRect(rect);
      page.applyRedactions(
        true,
        mupdf.PDFPage.REDACT_IMAGE_PIXELS,
        mupdf.PDFPage.REDACT_LINE_ART_REMOVE_IF_COVERED,
        mupdf.PDFPage.REDACT_TEXT_REMOVE,
      );
      font ??= doc.addCJKFont(new mupdf.Font("zh-Hans"), "zh-Hans", 0, false);
      drawLabels(doc, page, pageBoxes, font);
    }
    // The document information and XMP metadata describe the original (the author of a Word file
    // converted to PDF, say), not what is released: the delivered file carries neither.
    doc.getTrailer().delete("Info");
    doc.getTrailer().get("Root").delete("Metadata");
    return Buffer.from(doc.saveToBuffer("garbage=4,compress,clean,sanitize").asUint8Array());
  } finally {
    doc.destroy();
  }
}

function intersects(a: mupdf.Rect, b: mupdf.Rect): boolean {
  return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
}

const LABEL_FONT = "GovinfoRedactLabel";

/** Prints each box's ground in white over the black box MuPDF drew, in page-display coordinates. */
function drawLabels(
  doc: mupdf.PDFDocument,
  page: mupdf.PDFPage,
  boxes: readonly RedactionBox[],
  font: mupdf.PDFObject,
): void {
  const pageObject = page.getObject();
  let resources = pageObject.getInheritable("Resources");
  if (resources.isNull()) {
    resources = doc.newDictionary();
    pageObject.put("Resources", resources);
  }
  let fonts = resources.get("Font");
  if (fonts.isNull()) {
    fonts = doc.newDictionary();
    resources.put("Font", fonts);
  }
  fonts.put(LABEL_FONT, font);
  // Display space → PDF user space, so boxes drawn on the rendered page land where they were drawn.
  const [a, b, c, d, e, f] = mupdf.Matrix.invert(page.getTransform());
  let ops = `q ${[a, b, c, d, e, f].map(num).join(" ")} cm\n`;
  for (const box of boxes) {
    const label = redactionGroundInfo[box.ground].label;
    const size = Math.max(2, Math.min(box.height * 0.7, (box.width * 0.92) / label.length, 12));
    const width = size * label.length;
    const x = box.x + (box.width - width) / 2;
    const y = box.y + box.height / 2 + size * 0.35;
    // The text matrix flips y back, as display space grows downwards.
    ops += `BT 1 1 1 rg /${LABEL_FONT} ${num(size)} Tf 1 0 0 -1 ${num(x)} ${num(y)} Tm <${utf16Hex(label)}> Tj ET\n`;
  }
  ops += "Q\n";
  const before = doc.addStream("q\n", {});
  const after = doc.addStream(ops.replace(/^q /, "Q\nq "), {});
  const contents = pageObject.get("Contents");
  const list = doc.newArray();
  list.push(before);
  if (contents.isArray())
    contents.forEach((stream) => {
      list.push(stream);
    });
  else if (!contents.isNull()) list.push(contents);
  list.push(after);
  pageObject.put("Contents", list);
}

function num(value: number): string {
  return Number(value.toFixed(3)).toString();
}

function utf16Hex(text: string): string {
  let hex = "";
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, "0");
  return hex;
}
