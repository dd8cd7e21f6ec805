/**
 * Tickets to table rows and back. Writing derives the search columns (see
 * migrations/001_tickets.sql) with the functions the in-memory store uses; reading sends
 * each row through TicketSchema, like a row from any ticket file.
 */
import { haystackOf } from "../tickets/search.js";
import {
  PRIORITIES,
  TICKET_FIELDS,
  TicketSchema,
  canonicalDateMs,
  formatIsoDate,
  type Ticket,
} from "../tickets/ticket.js";

/** Every column the application writes, with its PostgreSQL array type for unnest(). */
export const WRITE_COLUMNS = [
  ["ticket_id", "text"],
  ["user_id", "text"],
  ["title", "text"],
  ["description", "text"],
  ["status", "text"],
  ["priority", "text"],
  ["category", "text"],
  ["created_date", "timestamptz"],
  ["updated_date", "timestamptz"],
  ["assigned_to", "text"],
  ["id_key", "text"],
  ["user_key", "text"],
  ["assignee_key", "text"],
  ["priority_rank", "smallint"],
  ["created_ms", "bigint"],
  ["updated_ms", "bigint"],
  ["search_text", "text"],
] as const;

export type WriteColumn = (typeof WRITE_COLUMNS)[number][0];

/** What a search reads back: the seed's fields, dates as epoch ms (exact, no time zone). */
export const READ_COLUMNS =
  "ticket_id, user_id, title, description, status, priority, category, " +
  "created_ms::float8 AS created_ms, updated_ms::float8 AS updated_ms, assigned_to";

/** The names READ_COLUMNS gives its columns, to read them again from a subquery. */
export const READ_NAMES = READ_COLUMNS.replace(/\S+::float8 AS /g, "");

export interface TicketRow {
  ticket_id: string;
  user_id: string;
  title: string;
  description: string;
  status: string;
  priority: string;
  category: string;
  created_ms: number;
  updated_ms: number;
  assigned_to: string;
}

const msOf = (iso: string) => canonicalDateMs(iso) ?? Date.parse(iso);

/** The row to write for a ticket, column by column in WRITE_COLUMNS order. */
export function rowValues(t: Ticket): Record<WriteColumn, string | number> {
  return {
    ticket_id: t.ticket_id,
    user_id: t.user_id,
    title: t.title,
    description: t.description,
    status: t.status,
    priority: t.priority,
    category: t.category,
    created_date: t.created_date,
    updated_date: t.updated_date,
    assigned_to: t.assigned_to,
    id_key: t.ticket_id.toLowerCase(),
    user_key: t.user_id.toLowerCase(),
    assignee_key: t.assigned_to.toLowerCase(),
    priority_rank: PRIORITIES.indexOf(t.priority),
    created_ms: msOf(t.created_date),
    updated_ms: msOf(t.updated_date),
    search_text: haystackOf(t),
  };
}

export class InvalidTicketRowError extends Error {
  override readonly name = "InvalidTicketRowError";
}

/** A row read from the table as a valid Ticket; a bad row names the ticket and field. */
export function rowToTicket(row: TicketRow): Ticket {
  const raw = {
    ...row,
    created_date: formatIsoDate(row.created_ms),
    updated_date: formatIsoDate(row.updated_ms),
  };
  const parsed = TicketSchema.safeParse(
    Object.fromEntries(TICKET_FIELDS.map((field) => [field, raw[field]])),
  );
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new InvalidTicketRowError(
    `tickets row ${JSON.stringify(row.ticket_id)}, column "${String(issue.path[0])}": ${issue.message}`,
  );
}
