/**
 * The text a model reads. LangChain and most clients pass the text content to the model,
 * so it must stand on its own, and be compact: one line per ticket, short dates, the
 * description cut short. Programs read structuredContent instead.
 */
import type { GroupField } from "../tickets/query.js";
import type { SearchResult, StatsResult } from "../tickets/store.js";
import type { Ticket } from "../tickets/ticket.js";

const DESCRIPTION_CHARS = 50;

function day(iso: string): string {
  return iso.slice(0, 10);
}

function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,.;:]+$/, "")}…`;
}

export function describeApplied(filters: Record<string, string | string[]>): string {
  const parts = Object.entries(filters).map(
    ([key, value]) => `${key}=${Array.isArray(value) ? value.join("|") : value}`,
  );
  return parts.length > 0 ? parts.join(", ") : "no filters";
}

/** How to read a ticket line; printed once above the lines. */
export const LINE_FORMAT =
  "Line format: id [status/priority/category] title | user -> assignee | created/updated | description start (get_ticket for all)";

/** One line: id, status, priority, category, title, user -> assignee, dates, description. */
export function ticketLine(t: Ticket): string {
  return (
    `${t.ticket_id} [${t.status}/${t.priority}/${t.category}] ${t.title} | ` +
    `${t.user_id} -> ${t.assigned_to || "unassigned"} | ` +
    `${day(t.created_date)}/${day(t.updated_date)} | ` +
    shorten(t.description, DESCRIPTION_CHARS)
  );
}

export function renderSearch(
  result: SearchResult,
  applied: Record<string, string | string[]>,
  sort: string,
): string {
  const filters = describeApplied(applied);
  if (result.total === 0) {
    return `No tickets match (${filters}). Try fewer filters or another keyword.`;
  }
  const shown = result.tickets.length;
  const count = result.totalExact
    ? `${result.total} ${result.total === 1 ? "ticket matches" : "tickets match"}`
    : `At least ${result.total} tickets match (ticket_stats counts all)`;
  const lines = [
    `${count} (${filters}); ` +
      (shown === result.total && result.totalExact ? `all shown` : `${shown} shown`) +
      `, sorted by ${sort}.`,
    ...(shown > 0 ? [LINE_FORMAT] : []),
    ...result.tickets.map(ticketLine),
  ];
  if (result.nextCursor !== undefined) {
    lines.push(
      `More: call search_tickets with the same filters and cursor="${result.nextCursor}".`,
    );
  } else if (shown === 0) {
    lines.push("No more tickets after this cursor.");
  }
  return lines.join("\n");
}

export function renderTicket(t: Ticket): string {
  return [
    `${t.ticket_id}: ${t.title}`,
    `status: ${t.status}, priority: ${t.priority}, category: ${t.category}`,
    `user: ${t.user_id}, assigned to: ${t.assigned_to || "unassigned"}`,
    `created: ${t.created_date}, updated: ${t.updated_date}`,
    "",
    t.description,
  ].join("\n");
}

export function renderStats(
  result: StatsResult,
  groupBy: GroupField,
  applied: Record<string, string | string[]>,
): string {
  const filters = describeApplied(applied);
  const counts = result.groups.map((g) => `${g.value}: ${g.count}`).join(", ");
  return `${result.total} ticket${result.total === 1 ? "" : "s"} (${filters}) by ${groupBy}: ${counts || "none"}.`;
}
