/**
 * The ticket skill: questions about support tickets → `search_tickets`, `get_ticket`,
 * `ticket_stats` calls, and their results → the answer.
 *
 * Tool choice: a ticket id → get_ticket (one call per id); a counting question →
 * ticket_stats (or, without it, search_tickets with limit 100, counted here); anything
 * else about tickets → search_tickets. A tool that is not bound is never called: the
 * answer then says which tool is missing.
 *
 * The question is read in the light of the user's earlier ones (a follow-up refines the
 * previous question, see conversation.ts). The answer owns up to what it did not take
 * literally: typos it read as filter words, and words it could not map. When a date
 * filter finds nothing, it looks up the oldest and newest tickets (one more round) and,
 * when the asked period lies outside them, says which dates the data covers.
 */
import {
  groupTickets,
  renderError,
  renderSearch,
  renderStats,
  renderTicket,
  renderToolText,
  renderTotalOnly,
  renderUnavailable,
  type GroupView,
  type TicketView,
} from "./answer.js";
import { readInConversation } from "./conversation.js";
import { renderDateRange, renderNotes } from "./notes.js";
import type { Conversation, OfflineSkill, Plan, PlannedCall, ToolOutcome } from "./skill.js";
import type { Language, ParsedQuestion, TicketIntent } from "./types.js";

export const TICKET_TOOLS = {
  search: "search_tickets",
  get: "get_ticket",
  stats: "ticket_stats",
} as const;

const MAX_GETS = 10;

export interface TicketSkillOptions {
  /** The clock for relative dates ("last week"); defaults to the system clock. */
  now?: () => Date;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function asTicket(v: unknown): TicketView | undefined {
  return isRecord(v) && typeof v.ticket_id === "string" ? (v as unknown as TicketView) : undefined;
}

function asTickets(v: unknown): TicketView[] {
  return Array.isArray(v) ? v.map(asTicket).filter((t): t is TicketView => t !== undefined) : [];
}

function asGroups(v: unknown): GroupView[] {
  if (!Array.isArray(v)) return [];
  return v.filter(
    (g): g is GroupView => isRecord(g) && typeof g.count === "number" && g.value !== undefined,
  );
}

/** The filters of a call, without paging, sorting and grouping. */
function filtersOf(args: Record<string, unknown>): Record<string, unknown> {
  const { sort: _s, limit: _l, cursor: _c, group_by: _g, ...filters } = args;
  return filters;
}

function planFor(
  intent: TicketIntent,
  available: ReadonlySet<string>,
  language: Language,
): Plan | undefined {
  const calls = (list: PlannedCall[]): Plan => ({ kind: "calls", calls: list });
  const missing = (tool: string): Plan => ({
    kind: "reply",
    text: renderUnavailable(language, [tool]),
  });
  switch (intent.kind) {
    case "unknown":
      return undefined;
    case "get":
      if (!available.has(TICKET_TOOLS.get)) return missing(TICKET_TOOLS.get);
      return calls(
        intent.ticket_ids
          .slice(0, MAX_GETS)
          .map((id) => ({ name: TICKET_TOOLS.get, args: { ticket_id: id } })),
      );
    case "stats":
      if (available.has(TICKET_TOOLS.stats)) {
        return calls(
          (intent.either ?? [intent.filters]).map((filters) => ({
            name: TICKET_TOOLS.stats,
            args: { group_by: intent.group_by, ...filters },
          })),
        );
      }
      if (available.has(TICKET_TOOLS.search)) {
        return calls(
          (intent.either ?? [intent.filters]).map((filters) => ({
            name: TICKET_TOOLS.search,
            args: { ...filters, limit: 100 },
          })),
        );
      }
      return missing(TICKET_TOOLS.stats);
    case "search": {
      if (!available.has(TICKET_TOOLS.search)) return missing(TICKET_TOOLS.search);
      return calls(
        (intent.either ?? [intent.filters]).map((filters) => {
          const args: Record<string, unknown> = { ...filters };
          if (intent.sort !== undefined) args.sort = intent.sort;
          if (intent.limit !== undefined) args.limit = intent.limit;
          return { name: TICKET_TOOLS.search, args };
        }),
      );
    }
  }
}

function answerOne(language: Language, intent: TicketIntent, outcome: ToolOutcome): string {
  const { call, data } = outcome;
  if (!outcome.ok) return renderError(language, call.name, outcome.text);
  const filters = filtersOf(call.args);
  if (call.name === TICKET_TOOLS.get) {
    const ticket = asTicket(data?.ticket);
    return ticket
      ? renderTicket(language, ticket)
      : renderToolText(language, call.name, outcome.text);
  }
  if (call.name === TICKET_TOOLS.stats && data && typeof data.total === "number") {
    const groupBy = typeof data.group_by === "string" ? data.group_by : String(call.args.group_by);
    return renderStats(language, groupBy, filters, data.total, asGroups(data.groups));
  }
  if (call.name === TICKET_TOOLS.search && data && typeof data.total === "number") {
    const tickets = asTickets(data.tickets);
    if (intent.kind === "stats") {
      if (tickets.length >= data.total) {
        return renderStats(
          language,
          intent.group_by,
          filters,
          data.total,
          groupTickets(tickets, intent.group_by),
        );
      }
      return renderTotalOnly(language, filters, data.total);
    }
    const hasMore = typeof data.next_cursor === "string" && data.next_cursor !== "";
    return renderSearch(language, filters, data.total, tickets, hasMore);
  }
  return renderToolText(language, call.name, outcome.text);
}

export function createTicketSkill(options: TicketSkillOptions = {}): OfflineSkill {
  const now = options.now ?? (() => new Date());
  return {
    name: "tickets",
    tools: Object.values(TICKET_TOOLS),
    examples: {
      en: [
        "Find all critical security tickets with status open",
        "Show tickets of user user123",
        "How many open tickets are there by priority?",
        "Show ticket TKT-0007",
      ],
      ru: [
        "Найди все критические тикеты по безопасности со статусом open",
        "Покажи тикеты пользователя user123",
        "Сколько открытых тикетов по приоритетам?",
        "Покажи тикет TKT-0007",
      ],
    },
    plan(question, language, available, conversation) {
      return planFor(read(question, conversation).intent, available, language);
    },
    carry(question, conversation) {
      return reading(question, conversation).state;
    },
    followUp(question, _language, outcomes, available, conversation) {
      const { intent } = read(question, conversation);
      if (!available.has(TICKET_TOOLS.search) || !needsDateRange(intent, outcomes)) return [];
      return RANGE_LOOKUPS;
    },
    answer(question, language, outcomes, _all, conversation) {
      const parsed = read(question, conversation);
      const planned = planFor(parsed.intent, new Set(Object.values(TICKET_TOOLS)), language);
      const keys = new Set(planned?.kind === "calls" ? planned.calls.map(keyOf) : []);
      const asked = outcomes.filter((o) => keys.has(keyOf(o.call)) || !isRangeLookup(o.call));
      const parts = [
        renderNotes(language, parsed.corrections, parsed.unrecognised, parsed.dropped),
      ];
      parts.push(...asked.map((o) => answerOne(language, parsed.intent, o)));
      parts.push(dateRangeNote(language, parsed.intent, outcomes));
      return parts.filter((p) => p !== "").join("\n\n");
    },
  };

  function reading(question: string, conversation?: Conversation) {
    const state = isIntent(conversation?.state) ? conversation.state : undefined;
    return readInConversation(conversation?.earlier ?? [], question, { now: now() }, state);
  }

  function read(question: string, conversation?: Conversation): ParsedQuestion {
    return reading(question, conversation).parsed;
  }
}

/** A ticket intent carried with an earlier answer (anything else is ignored). */
function isIntent(v: unknown): v is TicketIntent {
  const kind = isRecord(v) ? v.kind : undefined;
  return (
    kind === "get" ||
    ((kind === "search" || kind === "stats") && isRecord((v as { filters?: unknown }).filters))
  );
}

const keyOf = (c: PlannedCall) => `${c.name}\u0000${JSON.stringify(c.args)}`;

/** The oldest and the newest ticket: what dates the data covers. */
const RANGE_LOOKUPS: PlannedCall[] = [
  { name: TICKET_TOOLS.search, args: { sort: "oldest", limit: 1 } },
  { name: TICKET_TOOLS.search, args: { sort: "newest", limit: 1 } },
];
const RANGE_KEYS = new Set(RANGE_LOOKUPS.map(keyOf));
const isRangeLookup = (c: PlannedCall) => RANGE_KEYS.has(keyOf(c));

const DATE_KEYS = ["created_after", "created_before", "updated_after", "updated_before"] as const;

function dateFilters(intent: TicketIntent): Partial<Record<(typeof DATE_KEYS)[number], string>> {
  if (intent.kind !== "search" && intent.kind !== "stats") return {};
  return Object.fromEntries(
    DATE_KEYS.filter((k) => intent.filters[k] !== undefined).map((k) => [k, intent.filters[k]]),
  );
}

/** A date filter found nothing, and the data's range is not looked up yet. */
function needsDateRange(intent: TicketIntent, outcomes: ToolOutcome[]): boolean {
  if (Object.keys(dateFilters(intent)).length === 0) return false;
  if (outcomes.some((o) => isRangeLookup(o.call))) return false;
  return outcomes.some(
    (o) =>
      o.ok && !isRangeLookup(o.call) && o.data?.total === 0 && o.call.name !== TICKET_TOOLS.get,
  );
}

/** "The data covers …" when the asked period lies outside the data's dates. */
function dateRangeNote(language: Language, intent: TicketIntent, outcomes: ToolOutcome[]): string {
  const dates = outcomes
    .filter((o) => o.ok && isRangeLookup(o.call))
    .flatMap((o) => asTickets(o.data?.tickets))
    .map((t) => t.created_date)
    .filter((d): d is string => typeof d === "string")
    .sort();
  if (dates.length === 0) return "";
  const [first, last] = [dates[0]!, dates[dates.length - 1]!];
  const asked = dateFilters(intent);
  const after = asked.created_after ?? asked.updated_after;
  const before = asked.created_before ?? asked.updated_before;
  const outside =
    (after !== undefined && after > last) || (before !== undefined && before <= first);
  return outside ? renderDateRange(language, first.slice(0, 10), last.slice(0, 10)) : "";
}
