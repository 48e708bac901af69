/**
 * Bounds on ZIP archives (DOCX, XLSX and the other Office Open XML and OFD packages, plain ZIP) before
 * anything inflates them. A 300 KB upload can declare, or simply hold, gigabytes of XML: ExcelJS and
 * JSZip would inflate every entry into memory before a single row is read. So the central directory is
 * read here, entry by entry, against limits on the entry count, the total decompressed size and the
 * compression ratio; then every entry is inflated with its output capped at the size it declares (a
 * lying header fails at once), counted and thrown away. Nothing is inflated beyond the limits, so the
 * memory an upload can cost stays near the limits whatever the archive says.
 */
import { promisify } from "node:util";
import { inflateRaw } from "node:zlib";
import { AppError } from "../errors.ts";

/** The limits an archive must keep. */
export const ARCHIVE_LIMITS = {
  /** Entries in one archive (a large workbook has a few hundred). */
  maxEntries: 10_000,
  /** Sum of the entries' decompressed sizes. */
  maxTotalBytes: 100 * 1024 * 1024,
  /** Decompressed ÷ compressed size of one entry, checked for entries above `ratioFloorBytes`. */
  maxRatio: 200,
  /** Entries smaller than this may compress as well as they like (a sheet of empty styled cells). */
  ratioFloorBytes: 1024 * 1024,
} as const;

const inflate = promisify(inflateRaw) as (
  data: Buffer,
  options: { maxOutputLength: number },
) => Promise<Buffer>;

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_DIRECTORY = 0x06054b50;
const STORED = 0;
const DEFLATED = 8;

/** One entry as the central directory describes it. */
interface Entry {
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/**
 * Whether `bytes` start like a ZIP archive (a local file header).
 * @param bytes the upload.
 */
export function isZipArchive(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes.readUInt32LE(0) === LOCAL_HEADER;
}

/**
 * Throws 413 with a Chinese message when the ZIP archive in `bytes` is over a limit, by what its
 * central directory declares or by what its entries really inflate to; does nothing for bytes that are
 * not a ZIP archive. An archive whose directory cannot be read is left to the parser (which refuses it)
 * or stored as it is, since the server never inflates a stored file.
 * @param bytes the whole upload.
 */
export async function assertArchiveWithinLimits(bytes: Buffer): Promise<void> {
  if (!isZipArchive(bytes)) return;
  const entries = centralDirectory(bytes);
  if (!entries) return;
  let total = 0;
  for (const entry of entries) {
    total += entry.size;
    if (total > ARCHIVE_LIMITS.maxTotalBytes) throw tooLarge("解压后的总大小超过 100 MB");
    const ratio = entry.size / Math.max(1, entry.compressedSize);
    if (entry.size > ARCHIVE_LIMITS.ratioFloorBytes && ratio > ARCHIVE_LIMITS.maxRatio)
      throw tooLarge(`其中的文件压缩比超过 ${ARCHIVE_LIMITS.maxRatio} 倍，疑似压缩炸弹`);
    if (entry.method !== STORED && entry.method !== DEFLATED)
      throw tooLarge("其中的文件使用了不支持的压缩方式");
  }
  for (const entry of entries) await assertEntryInflatesAsDeclared(bytes, entry);
}

/** The entries of the central directory, or null when it cannot be found or read. */
function centralDirectory(bytes: Buffer): Entry[] | null {
  const end = findEndOfDirectory(bytes);
  if (end < 0) return null;
  const count = bytes.readUInt16LE(end + 10);
  const offset = bytes.readUInt32LE(end + 16);
  // 0xFFFF / 0xFFFFFFFF mean ZIP64, which no upload within the size limits needs.
  if (count === 0xffff || offset === 0xffffffff) throw tooLarge("不支持 ZIP64 格式的超大压缩文件");
  if (count > ARCHIVE_LIMITS.maxEntries) throw tooLarge(`其中的文件超过 ${ARCHIVE_LIMITS.maxEntries} 个`);
  const entries: Entry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== CENTRAL_HEADER) return null;
    const compressedSize = bytes.readUInt32LE(at + 20);
    const size = bytes.readUInt32LE(at + 24);
    if (compressedSize === 0xffffffff || size === 0xffffffff)
      throw tooLarge("不支持 ZIP64 格式的超大压缩文件");
    entries.push({
      method: bytes.readUInt16LE(at + 10),
      compressedSize,
      size,
      localOffset: bytes.readUInt32LE(at + 42),
    });
    at += 46 + bytes.readUInt16LE(at + 28) + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
  }
  return entries;
}

/** The offset of the end-of-central-directory record (it ends with a comment of up to 64 KiB). */
function findEndOfDirectory(bytes: Buffer): number {
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  for (let at = bytes.length - 22; at >= lowest; at--) {
    if (bytes.readUInt32LE(at) === END_OF_DIRECTORY) return at;
  }
  return -1;
}

/** Inflates one entry with its output capped at the declared size; 413 when it would grow beyond. */
async function assertEntryInflatesAsDeclared(bytes: Buffer, entry: Entry): Promise<void> {
  const at = entry.localOffset;
  if (at + 30 > bytes.length || bytes.readUInt32LE(at) !== LOCAL_HEADER) return;
  const start = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
  const data = bytes.subarray(start, Math.min(bytes.length, start + entry.compressedSize));
  if (entry.method === STORED) return;
  try {
    // In the thread pool, so a large honest entry does not hold the event loop.
    await inflate(data, { maxOutputLength: Math.max(1, entry.size) });
  } catch (error) {
    if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE")
      throw tooLarge("其中的文件解压后比声明的大小更大，疑似压缩炸弹");
    // A damaged stream is the parser's to refuse; nothing was inflated beyond the cap.
  }
}

function tooLarge(reason: string): AppError {
  return new AppError("payload_too_large", { message: `压缩文件解压后过大，不予接收：${reason}` });
}
