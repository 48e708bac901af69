/**
 * The startup benchmark's baseline: the smallest HTTP server, started through the same
 * `node --import tsx` path as the real one, so the difference is the application's own cost.
 */
import { createServer } from "node:http";

const body = JSON.stringify({ ok: true, data: { status: "ok" } });
createServer((_req, res) => {
  res.writeHead(200, { "Content-Type": "application/json" });
  res.end(body);
}).listen(Number(process.env.PORT), process.env.HOST ?? "127.0.0.1");
process.on("SIGTERM", () => process.exit(0));
