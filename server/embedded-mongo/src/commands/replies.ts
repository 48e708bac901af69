/**
 * Reply shapes shared by several commands.
 */
import type { Batch } from "../engine/cursors.ts";
import type { Document } from "../types.ts";

/** `{cursor: {firstBatch|nextBatch, id, ns}}`. */
export function cursorReply(batch: Batch, first: boolean): Document {
  return {
    cursor: first
      ? { firstBatch: batch.documents, id: batch.id, ns: batch.ns }
      : { nextBatch: batch.documents, id: batch.id, ns: batch.ns },
  };
}
