/**
 * buildMcpServer(deps) -> McpServer: every tool, resource and prompt, registered on a
 * fresh server. The transports (HTTP sessions, stateless HTTP, stdio) each call this.
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import pkg from "../../../package.json" with { type: "json" };
import * as triagePrompt from "./prompts/triage.js";
import * as ticketResource from "./resources/ticketResource.js";
import type { ToolDeps } from "./tools/deps.js";
import { registerTools } from "./tools/index.js";

export const SERVER_NAME = "mcp-tickets";
export const SERVER_VERSION: string = pkg.version;
/** Values (array items and object members, at any depth) one tool call may carry. */
export const MAX_TOOL_INPUT_ELEMENTS = 200;

const INSTRUCTIONS =
  "Support ticket search. Use search_tickets to find tickets (filters: user_id, status, priority, " +
  "category, keyword, assigned_to, dates; exact enum values), ticket_stats for counts, get_ticket " +
  "for one ticket's full text. Results are paged: follow next_cursor for more.";

export function buildMcpServer(deps: ToolDeps): McpServer {
  const server = new McpServer(
    { name: SERVER_NAME, title: "Support ticket search", version: SERVER_VERSION },
    {
      capabilities: { logging: {} },
      instructions: INSTRUCTIONS,
      // Bounds the work one tools/call can ask for before validation even starts.
      maxToolInputElements: MAX_TOOL_INPUT_ELEMENTS,
    },
  );
  registerTools(server, deps);
  ticketResource.register(server, deps);
  triagePrompt.register(server);
  return server;
}
