/**
 * Every environment variable the server reads, parsed once at start-up. A bad value
 * fails start-up with all the bad variables listed, each with its value and what is
 * allowed. `.env.example` mirrors this file line for line.
 */
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";

const bool = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(["true", "false", "1", "0", "yes", "no", "on", "off", ""]))
  .transform((v) => ["true", "1", "yes", "on"].includes(v));

const list = z.string().transform((v) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== ""),
);

const int = (min: number, max: number) =>
  z.coerce
    .number({ error: `must be a whole number from ${min} to ${max}` })
    .int({ error: `must be a whole number from ${min} to ${max}` })
    .min(min, { error: `must be a whole number from ${min} to ${max}` })
    .max(max, { error: `must be a whole number from ${min} to ${max}` });

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const EnvSchema = z
  .object({
    HOST: z.string().trim().min(1).default("127.0.0.1"),
    PORT: int(0, 65535).default(8000),
    TICKETS_FILE: z.string().trim().min(1).default("data/requests.xls"),
    LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
    MCP_STATELESS: bool.default(false),
    MCP_SESSION_IDLE_SECONDS: int(10, 7 * 24 * 3600).default(1800),
    MCP_MAX_SESSIONS: int(1, 100_000).default(1000),
    MCP_MAX_SESSIONS_PER_PRINCIPAL: int(1, 100_000).default(50),
    ALLOWED_HOSTS: list.default([]),
    ALLOWED_ORIGINS: list.default([]),
    MAX_BODY_BYTES: int(1024, 16 * 1024 * 1024).default(256 * 1024),
    SHUTDOWN_TIMEOUT_SECONDS: int(1, 600).default(10),
    // Production (see README, "Production").
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    AUTH_TOKENS_FILE: z.string().trim().min(1).optional(),
    OAUTH_ISSUER: z.url().optional(),
    OAUTH_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
    OAUTH_AUDIENCE: z.string().trim().min(1).optional(),
    OAUTH_SCOPE: z.string().trim().min(1).default("tickets:read"),
    OAUTH_USER_CLAIM: z.string().trim().min(1).default("user_id"),
    OAUTH_AGENT_SCOPE: z.string().trim().min(1).default("tickets:read:all"),
    ALLOW_UNAUTHENTICATED_REMOTE: bool.default(false),
    RATE_LIMIT_PER_MINUTE: int(0, 1_000_000).default(600),
    RATE_LIMIT_BURST: int(1, 100_000).default(60),
    TRUST_PROXY: z.string().trim().default("false"),
    LOG_FILE: z.string().trim().min(1).optional(),
    LOG_FILE_SIZE: z
      .string()
      .trim()
      .regex(/^\d+[kmg]?$/i, "must be a size like 10m, 500k or 1g")
      .default("10m"),
    LOG_FILE_KEEP: int(1, 1000).default(7),
    TICKETS_RELOAD: bool.default(true),
    TICKETS_RELOAD_SETTLE_MS: int(0, 600_000).default(2000),
    // Snapshots of the built in-memory store, for fast restarts; "off": none.
    TICKETS_SNAPSHOT_DIR: z
      .string()
      .trim()
      .default("")
      .transform((v) =>
        v === ""
          ? join(tmpdir(), "mcp-tickets-snapshots")
          : v.toLowerCase() === "off"
            ? undefined
            : v,
      ),
    // Where tickets live (see README, "Scaling"): the file in memory, or PostgreSQL.
    TICKETS_STORE: z.enum(["memory", "postgres"]).default("memory"),
    DATABASE_URL: z
      .string()
      .trim()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
      .optional(),
    DATABASE_SCHEMA: z
      .string()
      .trim()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, "must be lower-case letters, digits and _")
      .default("public"),
    DATABASE_MIGRATE: bool.default(true),
    DATABASE_POOL_MAX: int(1, 1000).default(10),
    DATABASE_CONNECT_TIMEOUT_MS: int(100, 600_000).default(3000),
    DATABASE_IDLE_TIMEOUT_MS: int(1000, 3_600_000).default(30_000),
    DATABASE_STATEMENT_TIMEOUT_MS: int(100, 3_600_000).default(5000),
  })
  .refine((c) => c.TICKETS_STORE !== "postgres" || c.DATABASE_URL !== undefined, {
    message:
      "TICKETS_STORE=postgres needs DATABASE_URL (e.g. postgres://user@localhost:5432/tickets)",
    path: ["DATABASE_URL"],
  })
  .refine((c) => !c.OAUTH_ISSUER === !c.OAUTH_JWKS_URL, {
    message: "OAUTH_ISSUER and OAUTH_JWKS_URL go together: set both or neither",
    path: ["OAUTH_JWKS_URL"],
  });

export type Config = z.output<typeof EnvSchema>;

/** The base URL clients use to reach this server (PUBLIC_URL, else http://HOST:PORT). */
export function publicUrl(config: Pick<Config, "PUBLIC_URL" | "HOST" | "PORT">): string {
  if (config.PUBLIC_URL) return config.PUBLIC_URL.replace(/\/+$/, "");
  const host = config.HOST.includes(":") ? `[${config.HOST}]` : config.HOST;
  return `http://${host === "0.0.0.0" || host === "[::]" ? "localhost" : host}:${config.PORT}`;
}

export function authConfigured(config: Pick<Config, "AUTH_TOKENS_FILE" | "OAUTH_ISSUER">): boolean {
  return config.AUTH_TOKENS_FILE !== undefined || config.OAUTH_ISSUER !== undefined;
}

/**
 * Express's "trust proxy" value: false, true, a hop count, or addresses/names such as
 * "loopback" (nginx on the same machine) or "10.0.0.0/8,loopback".
 */
export function trustProxy(value: string): boolean | number | string[] {
  const v = value.trim().toLowerCase();
  if (v === "" || v === "false" || v === "0") return false;
  if (v === "true") return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Reads the config from `env` (default: process.env). Throws ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(EnvSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== "") raw[key] = value;
  }
  const parsed = EnvSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? "config");
    return `  ${key}=${JSON.stringify(raw[key])}: ${issue.message}`;
  });
  throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
}

/**
 * Loads `.env` from the working directory into process.env when it exists, without
 * overriding variables already set (the shell wins). Entry points call this once.
 */
export function loadDotEnv(file = ".env"): void {
  if (existsSync(file)) process.loadEnvFile(file);
}

export const LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1"];

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.includes(host) || /^127\./.test(host);
}
