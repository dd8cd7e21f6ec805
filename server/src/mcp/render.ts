/**
 * The text a model reads. LangChain and most clients pass the text content to the model,
 * so it must stand on its own, and be compact: one line per ticket, days instead of
 * timestamps, the description's start, and nothing the model already knows (what its
 * filters fixed, the default order). Programs read structuredContent instead; the seed's
 * three questions read under a third of their tickets as pretty JSON (render.test.ts).
 */
import type { GroupField } from "../tickets/query.js";
import type { SearchResult, StatsResult } from "../tickets/store.js";
import type { Ticket } from "../tickets/ticket.js";

const ENUM_FIELDS = new Set(["status", "priority", "category"]);
const DESCRIPTION_CHARS = 24;

function day(iso: string): string {
  return iso.slice(0, 10);
}

/**
 * The created day, and the updated day after it without what they share: "2025-02-13"
 * (same day), "2025-02-13~14", "2025-02-13~03-02", "2025-12-30~2026-01-04".
 */
function days(created: string, updated: string): string {
  const [from, to] = [day(created), day(updated)];
  if (from === to) return from;
  const shared =
    from.slice(0, 8) === to.slice(0, 8) ? 8 : from.slice(0, 5) === to.slice(0, 5) ? 5 : 0;
  return `${from}~${to.slice(shared)}`;
}

function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,.;:]+$/, "")}…`;
}

/** The description's start, without a first sentence that only repeats the title. */
function about(t: Ticket): string {
  const title = t.title.trim().replace(/[.!?]+$/, "");
  let text = t.description.trim();
  if (title !== "" && text.toLowerCase().startsWith(title.toLowerCase())) {
    const rest = text.slice(title.length).replace(/^[\s.!?:;,-]+/, "");
    if (rest !== "") text = rest;
  }
  return shorten(text, DESCRIPTION_CHARS);
}

export function describeApplied(filters: Record<string, string | string[]>): string {
  const parts = Object.entries(filters).map(
    ([key, value]) => `${key}=${Array.isArray(value) ? value.join("|") : value}`,
  );
  return parts.length > 0 ? parts.join(", ") : "no filters";
}

/**
 * Which columns a page leaves out: a field a filter fixed to one value (status=open) is
 * said once in the header, so no line repeats it. Only when every ticket on the page
 * carries that exact value (user_id matches in any case, and "USER123" must still show).
 */
interface Columns {
  status: boolean;
  priority: boolean;
  category: boolean;
  user: boolean;
  assignee: boolean;
}

function columnsFor(tickets: readonly Ticket[], applied: Record<string, string | string[]>) {
  const shows = (filter: string, field: keyof Ticket) => {
    const value = applied[filter];
    return typeof value !== "string" || tickets.some((t) => t[field] !== value);
  };
  return {
    status: shows("status", "status"),
    priority: shows("priority", "priority"),
    category: shows("category", "category"),
    user: shows("user_id", "user_id"),
    assignee: shows("assigned_to", "assigned_to"),
  } satisfies Columns;
}

/** How to read this page's lines, said once in the header; names only the columns shown. */
export function lineFormat(columns: Columns): string {
  const enums = (["status", "priority", "category"] as const).filter((c) => columns[c]);
  const who = [columns.user ? "user" : "", columns.assignee ? "assignee" : ""]
    .filter(Boolean)
    .join(">");
  return [
    `${enums.length > 0 ? `id [${enums.join("/")}] ` : "id "}title`,
    ...(who ? [who] : []),
    "created~updated",
    "description…",
  ].join("|");
}

/** Written for a title that repeats the line above's (templated tickets often do). */
export const SAME_TITLE = "(same title)";

/**
 * One line: id, the enums not fixed by the filters, title, people, days, description.
 * `previous` is the ticket on the line above, whose title need not be read twice.
 */
export function ticketLine(t: Ticket, columns: Columns, previous?: Ticket): string {
  const enums = [
    columns.status ? t.status : "",
    columns.priority ? t.priority : "",
    columns.category ? t.category : "",
  ].filter(Boolean);
  const assignee = t.assigned_to || "unassigned";
  const who =
    columns.user && columns.assignee
      ? `${t.user_id}>${assignee}`
      : columns.user
        ? t.user_id
        : columns.assignee
          ? assignee
          : undefined;
  return [
    `${t.ticket_id} ${enums.length > 0 ? `[${enums.join("/")}] ` : ""}` +
      (previous !== undefined && previous.title === t.title ? SAME_TITLE : t.title),
    ...(who !== undefined ? [who] : []),
    days(t.created_date, t.updated_date),
    about(t),
  ].join("|");
}

/**
 * A page as the model reads it: the count, the filters and the line format once, then a
 * line per ticket. Leaves out what the model already knows (fields the filters fixed,
 * the default order, years repeated within a line) and nothing else.
 */
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
  const columns = columnsFor(result.tickets, applied);
  // One status, priority or category needs no name: no value belongs to two of them.
  const echo = Object.entries(applied)
    .map(([key, value]) =>
      Array.isArray(value)
        ? `${key}=${value.join("|")}`
        : ENUM_FIELDS.has(key)
          ? value
          : `${key}=${value}`,
    )
    .join(" ");
  const page = shown === result.total && result.totalExact ? "" : `; ${shown} shown`;
  const order = sort === "priority" ? "" : `, ${sort} first`;
  const lines = [
    `${count} (${echo || "no filters"})${page}${order}.` +
      (shown > 0 ? ` ${lineFormat(columns)}` : ""),
    ...result.tickets.map((t, i) => ticketLine(t, columns, result.tickets[i - 1])),
  ];
  if (result.nextCursor !== undefined) {
    lines.push(`More: same arguments with cursor="${result.nextCursor}".`);
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
