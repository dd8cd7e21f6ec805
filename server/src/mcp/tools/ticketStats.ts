import { registerAppTool } from "@modelcontextprotocol/ext-apps/server";
import type { McpServer } from "@modelcontextprotocol/server";
import { appMeta } from "../apps/index.js";
import { describeFilters, parseFilters, parseGroupField } from "../../tickets/query.js";
import { renderStats } from "../render.js";
import { statsOutputShape, statsShape, toolInput, toolOutput } from "../schemas.js";
import { runTool } from "../toolResult.js";
import { READ_ONLY, type ToolDeps } from "./deps.js";

export const name = "ticket_stats";

export const config = {
  title: "Count tickets",
  description:
    "Count support tickets grouped by status, priority, category, assigned_to or user_id, under the " +
    "same optional filters as search_tickets. Use it for 'how many' questions instead of paging.",
  inputSchema: toolInput(name, statsShape),
  outputSchema: toolOutput(statsOutputShape),
  annotations: READ_ONLY,
  // MCP Apps: the interactive view hosts with Apps render beside the text.
  _meta: appMeta(name),
};

export function register(server: McpServer, deps: ToolDeps): void {
  const { store } = deps;
  registerAppTool(server, name, config, ({ group_by, ...filterArgs }, ctx) =>
    runTool(name, deps, ctx, async () => {
      const groupBy = parseGroupField(group_by);
      const parsed = parseFilters(filterArgs);
      const result = await store.stats(parsed, groupBy, { signal: ctx.mcpReq.signal });
      const filters = describeFilters(parsed);
      return {
        content: [{ type: "text", text: renderStats(result, groupBy, filters) }],
        structuredContent: {
          total: result.total,
          group_by: groupBy,
          groups: result.groups,
          filters,
        },
      };
    }),
  );
}
