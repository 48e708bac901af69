/** Types shared by every layer of the embedded server. */

/** A BSON document as deserialized by `bson` (promoteValues, promoteLongs, bsonRegExp). */
export type Document = Record<string, unknown>;

/** A collation spec as sent by the driver; only locale and strength change semantics here. */
export interface Collation {
  locale: string;
  strength?: number;
  caseLevel?: boolean;
  caseFirst?: string;
  numericOrdering?: boolean;
  alternate?: string;
  maxVariable?: string;
  backwards?: boolean;
  normalization?: boolean;
}

/** An index as recorded by createIndexes and returned unchanged by listIndexes. */
export interface IndexSpec {
  v: number;
  key: Document;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
  expireAfterSeconds?: number;
  collation?: Collation;
  hidden?: boolean;
  [option: string]: unknown;
}
