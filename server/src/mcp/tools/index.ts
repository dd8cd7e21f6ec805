import type { McpServer } from "@modelcontextprotocol/server";
import type { ToolDeps } from "./deps.js";
import * as getTicket from "./getTicket.js";
import * as searchTickets from "./searchTickets.js";
import * as ticketStats from "./ticketStats.js";

/** Every tool, in the order clients list them. */
export const TOOLS = [searchTickets, getTicket, ticketStats];

export function registerTools(server: McpServer, deps: ToolDeps): void {
  for (const tool of TOOLS) tool.register(server, deps);
}
