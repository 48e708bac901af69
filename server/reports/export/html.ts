/**
 * HTML export: the public page of a report (and the staff preview). Accessible tables (caption,
 * `<th scope>`, merged headers as colspan/rowspan), lang="zh-CN", printable A4 CSS, and the revision
 * history of a published report.
 */
import type { ReportModel } from "@govinfo/shared/stats/report";
import {
  type Grid,
  type GridCell,
  sectionHeadings,
  table2Grid,
  table3Grid,
  table4Grid,
  titleLines,
} from "./layout.ts";

/** Options of `renderHtml`. */
export interface HtmlOptions {
  /** Link to the JSON version, shown on public pages. */
  jsonHref?: string;
  /** Show the check results (staff preview). */
  showChecks?: boolean;
}

/** Renders the report as a standalone HTML page. */
export function renderHtml(model: ReportModel, options: HtmlOptions = {}): string {
  const [agency, title] = titleLines(model);
  const [one, two, three, four, five, six] = sectionHeadings;
  const paragraphs = (list: ReportModel["sections"]["overview"]) =>
    list.map((p) => `${p.heading ? `<h3>${esc(p.heading)}</h3>\n` : ""}<p>${esc(p.text)}</p>`).join("\n");
  const grid4 = table4Grid(model);
  const parts = [
    "<!DOCTYPE html>",
    '<html lang="zh-CN">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(agency)}${esc(title)}</title>`,
    `<style>${CSS}</style>`,
    "</head>",
    "<body>",
    "<main>",
    `<header><h1><span class="agency">${esc(agency)}</span><span class="title">${esc(title)}</span></h1>`,
    model.status === "draft" ? '<p class="draft">（草稿，尚未发布）</p>' : "",
    "</header>",
    `<section aria-labelledby="s1"><h2 id="s1">${one}</h2>\n${paragraphs(model.sections.overview)}</section>`,
    `<section aria-labelledby="s2"><h2 id="s2">${two}</h2>\n${gridHtml(table2Grid(model))}</section>`,
    `<section aria-labelledby="s3"><h2 id="s3">${three}</h2>\n${gridHtml(table3Grid(model))}</section>`,
    `<section aria-labelledby="s4"><h2 id="s4">${four}</h2>\n${gridHtml(grid4)}${grid4.note ? `<p class="note">${esc(grid4.note)}</p>` : ""}</section>`,
    `<section aria-labelledby="s5"><h2 id="s5">${five}</h2>\n${paragraphs(model.sections.problems)}</section>`,
    `<section aria-labelledby="s6"><h2 id="s6">${six}</h2>\n${paragraphs(model.sections.other)}</section>`,
    options.showChecks ? checksHtml(model) : "",
    revisionsHtml(model),
    options.jsonHref
      ? `<p class="links no-print"><a href="${esc(options.jsonHref)}">下载开放数据（JSON）</a></p>`
      : "",
    "</main>",
    "</body>",
    "</html>",
  ];
  return `${parts.filter((p) => p !== "").join("\n")}\n`;
}

function gridHtml(grid: Grid): string {
  const rows = grid.rows.map((cells, r) => {
    const inner = cells.map((cell) => cellHtml(cell)).join("");
    return r < grid.headerRows ? `<tr class="head">${inner}</tr>` : `<tr>${inner}</tr>`;
  });
  const head = rows.slice(0, grid.headerRows);
  const bodyRows = rows.slice(grid.headerRows);
  return [
    '<div class="table-wrap">',
    "<table>",
    `<caption>${esc(grid.caption)}</caption>`,
    head.length > 0 ? `<thead>${head.join("")}</thead>` : "",
    `<tbody>${bodyRows.join("\n")}</tbody>`,
    "</table>",
    "</div>",
  ].join("");
}

function cellHtml(cell: GridCell): string {
  const spans = `${cell.colSpan && cell.colSpan > 1 ? ` colspan="${cell.colSpan}"` : ""}${cell.rowSpan && cell.rowSpan > 1 ? ` rowspan="${cell.rowSpan}"` : ""}`;
  if (cell.header) {
    const scope = cell.scope ? ` scope="${cell.scope}"` : "";
    return `<th${scope}${spans}>${esc(cell.text ?? "")}</th>`;
  }
  const value = cell.value === null || cell.value === undefined ? "" : String(cell.value);
  const key = cell.cellKey ? ` data-cell="${esc(cell.cellKey)}"` : "";
  return `<td${spans}${key}>${esc(cell.text ?? value)}</td>`;
}

function checksHtml(model: ReportModel): string {
  const items = model.checks
    .map(
      (c) =>
        `<li class="${c.ok ? "ok" : c.severity}">${c.ok ? "✓" : c.severity === "hard" ? "✗" : "!"} ${esc(c.message)}</li>`,
    )
    .join("\n");
  return `<section class="checks no-print" aria-labelledby="checks"><h2 id="checks">校验结果</h2><ul>${items}</ul></section>`;
}

function revisionsHtml(model: ReportModel): string {
  if (model.revisions.length === 0) return "";
  const rows = model.revisions
    .map(
      (r) =>
        `<tr><td>第 ${r.revision} 版</td><td>${esc(r.publishedAt.slice(0, 10))}</td><td>${esc(r.reason || "首次发布")}</td></tr>`,
    )
    .join("");
  return `<section aria-labelledby="rev"><h2 id="rev">发布与更正记录</h2><table class="revisions"><caption>发布与更正记录</caption><thead><tr><th scope="col">版本</th><th scope="col">发布日期</th><th scope="col">说明</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const CSS = `
body{margin:0;background:#f5f5f5;color:#222;font-family:"FangSong","仿宋","仿宋_GB2312","STFangsong",serif;font-size:16pt;line-height:1.75}
main{max-width:210mm;margin:0 auto;background:#fff;padding:20mm 26mm 20mm 28mm;box-sizing:border-box}
h1{text-align:center;font-family:"方正小标宋简体","SimSun","Songti SC",serif;font-size:22pt;font-weight:normal;line-height:1.5;margin:0 0 1em}
h1 span{display:block}
h2{font-family:"SimHei","黑体","Heiti SC",sans-serif;font-size:16pt;font-weight:normal;margin:1em 0 .3em;text-indent:2em}
h3{font-family:"KaiTi","楷体","楷体_GB2312",serif;font-size:16pt;font-weight:normal;margin:.3em 0;text-indent:2em}
p{margin:0;text-indent:2em;text-align:justify}
p.draft{text-align:center;text-indent:0;color:#b00}
p.note{font-size:10.5pt;text-indent:0}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-family:"SimSun","宋体",serif;font-size:10pt;line-height:1.4;margin:.5em 0}
caption{font-weight:bold;padding:.3em}
th,td{border:1px solid #333;padding:3px 4px;text-align:center;vertical-align:middle}
th[scope=row]{text-align:left;font-weight:normal}
td{font-variant-numeric:tabular-nums}
.checks li.ok{color:#277a2e}.checks li.hard{color:#b00}.checks li.soft{color:#a66a00}
@page{size:A4;margin:37mm 26mm 35mm 28mm}
@media print{body{background:#fff}main{max-width:none;padding:0}.no-print{display:none}tr{page-break-inside:avoid}thead{display:table-header-group}}
`;
