/**
 * Files of applications (issued letters, delivered information, materials) in the GridFS bucket
 * `files` on mongoose's connection, each with metadata naming its request, agency and kind. Uploads
 * are checked here: an allowed extension, a size limit, and magic bytes that match the extension,
 * so a renamed executable never reaches an applicant as "答复.pdf".
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import mongoose, { Types } from "mongoose";
import { BadRequest, NotFound, PayloadTooLarge, UnsupportedMediaType } from "../../errors.ts";
import { assertArchiveWithinLimits } from "../../security/archives.ts";
import {
  contentTypeFor,
  detectType,
  extensionOf,
  hasUnsafeNameCharacters,
} from "../../security/fileTypes.ts";

/** Name of the GridFS bucket (collections `files.files` and `files.chunks`). */
export const BUCKET_NAME = "files";

/** Largest accepted upload: 20 MB. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/** What every stored file records besides its bytes. */
export interface FileMetadata {
  requestId: Types.ObjectId;
  agencyId: Types.ObjectId;
  /** Letter kind (`reply`, `receipt`…) or upload kind (`delivered`, `material`). */
  kind: string;
  contentType: string;
}

/** A stored file as GridFS describes it. */
export interface StoredFile {
  fileId: Types.ObjectId;
  filename: string;
  contentType: string;
  size: number;
  metadata: FileMetadata;
}

/** Extensions accepted for files of applications (the catalogue accepts more), with their names in messages. */
export const allowedExtensions: Readonly<Record<string, string>> = {
  pdf: "PDF",
  docx: "Word（DOCX）",
  xlsx: "Excel（XLSX）",
  jpg: "JPG",
  jpeg: "JPG",
  png: "PNG",
  zip: "ZIP",
};

/** The bucket on mongoose's current connection. */
export function filesBucket(): InstanceType<typeof mongoose.mongo.GridFSBucket> {
  const db = mongoose.connection.db;
  if (!db) throw new Error("database not connected");
  return new mongoose.mongo.GridFSBucket(db, { bucketName: BUCKET_NAME });
}

/**
 * Checks an upload's name, size and bytes; returns the content type to store (never the client's).
 * @param filename the original file name (extension decides the type).
 * @param data the whole file.
 */
export async function checkUpload(filename: string, data: Buffer): Promise<{ contentType: string }> {
  const name = filename.trim();
  if (name === "" || name.length > 200 || /[\\/]/.test(name) || hasUnsafeNameCharacters(name)) {
    throw BadRequest("文件名不能为空，不能超过200个字符，且不能包含路径或控制字符");
  }
  const extension = extensionOf(name);
  const label = allowedExtensions[extension];
  if (!label)
    throw UnsupportedMediaType("不支持该文件类型，仅可上传 PDF、DOCX、XLSX、JPG、PNG、ZIP 格式的文件");
  if (data.length === 0) throw BadRequest("上传的文件为空，请重新选择文件");
  if (data.length > MAX_UPLOAD_BYTES) throw PayloadTooLarge(MAX_UPLOAD_BYTES);
  const type = detectType(data);
  if (!type?.extensions.includes(extension)) {
    throw UnsupportedMediaType(
      `文件“${name}”的内容不是有效的${label}文件（文件内容与扩展名不符），请检查后重新上传`,
    );
  }
  await assertArchiveWithinLimits(data);
  return { contentType: contentTypeFor(type, extension) };
}

/**
 * Stores a file in GridFS.
 * @param data the bytes, or a stream of them.
 */
export async function putFile(args: {
  data: Buffer | Readable;
  filename: string;
  contentType: string;
  requestId: Types.ObjectId;
  agencyId: Types.ObjectId;
  kind: string;
}): Promise<StoredFile> {
  const metadata: FileMetadata = {
    requestId: args.requestId,
    agencyId: args.agencyId,
    kind: args.kind,
    contentType: args.contentType,
  };
  const upload = filesBucket().openUploadStream(args.filename, { metadata });
  const source = Buffer.isBuffer(args.data) ? Readable.from([args.data]) : args.data;
  await pipeline(source, upload);
  const fileId = new Types.ObjectId(String(upload.id));
  const size = upload.length;
  return { fileId, filename: args.filename, contentType: args.contentType, size, metadata };
}

/** The stored description of a file, or null when it does not exist. */
export async function fileInfo(fileId: Types.ObjectId): Promise<StoredFile | null> {
  const [file] = await filesBucket().find({ _id: fileId }).limit(1).toArray();
  if (!file) return null;
  const metadata = (file.metadata ?? {}) as FileMetadata;
  return {
    fileId,
    filename: file.filename,
    contentType: metadata.contentType ?? "application/octet-stream",
    size: file.length,
    metadata,
  };
}

/** A stream of a file's bytes; throws NotFound when the file does not exist. */
export async function openFile(fileId: Types.ObjectId): Promise<{ info: StoredFile; stream: Readable }> {
  const info = await fileInfo(fileId);
  if (!info) throw NotFound("file", "文件不存在或已被删除");
  return { info, stream: filesBucket().openDownloadStream(fileId) };
}

/** A file's bytes in memory (small files and tests). */
export async function readFile(fileId: Types.ObjectId): Promise<Buffer> {
  const { stream } = await openFile(fileId);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Deletes a file and its chunks (used to undo a store whose record could not be written). */
export async function deleteFile(fileId: Types.ObjectId): Promise<void> {
  await filesBucket()
    .delete(fileId)
    .catch(() => {});
}
