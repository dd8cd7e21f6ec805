/**
 * `ticket://{ticket_id}`: each ticket as a resource, for clients that let users attach
 * context (Claude Desktop, the Inspector). Ids complete as they are typed.
 */
import { ResourceTemplate, type McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { TicketNotFoundError } from "../../tickets/errors.js";
import { parseSearchQuery } from "../../tickets/query.js";
import { renderTicket } from "../render.js";
import type { ToolDeps } from "../tools/deps.js";

export const name = "ticket";
/** resources/list shows the most urgent tickets, never the whole store. */
const LISTED = 50;
const COMPLETIONS = 20;

export function register(server: McpServer, { store }: ToolDeps): void {
  const template = new ResourceTemplate("ticket://{ticket_id}", {
    list: async () => {
      const { tickets } = await store.search(parseSearchQuery({ limit: LISTED }));
      return {
        resources: tickets.map((t) => ({
          uri: `ticket://${t.ticket_id}`,
          name: t.ticket_id,
          title: `${t.ticket_id}: ${t.title}`,
          description: `${t.status}, ${t.priority}, ${t.category}`,
          mimeType: "text/plain",
        })),
      };
    },
    complete: { ticket_id: (value) => store.suggestIds(value, COMPLETIONS) },
  });
  server.registerResource(
    name,
    template,
    {
      title: "Support ticket",
      description: "One support ticket with its full description, e.g. ticket://TKT-0001.",
      mimeType: "text/plain",
    },
    async (uri, { ticket_id }) => {
      const id = decodeURIComponent(String(ticket_id));
      const ticket = await store.get(id);
      // Thrown errors become JSON-RPC errors; the message names the id and what to do.
      if (!ticket) throw new TicketNotFoundError(id);
      return {
        contents: [{ uri: uri.href, mimeType: "text/plain", text: renderTicket(ticket) }],
      };
    },
  );
}
