/**
 * The measured process of the catalogue benchmark (bench/catalogue.ts): the embedded database in
 * memory with 10,000 published items, then the app as `server/main.ts` starts it (search index
 * built before listening, full middleware stack, request log lines at info level to stdout), on a
 * loopback port. Run with `fork`: it reports `{ port, agencyId, items, loadMs, prepareMs }` over IPC
 * once listening, and answers `{ cache: boolean }` messages by switching the public response cache
 * (the benchmark measures uncached reads too). No load is generated here.
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createRandom } from "@govinfo/shared/random";
import { createRequestListener } from "../../server/app.ts";
import { connectDatabase } from "../../server/db/connect.ts";
import { insertCatalogue } from "../../server/demo/catalogue.ts";
import { createLogger } from "../../server/logger.ts";
import { Agency } from "../../server/models/Agency.ts";
import { InfoItem } from "../../server/models/InfoItem.ts";
import { setCatalogueCacheEnabled } from "../../server/services/catalogue/cache.ts";
import { prepareCatalogueSearch } from "../../server/services/catalogue/search.ts";
import { benchPlan } from "./cataloguePlan.ts";

const send = (message: unknown) => process.send?.(message);
const logger = createLogger({ level: (process.env.LOG_LEVEL ?? "info") as "info" });
const db = await connectDatabase({
  mongodbUri: undefined,
  dataDir: "/tmp/govinfo-bench-catalogue",
  embeddedMongoPort: 0,
  logger: createLogger({ level: "warn" }),
  inMemory: true,
});
await InfoItem.init();
const agency = await Agency.create({ code: "HDSTHJJ", name: "海东市生态环境局" });
const random = createRandom(20240601);
const loadStarted = performance.now();
const items = await insertCatalogue(agency._id, benchPlan, () => random.next());
const loadMs = Math.round(performance.now() - loadStarted);

// From here on, what `npm start` does: build the search index, then listen.
const prepareMs = await prepareCatalogueSearch();
const server = createServer(createRequestListener({ db, logger, dataKey: randomBytes(32) }));
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
process.on("message", (message: { cache?: boolean; stop?: boolean }) => {
  if (typeof message.cache === "boolean") {
    setCatalogueCacheEnabled(message.cache);
    send({ cache: message.cache });
  }
  if (message.stop) {
    server.closeAllConnections();
    server.close(() => void db.close().then(() => process.exit(0)));
  }
});
send({
  port: (server.address() as AddressInfo).port,
  agencyId: String(agency._id),
  items,
  loadMs,
  prepareMs,
});
