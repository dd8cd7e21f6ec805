/**
 * `ticket://{ticket_id}`: each ticket as a resource, for clients that let users attach
 * context (Claude Desktop, the Inspector). Ids complete as they are typed (completion.ts).
 */
import {
  ProtocolError,
  ProtocolErrorCode,
  ResourceNotFoundError,
  ResourceTemplate,
  type McpServer,
} from "@modelcontextprotocol/server";
import { InvalidQueryError, TicketNotFoundError, quoteValue } from "../../tickets/errors.js";
import { parseSearchQuery, parseTicketId } from "../../tickets/query.js";
import { renderTicket } from "../render.js";
import type { ToolDeps } from "../tools/deps.js";

export const name = "ticket";
export const URI_TEMPLATE = "ticket://{ticket_id}";
/** resources/list shows the most urgent tickets, never the whole store. */
const LISTED = 50;

export function register(server: McpServer, { store }: ToolDeps): void {
  const template = new ResourceTemplate(URI_TEMPLATE, {
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
      // Thrown errors become JSON-RPC errors, each naming the id: -32602 for a malformed
      // URI, and resource-not-found for a ticket that does not exist, which SEP-2164
      // (2026-07-28) and the SDK answer as -32602 with data.uri (2025's was -32002).
      const id = ticketIdOf(uri.href, String(ticket_id));
      const ticket = await store.get(id);
      if (!ticket) throw new ResourceNotFoundError(uri.href, new TicketNotFoundError(id).message);
      return {
        contents: [{ uri: uri.href, mimeType: "text/plain", text: renderTicket(ticket) }],
      };
    },
  );
}

/** The ticket id in a ticket:// URI, percent-decoded and checked like get_ticket's. */
function ticketIdOf(uri: string, raw: string): string {
  const invalid = (why: string) =>
    new ProtocolError(
      ProtocolErrorCode.InvalidParams,
      `Invalid resource URI ${quoteValue(uri)}: ${why}.`,
    );
  let id: string;
  try {
    id = decodeURIComponent(raw);
  } catch {
    throw invalid("the ticket id is not valid percent-encoding (e.g. ticket://TKT-0007)");
  }
  try {
    return parseTicketId(id);
  } catch (error) {
    if (error instanceof InvalidQueryError) throw invalid(`the ticket id ${error.expected}`);
    throw error;
  }
}
