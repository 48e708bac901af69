/**
 * Typed defaults for configuration and limits that are not worth an environment variable.
 */

/** Log levels pino understands, most to least severe; `silent` turns logging off (tests). */
export const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** One of `logLevels`. */
export type LogLevel = (typeof logLevels)[number];

/** Values the environment may override, and fixed limits the server relies on. */
export const defaults = {
  /** HTTP port of the API. */
  port: 3000,
  /** Loopback by default, so a fresh install is not reachable from the network by accident. */
  host: "127.0.0.1",
  /** Relative to the working directory; holds the embedded database and the generated data key. */
  dataDir: "./data",
  logLevel: "info" as LogLevel,
  /** 0: no TCP, the embedded database is reached only through its owner-only Unix socket in the data directory. */
  embeddedMongoPort: 0,
  /** Database name on the embedded server (its URI names none). */
  embeddedDbName: "govinfo",
  /** Application name the app's connections to the embedded server announce in their handshake. */
  embeddedAppName: "govinfo-server",
  /** Time allowed for in-flight requests to finish on SIGTERM before connections are cut. */
  shutdownTimeoutMs: 10_000,
  /** JSON bodies are forms, not uploads (uploads get their own route-level limit). */
  jsonBodyLimitBytes: 1024 * 1024,
  /** A health ping slower than this counts as a failed ping, so probes answer promptly. */
  healthPingTimeoutMs: 2_000,
  /**
   * Longest wait for one database reply (the driver's socketTimeoutMS), and the time a transaction may
   * spend retrying transient failures; past it the request answers 503 with Retry-After instead of
   * hanging. Well above the slowest legitimate command (an annual report's reads over a large year).
   */
  databaseOperationTimeoutMs: 10_000,
  /** How long an app instance trusts its copy of the holiday overrides before rereading them. */
  calendarCacheMs: 60_000,
  /** Seconds a client should wait before retrying when the database is unreachable. */
  retryAfterSeconds: 5,
  /** Statistics, deadlines and annual reports count days in this zone regardless of the host's TZ. */
  timeZone: "Asia/Shanghai",
  /** Bytes of the AES-256-GCM key that encrypts personal data at rest. */
  dataKeyBytes: 32,
  /** WeChat's API origin for code2Session. */
  wechatApiBase: "https://api.weixin.qq.com",
  /** File name of the generated data key inside the data directory. */
  dataKeyFileName: "data.key",
  /** LibreOffice's `soffice`, looked up on PATH, that converts DOCX files to PDF for 区分处理. */
  sofficePath: "soffice",
  /** A DOCX conversion still running after this is killed (with its process group) and refused. */
  docxConversionTimeoutMs: 60_000,
  /** DOCX conversions running at once per instance (each is a LibreOffice process of ~200 MB). */
  docxConversionConcurrency: 2,
  /** DOCX conversions allowed to wait for a slot; past it the request answers 503 with Retry-After. */
  docxConversionMaxQueued: 8,
} as const;
