/**
 * The page of an official document (GB/T 9704): A4 with margins of 37/35/28/26 mm (in twips), shared by the
 * annual report and the remedy guide so both print on the same page an office files.
 */
import type { FileChild, ISectionOptions } from "docx";

/** One section on the official A4 page holding `children`. */
export function officialPageSection(children: readonly FileChild[]): ISectionOptions {
  return {
    properties: {
      page: {
        size: { width: 11906, height: 16838 },
        margin: { top: 2098, bottom: 1984, left: 1588, right: 1474 },
      },
    },
    children,
  };
}
