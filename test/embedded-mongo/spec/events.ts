// expectEvents assertions: command monitoring events (started/succeeded/failed) and CMAP events of a client.
import type { Document } from "mongodb";
import type { CmapEventRecord, CommandEventRecord } from "./entities.ts";
import { formatMismatches, type MatchEnv, match } from "./matcher.ts";
import type { ExpectedEventsForClient } from "./types.ts";
import { SpecSkip } from "./types.ts";
import { type Doc, isDocument, show } from "./values.ts";

function eventName(event: Doc): string {
  const keys = Object.keys(event);
  if (keys.length !== 1) throw new Error(`an expected event needs exactly one key, got ${show(event)}`);
  return keys[0]!;
}

function summary(actual: readonly { type: string; commandName?: string }[]): string {
  return actual.map((e) => (e.commandName ? `${e.type}(${e.commandName})` : e.type)).join(", ");
}

function checkFlag(
  problems: string[],
  where: string,
  name: string,
  expected: unknown,
  actual: boolean,
): void {
  if (expected !== undefined && Boolean(expected) !== actual) {
    problems.push(`${where}: expected ${name}=${String(expected)}, got ${String(actual)}`);
  }
}

/**
 * Node driver quirk: commitTransaction and abortTransaction get `wtimeout: 10000` added to any configured write
 * concern (driver sessions.js), which the spec tests do not expect. Drop it unless the test asserts on it.
 */
function withoutDriverWtimeout(expected: Doc, actual: Document | undefined): Document | undefined {
  if (!actual || !("commitTransaction" in actual || "abortTransaction" in actual)) return actual;
  const wc = actual.writeConcern;
  const expectedWc = expected.writeConcern;
  if (!isDocument(wc) || wc.wtimeout !== 10000) return actual;
  if (isDocument(expectedWc) && "wtimeout" in expectedWc) return actual;
  const { wtimeout: _ignored, ...rest } = wc;
  return { ...actual, writeConcern: rest };
}

function compareCommandEvent(
  expected: Doc,
  actual: CommandEventRecord,
  where: string,
  env: MatchEnv,
): string[] {
  const problems: string[] = [];
  const type = eventName(expected);
  const body = expected[type];
  if (type !== actual.type) {
    return [`${where}: expected ${type}, got ${actual.type}(${actual.commandName})`];
  }
  if (!isDocument(body)) return [`${where}: invalid expected event ${show(expected)}`];
  for (const key of Object.keys(body)) {
    if (
      !["command", "reply", "commandName", "databaseName", "hasServiceId", "hasServerConnectionId"].includes(
        key,
      )
    ) {
      throw new SpecSkip(`unsupported event assertion: ${type}.${key}`);
    }
  }
  if (body.commandName !== undefined && body.commandName !== actual.commandName) {
    problems.push(`${where}: expected commandName ${String(body.commandName)}, got ${actual.commandName}`);
  }
  if (body.databaseName !== undefined && body.databaseName !== actual.databaseName) {
    problems.push(`${where}: expected databaseName ${String(body.databaseName)}, got ${actual.databaseName}`);
  }
  if (body.command !== undefined) {
    const command = isDocument(body.command)
      ? withoutDriverWtimeout(body.command, actual.command)
      : actual.command;
    const mismatches = match(body.command, command, { env, path: `${where}.command` });
    if (mismatches.length > 0) {
      problems.push(
        `${formatMismatches(mismatches)}\n  expected command: ${show(body.command)}\n  actual command:   ${show(actual.command)}`,
      );
    }
  }
  if (body.reply !== undefined) {
    const mismatches = match(body.reply, actual.reply, { env, path: `${where}.reply` });
    if (mismatches.length > 0) problems.push(formatMismatches(mismatches));
  }
  checkFlag(problems, where, "hasServiceId", body.hasServiceId, actual.hasServiceId);
  checkFlag(
    problems,
    where,
    "hasServerConnectionId",
    body.hasServerConnectionId,
    actual.serverConnectionId !== null,
  );
  return problems;
}

function compareCmapEvent(expected: Doc, actual: CmapEventRecord, where: string): string[] {
  const type = eventName(expected);
  if (type !== actual.type) return [`${where}: expected ${type}, got ${actual.type}`];
  const body = expected[type];
  const problems: string[] = [];
  if (isDocument(body)) {
    for (const key of Object.keys(body)) {
      if (key === "hasServiceId") checkFlag(problems, where, key, body[key], actual.hasServiceId);
      else throw new SpecSkip(`unsupported event assertion: ${type}.${key}`);
    }
  }
  return problems;
}

/** Compares the events observed on a client with an expectedEventsForClient; returns the problems found. */
export function checkEvents(
  expected: ExpectedEventsForClient,
  observed: { command: readonly CommandEventRecord[]; cmap: readonly CmapEventRecord[] },
  env: MatchEnv,
): string[] {
  const eventType = expected.eventType ?? "command";
  if (eventType === "sdam") throw new SpecSkip("unsupported event type: sdam");
  const actual = eventType === "command" ? observed.command : observed.cmap;
  const where = `expectEvents(${expected.client})`;
  const problems: string[] = [];
  const countOk = expected.ignoreExtraEvents
    ? actual.length >= expected.events.length
    : actual.length === expected.events.length;
  if (!countOk) {
    const names = expected.events.map((e) => {
      const name = eventName(e);
      const body = e[name];
      const command = isDocument(body) && isDocument(body.command) ? Object.keys(body.command)[0] : undefined;
      const commandName =
        isDocument(body) && typeof body.commandName === "string" ? body.commandName : command;
      return commandName ? `${name}(${commandName})` : name;
    });
    problems.push(
      `${where}: expected ${expected.events.length} events${expected.ignoreExtraEvents ? " or more" : ""} [${names.join(", ")}], got ${actual.length} [${summary(actual)}]`,
    );
  }
  const n = Math.min(actual.length, expected.events.length);
  for (let i = 0; i < n; i++) {
    const exp = expected.events[i]!;
    const at = `${where}.events[${i}]`;
    if (eventType === "command") {
      problems.push(...compareCommandEvent(exp, observed.command[i]!, at, env));
    } else {
      problems.push(...compareCmapEvent(exp, observed.cmap[i]!, at));
    }
  }
  return problems;
}
