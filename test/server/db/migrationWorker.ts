/**
 * A separate process for the migration tests: connects to `MONGODB_URI`, says "ready", waits for the
 * test's go document, then runs the probe migrations and prints the result as one JSON line.
 */
import mongoose from "mongoose";
import { runMigrations } from "../../../server/db/migrations/runner.ts";
import { createLogger } from "../../../server/logger.ts";
import { probeMigrations } from "./migrationProbes.ts";

const uri = process.env.MONGODB_URI ?? "";
const holder = process.env.HOLDER ?? `worker-${process.pid}`;
await mongoose.connect(uri, { serverSelectionTimeoutMS: 5_000 });
const db = mongoose.connection.db;
if (db === undefined) throw new Error("not connected");
process.stdout.write("ready\n");
while ((await db.collection("go").countDocuments()) === 0)
  await new Promise((resolve) => setTimeout(resolve, 20));
const result = await runMigrations({
  connection: mongoose.connection,
  logger: createLogger({ level: "silent" }),
  migrations: probeMigrations(300),
  holder,
  pollMs: 25,
});
process.stdout.write(`${JSON.stringify(result)}\n`);
await mongoose.disconnect();
