/**
 * What the offline parser understands: the ticket tools' vocabulary as types.
 *
 * Kept free of LangChain on purpose: the parser is a pure function of the question
 * text, so it can be tested (and reused) on its own.
 */

export type Language = "ru" | "en";

// The vocabulary comes from the domain core, so the parser can never offer a value the
// server would reject. (The domain imports no framework, only zod.)
export { CATEGORIES, PRIORITIES, STATUSES } from "../../../server/src/tickets/ticket.js";
export { GROUP_FIELDS as GROUP_BY, SORT_ORDERS } from "../../../server/src/tickets/query.js";
import type { CATEGORIES, PRIORITIES, STATUSES } from "../../../server/src/tickets/ticket.js";
import type { GROUP_FIELDS as GROUP_BY, SORT_ORDERS } from "../../../server/src/tickets/query.js";

export type Status = (typeof STATUSES)[number];
export type Priority = (typeof PRIORITIES)[number];
export type Category = (typeof CATEGORIES)[number];
export type SortOrder = (typeof SORT_ORDERS)[number];
export type GroupBy = (typeof GROUP_BY)[number];

/** The filters `search_tickets` and `ticket_stats` share. Only set keys are filters. */
export interface TicketFilters {
  user_id?: string;
  status?: Status | Status[];
  priority?: Priority | Priority[];
  category?: Category | Category[];
  keyword?: string;
  assigned_to?: string;
  created_after?: string;
  created_before?: string;
  updated_after?: string;
  updated_before?: string;
}

export interface SearchIntent {
  kind: "search";
  filters: TicketFilters;
  /**
   * "critical or pending": an OR across two fields cannot be one search, so it is two,
   * one per side (each with the question's other filters); `filters` holds both sides.
   */
  either?: [TicketFilters, TicketFilters];
  sort?: SortOrder;
  limit?: number;
}

export interface GetIntent {
  kind: "get";
  /** The first ticket id asked about. */
  ticket_id: string;
  /** Every ticket id asked about, in order (at least one). */
  ticket_ids: string[];
}

export interface StatsIntent {
  kind: "stats";
  group_by: GroupBy;
  filters: TicketFilters;
  /** An OR across two fields: two counts (see SearchIntent.either). */
  either?: [TicketFilters, TicketFilters];
}

export interface UnknownIntent {
  kind: "unknown";
}

export type TicketIntent = SearchIntent | GetIntent | StatsIntent | UnknownIntent;

/** A word read as a filter word it misspells ("crtical" -> "critical"). */
export interface Correction {
  from: string;
  to: string;
}

/** A word in a filter's place that names no value ("status foo", "blorp tickets"). */
export interface Unrecognised {
  word: string;
  /** The field named before it, when there was one ("status foo"). */
  field?: "status" | "priority" | "category";
  /** A filter word it may misspell, too short to correct safely ("opne" → "open"). */
  suggestion?: string;
}

/** A condition the parser read but could not send, named in the answer. */
export interface Dropped {
  /**
   * - `not-assignee`, `not-user`: "not assigned to dev_team", "not from user123" (the
   *   tools cannot exclude them: searched without the condition);
   * - `either`: "critical or pending" (an OR across fields: two searches);
   * - `date`: a date phrase it could not read (searched without it);
   * - `extra-assignee`, `extra-user`: a second one ("dev_team or qa_team"): the tools
   *   take one, so the first is searched and this one is named.
   */
  kind: "not-assignee" | "not-user" | "either" | "date" | "extra-assignee" | "extra-user";
  /** The words as the user wrote them. */
  text: string;
}

export interface ParsedQuestion {
  language: Language;
  intent: TicketIntent;
  /** Typos read as filter words; the answer mentions them. */
  corrections: Correction[];
  /** Words that look like filters but were not understood: searched without them. */
  unrecognised: Unrecognised[];
  /** Conditions read but not sent as asked; the answer says so. */
  dropped: Dropped[];
}

export interface ParseOptions {
  /** "Now" for relative dates ("last week", "за последние 7 дней"); defaults to the clock. */
  now?: Date;
  /** The question follows up a ticket question ("а закрытые?"): it is about tickets. */
  followUp?: boolean;
}
