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

/** An accepted file type: extension, MIME type, Chinese name and magic-byte check. */
interface FileType {
  extensions: readonly string[];
  contentType: string;
  label: string;
  matches: (head: Buffer, whole: Buffer) => boolean;
}

const isZip = (head: Buffer) =>
  head.length >= 4 &&
  head[0] === 0x50 &&
  head[1] === 0x4b &&
  ((head[2] === 0x03 && head[3] === 0x04) || (head[2] === 0x05 && head[3] === 0x06));

// OOXML packages are ZIP files whose central directory names the part folder; the names are stored
// uncompressed, so a byte search finds them without unpacking.
const zipHasEntry = (whole: Buffer, prefix: string) =>
  whole.includes(Buffer.from("[Content_Types].xml")) && whole.includes(Buffer.from(prefix));

/** Accepted upload types (pdf, docx, xlsx, jpg, png, zip). */
export const allowedFileTypes: readonly FileType[] = [
  {
    extensions: [".pdf"],
    contentType: "application/pdf",
    label: "PDF",
    matches: (head) => head.subarray(0, 5).toString("latin1") === "%PDF-",
  },
  {
    extensions: [".docx"],
    contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    label: "Word（DOCX）",
    matches: (head, whole) => isZip(head) && zipHasEntry(whole, "word/"),
  },
  {
    extensions: [".xlsx"],
    contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    label: "Excel（XLSX）",
    matches: (head, whole) => isZip(head) && zipHasEntry(whole, "xl/"),
  },
  {
    extensions: [".jpg", ".jpeg"],
    contentType: "image/jpeg",
    label: "JPG",
    matches: (head) => head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff,
  },
  {
    extensions: [".png"],
    contentType: "image/png",
    label: "PNG",
    matches: (head) =>
      head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  {
    extensions: [".zip"],
    contentType: "application/zip",
    label: "ZIP",
    matches: (head) => isZip(head),
  },
];

/** Whether a text contains C0 control characters (never part of a legitimate file name). */
export function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 0x20) return true;
  return false;
}

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
export function checkUpload(filename: string, data: Buffer): { contentType: string } {
  const name = filename.trim();
  if (name === "" || name.length > 200 || /[\\/]/.test(name) || hasControlCharacters(name)) {
    throw BadRequest("文件名不能为空，不能超过200个字符，且不能包含路径或控制字符");
  }
  const dot = name.lastIndexOf(".");
  const extension = dot >= 0 ? name.slice(dot).toLowerCase() : "";
  const type = allowedFileTypes.find((candidate) => candidate.extensions.includes(extension));
  if (!type)
    throw UnsupportedMediaType("不支持该文件类型，仅可上传 PDF、DOCX、XLSX、JPG、PNG、ZIP 格式的文件");
  if (data.length === 0) throw BadRequest("上传的文件为空，请重新选择文件");
  if (data.length > MAX_UPLOAD_BYTES) throw PayloadTooLarge(MAX_UPLOAD_BYTES);
  if (!type.matches(data.subarray(0, 16), data)) {
    throw UnsupportedMediaType(
      `文件“${name}”的内容不是有效的${type.label}文件（文件内容与扩展名不符），请检查后重新上传`,
    );
  }
  return { contentType: type.contentType };
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

/**
 * Reads a raw request body of at most `limitBytes`; refuses early when Content-Length says it is too big.
 * @param req the incoming request.
 * @param declaredLength the Content-Length, when sent.
 */
export function readLimitedBody(
  req: NodeJS.ReadableStream & { complete?: boolean },
  declaredLength: number | undefined,
  limitBytes: number = MAX_UPLOAD_BYTES,
): Promise<Buffer> {
  if (declaredLength !== undefined && declaredLength > limitBytes) {
    return Promise.reject(PayloadTooLarge(limitBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
    };
    // Listeners rather than `for await`: breaking out would destroy the socket before the 413 is sent.
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limitBytes) {
        cleanup();
        req.resume();
        reject(PayloadTooLarge(limitBytes));
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
      reject(BadRequest("文件未能完整接收，请重新上传"));
    };
    const onClose = () => {
      if (req.complete) return;
      cleanup();
      reject(BadRequest("文件未能完整接收，请重新上传"));
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
}
