/**
 * Table 二 第二十条第（一）项 figures from the catalogue: 规章 and (行政)规范性文件 counted by their
 * 生成日期 (2019: 本年新制作), 发布日期 (2019: 本年新公开, 对外公开总数量; 2021: 本年制发, since 制发
 * means made and issued) and 废止日期 (repealed or superseded). Drafts and withdrawn items are not
 * counted. The counting itself is the pure `table2FromItems`.
 */
import type { DocKind } from "@govinfo/shared/catalogue/categories";
import { type ReportFormat, reportFormatForYear } from "@govinfo/shared/stats/keys";
import { Types } from "mongoose";
import { InfoItem } from "../../models/InfoItem.ts";

/** 2021 columns: 本年制发件数, 本年废止件数, 现行有效件数. */
export interface Table2Cells2021 {
  issued: number;
  repealed: number;
  inForce: number;
}

/** 2019 columns: 本年新制作数量, 本年新公开数量, 对外公开总数量. */
export interface Table2Cells2019 {
  newlyMade: number;
  newlyPublished: number;
  publishedTotal: number;
}

/** The 第二十条第（一）项 rows of table 二 in one format (keys of `shared/stats/keys.ts`). */
export type CatalogueTable2 =
  | { format: 2021; year: number; regulations: Table2Cells2021; normativeDocuments: Table2Cells2021 }
  | { format: 2019; year: number; regulations: Table2Cells2019; normativeDocuments: Table2Cells2019 };

/** The dates table 二 needs of one published item. */
export interface Table2Source {
  docKind: DocKind | string;
  formedDate: string;
  publishedDate: string | null;
  repealedDate: string | null;
}

/**
 * Counts table 二 （一） from published items. An item leaves 现行有效 on its 废止日期, whether
 * repealed or superseded by a revision, so last year's 现行有效 + 本年制发 − 本年废止 = this year's.
 */
export function table2FromItems(
  items: readonly Table2Source[],
  year: number,
  format: ReportFormat,
): CatalogueTable2 {
  const start = `${year}-01-01`;
  const end = `${year}-12-31`;
  const inYear = (date: string | null) => date !== null && date >= start && date <= end;
  const rows = (kind: DocKind) => items.filter((item) => item.docKind === kind);
  if (format === 2021) {
    const cells = (kind: DocKind): Table2Cells2021 => {
      const own = rows(kind);
      return {
        issued: own.filter((i) => inYear(i.publishedDate)).length,
        repealed: own.filter((i) => inYear(i.repealedDate)).length,
        inForce: own.filter(
          (i) =>
            i.publishedDate !== null &&
            i.publishedDate <= end &&
            (i.repealedDate === null || i.repealedDate > end),
        ).length,
      };
    };
    return { format, year, regulations: cells("regulation"), normativeDocuments: cells("normative") };
  }
  const cells = (kind: DocKind): Table2Cells2019 => {
    const own = rows(kind);
    return {
      newlyMade: own.filter((i) => inYear(i.formedDate)).length,
      newlyPublished: own.filter((i) => inYear(i.publishedDate)).length,
      publishedTotal: own.filter((i) => i.publishedDate !== null && i.publishedDate <= end).length,
    };
  };
  return { format, year, regulations: cells("regulation"), normativeDocuments: cells("normative") };
}

/**
 * Table 二 （一） for agencies (one, or a government's subtree) and a statistics year; the format
 * defaults to the one that applies to the year (2019–2020 → 2019, 2021 onward → 2021).
 */
export async function catalogueTable2(
  agencyIds: ReadonlyArray<string | Types.ObjectId>,
  year: number,
  format: ReportFormat = reportFormatForYear(year),
): Promise<CatalogueTable2> {
  const items = await InfoItem.find(
    {
      agencyId: { $in: agencyIds.map((id) => new Types.ObjectId(String(id))) },
      docKind: { $in: ["regulation", "normative"] },
      status: "published",
    },
    { docKind: 1, formedDate: 1, publishedDate: 1, repealedDate: 1 },
  ).lean<Table2Source[]>();
  return table2FromItems(
    items.map((i) => ({
      ...i,
      publishedDate: i.publishedDate ?? null,
      repealedDate: i.repealedDate ?? null,
    })),
    year,
    format,
  );
}
