/**
 * Reads the text of a DOCX without a zip library: a minimal ZIP reader over the central directory
 * (stored and deflated entries) and a paragraph-text extractor for WordprocessingML. The letters this
 * platform issues are read back this way for the citizen's on-phone view (and by the tests).
 */
import { inflateRawSync } from "node:zlib";

/** The entries of a ZIP archive by name. */
export function unzip(archive: Buffer): Map<string, Buffer> {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error("not a zip archive (no end of central directory)");
  const count = archive.readUInt16LE(end + 10);
  let offset = archive.readUInt32LE(end + 16);
  const entries = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (archive.readUInt32LE(offset) !== 0x02014b50) throw new Error("bad central directory entry");
    const method = archive.readUInt16LE(offset + 10);
    const compressedSize = archive.readUInt32LE(offset + 20);
    const nameLength = archive.readUInt16LE(offset + 28);
    const extraLength = archive.readUInt16LE(offset + 30);
    const commentLength = archive.readUInt16LE(offset + 32);
    const localOffset = archive.readUInt32LE(offset + 42);
    const name = archive.subarray(offset + 46, offset + 46 + nameLength).toString("utf8");
    const localNameLength = archive.readUInt16LE(localOffset + 26);
    const localExtraLength = archive.readUInt16LE(localOffset + 28);
    const start = localOffset + 30 + localNameLength + localExtraLength;
    const data = archive.subarray(start, start + compressedSize);
    entries.set(name, method === 0 ? Buffer.from(data) : inflateRawSync(data));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The text of each paragraph of a WordprocessingML part (runs joined, entities decoded). */
export function paragraphsOf(xml: string): string[] {
  return xml
    .split("</w:p>")
    .map((chunk) =>
      [...chunk.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)]
        .map((match) => decodeXml(match[1] ?? ""))
        .join(""),
    )
    .filter((text) => text !== "");
}

/**
 * The paragraphs of a DOCX body.
 * @param bytes the DOCX file.
 */
export function docxParagraphs(bytes: Buffer): string[] {
  return paragraphsOf(unzip(bytes).get("word/document.xml")?.toString("utf8") ?? "");
}

function decodeXml(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}
