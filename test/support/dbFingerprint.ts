/**
 * A fingerprint of the whole database, to prove that a refused request changed nothing: for every
 * collection, its document count, a SHA-256 of all its documents in `_id` order (canonical Extended
 * JSON, so types count: an ObjectId is not its hex string) and its index specifications.
 *
 * Nothing is excluded, on purpose. Sessions, audit events, counters, the outbox, GridFS files and
 * chunks are all hashed in full: the API validates input before any handler runs, and nothing before
 * the handler writes (authentication reads the session without touching it; there is no "last seen"
 * to bump). What does move on a refused request lives outside the database — the in-memory
 * rate-limit windows and the catalogue's response cache — and is therefore outside the fingerprint.
 * `system.*` collections belong to the database server, not to the application, and are skipped.
 */
import { createHash } from "node:crypto";
import mongoose, { type Connection } from "mongoose";

/** Per collection: document count, hash of the documents and of the indexes. */
export type Fingerprint = Record<string, { count: number; documents: string; indexes: string }>;

/**
 * Fingerprints every collection of the connection's database.
 * @param connection the mongoose connection the app writes through.
 */
export async function fingerprint(connection: Connection): Promise<Fingerprint> {
  const db = connection.db;
  if (!db) throw new Error("database not connected");
  const { EJSON } = mongoose.mongo.BSON;
  const names = (await db.listCollections({}, { nameOnly: true }).toArray())
    .map((collection) => collection.name)
    .filter((name) => !name.startsWith("system."))
    .sort();
  const result: Fingerprint = {};
  for (const name of names) {
    const collection = db.collection(name);
    const documents = createHash("sha256");
    let count = 0;
    for await (const doc of collection.find({}).sort({ _id: 1 })) {
      documents.update(EJSON.stringify(doc, { relaxed: false })).update("\n");
      count++;
    }
    const indexes = (await collection.listIndexes().toArray())
      .map((index) => EJSON.stringify({ name: index.name, key: index.key, unique: index.unique ?? false }))
      .sort();
    result[name] = {
      count,
      documents: documents.digest("hex"),
      indexes: createHash("sha256").update(indexes.join("\n")).digest("hex"),
    };
  }
  return result;
}
