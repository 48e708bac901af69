/**
 * The one reader of `process.env` on the server: a zod schema over the environment, parsed once at
 * import into a frozen, typed `config`. Invalid configuration stops the process with a list of
 * problems instead of failing later somewhere deep in the app.
 */
import { resolve } from "node:path";
import { z } from "zod";
import { defaults, type LogLevel, logLevels } from "./defaults.ts";

/** Deployment environments the server distinguishes. */
export const nodeEnvs = ["development", "production", "test"] as const;

/** One of `nodeEnvs`. */
export type NodeEnv = (typeof nodeEnvs)[number];

/** The validated configuration of this process. */
export interface Config {
  readonly nodeEnv: NodeEnv;
  readonly isProduction: boolean;
  readonly port: number;
  readonly host: string;
  /** Set: use this MongoDB; unset: start the embedded server over `dataDir`. */
  readonly mongodbUri: string | undefined;
  readonly databaseMode: "embedded" | "external";
  /** Absolute path. */
  readonly dataDir: string;
  /** 32-byte AES-256-GCM key; unset means the boot generates or reads `<dataDir>/data.key`. */
  readonly dataKey: Buffer | undefined;
  readonly logLevel: LogLevel;
  readonly embeddedMongoPort: number;
  /** Origin the public reaches the platform at, without a trailing slash. */
  readonly publicBaseUrl: string | undefined;
  readonly shutdownTimeoutMs: number;
  /** WeChat mini-program credentials for code2Session; the base URL is configurable so tests can fake it. */
  readonly wechat: {
    readonly appId: string | undefined;
    readonly secret: string | undefined;
    readonly apiBase: string;
  };
  /** Seed the demo agency, staff and a year of applications when the database is empty. */
  readonly demoData: boolean;
  /** Trust X-Forwarded-For from a reverse proxy (client addresses for rate limits and the audit log). */
  readonly trustProxy: boolean;
  /** Bearer token required by `GET /api/metrics`; unset: metrics answer loopback clients only. */
  readonly metricsToken: string | undefined;
  /** LibreOffice's `soffice` (a name on PATH or an absolute path) for DOCX → PDF before 区分处理. */
  readonly sofficePath: string;
}

/** Outcome of `parseConfig`: the configuration, or one readable line per problem. */
export type ParseConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

/** Environment variables, as `process.env` holds them. */
export type EnvSource = Readonly<Record<string, string | undefined>>;

/** Parses an environment into a frozen `Config` without side effects; relative paths resolve against `cwd`. */
export function parseConfig(env: EnvSource, cwd: string = process.cwd()): ParseConfigResult {
  // Empty values count as unset, because env files and compose templates often leave `KEY=` behind.
  const cleaned: Record<string, string | undefined> = {};
  for (const name of Object.keys(envSchema.shape)) {
    const value = env[name]?.trim();
    cleaned[name] = value === "" ? undefined : value;
  }
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    return {
      ok: false,
      problems: result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`),
    };
  }
  const values = result.data;
  if (values.EMBEDDED_MONGO_PORT !== 0 && values.EMBEDDED_MONGO_PORT === values.PORT) {
    return { ok: false, problems: ["EMBEDDED_MONGO_PORT: must differ from PORT"] };
  }
  const config: Config = {
    nodeEnv: values.NODE_ENV,
    isProduction: values.NODE_ENV === "production",
    port: values.PORT,
    host: values.HOST,
    mongodbUri: values.MONGODB_URI,
    databaseMode: values.MONGODB_URI === undefined ? "embedded" : "external",
    dataDir: resolve(cwd, values.DATA_DIR),
    dataKey: values.DATA_KEY,
    logLevel: values.LOG_LEVEL,
    embeddedMongoPort: values.EMBEDDED_MONGO_PORT,
    publicBaseUrl: values.PUBLIC_BASE_URL,
    shutdownTimeoutMs: values.SHUTDOWN_TIMEOUT_MS,
    wechat: Object.freeze({
      appId: values.WECHAT_APPID,
      secret: values.WECHAT_SECRET,
      apiBase: values.WECHAT_API_BASE,
    }),
    demoData: values.DEMO_DATA === "on",
    trustProxy: values.TRUST_PROXY === "on",
    metricsToken: values.METRICS_TOKEN,
    sofficePath: values.SOFFICE_PATH,
  };
  return { ok: true, config: Object.freeze(config) };
}

/** Parses `process.env`; on invalid configuration prints one problem per line to stderr and exits 1. */
export function loadConfig(): Config {
  const result = parseConfig(process.env);
  if (result.ok) return result.config;
  process.stderr.write(`Invalid configuration (配置无效):\n${result.problems.join("\n")}\n`);
  process.exit(1);
}

/** Decodes a 32-byte key written as 64 hex characters or as base64 (standard or URL-safe); undefined if malformed. */
export function decodeDataKey(text: string): Buffer | undefined {
  const value = text.trim();
  const size = defaults.dataKeyBytes;
  // Hex first: 64 hex digits are also valid base64 and would decode to the wrong 48 bytes.
  if (new RegExp(`^[0-9a-fA-F]{${size * 2}}$`).test(value)) return Buffer.from(value, "hex");
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) return undefined;
  const key = Buffer.from(value, "base64");
  return key.length === size ? key : undefined;
}

/** Readable rule for DATA_KEY, shared with the boot that reads the generated key file. */
export const dataKeyRule = `must be ${defaults.dataKeyBytes} bytes written as ${defaults.dataKeyBytes * 2} hex characters or base64 (for example the output of: openssl rand -base64 ${defaults.dataKeyBytes})`;

const envSchema = z.object({
  NODE_ENV: oneOf(nodeEnvs, "development"),
  PORT: integer(1, 65_535, defaults.port),
  HOST: z.string().default(defaults.host),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\/\S+$/, {
      error: "must be a MongoDB connection string starting with mongodb:// or mongodb+srv://",
    })
    .optional(),
  DATA_DIR: z.string().default(defaults.dataDir),
  DATA_KEY: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) return undefined;
      const key = decodeDataKey(raw);
      if (key === undefined) ctx.addIssue({ code: "custom", message: dataKeyRule });
      return key;
    }),
  LOG_LEVEL: oneOf(logLevels, defaults.logLevel),
  EMBEDDED_MONGO_PORT: integer(0, 65_535, defaults.embeddedMongoPort),
  PUBLIC_BASE_URL: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) return undefined;
      const url = URL.canParse(raw) ? new URL(raw) : undefined;
      if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
        ctx.addIssue({ code: "custom", message: "must be an absolute http:// or https:// URL" });
        return undefined;
      }
      return raw.replace(/\/+$/, "");
    }),
  SHUTDOWN_TIMEOUT_MS: integer(0, 600_000, defaults.shutdownTimeoutMs),
  WECHAT_APPID: z.string().optional(),
  WECHAT_SECRET: z.string().optional(),
  WECHAT_API_BASE: z
    .string()
    .default(defaults.wechatApiBase)
    .refine((raw) => /^https?:\/\/\S+$/.test(raw), { error: "must be an absolute http:// or https:// URL" })
    .transform((raw) => raw.replace(/\/+$/, "")),
  DEMO_DATA: oneOf(["on", "off"] as const, "on"),
  TRUST_PROXY: oneOf(["on", "off"] as const, "off"),
  METRICS_TOKEN: z
    .string()
    .regex(/^\S{16,}$/, {
      error:
        "must be at least 16 characters without spaces (for example the output of: openssl rand -hex 32)",
    })
    .optional(),
  SOFFICE_PATH: z.string().default(defaults.sofficePath),
});

/** Every environment variable the server reads, in schema order (the docs tests check each is documented). */
export const envVariables: readonly string[] = Object.keys(envSchema.shape);

/** A whole number in [min, max], written in decimal digits only (so `3e3` and `0x10` are refused). */
function integer(min: number, max: number, fallback: number) {
  const message = `must be an integer between ${min} and ${max}`;
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) return fallback;
      const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
      if (!(value >= min && value <= max)) {
        ctx.addIssue({ code: "custom", message });
        return fallback;
      }
      return value;
    });
}

/** One of a fixed list, case-insensitive. */
function oneOf<const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) {
  const message = `must be one of ${values.join(", ")}`;
  return z
    .string()
    .optional()
    .transform((raw, ctx): T[number] => {
      if (raw === undefined) return fallback;
      const value = values.find((candidate) => candidate === raw.toLowerCase());
      if (value === undefined) {
        ctx.addIssue({ code: "custom", message });
        return fallback;
      }
      return value;
    });
}

/**
 * The configuration of this process, parsed from `process.env` once, at first import. It comes last
 * because parsing needs the schema above to be initialised.
 */
export const config: Config = loadConfig();
