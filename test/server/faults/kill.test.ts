/**
 * kill -9 of the app (`server/main.ts` as a child process, the way `npm start` runs it, on an on-disk
 * embedded database in a temp DATA_DIR, DEMO_DATA=off) while citizens submit applications and staff
 * confirm, decide and deliver them, all over HTTP and concurrently. At a random moment (up to 1.2 s after
 * the round's MIN_ACKED_PER_CYCLE-th acknowledgement, asserted for every round) the app gets SIGKILL, is
 * restarted at once on the same DATA_DIR, and the stored data is checked over the wire (through the
 * database's Unix socket in DATA_DIR, the app's only way in; no TCP port is opened for it):
 *
 * - every acknowledged (201) submission is there once, with its id, serial number and content;
 * - every acknowledged (200) transition is in its application's ledger at the version it was acked at;
 * - what was in flight at the kill is all or nothing: a submission exists zero times or once, a
 *   transition is either in the ledger (with everything that goes with it) or not at all, and what a
 *   restart decided stays decided;
 * - nothing is half-applied and nothing unexpected exists (`consistency.ts`: state and version agree
 *   with the ledger, one audit event per event, one outbox message per notified event, no orphans,
 *   serial numbers gap-free per agency and year with the counter at N);
 * - the applications read back through the API as their owner.
 * The last round stops the app with SIGTERM (exit 0) and checks a clean restart once more.
 *
 * The randomness is seeded: `FAULT_KILL_SEED=<n>` replays the kill delays (the seed is printed and
 * repeated in failure messages with each cycle's log); `FAULT_KILL_CYCLES=<n>` changes the number of
 * kills (default 5); `FAULT_KILL_KEEP=1` keeps the data directory.
 */
import assert from "node:assert/strict";
import { randomInt } from "node:crypto";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { defaults } from "@govinfo/config/defaults";
import { createRandom } from "@govinfo/shared/random";
import type { RequestDetailDto } from "@govinfo/shared/schemas/requestDto";
import { type Db, MongoClient } from "mongodb";
import mongoose from "mongoose";
import type { AgencyDoc } from "../../../server/models/Agency.ts";
import { dateInChina } from "../../../server/services/calendar.ts";
import { buildAgency, buildStaff } from "../../factories/people.ts";
import { request, type TestResponse } from "../../support/http.ts";
import { freePort } from "../../support/ports.ts";
import {
  type ServerProcess,
  startServerProcess,
  waitForExit,
  waitForHttpOk,
} from "../../support/serverProcess.ts";
import { createTempDir } from "../../support/tempDir.ts";
import { submission } from "../routes/requests.support.ts";
import { checkConsistency, type StoredRequest } from "./consistency.ts";

const CYCLES = Number(process.env.FAULT_KILL_CYCLES ?? 5);
const SEED = Number(process.env.FAULT_KILL_SEED ?? randomInt(1, 2 ** 31));
const KILL_MAX_MS = 1_200;
/** Acknowledged writes (submissions and transitions) each round must have before its kill. */
const MIN_ACKED_PER_CYCLE = 5;
/** A round with no acknowledgement at all within this long means the app is stuck. */
const STALL_MS = 30_000;
const CITIZENS = 4;
/** Below the app's 20 submissions per applicant and hour, counted per process (restarts reset it). */
const SUBMISSIONS_PER_RUN = 18;

const delays = createRandom(SEED).next;

/** Sends requests to the app as one caller. */
interface HttpClient {
  post(path: string, json: unknown): Promise<TestResponse>;
  get(path: string): Promise<TestResponse>;
}

/** What the next step of an application is, as a staff member handling it. */
const nextEvent: Partial<Record<string, (date: string) => Record<string, unknown>>> = {
  submitted: (date) => ({ type: "confirmReceipt", date }),
  received: (date) => ({ type: "decide", date, outcome: "granted" }),
  decided: (date) => ({ type: "deliver", date, method: "email" }),
};

/** An application the test knows of: acknowledged, or found after a restart. */
interface Known {
  id: string;
  agency: number;
  owner: number;
  state: string;
  version: number;
  /** A transition for it was in flight at a kill and is not settled yet. */
  inDoubt: boolean;
}

interface AckedSubmission {
  token: string;
  id: string;
  serialNo: string;
  agency: number;
  owner: number;
  description: string;
}

interface CycleLog {
  cycle: number;
  killDelayMs: number;
  submissionsAcked: number;
  transitionsAcked: number;
  inFlight: string[];
  outcome?: string[];
}

test(`no acknowledged submission or decision is lost or half-applied across ${CYCLES} SIGKILLs of the app (seed ${SEED})`, {
  timeout: 170_000,
}, async (t) => {
  t.diagnostic(`seed ${SEED} (rerun with FAULT_KILL_SEED=${SEED})`);
  const dir = await createTempDir("faults-kill");
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = {
    DATA_DIR: `${dir.path}/data`,
    PORT: String(port),
    DEMO_DATA: "off",
    LOG_LEVEL: "info",
    NODE_ENV: "development",
  };
  const mongoUri = `mongodb://${encodeURIComponent(`${env.DATA_DIR}/mongo/mongod.sock`)}/?directConnection=true`;
  const logs: CycleLog[] = [];
  let app: ServerProcess | undefined;
  let phase = "starting";
  const context = () =>
    `failed while ${phase}; seed ${SEED} (FAULT_KILL_SEED=${SEED}), DATA_DIR ${env.DATA_DIR}` +
    `${process.env.FAULT_KILL_KEEP ? " (kept)" : " (set FAULT_KILL_KEEP=1 to keep it)"}\n` +
    logs.map((l) => JSON.stringify(l)).join("\n") +
    (app ? `\napp stderr:\n${app.stderr().slice(-4000)}` : "");

  const start = async (): Promise<ServerProcess> => {
    const child = startServerProcess(env);
    app = child;
    await waitForHttpOk(`${baseUrl}/api/health`, child, 60_000);
    return child;
  };
  const client = (headers: Record<string, string>): HttpClient => ({
    post: (path, json) => request(`${baseUrl}${path}`, { method: "POST", headers, json }),
    get: (path) => request(`${baseUrl}${path}`, { headers }),
  });

  // What the test knows for sure, across all cycles.
  const acked = new Map<string, AckedSubmission>();
  /** Tokens of submissions in flight at a kill, settled by the next verification. */
  const doubtfulSubmissions = new Map<string, { agency: number; owner: number; description: string }>();
  const ackedTransitions: { id: string; version: number; type: string }[] = [];
  const doubtfulTransitions: { id: string; fromVersion: number; type: string }[] = [];
  const known = new Map<string, Known>();
  /** Tokens recovery found absent: they must never appear later. */
  const absent = new Set<string>();
  const totals = { checks: 0, apiReads: 0, recoveredSubmissions: 0, recoveredTransitions: 0 };
  const agencies: AgencyDoc[] = [];
  const staff: HttpClient[] = [];
  const citizens: HttpClient[] = [];

  try {
    // Bootstrap: two agencies, one staff member each (registrar, handler and reviewer), citizens.
    phase = "bootstrapping";
    await start();
    await mongoose.connect(mongoUri, { dbName: defaults.embeddedDbName });
    const staffLogins: { username: string; password: string }[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        const agency = await buildAgency({ name: `断电测试机关${i + 1}` });
        agencies.push(agency);
        staffLogins.push(
          await buildStaff([
            { agency, role: "registrar" },
            { agency, role: "handler" },
            { agency, role: "reviewer" },
          ]),
        );
      }
    } finally {
      await mongoose.disconnect();
    }
    for (const login of staffLogins) {
      const response = await request(`${baseUrl}/api/auth/staff/login`, { method: "POST", json: login });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      const cookie = (response.headers.getSetCookie?.() ?? []).map((line) => line.split(";")[0]).join("; ");
      const csrf = (response.body as { data: { csrfToken: string } }).data.csrfToken;
      staff.push(client({ Cookie: cookie, "X-CSRF-Token": csrf }));
    }
    for (let c = 0; c < CITIZENS; c++) {
      const phone = `1390000${String(3100 + c)}`;
      const before = app!.stdout().length;
      const sent = await request(`${baseUrl}/api/auth/otp/request`, { method: "POST", json: { phone } });
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      // The development SMS sender writes the message, code included, to the log.
      let code: string | undefined;
      for (let i = 0; i < 100 && code === undefined; i++) {
        code = /验证码为 (\d{6})/.exec(app!.stdout().slice(before))?.[1];
        if (code === undefined) await sleep(20);
      }
      assert.ok(code, "no login code in the log");
      const verified = await request(`${baseUrl}/api/auth/otp/verify`, {
        method: "POST",
        json: { phone, code },
      });
      assert.equal(verified.status, 200, JSON.stringify(verified.body));
      citizens.push(
        client({ Authorization: `Bearer ${(verified.body as { data: { token: string } }).data.token}` }),
      );
    }

    const today = dateInChina();
    for (let cycle = 0; cycle <= CYCLES; cycle++) {
      if (cycle > 0) {
        phase = `restarting after the kill in cycle ${cycle - 1}`;
        await start();
        phase = `verifying the restart after the kill in cycle ${cycle - 1}`;
        await verify(logs.at(-1));
      }
      if (cycle === CYCLES) {
        phase = "stopping with SIGTERM and verifying the clean restart";
        app!.child.kill("SIGTERM");
        assert.equal((await waitForExit(app!, 30_000)).code, 0, "SIGTERM should exit 0");
        await start();
        await verify(undefined);
        app!.child.kill("SIGTERM");
        assert.equal((await waitForExit(app!, 30_000)).code, 0, "SIGTERM should exit 0");
        app = undefined;
        break;
      }

      phase = `running citizens and staff in cycle ${cycle}`;
      const log: CycleLog = {
        cycle,
        killDelayMs: Math.floor(delays() * (KILL_MAX_MS + 1)),
        submissionsAcked: 0,
        transitionsAcked: 0,
        inFlight: [],
      };
      logs.push(log);
      const victim = app!;
      let killed = false;
      let diedOnItsOwn = false;
      void victim.exited.then(() => {
        if (!killed) diedOnItsOwn = true;
      });
      const kill = () => {
        killed = true;
        victim.child.kill("SIGKILL");
      };
      let timer: NodeJS.Timeout | undefined;
      /** Starts the countdown to the kill once the round has its minimum of acknowledged writes. */
      const acknowledged = () => {
        if (log.submissionsAcked + log.transitionsAcked < MIN_ACKED_PER_CYCLE) return;
        timer ??= setTimeout(kill, log.killDelayMs);
      };
      let stalled = false;
      const watchdog = setTimeout(() => {
        if (timer !== undefined) return;
        stalled = true;
        kill();
      }, STALL_MS);
      /** A request that got no 2xx: in doubt if the kill explains it, a failure otherwise. */
      const unexpected = (what: string, outcome: TestResponse | unknown): Error =>
        new Error(
          `${diedOnItsOwn ? "the app died on its own; " : ""}${what} failed before the kill: ` +
            (outcome && typeof outcome === "object" && "status" in outcome
              ? `${(outcome as TestResponse).status} ${JSON.stringify((outcome as TestResponse).body)}`
              : String(outcome)),
        );

      const citizen = async (c: number): Promise<void> => {
        for (let n = 0; n < SUBMISSIONS_PER_RUN && !killed; n++) {
          const token = `${cycle}-${c}-${n}`;
          const agency = (c + n) % agencies.length;
          const description = `断电测试申请 ${token}：2024年空气质量监测月报`;
          let response: TestResponse | undefined;
          let failure: unknown;
          try {
            response = await citizens[c]!.post(
              "/api/requests",
              submission(agencies[agency]!, { description }),
            );
          } catch (error) {
            failure = error;
          }
          if (response?.status === 201) {
            const created = (response.body as { data: RequestDetailDto }).data;
            acked.set(token, {
              token,
              id: created.id,
              serialNo: created.serialNo,
              agency,
              owner: c,
              description,
            });
            known.set(created.id, {
              id: created.id,
              agency,
              owner: c,
              state: created.state,
              version: created.version,
              inDoubt: false,
            });
            log.submissionsAcked++;
            acknowledged();
            continue;
          }
          if (!killed) throw unexpected(`submission ${token}`, response ?? failure);
          doubtfulSubmissions.set(token, { agency, owner: c, description });
          log.inFlight.push(`submission ${token}`);
          return;
        }
        while (!killed) await sleep(20);
      };

      const handler = async (a: number): Promise<void> => {
        while (!killed) {
          const candidates = [...known.values()].filter(
            (k) => k.agency === a && !k.inDoubt && nextEvent[k.state] !== undefined,
          );
          if (candidates.length === 0) {
            await sleep(10);
            continue;
          }
          const target = candidates[Math.floor(Math.random() * candidates.length)]!;
          const event = nextEvent[target.state]!(today);
          let response: TestResponse | undefined;
          let failure: unknown;
          try {
            response = await staff[a]!.post(`/api/requests/${target.id}/events`, {
              event,
              expectedVersion: target.version,
            });
          } catch (error) {
            failure = error;
          }
          if (response?.status === 200) {
            const after = (response.body as { data: { request: RequestDetailDto } }).data.request;
            assert.equal(after.version, target.version + 1, "an acked transition adds one version");
            ackedTransitions.push({ id: target.id, version: after.version, type: String(event.type) });
            target.state = after.state;
            target.version = after.version;
            log.transitionsAcked++;
            acknowledged();
            continue;
          }
          if (!killed) throw unexpected(`${String(event.type)} of ${target.id}`, response ?? failure);
          target.inDoubt = true;
          doubtfulTransitions.push({ id: target.id, fromVersion: target.version, type: String(event.type) });
          log.inFlight.push(`${String(event.type)} of ${target.id} at version ${target.version}`);
          return;
        }
      };

      try {
        await Promise.all([
          ...Array.from({ length: CITIZENS }, (_, c) => citizen(c)),
          ...agencies.map((_, a) => handler(a)),
        ]);
      } finally {
        clearTimeout(timer);
        clearTimeout(watchdog);
        if (!killed) victim.child.kill("SIGKILL");
      }
      assert.ok(
        !stalled,
        `fewer than ${MIN_ACKED_PER_CYCLE} requests acknowledged within ${STALL_MS} ms of the restart`,
      );
      const exit = await waitForExit(victim, 30_000);
      assert.equal(
        exit.signal,
        "SIGKILL",
        `the app ended with ${JSON.stringify(exit)} instead of our SIGKILL`,
      );
      assert.ok(
        log.submissionsAcked + log.transitionsAcked >= MIN_ACKED_PER_CYCLE,
        `cycle ${cycle} had ${log.submissionsAcked + log.transitionsAcked} acknowledged writes before its kill, fewer than ${MIN_ACKED_PER_CYCLE}`,
      );
    }

    const submissionsAcked = logs.reduce((sum, l) => sum + l.submissionsAcked, 0);
    const transitionsAcked = logs.reduce((sum, l) => sum + l.transitionsAcked, 0);
    // Both kinds of write were exercised (every round has its minimum of acknowledgements, asserted above).
    assert.ok(
      submissionsAcked > 0 && transitionsAcked > 0,
      "submissions and decisions were both acknowledged",
    );
    t.diagnostic(
      `${CYCLES} kills: ${submissionsAcked} acked submissions, ${transitionsAcked} acked transitions, ` +
        `${logs.reduce((sum, l) => sum + l.inFlight.length, 0)} ops in flight at the kills ` +
        `(${totals.recoveredSubmissions} submissions and ${totals.recoveredTransitions} transitions found applied, ` +
        `the rest absent), ${known.size} applications, ${totals.checks} checks, ${totals.apiReads} reads through the API`,
    );
    for (const l of logs) t.diagnostic(JSON.stringify(l));
  } catch (error) {
    if (error instanceof Error) error.message += `\n${context()}`;
    throw error;
  } finally {
    if (app && app.child.exitCode === null && app.child.signalCode === null) {
      app.child.kill("SIGKILL");
      await app.exited;
    }
    if (!process.env.FAULT_KILL_KEEP) await dir.remove();
  }

  /** Checks the restarted app's data against what was acknowledged and settles what was in flight. */
  async function verify(log: CycleLog | undefined): Promise<void> {
    const verifier = new MongoClient(mongoUri, {
      appName: "faults-kill-verify",
      serverSelectionTimeoutMS: 5_000,
    });
    try {
      const db: Db = verifier.db(defaults.embeddedDbName);
      const report = await checkConsistency(db);
      totals.checks += report.checks;
      const byDescription = new Map<string, StoredRequest[]>();
      for (const stored of report.byId.values()) {
        const list = byDescription.get(stored.description) ?? [];
        list.push(stored);
        byDescription.set(stored.description, list);
      }
      const check = (condition: boolean, message: () => string): void => {
        totals.checks++;
        assert.ok(condition, message());
      };
      const outcome: string[] = [];

      // Acknowledged submissions: present once, as acknowledged.
      for (const submission of acked.values()) {
        const found = byDescription.get(submission.description) ?? [];
        check(found.length === 1, () => `acked submission ${submission.token} found ${found.length} times`);
        const stored = found[0]!;
        check(
          String(stored._id) === submission.id &&
            stored.serialNo === submission.serialNo &&
            String(stored.agencyId) === String(agencies[submission.agency]!._id) &&
            stored.channel === "online" &&
            stored.applicant?.name === "李四" &&
            stored.events[0]?.type === "submit",
          () => `acked submission ${submission.token} stored differently: ${JSON.stringify(stored)}`,
        );
      }
      // In flight at the kill: zero or one, then settled.
      for (const [token, doubtful] of doubtfulSubmissions) {
        const found = byDescription.get(doubtful.description) ?? [];
        check(found.length <= 1, () => `in-flight submission ${token} stored ${found.length} times`);
        if (found.length === 1) {
          const stored = found[0]!;
          acked.set(token, { token, id: String(stored._id), serialNo: stored.serialNo, ...doubtful });
          known.set(String(stored._id), {
            id: String(stored._id),
            agency: doubtful.agency,
            owner: doubtful.owner,
            state: stored.state,
            version: stored.version,
            inDoubt: false,
          });
          totals.recoveredSubmissions++;
          outcome.push(`submission ${token}: applied`);
        } else {
          absent.add(token);
          outcome.push(`submission ${token}: absent`);
        }
      }
      doubtfulSubmissions.clear();
      // Nothing that was never sent, and nothing a restart had found absent.
      for (const [description, found] of byDescription) {
        const token = /断电测试申请 (\S+)：/.exec(description)?.[1] ?? "";
        check(!absent.has(token), () => `submission ${token} reappeared after a restart found it absent`);
        check(acked.has(token) && found.length === 1, () => `unexpected application: ${description}`);
      }

      // Acknowledged transitions are in the ledger at their version.
      for (const transition of ackedTransitions) {
        const stored = report.byId.get(transition.id);
        check(
          stored !== undefined &&
            stored.version >= transition.version &&
            stored.events[transition.version]?.type === transition.type,
          () =>
            `acked ${transition.type} of ${transition.id} (version ${transition.version}) lost: ` +
            `ledger [${stored?.events.map((e) => e.type).join(", ")}]`,
        );
      }
      // In flight at the kill: applied whole or not at all.
      for (const transition of doubtfulTransitions) {
        const stored = report.byId.get(transition.id);
        const applied =
          stored?.version === transition.fromVersion + 1 &&
          stored.events[transition.fromVersion + 1]?.type === transition.type;
        check(
          stored !== undefined && (applied || stored.version === transition.fromVersion),
          () =>
            `in-flight ${transition.type} of ${transition.id} from version ${transition.fromVersion}: ` +
            `stored version ${stored?.version}, ledger [${stored?.events.map((e) => e.type).join(", ")}]`,
        );
        if (applied) {
          ackedTransitions.push({
            id: transition.id,
            version: transition.fromVersion + 1,
            type: transition.type,
          });
          totals.recoveredTransitions++;
        }
        outcome.push(`${transition.type} of ${transition.id}: ${applied ? "applied" : "absent"}`);
      }
      doubtfulTransitions.length = 0;
      // From now on the stored state is the truth.
      for (const entry of known.values()) {
        const stored = report.byId.get(entry.id)!;
        entry.state = stored.state;
        entry.version = stored.version;
        entry.inDoubt = false;
      }
      check(
        known.size === report.requests,
        () => `${report.requests} applications stored, ${known.size} known`,
      );
      if (log) log.outcome = outcome;
    } finally {
      await verifier.close();
    }
    // The owner reads a few applications back through the restarted app.
    const sample = [...acked.values()].sort(() => Math.random() - 0.5).slice(0, 4);
    for (const submission of sample) {
      // Citizens' sessions live in the database, so their tokens survive the restart.
      const response = await citizens[submission.owner]!.get(`/api/requests/${submission.id}`);
      totals.apiReads++;
      assert.equal(response.status, 200, JSON.stringify(response.body));
      const read = (response.body as { data: RequestDetailDto }).data;
      assert.equal(read.serialNo, submission.serialNo);
      assert.equal(read.description, submission.description);
      assert.equal(read.version, known.get(submission.id)?.version);
    }
  }
});
