/**
 * File types recognised by their magic bytes, never by the client's Content-Type or file name, so an
 * executable renamed to .pdf (or a picture renamed to .docx) is refused wherever files are uploaded.
 */

/** A detected file type: its MIME type and the extensions that may carry it. */
export interface DetectedType {
  contentType: string;
  extensions: readonly string[];
}

const PDF: DetectedType = { contentType: "application/pdf", extensions: ["pdf"] };
const DOCX: DetectedType = {
  contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  extensions: ["docx"],
};
const XLSX: DetectedType = {
  contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  extensions: ["xlsx"],
};
const PPTX: DetectedType = {
  contentType: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  extensions: ["pptx"],
};
const OFD: DetectedType = { contentType: "application/ofd", extensions: ["ofd"] };
const ZIP: DetectedType = { contentType: "application/zip", extensions: ["zip"] };
export const OLE: DetectedType = {
  contentType: "application/msword",
  extensions: ["doc", "xls", "ppt", "wps", "et"],
};
const PNG: DetectedType = { contentType: "image/png", extensions: ["png"] };
const JPEG: DetectedType = { contentType: "image/jpeg", extensions: ["jpg", "jpeg"] };
const GIF: DetectedType = { contentType: "image/gif", extensions: ["gif"] };
const TEXT: DetectedType = { contentType: "text/plain; charset=utf-8", extensions: ["txt", "csv"] };

export const OLE_TYPES: Record<string, string> = {
  doc: "application/msword",
  wps: "application/msword",
  xls: "application/vnd.ms-excel",
  et: "application/vnd.ms-excel",
  ppt: "application/vnd.ms-powerpoint",
};

/** Detects the type of a file from its first bytes; null for anything not accepted (executables too). */
export function detectType(bytes: Buffer): DetectedType | null {
  const starts = (sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return PDF;
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return PNG;
  if (starts([0xff, 0xd8, 0xff])) return JPEG;
  if (starts([0x47, 0x49, 0x46, 0x38])) return GIF;
  if (starts([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return OLE;
  if (starts([0x50, 0x4b, 0x03, 0x04])) {
    // Office Open XML and OFD are zip archives; their part names sit in the local file headers.
    const head = bytes.subarray(0, Math.min(bytes.length, 64 * 1024)).toString("latin1");
    if (head.includes("word/")) return DOCX;
    if (head.includes("xl/")) return XLSX;
    if (head.includes("ppt/")) return PPTX;
    if (head.includes("OFD.xml")) return OFD;
    return ZIP;
  }
  if (isPlainText(bytes)) return TEXT;
  return null;
}

function isPlainText(bytes: Buffer): boolean {
  if (bytes.length === 0) return false;
  const sample = bytes.subarray(0, 64 * 1024);
  if (sample.includes(0)) return false;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(sample.subarray(0, cutAtCharBoundary(sample)));
    return true;
  } catch {
    return false;
  }
}

// A 64 KiB sample may end inside a multi-byte character; back up to the character's first byte.
function cutAtCharBoundary(sample: Buffer): number {
  let end = sample.length;
  for (let back = 0; back < 3 && end > 0 && ((sample[end - 1] ?? 0) & 0xc0) === 0x80; back++) end--;
  if (end > 0 && ((sample[end - 1] ?? 0) & 0xc0) === 0xc0) end--;
  return end === 0 ? sample.length : end;
}

/**
 * Whether a file name holds characters that hide or disguise what it is: C0 and C1 controls (NUL,
 * CR/LF, DEL) and the Unicode bidirectional controls that make "发票\u202Egnp.pdf" display as
 * "发票fdp.png".
 */
export function hasUnsafeNameCharacters(name: string): boolean {
  for (const char of name) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || bidiControls.has(code)) return true;
  }
  return false;
}

// ALM, LRM, RLM, the embeddings and overrides (LRE…RLO) and the isolates (LRI…PDI).
const bidiControls = new Set([
  0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069,
]);

/** The extension of a file name, lowercased, without the dot. */
export function extensionOf(name: string): string {
  const m = /\.([A-Za-z0-9]{1,8})$/.exec(name);
  return m ? (m[1] as string).toLowerCase() : "";
}

/** The Content-Type to store for a detected type and the file's extension (legacy Office files share one signature). */
export function contentTypeFor(type: DetectedType, extension: string): string {
  return type === OLE ? (OLE_TYPES[extension] ?? OLE.contentType) : type.contentType;
}
