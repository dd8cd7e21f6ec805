/**
 * buildMcpServer(deps) -> McpServer (SDK v2): every tool, resource, prompt and the
 * completions, registered on a fresh server. The one definition every transport and
 * protocol era uses: 2026-07-28 per request (createMcpHandler), 2025 sessions and
 * stateless 2025 over HTTP, and stdio (serveStdio). Nothing here knows HTTP or sessions;
 * the caller hands in the store as this caller may see it (a customer's is scoped).
 */
import { McpServer } from "@modelcontextprotocol/server";
import pkg from "../../../package.json" with { type: "json" };
import { registerAppResources } from "./apps/index.js";
import * as completion from "./completion.js";
import * as triagePrompt from "./prompts/triage.js";
import * as ticketResource from "./resources/ticketResource.js";
import type { ToolDeps } from "./tools/deps.js";
import { clientLogFor } from "./clientLog.js";
import { registerTools } from "./tools/index.js";

export const SERVER_NAME = "mcp-tickets";
export const SERVER_VERSION: string = pkg.version;
/** Values (array items and object members, at any depth) one tool call may carry. */
export const MAX_TOOL_INPUT_ELEMENTS = 200;

const INSTRUCTIONS =
  "Support ticket search. Use search_tickets to find tickets (filters: user_id, status, priority, " +
  "category, keyword, assigned_to, dates; exact enum values), ticket_stats for counts, get_ticket " +
  "for one ticket's full text. Results are paged: follow next_cursor for more.";

/**
 * Caching hints for 2026-07-28 results (2025 responses never carry them). The lists of
 * tools, prompts and templates are the same for every caller and change only with a
 * release; ticket data is per caller (customers see their own) and may reload.
 */
const FIVE_MINUTES = 5 * 60_000;
export const CACHE_HINTS = {
  "server/discover": { ttlMs: FIVE_MINUTES, cacheScope: "public" },
  "tools/list": { ttlMs: FIVE_MINUTES, cacheScope: "public" },
  "prompts/list": { ttlMs: FIVE_MINUTES, cacheScope: "public" },
  "resources/templates/list": { ttlMs: FIVE_MINUTES, cacheScope: "public" },
  "resources/list": { ttlMs: 10_000, cacheScope: "private" },
  "resources/read": { ttlMs: 10_000, cacheScope: "private" },
} as const;

export function buildMcpServer(deps: ToolDeps): McpServer {
  const server = new McpServer(
    { name: SERVER_NAME, title: "Support ticket search", version: SERVER_VERSION },
    {
      // Logging: tools send a log notification per call to clients that ask for one
      // (logging/setLevel in 2025 sessions, the logLevel envelope key in 2026-07-28;
      // clientLog.ts), and to no other.
      // The lists never change while the server runs (a release changes them), so no
      // listChanged: clients need not hold a subscription stream open for nothing.
      capabilities: {
        logging: {},
        tools: { listChanged: false },
        prompts: { listChanged: false },
        resources: { listChanged: false },
      },
      instructions: INSTRUCTIONS,
      cacheHints: CACHE_HINTS,
      // Bounds the work one tools/call can ask for before validation even starts.
      maxToolInputElements: MAX_TOOL_INPUT_ELEMENTS,
    },
  );
  registerTools(server, { ...deps, clientLog: clientLogFor(server) });
  ticketResource.register(server, deps);
  registerAppResources(server);
  triagePrompt.register(server);
  completion.register(server, deps);
  return server;
}
