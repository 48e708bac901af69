/**
 * True removal: a PDF made with MuPDF holds an ID number, a phone and a name in its text, in an
 * image and in an annotation; after redaction none of them can be extracted, rendered or found in
 * the decompressed bytes, while the original still holds them all.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RedactionBox } from "@govinfo/shared/schemas/redaction";
import { RedactionBox as RedactionBoxSchema } from "@govinfo/shared/schemas/redaction";
import * as mupdf from "mupdf";
import {
  applyRedactions,
  openPdf,
  pageSizes,
  renderPagePng,
  searchPdf,
} from "../../../../server/services/documents/redaction.ts";
import {
  ANNOTATION_RECT,
  buildSecretPdf,
  colourCounts,
  extractEverything,
  IMAGE_SECRET_RECT,
  imageColourCounts,
  PUBLIC_TEXT,
  SECRET,
} from "../../../support/redactionPdf.ts";

const original = buildSecretPdf(2);

function boxesFor(): RedactionBox[] {
  const idHits = searchPdf(original, { pattern: "idNumber" });
  const phoneHits = searchPdf(original, { pattern: "phone" });
  const nameHits = searchPdf(original, { phrase: SECRET.name });
  const boxes: RedactionBox[] = [
    ...idHits.map((hit) => ({ ...hit, ground: "art15.thirdPartyRefused" as const })),
    ...phoneHits.map((hit) => ({ ...hit, ground: "art15.thirdPartyNotConsulted" as const })),
    ...nameHits.map((hit) => ({ ...hit, ground: "art16.processInfo" as const, note: "承办人姓名" })),
  ];
  for (const page of [0, 1]) {
    boxes.push({ page, ...IMAGE_SECRET_RECT, ground: "art14.stateSecret" });
    boxes.push({ page, ...ANNOTATION_RECT, ground: "notGovInfo" });
  }
  return boxes.map(({ page, x, y, width, height, ground, ...rest }) => ({
    page,
    x,
    y,
    width,
    height,
    ground,
    ...("note" in rest && rest.note ? { note: rest.note } : {}),
  }));
}

describe("PDF redaction with MuPDF", () => {
  it("the generated original holds the secrets in text, image and annotation", () => {
    const { text, annotations } = extractEverything(original);
    assert.ok(text.includes(SECRET.idNumber) && text.includes(SECRET.phone) && text.includes(SECRET.name));
    assert.ok(annotations.some((contents) => contents.includes(SECRET.phone)));
    assert.ok(colourCounts(original, 0, IMAGE_SECRET_RECT).red > 200, "the image shows the red ID number");
  });

  it("search finds every occurrence of a pattern or a phrase, page by page", () => {
    // Each page: once in the text layer, once in the annotation's contents (marking the annotation).
    const ids = searchPdf(original, { pattern: "idNumber" });
    assert.deepEqual(
      ids.map((hit) => [hit.page, hit.text]),
      [
        [0, SECRET.idNumber],
        [0, SECRET.idNumber],
        [1, SECRET.idNumber],
        [1, SECRET.idNumber],
      ],
    );
    const inAnnotation = ids[1];
    assert.ok(inAnnotation);
    assert.deepEqual(
      [inAnnotation.x, inAnnotation.y, inAnnotation.width, inAnnotation.height].map(Math.round),
      [ANNOTATION_RECT.x, ANNOTATION_RECT.y, ANNOTATION_RECT.width, ANNOTATION_RECT.height],
    );
    const phones = searchPdf(original, { pattern: "phone" });
    assert.deepEqual(
      phones.map((hit) => hit.page),
      [0, 0, 1, 1],
    );
    const names = searchPdf(original, { phrase: SECRET.name });
    assert.equal(names.length, 2);
    // The box sits on the line of the name (display y≈160 − font ascent), a few points high.
    const [first] = names;
    assert.ok(
      first && first.y > 140 && first.y < 165 && first.height > 6 && first.height < 20,
      JSON.stringify(first),
    );
    assert.equal(searchPdf(original, { phrase: "不存在的词" }).length, 0);
  });

  it("applying removes text, image pixels and annotations under the boxes and keeps the rest", () => {
    const boxes = boxesFor();
    for (const box of boxes) RedactionBoxSchema.parse(box);
    const redacted = applyRedactions(original, boxes);
    const { text, annotations, raw } = extractEverything(redacted);
    for (const secret of [SECRET.idNumber, SECRET.phone, SECRET.name]) {
      assert.ok(!text.includes(secret), `text still holds ${secret}`);
      assert.ok(
        !annotations.some((contents) => contents.includes(secret)),
        `an annotation still holds ${secret}`,
      );
    }
    assert.ok(!raw.includes(SECRET.idNumber) && !raw.includes(SECRET.phone), "bytes still hold a secret");
    assert.equal(annotations.length, 0, "the annotation under the box is deleted");
    assert.ok(text.includes(`${PUBLIC_TEXT} page 1`) && text.includes(`${PUBLIC_TEXT} page 2`));
    // The labels name the grounds.
    assert.ok(text.includes("依《条例》第十五条不予公开"), text);
    assert.ok(text.includes("依《条例》第十四条不予公开"));
    assert.ok(text.includes("依《条例》第十六条不予公开"));
    assert.ok(text.includes("非政府信息，不予提供"));
    for (const page of [0, 1]) {
      // Rendered: no red pixel of the ID number inside the box; the image's blue half is still there.
      const shown = colourCounts(redacted, page, IMAGE_SECRET_RECT);
      assert.equal(shown.red, 0, `page ${page + 1}: red pixels remain in the box`);
      // The image data itself was blanked under the box, not merely covered by the black box.
      const images = imageColourCounts(redacted, page);
      assert.ok(images.length >= 1, "the image outside the box is kept");
      for (const image of images) {
        assert.equal(image.red, 0, "the image's pixels under the box are removed");
        assert.ok(image.blue > 100, "the public half of the image is kept");
      }
    }
    // The original is unchanged: still holds every secret.
    const before = extractEverything(original);
    assert.ok(before.text.includes(SECRET.idNumber) && before.annotations.length === 2);
    assert.ok(imageColourCounts(original, 0).every((image) => image.red > 100));
  });

  it("boxes drawn where the rendered page shows them land on the same spot (PNG is a real image)", () => {
    const png = renderPagePng(original, 0, 1);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.deepEqual(pageSizes(original), [
      { width: 612, height: 792 },
      { width: 612, height: 792 },
    ]);
  });

  it("refuses a DOCX, a non-PDF, a broken PDF and an encrypted PDF with Chinese messages", () => {
    const docx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from("....word/document.xml")]);
    assert.throws(() => openPdf(docx), /另存为 PDF/);
    assert.throws(() => openPdf(Buffer.from("hello, not a pdf")), /只能对 PDF 文件进行区分处理/);
    assert.throws(() => openPdf(Buffer.from("%PDF-1.7\n garbage garbage")), /已损坏/);
    const doc = mupdf.Document.openDocument(original, "application/pdf").asPDF();
    assert.ok(doc);
    const encrypted = Buffer.from(
      doc.saveToBuffer("encrypt=aes-256,user-password=secret,owner-password=owner").asUint8Array(),
    );
    assert.throws(() => openPdf(encrypted), /已加密/);
    const ownerOnly = Buffer.from(doc.saveToBuffer("encrypt=rc4-128,owner-password=owner").asUint8Array());
    assert.throws(() => openPdf(ownerOnly), /已加密/);
  });

  it("refuses a box on a page the file does not have", () => {
    assert.throws(
      () => applyRedactions(original, [{ page: 5, x: 1, y: 1, width: 10, height: 10, ground: "notGovInfo" }]),
      /第 6 页.*共 2 页/,
    );
  });

  it("a box without a ground is refused by the schema with a Chinese message", () => {
    const result = RedactionBoxSchema.safeParse({ page: 0, x: 1, y: 1, width: 10, height: 10 });
    assert.equal(result.success, false);
    assert.match(result.error?.issues[0]?.message ?? "", /必须选择不予公开的理由/);
  });
});
