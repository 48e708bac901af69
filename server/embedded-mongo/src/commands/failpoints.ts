/**
 * Test-only fail points (configureFailPoint), used by MongoDB's spec tests and by our own fault tests:
 * `failCommand` (errors, closed connections, delays, write concern errors) and
 * `onPrimaryTransactionalWrite` (a retryable write that fails before or after it commits).
 */
import { mongoError } from "../errors.ts";
import type { Document } from "../types.ts";
import { toInt } from "./args.ts";

/** What an active fail point does. */
export interface FailPointData {
  failCommands: string[];
  errorCode?: number;
  errmsg?: string;
  errorLabels?: string[];
  closeConnection?: boolean;
  blockConnection?: boolean;
  blockTimeMS?: number;
  writeConcernError?: Document;
  appName?: string;
  failBeforeCommitExceptionCode?: number;
}

interface FailPoint {
  remaining: number;
  skip: number;
  data: FailPointData;
}

const SUPPORTED = new Set(["failCommand", "onPrimaryTransactionalWrite"]);

/** The configured fail points of one server. */
export class FailPoints {
  private readonly points = new Map<string, FailPoint>();

  /**
   * Configures a fail point as `configureFailPoint` does.
   * @param name the fail point.
   * @param mode "alwaysOn", "off", {times: n} or {skip: n}.
   * @param raw its data document.
   */
  configure(name: unknown, mode: unknown, raw: Document): void {
    if (typeof name !== "string" || !SUPPORTED.has(name)) {
      throw mongoError(2, `Fail point ${String(name)} is not supported by the embedded server`);
    }
    if (mode === "off") {
      this.points.delete(name);
      return;
    }
    let remaining = Number.POSITIVE_INFINITY;
    let skip = 0;
    if (mode === "alwaysOn") remaining = Number.POSITIVE_INFINITY;
    else if (mode && typeof mode === "object" && "times" in mode)
      remaining = toInt((mode as Document).times) ?? 0;
    else if (mode && typeof mode === "object" && "skip" in mode) skip = toInt((mode as Document).skip) ?? 0;
    else throw mongoError(2, "mode must be 'alwaysOn', 'off', {times: n} or {skip: n}");
    const failCommands = raw.failCommands ?? [];
    if (!Array.isArray(failCommands) || failCommands.some((command) => typeof command !== "string")) {
      throw mongoError(2, "'failCommands' must be an array of command names");
    }
    if (name === "failCommand" && failCommands.length === 0)
      throw mongoError(2, "'failCommands' must not be empty");
    this.points.set(name, {
      remaining,
      skip,
      data: {
        failCommands: failCommands as string[],
        errorCode: toInt(raw.errorCode),
        errmsg: typeof raw.errmsg === "string" ? raw.errmsg : undefined,
        errorLabels: Array.isArray(raw.errorLabels) ? (raw.errorLabels as string[]) : undefined,
        closeConnection: typeof raw.closeConnection === "boolean" ? raw.closeConnection : undefined,
        blockConnection: raw.blockConnection === true,
        blockTimeMS: toInt(raw.blockTimeMS),
        writeConcernError: raw.writeConcernError as Document | undefined,
        appName: typeof raw.appName === "string" ? raw.appName : undefined,
        failBeforeCommitExceptionCode: toInt(raw.failBeforeCommitExceptionCode),
      },
    });
  }

  /**
   * Consumes one activation of a fail point when it applies to this command.
   * @param name the fail point.
   * @param commandNames the command's name and aliases (ignored for onPrimaryTransactionalWrite).
   * @param appName the connection's application name from its handshake.
   */
  take(name: string, commandNames: string[], appName: string | undefined): FailPointData | null {
    const point = this.points.get(name);
    if (!point || point.remaining <= 0) return null;
    if (name === "failCommand" && !commandNames.some((command) => point.data.failCommands.includes(command)))
      return null;
    if (point.data.appName !== undefined && point.data.appName !== appName) return null;
    if (point.skip > 0) {
      point.skip--;
      return null;
    }
    point.remaining--;
    if (point.remaining <= 0) this.points.delete(name);
    return point.data;
  }
}
