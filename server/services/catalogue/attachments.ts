/**
 * Attachments of catalogue items, stored in the GridFS bucket `catalogue`. The type is decided by
 * the file's magic bytes, never by the client's Content-Type, and must agree with the file name's
 * extension, so an executable renamed to .pdf (or a picture renamed to .docx) is refused.
 */
import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import type { Context } from "koa";
import mongoose, { Types } from "mongoose";
import { AppError, NotFound, PayloadTooLarge, UnsupportedMediaType, ValidationFailed } from "../../errors.ts";
import { readRawBody } from "../../middlewares/rawBody.ts";
import type { InfoItemDoc } from "../../models/InfoItem.ts";
import { assertArchiveWithinLimits } from "../../security/archives.ts";
import {
  contentTypeFor,
  detectType,
  extensionOf,
  hasUnsafeNameCharacters,
} from "../../security/fileTypes.ts";
import { writeChange } from "./items.ts";

/** Largest attachment accepted. */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

/**
 * Checks an upload and returns the Content-Type to store; throws 413/415/400 in Chinese.
 * @param name the file name the client gave.
 */
export async function checkUpload(name: string, bytes: Buffer): Promise<string> {
  if (bytes.length === 0) throw ValidationFailed([{ path: "file", message: "文件为空" }]);
  if (bytes.length > MAX_ATTACHMENT_BYTES) throw PayloadTooLarge(MAX_ATTACHMENT_BYTES);
  if (/[\\/]/.test(name) || hasUnsafeNameCharacters(name))
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
  await assertArchiveWithinLimits(bytes);
  return contentTypeFor(type, ext);
}

/** Reads an uploaded attachment or import file of at most `limit` bytes. */
export function readUpload(ctx: Context, limit = MAX_ATTACHMENT_BYTES): Promise<Buffer> {
  return readRawBody(ctx, limit, "文件未能完整接收");
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
  const contentType = await checkUpload(name, bytes);
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
