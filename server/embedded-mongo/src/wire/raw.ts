/**
 * The bytes the documents of a kind-1 sequence arrived in, kept beside the decoded documents (on the
 * decoded array, which lives as long as its command) so the journal can write an inserted document
 * without serializing it again (a bulk load's largest cost after decoding).
 */

const RAW = Symbol("rawBson");

/** A document's BSON, and where its `_id` element is (the journal writes `_id` first). */
export interface RawDocument {
  bytes: Buffer;
  idStart: number;
  idEnd: number;
}

/** Records the BSON bytes each document of a decoded sequence came from. */
export function rememberRaw(docs: object[], bytes: Buffer[]): void {
  (docs as unknown as { [RAW]: Buffer[] })[RAW] = bytes;
}

/**
 * The BSON of `docs[index]` as decoded from the wire, with the position of its `_id` element, or
 * undefined when it was not kept or is not exactly the stored document once `_id` is moved first
 * (no `_id` or an undefined one, a repeated `_id`, an unknown type).
 */
export function rawOf(docs: object[], index: number): RawDocument | undefined {
  const view = (docs as unknown as { [RAW]?: Buffer[] })[RAW]?.[index];
  if (!view) return undefined;
  let idStart = -1;
  let idEnd = -1;
  let at = 4;
  const end = view.length - 1;
  while (at < end) {
    const start = at;
    const type = view[at] as number;
    const nameEnd = view.indexOf(0, at + 1);
    if (nameEnd < 0 || nameEnd >= end) return undefined;
    const isId =
      nameEnd === at + 4 && view[at + 1] === 0x5f && view[at + 2] === 0x69 && view[at + 3] === 0x64;
    const size = valueSize(view, type, nameEnd + 1);
    if (size < 0) return undefined;
    at = nameEnd + 1 + size;
    if (at > end) return undefined;
    if (isId) {
      // An undefined _id is replaced by a generated one: those bytes are not the stored document.
      if (idStart >= 0 || type === 0x06) return undefined;
      idStart = start;
      idEnd = at;
    }
  }
  if (at !== end || view[end] !== 0 || idStart < 0) return undefined;
  return { bytes: view, idStart, idEnd };
}

/**
 * Writes the document into `out` at `at` with `_id` first (as prepareForInsert orders it): the
 * length, the `_id` element, the elements before it, the elements after it. Returns the end.
 */
export function writeIdFirst(raw: RawDocument, out: Buffer, at: number): number {
  const { bytes, idStart, idEnd } = raw;
  let to = at + bytes.copy(out, at, 0, 4);
  to += bytes.copy(out, to, idStart, idEnd);
  to += bytes.copy(out, to, 4, idStart);
  to += bytes.copy(out, to, idEnd);
  return to;
}

/** Size of a BSON value of `type` starting at `at`, or -1 for a type this walker does not know. */
function valueSize(view: Buffer, type: number, at: number): number {
  switch (type) {
    case 0x01: // double
    case 0x09: // date
    case 0x11: // timestamp
    case 0x12: // int64
      return 8;
    case 0x02: // string
    case 0x0d: // JavaScript code
    case 0x0e: // symbol
      return at + 4 <= view.length ? 4 + view.readInt32LE(at) : -1;
    case 0x03: // document
    case 0x04: // array
    case 0x0f: // code with scope
      return at + 4 <= view.length ? view.readInt32LE(at) : -1;
    case 0x05: // binary: length, subtype, bytes
      return at + 4 <= view.length ? 5 + view.readInt32LE(at) : -1;
    case 0x06: // undefined
    case 0x0a: // null
    case 0x7f: // max key
    case 0xff: // min key
      return 0;
    case 0x07: // ObjectId
      return 12;
    case 0x08: // boolean
      return 1;
    case 0x0b: {
      // regex: two C strings
      const first = view.indexOf(0, at);
      const second = first < 0 ? -1 : view.indexOf(0, first + 1);
      return second < 0 ? -1 : second + 1 - at;
    }
    case 0x0c: // DBPointer: string, ObjectId
      return at + 4 <= view.length ? 4 + view.readInt32LE(at) + 12 : -1;
    case 0x10: // int32
      return 4;
    case 0x13: // decimal128
      return 16;
    default:
      return -1;
  }
}
