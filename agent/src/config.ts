/**
 * The servers config, in the seed's format, translated for @langchain/mcp-adapters.
 *
 * The seed (Python langchain-mcp-adapters) writes `"transport": "streamable_http"`; the
 * server side of the Python SDK says `"streamable-http"`; the JS adapters accept only
 * `"http"`, `"sse"` and `"stdio"` and throw on the others. This loader accepts all of
 * them, so a config copied from the seed works unchanged.
 *
 * Accepted files: the seed's flat map `{ "tickets-http": { ... } }`, or the same map
 * under `"mcpServers"` (Claude Desktop / Cursor style).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

export const DEFAULT_CONFIG_PATH = "agent/servers.json";
/** Entry whose URL MCP_SERVER_URL replaces. */
export const TICKETS_SERVER = "tickets-http";

const HTTP_SPELLINGS = ["streamable_http", "streamable-http", "streamableHttp", "http"] as const;
const ACCEPTED = [...HTTP_SPELLINGS, "sse", "stdio"] as const;

export type HttpConnection = {
  transport: "http" | "sse";
  url: string;
  headers?: Record<string, string>;
};
export type StdioConnection = {
  transport: "stdio";
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
};
export type Connection = HttpConnection | StdioConnection;
export type ServersConfig = Record<string, Connection>;

export class AgentConfigError extends Error {
  override readonly name = "AgentConfigError";
}

const stringMap = z.record(z.string(), z.string());
const EntrySchema = z
  .object({
    transport: z.string().optional(),
    type: z.string().optional(),
    url: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }).optional(),
    headers: stringMap.optional(),
    command: z.string().min(1).optional(),
    args: z.array(z.string()).optional(),
    env: stringMap.optional(),
    cwd: z.string().optional(),
  })
  .loose();

function translate(name: string, raw: unknown, file: string): Connection {
  const parsed = EntrySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? `"${issue.path.join(".")}"` : "the entry";
    throw new AgentConfigError(
      `${file}: server "${name}": ${where} ${issue.message}. Fix: see agent/servers.json for the format.`,
    );
  }
  const entry = parsed.data;
  const spelled =
    entry.transport ?? entry.type ?? (entry.command ? "stdio" : entry.url ? "http" : undefined);
  if (spelled === undefined) {
    throw new AgentConfigError(
      `${file}: server "${name}" has neither "url" nor "command". Fix: add "transport": "streamable_http" with "url", or "transport": "stdio" with "command".`,
    );
  }
  if (!(ACCEPTED as readonly string[]).includes(spelled)) {
    throw new AgentConfigError(
      `${file}: server "${name}": transport "${spelled}" is not supported. Accepted: ${ACCEPTED.join(", ")}.`,
    );
  }
  if (spelled === "stdio") {
    if (!entry.command) {
      throw new AgentConfigError(
        `${file}: server "${name}" (stdio) needs "command" (and usually "args").`,
      );
    }
    return {
      transport: "stdio",
      command: entry.command,
      args: entry.args ?? [],
      ...(entry.env ? { env: entry.env } : {}),
      ...(entry.cwd ? { cwd: entry.cwd } : {}),
    };
  }
  if (!entry.url) {
    throw new AgentConfigError(
      `${file}: server "${name}" (${spelled}) needs "url", e.g. "http://localhost:8000/mcp".`,
    );
  }
  return {
    transport: spelled === "sse" ? "sse" : "http",
    url: entry.url,
    ...(entry.headers ? { headers: entry.headers } : {}),
  };
}

/** Translates a parsed config object (either layout); `file` names it in errors. */
export function parseServersConfig(json: unknown, file: string): ServersConfig {
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new AgentConfigError(
      `${file}: expected a JSON object of servers, like {"tickets-http": {...}}.`,
    );
  }
  const map = "mcpServers" in json ? (json as { mcpServers: unknown }).mcpServers : json;
  if (map === null || typeof map !== "object" || Array.isArray(map)) {
    throw new AgentConfigError(`${file}: "mcpServers" must be an object of servers.`);
  }
  const entries = Object.entries(map as Record<string, unknown>);
  if (entries.length === 0) {
    throw new AgentConfigError(
      `${file}: no servers configured. Fix: add at least one, e.g. "tickets-http".`,
    );
  }
  return Object.fromEntries(entries.map(([name, raw]) => [name, translate(name, raw, file)]));
}

export interface LoadOptions {
  /** --config; else MCP_SERVERS_CONFIG; else agent/servers.json. */
  path?: string | undefined;
  env?: Record<string, string | undefined>;
}

/** Reads, validates and translates the servers file; applies MCP_SERVER_URL. */
export function loadServersConfig({ path: given, env = process.env }: LoadOptions = {}): {
  file: string;
  servers: ServersConfig;
} {
  // An empty setting (as a copied .env.example has it) means unset, not a file named "".
  const file = given ?? (env.MCP_SERVERS_CONFIG?.trim() || DEFAULT_CONFIG_PATH);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new AgentConfigError(
      code === "ENOENT"
        ? `${file}: file not found. Fix: pass --config <file>, or copy ${DEFAULT_CONFIG_PATH} from the repository.`
        : `${file}: cannot read it (${code ?? "error"}).`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AgentConfigError(
      `${file}: not valid JSON (${(err as Error).message}). Fix the syntax, e.g. trailing commas or comments.`,
    );
  }
  const servers = parseServersConfig(json, path.relative(process.cwd(), file) || file);
  const override = env.MCP_SERVER_URL?.trim();
  if (override) {
    if (!/^https?:\/\/[^/\s]+/.test(override)) {
      throw new AgentConfigError(
        `MCP_SERVER_URL="${override}" is not an http(s) URL. Fix: e.g. MCP_SERVER_URL=http://localhost:8000/mcp`,
      );
    }
    const target = servers[TICKETS_SERVER];
    if (target && target.transport !== "stdio") target.url = override;
    else servers[TICKETS_SERVER] = { transport: "http", url: override };
  }
  return { file, servers };
}
