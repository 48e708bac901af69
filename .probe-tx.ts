import { startEmbeddedMongo } from "@govinfo/embedded-mongo";
import { MongoClient, Long, UUID } from "mongodb";
const server = await startEmbeddedMongo({ inMemory: true, port: 0, testCommands: true });
const client = new MongoClient(server.uri, { monitorCommands: true });
client.on("commandStarted", (e) => { if (e.commandName === "insert") console.log("sent", JSON.stringify(e.command)); });
await client.connect();
const db = client.db("p");
const lsid = { id: new UUID() };
try {
  const r1 = await db.command({ insert: "c", documents: [{ _id: 1 }], lsid, txnNumber: Long.fromNumber(5) });
  console.log("r1", r1);
  const r2 = await db.command({ insert: "c", documents: [{ _id: 1 }], lsid, txnNumber: Long.fromNumber(5) });
  console.log("r2", r2);
} catch (e) { console.log("err", e); }
console.log(await db.collection("c").find().toArray());
await client.close();
await server.close();
