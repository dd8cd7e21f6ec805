import { registerAppTool } from "@modelcontextprotocol/ext-apps/server";
import type { McpServer } from "@modelcontextprotocol/server";
import { appMeta } from "../apps/index.js";
import { describeFilters, parseSearchQuery } from "../../tickets/query.js";
import { renderSearch } from "../render.js";
import { searchOutputShape, searchShape, toolInput, toolOutput } from "../schemas.js";
import { runTool } from "../toolResult.js";
import { READ_ONLY, type ToolDeps } from "./deps.js";

export const name = "search_tickets";

export const config = {
  title: "Search support tickets",
  description:
    "Find support tickets by user_id, status, priority, category, keyword (title and description), " +
    "assignee and dates. All filters are optional and combine with AND; status, priority and category " +
    "also take a list (any of). Returns the total and one page (default 10, ordered critical first); " +
    "use next_cursor for more. For counts use ticket_stats; for one ticket's full text use get_ticket.",
  inputSchema: toolInput(name, searchShape),
  outputSchema: toolOutput(searchOutputShape),
  annotations: READ_ONLY,
  // MCP Apps: the interactive view hosts with Apps render beside the text.
  _meta: appMeta(name),
};

export function register(server: McpServer, deps: ToolDeps): void {
  const { store } = deps;
  registerAppTool(server, name, config, (args, ctx) =>
    runTool(name, deps, ctx, async () => {
      const query = parseSearchQuery(args);
      const result = await store.search(query, { signal: ctx.mcpReq.signal });
      const filters = describeFilters(query.filters);
      return {
        content: [{ type: "text", text: renderSearch(result, filters, query.sort) }],
        structuredContent: {
          total: result.total,
          total_exact: result.totalExact,
          tickets: result.tickets,
          ...(result.nextCursor !== undefined ? { next_cursor: result.nextCursor } : {}),
          filters,
        },
      };
    }),
  );
}
