/**
 * Prints a letter's text model as DOCX in the style of 党政机关公文格式 (GB/T 9704-2012), letter form:
 * the issuing organ in red 方正小标宋简体 over a red double rule, the 文号 at the right, the title in
 * 方正小标宋简体 二号, body text in 仿宋_GB2312 三号 on a fixed 28-point line with a two-character
 * indent, the organ and 成文日期 at the bottom right, and the letterhead's address and telephone with
 * the page number in the footer. Fonts are named with East Asian hints; Word substitutes its own
 * 宋体/仿宋 where the official fonts are not installed.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  ImageRun,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  TextRun,
} from "docx";
import QRCode from "qrcode";
import { chineseDate, type LetterModel } from "./letterModel.ts";

/** 二号 = 22 pt, 三号 = 16 pt, 四号 = 14 pt (docx sizes are half-points). */
const SIZE = { title: 44, body: 32, footer: 28 } as const;
/** Twips per millimetre. */
const MM = 56.7;
/** Fixed line pitch of the body: 28 pt (22 lines per page). */
const BODY_LINE = 560;
/** One character of 三号 text, in twips. */
const CHAR = 320;

const font = (eastAsia: string) => ({
  ascii: "Times New Roman",
  hAnsi: "Times New Roman",
  eastAsia,
  cs: eastAsia,
  hint: "eastAsia",
});
const FANGSONG = font("仿宋_GB2312");
const XIAOBIAOSONG = font("方正小标宋简体");
const RED = "E60012";

/** Renders the model to DOCX bytes. */
export async function renderDocx(model: LetterModel): Promise<Buffer> {
  const body = (text: string, options: { indent?: boolean; align?: "left" | "right" | "both" } = {}) =>
    new Paragraph({
      alignment:
        options.align === "right"
          ? AlignmentType.RIGHT
          : options.align === "left"
            ? AlignmentType.LEFT
            : AlignmentType.BOTH,
      spacing: { line: BODY_LINE, lineRule: LineRuleType.EXACT },
      indent: options.indent === false ? undefined : { firstLine: 2 * CHAR },
      children: [new TextRun({ text, font: FANGSONG, size: SIZE.body })],
    });
  const blank = () => body("", { indent: false });

  const children = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 120 },
      children: [
        new TextRun({
          text: model.letterhead.organ,
          font: XIAOBIAOSONG,
          size: organSize(model.letterhead.organ),
          color: RED,
        }),
      ],
    }),
    new Paragraph({
      border: { bottom: { style: BorderStyle.DOUBLE, size: 12, color: RED, space: 1 } },
      children: [],
    }),
    new Paragraph({
      alignment: AlignmentType.RIGHT,
      spacing: { before: 120, line: BODY_LINE, lineRule: LineRuleType.EXACT },
      children: [new TextRun({ text: model.documentNumber, font: FANGSONG, size: SIZE.body })],
    }),
    blank(),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { line: 700, lineRule: LineRuleType.EXACT },
      children: [new TextRun({ text: model.title, font: XIAOBIAOSONG, size: SIZE.title })],
    }),
    blank(),
    body(model.addressee, { indent: false, align: "left" }),
    ...model.paragraphs.map((text) => body(text)),
    // The 查询码 and its QR code close the body, so the 署名 and 成文日期 still end the letter.
    ...(model.queryCode ? await queryCodeBlock(model.queryCode) : []),
    blank(),
    blank(),
    rightBlock(model.issuer),
    rightBlock(chineseDate(model.date)),
  ];

  const footerLine = [
    model.letterhead.address ? `地址：${model.letterhead.address}` : "",
    model.letterhead.postcode ? `邮编：${model.letterhead.postcode}` : "",
    model.letterhead.phone ? `联系电话：${model.letterhead.phone}` : "",
  ]
    .filter(Boolean)
    .join("　　");
  const footer = new Footer({
    children: [
      ...(footerLine
        ? [
            new Paragraph({
              alignment: AlignmentType.CENTER,
              border: { top: { style: BorderStyle.SINGLE, size: 4, color: "000000", space: 2 } },
              children: [new TextRun({ text: footerLine, font: FANGSONG, size: SIZE.footer })],
            }),
          ]
        : []),
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [
          new TextRun({ children: ["— ", PageNumber.CURRENT, " —"], font: font("宋体"), size: SIZE.footer }),
        ],
      }),
    ],
  });

  const document = new Document({
    title: model.title,
    creator: model.issuer,
    description: model.documentNumber,
    styles: {
      default: { document: { run: { font: FANGSONG, size: SIZE.body, language: { eastAsia: "zh-CN" } } } },
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: 11906, height: 16838 },
            margin: {
              top: Math.round(37 * MM),
              bottom: Math.round(35 * MM),
              left: Math.round(28 * MM),
              right: Math.round(26 * MM),
            },
          },
        },
        footers: { default: footer },
        children,
      },
    ],
  });
  return Packer.toBuffer(document);
}

/** The 查询码 with its QR code (pure-JS PNG, 30 mm square) below the body of a 登记回执. */
async function queryCodeBlock(queryCode: { code: string; link: string }): Promise<Paragraph[]> {
  const png = await QRCode.toBuffer(queryCode.link, {
    type: "png",
    // Q survives a smudged print; 450 px keeps whole pixels per module, which scanners decode reliably.
    errorCorrectionLevel: "Q",
    margin: 4,
    width: 450,
  });
  const side = 113; // pixels at 96 dpi ≈ 30 mm
  return [
    new Paragraph({ children: [] }),
    new Paragraph({
      alignment: AlignmentType.LEFT,
      children: [new ImageRun({ type: "png", data: png, transformation: { width: side, height: side } })],
    }),
    new Paragraph({
      alignment: AlignmentType.LEFT,
      children: [new TextRun({ text: `查询码：${queryCode.code}`, font: FANGSONG, size: SIZE.footer })],
    }),
  ];
}

/** The 发文机关标志 shrinks for long names so it stays on one line of the 156 mm type area. */
function organSize(organ: string): number {
  const points = Math.max(22, Math.min(36, Math.floor(440 / Math.max(1, organ.length))));
  return points * 2;
}

// 署名 and 成文日期 sit at the right, four characters in from the edge (GB/T 9704-2012 7.3.5.2).
function rightBlock(text: string): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.RIGHT,
    indent: { right: 4 * CHAR },
    spacing: { line: BODY_LINE, lineRule: LineRuleType.EXACT },
    children: [new TextRun({ text, font: FANGSONG, size: SIZE.body })],
  });
}
