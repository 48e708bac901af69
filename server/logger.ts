/**
 * Structured JSON logging with pino. Personal data must never reach the logs, so the obvious
 * fields are censored wherever they appear in the first few levels of a log object.
 */
import type { LogLevel } from "@govinfo/config/defaults";
import { type DestinationStream, type Logger, pino } from "pino";

/** The pino logger type, re-exported so the app depends on this module rather than on pino. */
export type { Logger } from "pino";

/** Field names whose values are censored in every log line, at any of the first three levels of nesting. */
export const redactedFields = [
  "idNumber",
  "phone",
  "mobile",
  "address",
  "email",
  "password",
  "passwordHash",
  "token",
  "dataKey",
  "authorization",
  "cookie",
] as const;

/** Creates the process logger; `destination` lets tests capture lines instead of writing to stdout. */
export function createLogger(options: { level: LogLevel; destination?: DestinationStream }): Logger {
  const paths = redactedFields.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]);
  paths.push('res.headers["set-cookie"]', '*.headers["set-cookie"]');
  return pino(
    {
      level: options.level,
      base: { service: "govinfo" },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths, censor: "[redacted]" },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** Removes the user-info part of a connection string, so a MongoDB password never reaches a log line. */
export function redactUri(uri: string): string {
  return uri.replace(/^(mongodb(?:\+srv)?:\/\/)[^@/]*@/, "$1***@");
}
