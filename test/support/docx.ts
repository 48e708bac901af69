/**
 * Reads DOCX files in tests without a zip library: a minimal ZIP reader over the central directory
 * (stored and deflated entries) and a paragraph-text extractor for WordprocessingML parts.
 */
import { paragraphsOf, unzip } from "../../server/services/documents/docxText.ts";

export { paragraphsOf, unzip };

/** The paragraphs of a DOCX body, and the raw XML of its document and footer parts. */
export function readDocx(bytes: Buffer): {
  paragraphs: string[];
  text: string;
  documentXml: string;
  footerXml: string;
} {
  const entries = unzip(bytes);
  const documentXml = entries.get("word/document.xml")?.toString("utf8") ?? "";
  const footerXml = [...entries]
    .filter(([name]) => /^word\/footer\d*\.xml$/.test(name))
    .map(([, data]) => data.toString("utf8"))
    .join("");
  const paragraphs = paragraphsOf(documentXml);
  return { paragraphs, text: paragraphs.join("\n"), documentXml, footerXml };
}
