/**
 * The catalogue benchmark's baseline, in its own process: a bare Koa app with one middleware that
 * sends fixed bytes, the very bytes a client receives for a catalogue list page (same length, same
 * Content-Encoding), so both sides put the same bytes on the wire. Run with `fork`; the body file,
 * its encoding and type come in BODY_FILE, BODY_ENCODING and BODY_TYPE; reports `{ port }` over IPC.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import Koa from "koa";

const body = readFileSync(process.env.BODY_FILE ?? "");
const encoding = process.env.BODY_ENCODING ?? "";
const app = new Koa();
app.use((ctx) => {
  ctx.type = process.env.BODY_TYPE ?? "application/json; charset=utf-8";
  if (encoding !== "") ctx.set("Content-Encoding", encoding);
  ctx.body = body;
});
const server = createServer(app.callback());
server.listen(0, "127.0.0.1", () => process.send?.({ port: (server.address() as AddressInfo).port }));
process.on("message", (message: { stop?: boolean }) => {
  if (message.stop) process.exit(0);
});
