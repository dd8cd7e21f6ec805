/**
 * Zod shapes of the tools' inputs and outputs: the JSON Schema clients and models see.
 *
 * Enum-like inputs are declared as strings carrying their allowed values as JSON Schema
 * `enum` (via `.meta`), not as `z.enum`: the model sees the exact values, and the domain
 * (query.ts) still accepts any case and answers a wrong value with an error that names
 * the field, the value and the allowed ones, instead of a raw validation dump. Length
 * limits likewise: declared here as JSON Schema `maxLength` for clients, enforced in
 * query.ts with a message that quotes at most the start of the value.
 */
import { z } from "zod";
import {
  GROUP_FIELDS,
  MAX_CURSOR_LENGTH,
  MAX_ID_LENGTH,
  MAX_KEYWORD_LENGTH,
  MAX_LIMIT,
  MAX_LIST_VALUES,
  SORT_ORDERS,
  DEFAULT_LIMIT,
} from "../tickets/query.js";
import { CATEGORIES, PRIORITIES, STATUSES } from "../tickets/ticket.js";

const oneOrMany = (values: readonly string[], what: string) => {
  const one = z.string().meta({ enum: [...values] });
  return z
    .union([one, z.array(one).max(MAX_LIST_VALUES)])
    .optional()
    .describe(`${what}: one value or a list (any of them). One of: ${values.join(", ")}.`);
};

const isoDate = (what: string) =>
  z
    .string()
    .optional()
    .describe(`${what} (ISO 8601 date or date-time, e.g. 2025-03-01 or 2025-03-01T10:00:00Z)`);

/** Filters shared by search_tickets and ticket_stats. */
export const filterShape = {
  user_id: z
    .string()
    .meta({ maxLength: MAX_ID_LENGTH })
    .optional()
    .describe("The customer's user id, exact match, any case (e.g. user123)."),
  status: oneOrMany(STATUSES, "Ticket status"),
  priority: oneOrMany(PRIORITIES, "Priority"),
  category: oneOrMany(CATEGORIES, "Category"),
  keyword: z
    .string()
    .meta({ maxLength: MAX_KEYWORD_LENGTH })
    .optional()
    .describe(
      'Words to find in the title or description, any case; every word must occur; "double quotes" keep a phrase together (e.g. "payment failed" refund).',
    ),
  assigned_to: z
    .string()
    .meta({ maxLength: MAX_ID_LENGTH })
    .optional()
    .describe(
      "Assignee, exact match: support_agent1..support_agent4, dev_team, security_team, billing_team, tech_lead, qa_team.",
    ),
  created_after: isoDate("Created at or after"),
  created_before: isoDate("Created before"),
  updated_after: isoDate("Updated at or after"),
  updated_before: isoDate("Updated before"),
};

export const searchShape = {
  ...filterShape,
  sort: z
    .string()
    .meta({ enum: [...SORT_ORDERS] })
    .optional()
    .describe(
      "Order: priority (critical first, then most recently updated; the default), newest or oldest (by creation), updated (most recently updated first).",
    ),
  limit: z
    .number()
    .int()
    .meta({ minimum: 1, maximum: MAX_LIMIT })
    .optional()
    .describe(`Tickets per page, 1 to ${MAX_LIMIT} (default ${DEFAULT_LIMIT}).`),
  cursor: z
    .string()
    .meta({ maxLength: MAX_CURSOR_LENGTH })
    .optional()
    .describe("next_cursor from the previous page, to get the next one with the same filters."),
};

export const statsShape = {
  group_by: z
    .string()
    .meta({ enum: [...GROUP_FIELDS] })
    .optional()
    .describe(`Field to count by: ${GROUP_FIELDS.join(", ")} (default status).`),
  ...filterShape,
};

/**
 * A tool's input schema: its fields, and no others. An unknown argument (a typo such as
 * `state` for `status`) is an error naming the allowed ones, not silently ignored,
 * which would widen the search without a word.
 */
export function toolInput<S extends z.ZodRawShape>(tool: string, shape: S) {
  const allowed = Object.keys(shape).join(", ");
  return withCachedJsonSchema(
    z.strictObject(shape, {
      error: (issue) =>
        issue.code === "unrecognized_keys"
          ? `unknown argument${issue.keys.length > 1 ? "s" : ""} ${issue.keys
              .map((k) => JSON.stringify(k.slice(0, 40)))
              .join(", ")} for ${tool}; the arguments are ${allowed}`
          : undefined,
    }),
  );
}

/** A tool's output schema: an object of `shape`, its JSON Schema worked out once. */
export function toolOutput<S extends z.ZodRawShape>(shape: S) {
  return withCachedJsonSchema(z.object(shape));
}

/**
 * The schema, with its JSON Schema (what tools/list shows, and what the SDK checks
 * requests and results against) computed once per direction instead of on every
 * request: 2026-07-28 and stateless serving build a server per request, and the SDK
 * converts each tool's schemas again for each server (a tenth of a request's CPU).
 * The SDK copies what it gets, never changes it, so sharing one result is safe.
 */
export function withCachedJsonSchema<T extends z.ZodType>(schema: T): T {
  const standard = schema["~standard"] as z.ZodType["~standard"] & {
    jsonSchema?: Record<"input" | "output", (options: { target: string }) => unknown>;
  };
  const convert = standard.jsonSchema;
  if (!convert) return schema;
  const cache = new Map<string, unknown>();
  const cached =
    (io: "input" | "output") =>
    (options: { target: string }): unknown => {
      const key = `${io} ${JSON.stringify(options)}`;
      if (!cache.has(key)) cache.set(key, convert[io](options));
      return cache.get(key);
    };
  (schema as { "~standard": unknown })["~standard"] = {
    ...standard,
    jsonSchema: { input: cached("input"), output: cached("output") },
  };
  return schema;
}

export const ticketShape = {
  ticket_id: z.string(),
  user_id: z.string(),
  title: z.string(),
  description: z.string(),
  status: z.enum(STATUSES),
  priority: z.enum(PRIORITIES),
  category: z.enum(CATEGORIES),
  created_date: z.string(),
  updated_date: z.string(),
  assigned_to: z.string(),
};

const appliedFilters = z
  .record(z.string(), z.union([z.string(), z.array(z.string())]))
  .describe("The filters that were applied, normalised.");

export const searchOutputShape = {
  total: z.number().int().describe("All matching tickets, across pages."),
  total_exact: z.boolean().describe("false: counting stopped there; at least total match."),
  tickets: z.array(z.object(ticketShape)).describe("This page."),
  next_cursor: z
    .string()
    .optional()
    .describe("Pass as cursor for the next page; absent on the last."),
  filters: appliedFilters,
};

export const statsOutputShape = {
  total: z.number().int(),
  group_by: z.enum(GROUP_FIELDS),
  groups: z.array(z.object({ value: z.string(), count: z.number().int() })),
  filters: appliedFilters,
};

export const getTicketOutputShape = {
  ticket: z.object(ticketShape),
};
