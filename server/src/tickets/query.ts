/**
 * A search query: what callers may ask for, and the one place that validates it.
 *
 * Adapters hand over loosely typed input (`SearchInput`: what an MCP client or a CLI
 * sent); `parseFilters` / `parseSearchQuery` turn it into a normalised `SearchQuery` or
 * throw `InvalidQueryError` naming the field, the bad value and what is allowed.
 */
import { InvalidQueryError } from "./errors.js";
import {
  CATEGORIES,
  PRIORITIES,
  STATUSES,
  parseIsoDate,
  type Category,
  type Priority,
  type Status,
} from "./ticket.js";

export const SORT_ORDERS = ["priority", "newest", "oldest", "updated"] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

export const GROUP_FIELDS = ["status", "priority", "category", "assigned_to", "user_id"] as const;
export type GroupField = (typeof GROUP_FIELDS)[number];

export const DEFAULT_LIMIT = 10;
/**
 * A search counts its matches exactly up to this many; beyond, its total is "at least
 * COUNT_LIMIT". Counting 150,000 keyword matches is what made a PostgreSQL page cost
 * over half a second at a million tickets, and counting to the limit costs time in
 * proportion to it (a keyword that one ticket in seven holds, with status=open: about
 * 22,000 rows read for 1,000 matches). A model needs "a lot" there, and ticket_stats
 * (always exact) when it needs the number. Every store applies the same limit, so they
 * answer alike.
 */
export const COUNT_LIMIT = 1000;

/** A store's count limit, checked when the store is built: a whole number, at least 1. */
export function checkCountLimit(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new RangeError(`countLimit must be a whole number of at least 1, got ${limit}`);
  }
  return limit;
}
export const MAX_LIMIT = 100;
/** Longest keyword accepted: longer ones are almost certainly not a search. */
export const MAX_KEYWORD_LENGTH = 200;
/** Most terms in one keyword, and most values in one enum list. */
export const MAX_KEYWORD_TERMS = 10;
export const MAX_LIST_VALUES = 10;
/** Longest user id, assignee or ticket id. */
export const MAX_ID_LENGTH = 64;
/** Longest enum value, sort order or group_by field (the real ones are far shorter). */
export const MAX_VALUE_LENGTH = 32;
/** Longest ISO 8601 date-time, with fractions and an offset. */
export const MAX_DATE_LENGTH = 40;
export const MAX_CURSOR_LENGTH = 512;

/** C0 and C1 control characters and DEL: never part of an id, a value or a search. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
export const hasControlCharacters = (text: string): boolean => CONTROL.test(text);

/**
 * Every string argument passes here first: it must be a string of at most `max`
 * characters without control characters (a NUL would break PostgreSQL and mean nothing
 * to the file store; both answer this same error). In a keyword, tabs and line breaks
 * are only white space.
 */
export function checkText(
  field: string,
  raw: unknown,
  max: number,
  { whitespace = false }: { whitespace?: boolean } = {},
): string {
  if (typeof raw !== "string") throw new InvalidQueryError(field, raw, "must be a string");
  if (raw.length > max) {
    throw new InvalidQueryError(field, raw, `must be at most ${max} characters`);
  }
  const text = whitespace ? raw.replace(/[\t\n\r]/g, " ") : raw;
  if (CONTROL.test(text)) {
    throw new InvalidQueryError(
      field,
      raw,
      "must not contain control characters (such as NUL, escape or line breaks)",
    );
  }
  return text;
}

/** A ticket id as callers send it (get_ticket, ticket:// URIs): trimmed, never empty. */
export function parseTicketId(raw: unknown, field = "ticket_id"): string {
  const id = checkText(field, raw, MAX_ID_LENGTH).trim();
  if (id === "") throw new InvalidQueryError(field, raw, "must not be empty (e.g. TKT-0007)");
  return id;
}

/** Input as an adapter receives it; every field optional and not yet trusted. */
export interface FilterInput {
  user_id?: string | undefined;
  status?: string | string[] | undefined;
  priority?: string | string[] | undefined;
  category?: string | string[] | undefined;
  keyword?: string | undefined;
  assigned_to?: string | undefined;
  created_after?: string | undefined;
  created_before?: string | undefined;
  updated_after?: string | undefined;
  updated_before?: string | undefined;
}

export interface SearchInput extends FilterInput {
  sort?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

/** Validated filters. Ranges are epoch milliseconds; `*After` is inclusive, `*Before` exclusive. */
export interface TicketFilters {
  userId?: string;
  /**
   * The only user whose tickets may match, set by the server for customers (never by
   * the caller's arguments); ANDed with everything else, never echoed back.
   */
  scopeUserId?: string;
  statuses?: Status[];
  priorities?: Priority[];
  categories?: Category[];
  /** Lower-cased terms; each must occur in the title or the description. */
  keywordTerms?: string[];
  assignedTo?: string;
  createdFrom?: number;
  createdTo?: number;
  updatedFrom?: number;
  updatedTo?: number;
}

export interface SearchQuery {
  filters: TicketFilters;
  sort: SortOrder;
  limit: number;
  cursor?: string;
}

function enumList<T extends string>(
  field: string,
  raw: string | string[] | undefined,
  allowed: readonly T[],
): T[] | undefined {
  if (raw === undefined) return undefined;
  const values = Array.isArray(raw) ? raw : [raw];
  if (values.length > MAX_LIST_VALUES) {
    throw new InvalidQueryError(field, raw, `at most ${MAX_LIST_VALUES} values are allowed`);
  }
  const out = new Set<T>();
  for (const value of values) {
    if (typeof value !== "string") {
      throw new InvalidQueryError(field, value, `must be one of ${allowed.join(", ")}`);
    }
    checkText(field, value, MAX_VALUE_LENGTH);
    const normalised = value
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, "_");
    if (normalised === "") continue;
    if (!(allowed as readonly string[]).includes(normalised)) {
      throw new InvalidQueryError(field, value, `must be one of ${allowed.join(", ")}`);
    }
    out.add(normalised as T);
  }
  return out.size > 0 ? [...out] : undefined;
}

function identifier(field: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const value = checkText(field, raw, MAX_ID_LENGTH).trim().toLowerCase();
  return value === "" ? undefined : value;
}

function date(field: string, raw: string | undefined): number | undefined {
  if (raw === undefined || (typeof raw === "string" && raw.trim() === "")) return undefined;
  const ms = parseIsoDate(checkText(field, raw, MAX_DATE_LENGTH));
  if (ms === undefined) {
    throw new InvalidQueryError(
      field,
      raw,
      "must be an ISO 8601 date such as 2025-03-01 or 2025-03-01T10:00:00Z",
    );
  }
  return ms;
}

/**
 * Splits a keyword into lower-cased terms: white space separates terms, a double-quoted
 * part is one phrase. Unicode-aware lower-casing, so "Вход" finds "вход".
 */
export function keywordTerms(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const text = checkText("keyword", raw, MAX_KEYWORD_LENGTH, { whitespace: true });
  const terms: string[] = [];
  const pattern = /"([^"]*)"?|(\S+)/g;
  for (const match of text.normalize("NFC").matchAll(pattern)) {
    const phrase = (match[1] ?? match[2] ?? "").replace(/\s+/g, " ").trim().toLocaleLowerCase();
    if (phrase !== "" && !terms.includes(phrase)) terms.push(phrase);
  }
  if (terms.length > MAX_KEYWORD_TERMS) {
    throw new InvalidQueryError(
      "keyword",
      raw,
      `at most ${MAX_KEYWORD_TERMS} terms are allowed (got ${terms.length})`,
    );
  }
  return terms.length > 0 ? terms : undefined;
}

function range(
  fromField: string,
  from: number | undefined,
  toField: string,
  to: number | undefined,
): void {
  if (from !== undefined && to !== undefined && from >= to) {
    throw new InvalidQueryError(
      toField,
      new Date(to).toISOString(),
      `must be later than ${fromField} (${new Date(from).toISOString()})`,
    );
  }
}

/** Validates and normalises the filters shared by search and stats. */
export function parseFilters(input: FilterInput): TicketFilters {
  const filters: TicketFilters = {};
  const userId = identifier("user_id", input.user_id);
  if (userId !== undefined) filters.userId = userId;
  const statuses = enumList("status", input.status, STATUSES);
  if (statuses) filters.statuses = statuses;
  const priorities = enumList("priority", input.priority, PRIORITIES);
  if (priorities) filters.priorities = priorities;
  const categories = enumList("category", input.category, CATEGORIES);
  if (categories) filters.categories = categories;
  const terms = keywordTerms(input.keyword);
  if (terms) filters.keywordTerms = terms;
  const assignedTo = identifier("assigned_to", input.assigned_to);
  if (assignedTo !== undefined) filters.assignedTo = assignedTo;
  const createdFrom = date("created_after", input.created_after);
  if (createdFrom !== undefined) filters.createdFrom = createdFrom;
  const createdTo = date("created_before", input.created_before);
  if (createdTo !== undefined) filters.createdTo = createdTo;
  const updatedFrom = date("updated_after", input.updated_after);
  if (updatedFrom !== undefined) filters.updatedFrom = updatedFrom;
  const updatedTo = date("updated_before", input.updated_before);
  if (updatedTo !== undefined) filters.updatedTo = updatedTo;
  range("created_after", createdFrom, "created_before", createdTo);
  range("updated_after", updatedFrom, "updated_before", updatedTo);
  return filters;
}

export function parseSearchQuery(input: SearchInput): SearchQuery {
  const filters = parseFilters(input);
  let sort: SortOrder = "priority";
  if (input.sort !== undefined) {
    const value = checkText("sort", input.sort, MAX_VALUE_LENGTH).trim().toLowerCase();
    if (!(SORT_ORDERS as readonly string[]).includes(value)) {
      throw new InvalidQueryError("sort", input.sort, `must be one of ${SORT_ORDERS.join(", ")}`);
    }
    sort = value as SortOrder;
  }
  let limit = DEFAULT_LIMIT;
  if (input.limit !== undefined) {
    if (!Number.isInteger(input.limit) || input.limit < 1 || input.limit > MAX_LIMIT) {
      throw new InvalidQueryError(
        "limit",
        input.limit,
        `must be a whole number from 1 to ${MAX_LIMIT}`,
      );
    }
    limit = input.limit;
  }
  const query: SearchQuery = { filters, sort, limit };
  if (input.cursor !== undefined && input.cursor !== "") {
    query.cursor = checkText("cursor", input.cursor, MAX_CURSOR_LENGTH);
  }
  return query;
}

export function parseGroupField(raw: string | undefined): GroupField {
  const value = checkText("group_by", raw ?? "status", MAX_VALUE_LENGTH)
    .trim()
    .toLowerCase();
  if (!(GROUP_FIELDS as readonly string[]).includes(value)) {
    throw new InvalidQueryError("group_by", raw, `must be one of ${GROUP_FIELDS.join(", ")}`);
  }
  return value as GroupField;
}

/**
 * The filters in the tool's vocabulary (the seed's field names), for echoing back what
 * was applied. Only the filters actually set appear.
 */
export function describeFilters(filters: TicketFilters): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, "Z");
  if (filters.userId !== undefined) out.user_id = filters.userId;
  const oneOrList = (values: string[]) => (values.length === 1 ? values[0]! : values);
  if (filters.statuses) out.status = oneOrList(filters.statuses);
  if (filters.priorities) out.priority = oneOrList(filters.priorities);
  if (filters.categories) out.category = oneOrList(filters.categories);
  if (filters.keywordTerms) {
    out.keyword = filters.keywordTerms.map((t) => (/\s/.test(t) ? `"${t}"` : t)).join(" ");
  }
  if (filters.assignedTo !== undefined) out.assigned_to = filters.assignedTo;
  if (filters.createdFrom !== undefined) out.created_after = iso(filters.createdFrom);
  if (filters.createdTo !== undefined) out.created_before = iso(filters.createdTo);
  if (filters.updatedFrom !== undefined) out.updated_after = iso(filters.updatedFrom);
  if (filters.updatedTo !== undefined) out.updated_before = iso(filters.updatedTo);
  return out;
}
