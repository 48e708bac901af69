// What the target server is (version, topology, auth) and whether runOnRequirements allow a file or test to run.
import type { MongoClient } from "mongodb";
import { match } from "./matcher.ts";
import type { RunOnRequirement } from "./types.ts";
import { isDocument } from "./values.ts";

/** Facts about the target server used to evaluate runOnRequirements. */
export interface ServerInfo {
  version: [number, number, number];
  topology: "single" | "replicaset" | "sharded" | "load-balanced";
  auth: boolean;
  serverless: boolean;
  csfle: boolean;
  /** Reads a server parameter (cached); undefined when the server does not know it. */
  parameter(name: string): Promise<unknown>;
}

/** Parses a version string ("4.2", "7.0.0-rc1") into [major, minor, patch]. */
export function parseVersion(text: string): [number, number, number] {
  const parts = text
    .split("-")[0]!
    .split(".")
    .map((p) => Number.parseInt(p, 10));
  return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0].map((n) => (Number.isNaN(n) ? 0 : n)) as [
    number,
    number,
    number,
  ];
}

/** Compares two versions: negative, zero or positive. */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Asks the server (through the internal client) for its version and topology. */
export async function discoverServer(client: MongoClient, uri: string): Promise<ServerInfo> {
  const admin = client.db("admin");
  const hello = await admin.command({ hello: 1 });
  const buildInfo = await admin.command({ buildInfo: 1 });
  const versionArray = buildInfo.versionArray;
  const version: [number, number, number] =
    Array.isArray(versionArray) && versionArray.length >= 3
      ? [Number(versionArray[0]), Number(versionArray[1]), Number(versionArray[2])]
      : parseVersion(String(buildInfo.version ?? "0"));
  let topology: ServerInfo["topology"] = "single";
  if (hello.msg === "isdbgrid") topology = "sharded";
  else if (hello.serviceId !== undefined) topology = "load-balanced";
  else if (typeof hello.setName === "string") topology = "replicaset";
  const cache = new Map<string, unknown>();
  const authority = uri.replace(/^mongodb(\+srv)?:\/\//, "").split("/")[0] ?? "";
  return {
    version,
    topology,
    auth: authority.includes("@"),
    serverless: false,
    csfle: false,
    async parameter(name) {
      if (!cache.has(name)) {
        try {
          const reply = await admin.command({ getParameter: 1, [name]: 1 });
          cache.set(name, reply[name]);
        } catch {
          cache.set(name, undefined);
        }
      }
      return cache.get(name);
    },
  };
}

function versionText(v: readonly number[]): string {
  return v.join(".");
}

/** Why one requirement is not met by the server, or undefined when it is met. */
export async function requirementProblem(
  req: RunOnRequirement,
  info: ServerInfo,
): Promise<string | undefined> {
  if (
    req.minServerVersion !== undefined &&
    compareVersions(info.version, parseVersion(req.minServerVersion)) < 0
  ) {
    return `needs server >= ${req.minServerVersion} (have ${versionText(info.version)})`;
  }
  if (
    req.maxServerVersion !== undefined &&
    compareVersions(info.version, parseVersion(req.maxServerVersion)) > 0
  ) {
    return `needs server <= ${req.maxServerVersion} (have ${versionText(info.version)})`;
  }
  if (req.topologies !== undefined) {
    const ok = req.topologies.some(
      (t) => t === info.topology || (t === "sharded-replicaset" && info.topology === "sharded"),
    );
    if (!ok) return `needs topology ${req.topologies.join("|")} (have ${info.topology})`;
  }
  if (req.serverless === "require" && !info.serverless) return "needs serverless";
  if (req.serverless === "forbid" && info.serverless) return "forbids serverless";
  if (req.auth === true && !info.auth) return "needs auth";
  if (req.auth === false && info.auth) return "forbids auth";
  if (req.authMechanism !== undefined) return `needs auth mechanism ${req.authMechanism}`;
  if (req.csfle !== undefined && req.csfle !== false && !info.csfle) return "needs CSFLE";
  if (req.serverParameters !== undefined) {
    for (const [name, expected] of Object.entries(req.serverParameters)) {
      const actual = await info.parameter(name);
      if (actual === undefined || match(expected, actual, { root: !isDocument(expected) }).length > 0) {
        return `needs server parameter ${name}=${JSON.stringify(expected)}`;
      }
    }
  }
  return undefined;
}

/** Undefined when at least one requirement is met (or there are none); otherwise the reasons, joined. */
export async function unmetRequirements(
  reqs: RunOnRequirement[] | undefined,
  info: ServerInfo,
): Promise<string | undefined> {
  if (reqs === undefined || reqs.length === 0) return undefined;
  const problems: string[] = [];
  for (const req of reqs) {
    const problem = await requirementProblem(req, info);
    if (problem === undefined) return undefined;
    problems.push(problem);
  }
  return `runOnRequirements: ${[...new Set(problems)].join("; or ")}`;
}
