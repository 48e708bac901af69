/**
 * Everything the mixed workload needs before the clock starts: a seeded data directory, the server
 * process on it, staff sessions, the public ids to browse, a pool of registered applications for
 * staff to work on, and a warm-up so the first measured second is not the first request of its kind.
 */
import { dateInChina } from "../../server/services/calendar.ts";
import { createTempDir, type TempDir } from "../../test/support/tempDir.ts";
import { type AppServer, loginDemoStaff, startAppServer } from "./appServer.ts";
import { type DemoData, prepareDemoData } from "./demoData.ts";
import { createHttpClient, type HttpClient } from "./httpClient.ts";
import {
  createMixedWorkload,
  dataOf,
  MIX,
  submission,
  type Workload,
  type WorkloadContext,
} from "./mixedWorkload.ts";

/** A server ready for measuring. */
export interface MixedSetup {
  server: AppServer;
  client: HttpClient;
  data: DemoData;
  workload: Workload;
  /** Milliseconds spent seeding, starting, logging in and registering (not warming up). */
  setupMs: number;
  /** Stops the server (it must exit cleanly) and deletes the data directory. */
  dispose(): Promise<{ exitCode: number | null }>;
}

/**
 * Prepares and starts the server and the workload.
 * @param options applicant accounts to create and applications to register for staff.
 */
export async function setUpMixed(options: { applicants: number; registered: number }): Promise<MixedSetup> {
  const started = performance.now();
  const dir: TempDir = await createTempDir("bench-mixed");
  let server: AppServer | undefined;
  try {
    const data = await prepareDemoData(dir.path, options.applicants);
    server = await startAppServer(dir.path, data.dataKeyHex);
    const client = createHttpClient(server.baseUrl);
    const byRole = (role: string) => {
      const login = data.logins.find((l) => l.role === role);
      if (!login) throw new Error(`no demo ${role}`);
      return loginDemoStaff(client, login);
    };
    const staff = { registrar: await byRole("registrar"), handler: await byRole("handler") };
    const context: WorkloadContext = {
      client,
      bureauId: data.bureau.id,
      staff,
      applicantTokens: data.applicantTokens,
      ...(await publicIds(client, data.bureau.id)),
    };
    const workload = createMixedWorkload(context);
    await register(context, workload, options.registered);
    const setupMs = performance.now() - started;
    const running = server;
    return {
      server: running,
      client,
      data,
      workload,
      setupMs,
      dispose: async () => {
        client.close();
        const exit = await running.proc.stop();
        await dir.remove();
        return { exitCode: exit.code };
      },
    };
  } catch (error) {
    await server?.proc.stop();
    await dir.remove();
    throw error;
  }
}

/**
 * Sends each operation of the mix a few times in turn, so every route, query plan and read model is
 * warm before anything is measured.
 * @param workload the workload.
 * @param rounds passes over the mix.
 */
export async function warmUp(workload: Workload, rounds = 3): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    for (const op of MIX) await workload.operation(op.name).send();
  }
}

async function publicIds(
  client: HttpClient,
  bureauId: string,
): Promise<Pick<WorkloadContext, "itemIds" | "reportPaths">> {
  const items = dataOf(await client.send(`/api/catalogue/items?agency=${bureauId}&limit=100`), 200) as {
    items: { id: string }[];
  };
  const reports = dataOf(await client.send("/api/reports/public"), 200) as { reports: { url: string }[] }[];
  const urls = reports.flatMap((agency) => agency.reports.map((report) => report.url));
  if (items.items.length === 0) throw new Error("the demo catalogue is empty");
  return {
    itemIds: items.items.map((item) => item.id),
    reportPaths: urls.flatMap((url) => [url, `${url}.json`]),
  };
}

async function register(context: WorkloadContext, workload: Workload, count: number): Promise<void> {
  const receiptDate = dateInChina();
  for (let i = 0; i < count; i++) {
    const response = await context.client.send("/api/requests/register", {
      method: "POST",
      headers: context.staff.registrar,
      json: {
        ...submission(context.bureauId, "海东市生态环境局2023年建设项目环评审批文件"),
        channel: "inPerson",
        receiptDate,
      },
    });
    const data = dataOf(response, 201) as { id: string; version: number; state: string };
    workload.pool.add({
      id: data.id,
      version: data.version,
      state: data.state,
      isCorrected: false,
      isBusy: false,
    });
  }
}
