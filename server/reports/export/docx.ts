/**
 * DOCX export laid out as an office files it (GB/T 9704 conventions): A4, title in 小标宋 二号, headings
 * 一…六 in 黑体 三号, sub-headings in 楷体 三号, body in 仿宋 三号 with a two-character first-line indent,
 * and the three tables with the official merged header cells and exact row labels.
 */

import type { ReportModel } from "@govinfo/shared/stats/report";
import {
  AlignmentType,
  Document,
  type FileChild,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
} from "docx";
import { officialPageSection } from "../../services/documents/officialPage.ts";
import { type Grid, sectionHeadings, table2Grid, table3Grid, table4Grid, titleLines } from "./layout.ts";

/** Font sizes in half-points: 二号 22pt, 三号 16pt, table text 10pt. */
const SIZE = { title: 44, body: 32, table: 20, tableSmall: 18 } as const;
const FONTS = {
  title: "方正小标宋简体",
  heading: "黑体",
  subheading: "楷体_GB2312",
  body: "仿宋_GB2312",
  table: "宋体",
} as const;
/** Content width of an A4 page with 2.8 cm / 2.6 cm side margins, in twips. */
const CONTENT_WIDTH = 8844;

/** Renders the report as a .docx file. */
export async function renderDocx(model: ReportModel): Promise<Buffer> {
  const [agency, title] = titleLines(model);
  const children: FileChild[] = [
    line(agency, { font: FONTS.title, size: SIZE.title, align: AlignmentType.CENTER }),
    line(title, { font: FONTS.title, size: SIZE.title, align: AlignmentType.CENTER, after: 400 }),
  ];
  if (model.status === "draft")
    children.push(line("（草稿）", { font: FONTS.body, size: SIZE.body, align: AlignmentType.CENTER }));
  const [one, two, three, four, five, six] = sectionHeadings;
  children.push(heading(one));
  for (const p of model.sections.overview) {
    if (p.heading) children.push(line(p.heading, { font: FONTS.subheading, size: SIZE.body, indent: true }));
    children.push(body(p.text));
  }
  children.push(heading(two), table(table2Grid(model), SIZE.table));
  children.push(heading(three), table(table3Grid(model), SIZE.tableSmall));
  const grid4 = table4Grid(model);
  children.push(heading(four), table(grid4, SIZE.tableSmall));
  if (grid4.note) children.push(line(grid4.note, { font: FONTS.body, size: SIZE.table }));
  children.push(heading(five));
  for (const p of model.sections.problems) children.push(body(p.text));
  children.push(heading(six));
  for (const p of model.sections.other) children.push(body(p.text));
  const doc = new Document({
    creator: model.agency.name,
    title: `${agency}${title}`,
    styles: {
      default: {
        document: {
          run: {
            font: { eastAsia: FONTS.body, ascii: "Times New Roman", hAnsi: "Times New Roman" },
            size: SIZE.body,
          },
        },
      },
    },
    sections: [officialPageSection(children)],
  });
  return Packer.toBuffer(doc);
}

function run(text: string, font: string, size: number, bold = false): TextRun {
  return new TextRun({
    text,
    font: { eastAsia: font, ascii: "Times New Roman", hAnsi: "Times New Roman" },
    size,
    bold,
  });
}

function line(
  text: string,
  options: {
    font: string;
    size: number;
    align?: (typeof AlignmentType)[keyof typeof AlignmentType];
    after?: number;
    indent?: boolean;
  },
): Paragraph {
  return new Paragraph({
    alignment: options.align ?? AlignmentType.LEFT,
    spacing: { after: options.after ?? 0, line: 560 },
    ...(options.indent ? { indent: { firstLine: 640 } } : {}),
    children: [run(text, options.font, options.size)],
  });
}

function heading(text: string): Paragraph {
  return new Paragraph({
    spacing: { before: 120, after: 120, line: 560 },
    indent: { firstLine: 640 },
    children: [run(text, FONTS.heading, SIZE.body)],
  });
}

function body(text: string): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.JUSTIFIED,
    spacing: { line: 560 },
    indent: { firstLine: 640 },
    children: [run(text, FONTS.body, SIZE.body)],
  });
}

function table(grid: Grid, size: number): Table {
  const unit = CONTENT_WIDTH / grid.widths.reduce((a, b) => a + b, 0);
  const columnWidths = grid.widths.map((w) => Math.round(w * unit));
  return new Table({
    width: { size: CONTENT_WIDTH, type: WidthType.DXA },
    columnWidths,
    rows: grid.rows.map(
      (cells, r) =>
        new TableRow({
          tableHeader: r < grid.headerRows,
          children: cells.map((cell) => {
            const text =
              cell.text ?? (cell.value === null || cell.value === undefined ? "" : String(cell.value));
            return new TableCell({
              ...(cell.colSpan && cell.colSpan > 1 ? { columnSpan: cell.colSpan } : {}),
              ...(cell.rowSpan && cell.rowSpan > 1 ? { rowSpan: cell.rowSpan } : {}),
              verticalAlign: VerticalAlignTable.CENTER,
              children: [
                new Paragraph({
                  alignment:
                    cell.header && (cell.colSpan ?? 1) <= 3 && cell.scope === "row"
                      ? AlignmentType.LEFT
                      : AlignmentType.CENTER,
                  children: [run(text, FONTS.table, size, cell.header === true && cell.scope !== "row")],
                }),
              ],
            });
          }),
        }),
    ),
  });
}
