import type { McpServer } from "@modelcontextprotocol/server";
import { z } from "zod";
import { TicketNotFoundError } from "../../tickets/errors.js";
import { MAX_ID_LENGTH, parseTicketId } from "../../tickets/query.js";
import { renderTicket } from "../render.js";
import { getTicketOutputShape, toolInput, toolOutput } from "../schemas.js";
import { runTool } from "../toolResult.js";
import { READ_ONLY, type ToolDeps } from "./deps.js";

export const name = "get_ticket";

export const config = {
  title: "Get one ticket",
  description:
    "Get one support ticket with its full description by its id (e.g. TKT-0007). " +
    "Use search_tickets first when you do not know the id.",
  inputSchema: toolInput(name, {
    ticket_id: z
      .string()
      .meta({ maxLength: MAX_ID_LENGTH })
      .describe("The ticket id, e.g. TKT-0007 (any case)."),
  }),
  outputSchema: toolOutput(getTicketOutputShape),
  annotations: READ_ONLY,
};

export function register(server: McpServer, deps: ToolDeps): void {
  const { store } = deps;
  server.registerTool(name, config, ({ ticket_id }, ctx) =>
    runTool(name, deps, ctx, async () => {
      const id = parseTicketId(ticket_id);
      const ticket = await store.get(id);
      if (!ticket) throw new TicketNotFoundError(id);
      return {
        content: [{ type: "text", text: renderTicket(ticket) }],
        structuredContent: { ticket },
      };
    }),
  );
}
