/**
 * Server-side cursors: a materialized list of document references, a position and the remaining limit.
 * Documents are immutable, so the list is a consistent snapshot at the time of the query.
 */
import { randomInt } from "node:crypto";
import { calculateObjectSize, Long } from "bson";
import { mongoError } from "../errors.ts";
import type { Document } from "../types.ts";

/** Idle cursors die after this long (cursorTimeoutMillis). */
export const CURSOR_TIMEOUT_MS = 10 * 60 * 1000;
const BATCH_BYTES = 16 * 1024 * 1024;
const DEFAULT_FIRST_BATCH = 101;

interface Cursor {
  id: string;
  ns: string;
  docs: Document[];
  position: number;
  owner: string | null;
  lastUse: number;
  noTimeout: boolean;
  project: ((doc: Document) => Document) | null;
}

/** The batch a find, aggregate or getMore reply carries. */
export interface Batch {
  id: Long;
  ns: string;
  documents: Document[];
}

/** Every open cursor of the server. */
export class CursorManager {
  private readonly cursors = new Map<string, Cursor>();

  /** Number of open cursors (serverStatus). */
  get size(): number {
    return this.cursors.size;
  }

  /**
   * Returns the first batch and keeps a cursor for the rest, unless everything fits.
   * @param docs the full result (limit already applied).
   * @param options batch size, single batch, owning session and a lazy projection.
   */
  open(
    ns: string,
    docs: Document[],
    options: {
      batchSize?: number;
      singleBatch?: boolean;
      owner: string | null;
      noTimeout?: boolean;
      project?: ((doc: Document) => Document) | null;
    },
  ): Batch {
    const cursor: Cursor = {
      id: "",
      ns,
      docs,
      position: 0,
      owner: options.owner,
      lastUse: Date.now(),
      noTimeout: options.noTimeout === true,
      project: options.project ?? null,
    };
    const documents = this.take(cursor, options.batchSize ?? DEFAULT_FIRST_BATCH);
    if (options.singleBatch || cursor.position >= docs.length) return { id: Long.ZERO, ns, documents };
    cursor.id = newCursorId();
    this.cursors.set(cursor.id, cursor);
    return { id: Long.fromString(cursor.id), ns, documents };
  }

  /** The next batch of a cursor; 43 when the id is unknown. */
  getMore(idValue: unknown, ns: string, batchSize: number | undefined, owner: string | null): Batch {
    const id = cursorIdString(idValue);
    const cursor = this.cursors.get(id);
    if (!cursor) throw mongoError(43, `cursor id ${id} not found`);
    if (cursor.ns !== ns) {
      throw mongoError(
        13,
        `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${cursor.ns}`,
      );
    }
    if (cursor.owner !== null && owner !== null && cursor.owner !== owner) {
      throw mongoError(
        50738,
        `Cannot run getMore on cursor ${id}, which was created in session ${cursor.owner}, in session ${owner}`,
      );
    }
    cursor.lastUse = Date.now();
    const documents = this.take(cursor, batchSize ?? Number.MAX_SAFE_INTEGER);
    if (cursor.position >= cursor.docs.length) {
      this.cursors.delete(id);
      return { id: Long.ZERO, ns, documents };
    }
    return { id: Long.fromString(id), ns, documents };
  }

  /** Kills cursors by id and says which existed. */
  kill(ids: unknown[]): { killed: Long[]; notFound: Long[] } {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const value of ids) {
      const id = cursorIdString(value);
      (this.cursors.delete(id) ? killed : notFound).push(Long.fromString(id));
    }
    return { killed, notFound };
  }

  /** Kills every cursor owned by a session (endSessions, killSessions). */
  killOwnedBy(owner: string): void {
    for (const [id, cursor] of this.cursors) if (cursor.owner === owner) this.cursors.delete(id);
  }

  /** Drops cursors idle for longer than the timeout. */
  reap(now = Date.now()): void {
    for (const [id, cursor] of this.cursors) {
      if (!cursor.noTimeout && now - cursor.lastUse > CURSOR_TIMEOUT_MS) this.cursors.delete(id);
    }
  }

  private take(cursor: Cursor, limit: number): Document[] {
    const out: Document[] = [];
    let bytes = 0;
    while (cursor.position < cursor.docs.length && out.length < limit) {
      const raw = cursor.docs[cursor.position] as Document;
      const doc = cursor.project ? cursor.project(raw) : raw;
      const size = calculateObjectSize(doc);
      if (out.length > 0 && bytes + size > BATCH_BYTES) break;
      out.push(doc);
      bytes += size;
      cursor.position++;
    }
    return out;
  }
}

function newCursorId(): string {
  // Below 2^53 so the id survives promoteLongs on the way back in.
  return String(randomInt(1, 2 ** 47) * 32 + randomInt(0, 32));
}

function cursorIdString(value: unknown): string {
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (value instanceof Long) return value.toString();
  throw mongoError(14, "cursor id must be a long");
}
