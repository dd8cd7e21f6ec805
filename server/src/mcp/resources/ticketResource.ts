/**
 * `ticket://{ticket_id}`: each ticket as a resource, for clients that let users attach
 * context (Claude Desktop, the Inspector). Ids complete as they are typed.
 */
import {
  ResourceTemplate,
  type CompleteResourceTemplateCallback,
  type McpServer,
} from "@modelcontextprotocol/sdk/server/mcp.js";
import { ErrorCode } from "@modelcontextprotocol/sdk/types.js";
import { InvalidQueryError, TicketNotFoundError, quoteValue } from "../../tickets/errors.js";
import {
  MAX_ID_LENGTH,
  hasControlCharacters,
  parseSearchQuery,
  parseTicketId,
} from "../../tickets/query.js";
import { renderTicket } from "../render.js";
import type { ToolDeps } from "../tools/deps.js";

export const name = "ticket";
/** JSON-RPC error code for an unknown resource (MCP 2025-11-25 and later). */
export const RESOURCE_NOT_FOUND = -32002;
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
    // A null-prototype object: the SDK looks argument names up on it, and a name like
    // "__proto__" or "toString" must find nothing (an unknown argument), not a builtin.
    complete: Object.assign(
      Object.create(null) as Record<string, CompleteResourceTemplateCallback>,
      {
        ticket_id: (value: string) =>
          // A suggestion, not a query: text that no id can contain suggests nothing.
          hasControlCharacters(value) || value.length > MAX_ID_LENGTH
            ? Promise.resolve([])
            : store.suggestIds(value, COMPLETIONS),
      },
    ),
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
      // Thrown errors become JSON-RPC errors: -32602 for a malformed URI, the spec's
      // -32002 for a ticket that does not exist; each message names the id.
      const id = ticketIdOf(uri.href, String(ticket_id));
      const ticket = await store.get(id);
      if (!ticket) {
        throw rpcError(RESOURCE_NOT_FOUND, new TicketNotFoundError(id).message, { uri: uri.href });
      }
      return {
        contents: [{ uri: uri.href, mimeType: "text/plain", text: renderTicket(ticket) }],
      };
    },
  );
}

/** The ticket id in a ticket:// URI, percent-decoded and checked like get_ticket's. */
function ticketIdOf(uri: string, raw: string): string {
  const invalid = (why: string) =>
    rpcError(ErrorCode.InvalidParams, `Invalid resource URI ${quoteValue(uri)}: ${why}.`);
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

/**
 * An error the SDK sends as this JSON-RPC error (it reads `code` and `data`), with the
 * message as written: McpError would prefix "MCP error -32002: ".
 */
function rpcError(code: number, message: string, data?: unknown): Error {
  return Object.assign(new Error(message), { code, ...(data === undefined ? {} : { data }) });
}
