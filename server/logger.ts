/**
 * Structured JSON logging with pino. Personal data must never reach the logs, so the obvious
 * fields are censored wherever they appear in the first few levels of a log object. A developer at a
 * terminal gets the same lines rendered readably (`readable: true`); machines get JSON lines. The
 * rendering works on pino's output, after redaction, so it cannot show what JSON would hide.
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

/**
 * Creates the process logger; `destination` lets tests capture lines instead of writing to stdout, and
 * `readable` prints human-readable lines on stdout instead of JSON (see `wantsReadableLogs`).
 */
export function createLogger(options: {
  level: LogLevel;
  destination?: DestinationStream;
  readable?: boolean;
}): Logger {
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
    options.destination ??
      (options.readable
        ? readableDestination(process.stdout, process.stdout.isTTY === true)
        : pino.destination({ dest: 1, sync: true })),
  );
}

/** Readable lines for a person at a terminal; JSON lines for log shippers, pipes and production. */
export function wantsReadableLogs(stdout: { isTTY?: boolean }, isProduction: boolean): boolean {
  return stdout.isTTY === true && !isProduction;
}

/** A pino destination that writes each JSON line to `out` as one readable line. */
export function readableDestination(
  out: { write(text: string): unknown },
  colors: boolean,
): DestinationStream {
  return { write: (line: string) => out.write(formatReadable(line, colors)) };
}

/** Fields every line has, shown in their own places rather than as key=value. */
const placedFields = new Set(["time", "level", "msg", "service", "pid", "hostname", "err"]);
const levelColors: Record<string, string> = {
  trace: "90",
  debug: "36",
  info: "32",
  warn: "33",
  error: "31",
  fatal: "35",
};

/**
 * Renders one pino JSON line as `HH:MM:SS.mmm LEVEL message key=value ...` (local time), with the
 * error's stack on the lines below; a line that is not JSON passes through unchanged.
 */
export function formatReadable(line: string, colors: boolean): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith("\n") ? line : `${line}\n`;
  }
  const paint = (code: string | undefined, text: string) =>
    colors && code ? `\x1b[${code}m${text}\x1b[0m` : text;
  const time = typeof entry.time === "string" ? new Date(entry.time) : new Date();
  const clock = [time.getHours(), time.getMinutes(), time.getSeconds()]
    .map((n) => String(n).padStart(2, "0"))
    .join(":");
  const stamp = `${clock}.${String(time.getMilliseconds()).padStart(3, "0")}`;
  const level = String(entry.level ?? "info");
  const fields = Object.entries(entry)
    .filter(([key]) => !placedFields.has(key))
    .map(
      ([key, value]) =>
        `${paint("90", `${key}=`)}${typeof value === "string" ? quoteIfNeeded(value) : JSON.stringify(value)}`,
    );
  const parts = [
    paint("90", stamp),
    paint(levelColors[level], level.toUpperCase().padEnd(5)),
    String(entry.msg ?? ""),
  ];
  if (fields.length > 0) parts.push(fields.join(" "));
  let text = parts.join(" ");
  const err = entry.err as { type?: string; message?: string; stack?: string } | undefined;
  if (err && typeof err === "object") {
    const stack = typeof err.stack === "string" ? err.stack : `${err.type ?? "Error"}: ${err.message ?? ""}`;
    text += `\n${stack.replace(/^/gm, "    ")}`;
  }
  return `${text}\n`;
}

/** Strings with spaces or quotes are JSON-quoted, so a field's end stays visible. */
function quoteIfNeeded(value: string): string {
  return /^[^\s"=]*$/.test(value) && value !== "" ? value : JSON.stringify(value);
}

/** Removes the user-info part of a connection string, so a MongoDB password never reaches a log line. */
export function redactUri(uri: string): string {
  return uri.replace(/^(mongodb(?:\+srv)?:\/\/)[^@/]*@/, "$1***@");
}
