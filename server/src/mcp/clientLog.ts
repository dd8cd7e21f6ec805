/**
 * Log notifications to MCP clients that ask for them, and to no one else.
 *
 * - 2025 sessions ask with `logging/setLevel`: this server (one per session) remembers the
 *   level and sends what is at or above it. Without it, nothing is sent (the SDK alone
 *   would send every message to a session that never asked).
 * - 2026-07-28 requests ask per request with the envelope's `logLevel` key; the SDK reads
 *   it itself in `ctx.mcpReq.log`.
 */
import {
  LOG_LEVEL_META_KEY,
  type LoggingLevel,
  type McpServer,
  type ServerContext,
} from "@modelcontextprotocol/server";

const SEVERITY: readonly LoggingLevel[] = [
  "debug",
  "info",
  "notice",
  "warning",
  "error",
  "critical",
  "alert",
  "emergency",
];

/** Sends `data` at `level` to the client of `ctx`, if it asked for that level. */
export type ClientLog = (
  ctx: ServerContext,
  level: LoggingLevel,
  data: Record<string, unknown>,
) => void;

export function clientLogFor(server: McpServer): ClientLog {
  let sessionLevel: LoggingLevel | undefined;
  server.server.setRequestHandler("logging/setLevel", (request) => {
    sessionLevel = request.params.level;
    return {};
  });
  return (ctx, level, data) => {
    const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
    const asked = (envelope?.[LOG_LEVEL_META_KEY] as LoggingLevel | undefined) ?? sessionLevel;
    if (asked === undefined || SEVERITY.indexOf(level) < SEVERITY.indexOf(asked)) return;
    ctx.mcpReq.log(level, data, "mcp-tickets").catch(() => {
      // A client that went away misses a log line; the call's own answer matters.
    });
  };
}
