/**
 * PDFs for the redaction tests, made with MuPDF itself: a page holding a known ID number, phone and
 * name in the text layer, in an image (rendered text: the ID number in red next to a blue public
 * word) and in an annotation, plus a public paragraph that must survive.
 */
import * as mupdf from "mupdf";

export const SECRET = {
  idNumber: "110101199003071234",
  phone: "13812345678",
  name: "张三丰",
} as const;

export const PUBLIC_TEXT = "Public paragraph stays visible";

/** Page height in points (Letter). */
export const PAGE_HEIGHT = 792;

/** Where the image sits, in display space (top-left origin). */
export const IMAGE_RECT = { x: 72, y: 400, width: 400, height: 50 } as const;
/** The red (secret) half of the image, in display space. */
export const IMAGE_SECRET_RECT = { x: 72, y: 400, width: 260, height: 50 } as const;
/** The annotation's rectangle, in display space. */
export const ANNOTATION_RECT = { x: 72, y: 500, width: 300, height: 30 } as const;

function hex16(text: string): string {
  return [...text].map((c) => c.charCodeAt(0).toString(16).padStart(4, "0")).join("");
}

/** An image of the ID number in red (left) and "PUBLIC" in blue (right), 800×100 px. */
function textImage(): mupdf.Image {
  const scratch = new mupdf.PDFDocument();
  const helv = scratch.addSimpleFont(new mupdf.Font("Helvetica"));
  const content = `1 0 0 rg BT /F1 40 Tf 10 35 Td (${SECRET.idNumber}) Tj ET 0 0 1 rg BT /F1 40 Tf 560 35 Td (PUBLIC) Tj ET`;
  const resources = scratch.newDictionary();
  const fonts = scratch.newDictionary();
  fonts.put("F1", helv);
  resources.put("Font", fonts);
  scratch.insertPage(-1, scratch.addPage([0, 0, 800, 100], 0, resources, content));
  const pixmap = scratch.loadPage(0).toPixmap(mupdf.Matrix.identity, mupdf.ColorSpace.DeviceRGB, false);
  return new mupdf.Image(pixmap);
}

/**
 * A PDF of `pages` pages; every page carries the secrets in text, image and annotation.
 */
export function buildSecretPdf(pages = 1): Buffer {
  const doc = new mupdf.PDFDocument();
  const helv = doc.addSimpleFont(new mupdf.Font("Helvetica"));
  const cjk = doc.addCJKFont(new mupdf.Font("zh-Hans"), "zh-Hans", 0, false);
  const image = doc.addImage(textImage());
  const pdfY = (displayY: number) => PAGE_HEIGHT - displayY;
  for (let index = 0; index < pages; index++) {
    const resources = doc.newDictionary();
    const fonts = doc.newDictionary();
    fonts.put("F1", helv);
    fonts.put("F2", cjk);
    resources.put("Font", fonts);
    const xobjects = doc.newDictionary();
    xobjects.put("Im1", image);
    resources.put("XObject", xobjects);
    const content = [
      `BT /F1 12 Tf 72 ${pdfY(100)} Td (ID: ${SECRET.idNumber}) Tj ET`,
      `BT /F1 12 Tf 72 ${pdfY(130)} Td (Tel: ${SECRET.phone}) Tj ET`,
      `BT /F2 12 Tf 72 ${pdfY(160)} Td <${hex16(`姓名：${SECRET.name}`)}> Tj ET`,
      `BT /F1 12 Tf 72 ${pdfY(220)} Td (${PUBLIC_TEXT} page ${index + 1}) Tj ET`,
      `q ${IMAGE_RECT.width} 0 0 ${IMAGE_RECT.height} ${IMAGE_RECT.x} ${pdfY(IMAGE_RECT.y + IMAGE_RECT.height)} cm /Im1 Do Q`,
    ].join("\n");
    doc.insertPage(-1, doc.addPage([0, 0, 612, PAGE_HEIGHT], 0, resources, content));
    const page = doc.loadPage(index);
    const annot = page.createAnnotation("FreeText");
    annot.setRect([
      ANNOTATION_RECT.x,
      ANNOTATION_RECT.y,
      ANNOTATION_RECT.x + ANNOTATION_RECT.width,
      ANNOTATION_RECT.y + ANNOTATION_RECT.height,
    ]);
    annot.setContents(`Contact ${SECRET.phone} ${SECRET.idNumber}`);
    annot.update();
  }
  const bytes = Buffer.from(doc.saveToBuffer("compress").asUint8Array());
  doc.destroy();
  return bytes;
}

/** All text of a PDF as MuPDF extracts it, page by page, plus every annotation's contents. */
export function extractEverything(data: Buffer): { text: string; annotations: string[]; raw: string } {
  const doc = mupdf.Document.openDocument(data, "application/pdf").asPDF();
  if (!doc) throw new Error("not a PDF");
  let text = "";
  const annotations: string[] = [];
  for (let index = 0; index < doc.countPages(); index++) {
    const page = doc.loadPage(index) as mupdf.PDFPage;
    text += page.toStructuredText("preserve-whitespace").asText();
    for (const annot of page.getAnnotations()) annotations.push(annot.getContents() ?? "");
  }
  // Every object and stream decompressed, to catch leftovers no viewer would show.
  const raw = Buffer.from(doc.saveToBuffer("decompress").asUint8Array()).toString("latin1");
  doc.destroy();
  return { text, annotations, raw };
}

/** Colours in a display-space rectangle of a rendered page: counts of reddish and bluish pixels. */
export function colourCounts(
  data: Buffer,
  pageIndex: number,
  rect: { x: number; y: number; width: number; height: number },
): { red: number; blue: number; total: number } {
  const doc = mupdf.Document.openDocument(data, "application/pdf");
  const pixmap = doc
    .loadPage(pageIndex)
    .toPixmap(mupdf.Matrix.scale(2, 2), mupdf.ColorSpace.DeviceRGB, false, true);
  const counts = countIn(pixmap, {
    x: rect.x * 2,
    y: rect.y * 2,
    width: rect.width * 2,
    height: rect.height * 2,
  });
  doc.destroy();
  return counts;
}

/** Colours of the pixels of every image XObject painted on a page. */
export function imageColourCounts(
  data: Buffer,
  pageIndex: number,
): { red: number; blue: number; total: number }[] {
  const doc = mupdf.Document.openDocument(data, "application/pdf");
  const result: { red: number; blue: number; total: number }[] = [];
  doc
    .loadPage(pageIndex)
    .toStructuredText("preserve-images")
    .walk({
      onImageBlock: (_bbox, _transform, image) => {
        const pixmap = image.toPixmap().convertToColorSpace(mupdf.ColorSpace.DeviceRGB, false);
        result.push(countIn(pixmap, { x: 0, y: 0, width: pixmap.getWidth(), height: pixmap.getHeight() }));
      },
    });
  doc.destroy();
  return result;
}

function countIn(
  pixmap: mupdf.Pixmap,
  rect: { x: number; y: number; width: number; height: number },
): { red: number; blue: number; total: number } {
  const pixels = pixmap.getPixels();
  const stride = pixmap.getStride();
  const n = Math.round(stride / pixmap.getWidth());
  let red = 0;
  let blue = 0;
  let total = 0;
  const x0 = Math.max(0, Math.floor(rect.x));
  const y0 = Math.max(0, Math.floor(rect.y));
  const x1 = Math.min(pixmap.getWidth(), Math.ceil(rect.x + rect.width));
  const y1 = Math.min(pixmap.getHeight(), Math.ceil(rect.y + rect.height));
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const at = y * stride + x * n;
      const r = pixels[at] ?? 0;
      const g = pixels[at + 1] ?? 0;
      const b = pixels[at + 2] ?? 0;
      if (r > 150 && g < 110 && b < 110) red++;
      if (b > 150 && r < 110 && g < 110) blue++;
      total++;
    }
  }
  return { red, blue, total };
}
