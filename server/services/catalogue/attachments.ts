/**
 * Attachments of catalogue items, stored in the GridFS bucket `catalogue`. The type is decided by
 * the file's magic bytes, never by the client's Content-Type, and must agree with the file name's
 * extension, so an executable renamed to .pdf (or a picture renamed to .docx) is refused.
 */
import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import type { Context } from "koa";
import mongoose, { Types } from "mongoose";
import {
  AppError,
  BadRequest,
  NotFound,
  PayloadTooLarge,
  UnsupportedMediaType,
  ValidationFailed,
} from "../../errors.ts";
import type { InfoItemDoc } from "../../models/InfoItem.ts";
import { writeChange } from "./items.ts";

/** Largest attachment accepted. */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

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
const OLE: DetectedType = {
  contentType: "application/msword",
  extensions: ["doc", "xls", "ppt", "wps", "et"],
};
const PNG: DetectedType = { contentType: "image/png", extensions: ["png"] };
const JPEG: DetectedType = { contentType: "image/jpeg", extensions: ["jpg", "jpeg"] };
const GIF: DetectedType = { contentType: "image/gif", extensions: ["gif"] };
const TEXT: DetectedType = { contentType: "text/plain; charset=utf-8", extensions: ["txt", "csv"] };

const OLE_TYPES: Record<string, string> = {
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

/** The extension of a file name, lowercased, without the dot. */
export function extensionOf(name: string): string {
  const m = /\.([A-Za-z0-9]{1,8})$/.exec(name);
  return m ? (m[1] as string).toLowerCase() : "";
}

/**
 * Checks an upload and returns the Content-Type to store; throws 413/415/400 in Chinese.
 * @param name the file name the client gave.
 */
export function checkUpload(name: string, bytes: Buffer): string {
  if (bytes.length === 0) throw ValidationFailed([{ path: "file", message: "文件为空" }]);
  if (bytes.length > MAX_ATTACHMENT_BYTES) throw PayloadTooLarge(MAX_ATTACHMENT_BYTES);
  if (/[\\/]/.test(name) || [...name].some((ch) => ch.charCodeAt(0) < 0x20))
    throw ValidationFailed([{ path: "name", message: "文件名不能包含路径或控制字符" }]);
  const ext = extensionOf(name);
  const type = detectType(bytes);
  if (!type)
    throw UnsupportedMediaType(
      "不支持的文件类型：仅接受 PDF、OFD、Word、Excel、PowerPoint、图片、文本和 ZIP 文件",
    );
  if (!type.extensions.includes(ext))
    throw UnsupportedMediaType(
      `文件内容与扩展名不符：内容为 ${type.extensions[0]?.toUpperCase()} 格式，文件名却是 .${ext || "（无扩展名）"}`,
    );
  return type === OLE ? (OLE_TYPES[ext] ?? OLE.contentType) : type.contentType;
}

/** Reads a request body of at most `limit` bytes (413 beyond it, announced or not). */
export function readUpload(ctx: Context, limit = MAX_ATTACHMENT_BYTES): Promise<Buffer> {
  const declared = ctx.request.length;
  if (declared !== undefined && declared > limit) return Promise.reject(PayloadTooLarge(limit));
  const req = ctx.req;
  // Listeners rather than `for await`: leaving the iterator early destroys the socket and the client
  // would never see the 413; left flowing, Node discards the rest of the body itself.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.resume();
        reject(PayloadTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = () => {
      cleanup();
      reject(BadRequest("文件未能完整接收"));
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}

function bucket(): mongoose.mongo.GridFSBucket {
  const db = mongoose.connection.db;
  if (!db) throw new AppError("service_unavailable");
  return new mongoose.mongo.GridFSBucket(db, { bucketName: "catalogue" });
}

/** Stores a checked file in GridFS and attaches it to the item (audited). */
export async function attachFile(
  ctx: Context | null,
  item: InfoItemDoc,
  name: string,
  bytes: Buffer,
): Promise<InfoItemDoc> {
  const contentType = checkUpload(name, bytes);
  const fileId = new Types.ObjectId();
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  await new Promise<void>((resolve, reject) => {
    const stream = bucket().openUploadStreamWithId(fileId, name, {
      metadata: { contentType, sha256, itemId: item._id },
    });
    stream.once("finish", () => resolve());
    stream.once("error", reject);
    stream.end(bytes);
  });
  const attachment = { _id: new Types.ObjectId(), fileId, name, contentType, size: bytes.length, sha256 };
  try {
    return await writeChange(
      ctx,
      item,
      {},
      { attachments: [...item.attachments, attachment] },
      "catalogue.attach",
      { attachmentId: String(attachment._id), name, contentType, size: bytes.length },
    );
  } catch (error) {
    await bucket()
      .delete(fileId)
      .catch(() => undefined);
    throw error;
  }
}

/** Opens an attachment of an item for download, or throws 404. */
export function openAttachment(
  item: InfoItemDoc,
  attachmentId: string,
): { attachment: InfoItemDoc["attachments"][number]; stream: Readable } {
  const attachment = item.attachments.find((a) => String(a._id) === attachmentId);
  if (!attachment) throw NotFound("attachment", "附件不存在");
  return { attachment, stream: bucket().openDownloadStream(attachment.fileId) };
}

/** `Content-Disposition` with an ASCII fallback and the RFC 5987 UTF-8 name. */
export function contentDisposition(name: string, kind: "attachment" | "inline" = "attachment"): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_") || "download";
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
