/**
 * API start-up time against a bare Node HTTP server, side by side in one run:
 *   npm run bench:startup [-- --quick]
 *
 * Each run spawns `node --import tsx server/main.ts` (as `npm start` does, without the client builds)
 * on a fresh DATA_DIR with DEMO_DATA=off, and times from the spawn until GET /api/health answers 200
 * (polled every 5 ms): TypeScript loading, config, data-key generation, the embedded database's start
 * on an empty directory, mongoose, the app and listen. The baseline spawns `bench/support/bareServer.ts`
 * through the same `node --import tsx` path, so the ratio shows what the application itself adds.
 * Runs alternate between the two so background load hits both alike; one untimed warm-up each fills
 * tsx's transform cache first. The shutdown (SIGTERM until exit, journal flushed) is timed as well.
 * The full run also starts once with DEMO_DATA=on: health still answers at once (seeding runs after
 * listen), and the time until the demo data is seeded is reported.
 *
 * Runs: 7 of each (`--quick`: 2, no demo run). Prints a table, then, as the very last line, one
 * JSON object with every figure.
 */
import { parseArgs } from "node:util";
import { freePort } from "../test/support/ports.ts";
import { createTempDir } from "../test/support/tempDir.ts";
import { type NodeProcess, spawnNode, waitForOk } from "./support/process.ts";
import { median, ratio, round } from "./support/stats.ts";

const { values } = parseArgs({ options: { quick: { type: "boolean", default: false } } });
const quick = values.quick;
const runs = quick ? 2 : 7;

/** One start: until health answered, and how long SIGTERM took to end it. */
interface Start {
  readyMs: number;
  stopMs: number;
  seededMs?: number;
}

async function startOnce(kind: "app" | "bare", demo = false): Promise<Start> {
  const dataDir = await createTempDir("bench-startup");
  const port = await freePort();
  let seededAt: number | undefined;
  let resolveSeeded: () => void = () => {};
  const seeded = new Promise<void>((resolve) => {
    resolveSeeded = resolve;
  });
  const env = {
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: dataDir.path,
    DEMO_DATA: demo ? "on" : "off",
    LOG_LEVEL: "info",
  };
  const started = performance.now();
  const proc: NodeProcess = spawnNode(
    kind === "app" ? "server/main.ts" : "bench/support/bareServer.ts",
    env,
    (line) => {
      if (seededAt === undefined && line.includes('"msg":"demo data seeded"')) {
        seededAt = performance.now();
        resolveSeeded();
      }
    },
  );
  try {
    const readyAt = await waitForOk(`http://127.0.0.1:${port}/api/health`, proc, { timeoutMs: 120_000 });
    if (demo) {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          seeded,
          proc.exited.then(() => {
            throw new Error(`server exited while seeding\n${proc.tail()}`);
          }),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error("demo seeding took over 10 min")), 600_000);
          }),
        ]);
      } finally {
        clearTimeout(timer);
      }
    }
    const stopping = performance.now();
    const exit = await proc.stop();
    if (kind === "app" && exit.code !== 0) throw new Error(`server exited with ${exit.code}\n${proc.tail()}`);
    return {
      readyMs: readyAt - started,
      stopMs: performance.now() - stopping,
      ...(seededAt === undefined ? {} : { seededMs: seededAt - started }),
    };
  } finally {
    await proc.stop();
    await dataDir.remove();
  }
}

async function main(): Promise<void> {
  await startOnce("app");
  await startOnce("bare");
  const app: Start[] = [];
  const bare: Start[] = [];
  for (let i = 0; i < runs; i++) {
    app.push(await startOnce("app"));
    bare.push(await startOnce("bare"));
  }
  const demo = quick ? undefined : await startOnce("app", true);

  const appMs = round(median(app.map((s) => s.readyMs)));
  const bareMs = round(median(bare.map((s) => s.readyMs)));
  const summary = {
    runs,
    appReadyMs: appMs,
    appReadyMinMs: round(Math.min(...app.map((s) => s.readyMs))),
    appReadyMaxMs: round(Math.max(...app.map((s) => s.readyMs))),
    bareReadyMs: bareMs,
    readyRatio: ratio(appMs, bareMs),
    appOwnMs: round(appMs - bareMs),
    appStopMs: round(median(app.map((s) => s.stopMs))),
    bareStopMs: round(median(bare.map((s) => s.stopMs))),
    ...(demo
      ? {
          demoReadyMs: round(demo.readyMs),
          demoSeededMs: round(demo.seededMs ?? 0),
          demoStopMs: round(demo.stopMs),
        }
      : {}),
  };

  const line = (label: string, value: string) => `${label.padEnd(40)}${value}`;
  console.log(
    `startup benchmark (${quick ? "quick" : "full"}): median of ${runs} starts each, fresh DATA_DIR`,
  );
  console.log(line("operation", "time"));
  console.log(
    line(
      "API: spawn → /api/health 200",
      `${appMs} ms (min ${summary.appReadyMinMs}, max ${summary.appReadyMaxMs})`,
    ),
  );
  console.log(line("bare node:http via tsx (baseline)", `${bareMs} ms`));
  console.log(line("ratio (API / bare)", String(summary.readyRatio)));
  console.log(line("API: SIGTERM → exit", `${summary.appStopMs} ms`));
  if (demo) {
    console.log(line("API with DEMO_DATA=on: health 200", `${summary.demoReadyMs} ms`));
    console.log(line("API with DEMO_DATA=on: demo seeded", `${summary.demoSeededMs} ms`));
  }
  console.log(JSON.stringify(summary));
}

await main();
