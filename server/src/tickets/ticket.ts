/**
 * The ticket: the one record this whole project is about.
 *
 * Rows from spreadsheets, CSV, JSON lines and (later) databases all pass through
 * `TicketSchema`, so a ticket in memory is always valid and normalised: enum values in
 * lower case, dates as canonical ISO 8601 UTC strings, ids trimmed.
 */
import { z } from "zod";

/** Workflow states, in the order people read them. */
export const STATUSES = ["open", "in_progress", "pending", "closed", "rejected"] as const;
/** Priorities, most urgent first: this is also the sort order. */
export const PRIORITIES = ["critical", "high", "medium", "low"] as const;
export const CATEGORIES = [
  "authentication",
  "billing",
  "feature",
  "technical",
  "security",
] as const;

export type Status = (typeof STATUSES)[number];
export type Priority = (typeof PRIORITIES)[number];
export type Category = (typeof CATEGORIES)[number];

/** The seed's fields, in the seed's order: the column order of every file we write. */
export const TICKET_FIELDS = [
  "ticket_id",
  "user_id",
  "title",
  "description",
  "status",
  "priority",
  "category",
  "created_date",
  "updated_date",
  "assigned_to",
] as const;
export type TicketField = (typeof TICKET_FIELDS)[number];

const ISO_DATE =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Parses an ISO 8601 date or date-time ("2025-03-01", "2025-03-01T10:00:00Z",
 * "2025-03-01 10:00", with or without an offset; no offset means UTC) to epoch ms.
 * Returns undefined for anything else, including impossible dates like 2025-02-30.
 */
export function parseIsoDate(value: string): number | undefined {
  const text = value.trim();
  if (!ISO_DATE.test(text)) return undefined;
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/.test(text) && text.length > 10;
  const normalised = text.replace(" ", "T") + (text.length > 10 && !hasZone ? "Z" : "");
  const ms = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : normalised);
  if (Number.isNaN(ms)) return undefined;
  // Date.parse rolls 2025-02-30 over to March; reject it instead.
  const [y, m, d] = text.slice(0, 10).split("-").map(Number);
  const day = new Date(Date.UTC(y!, m! - 1, d!));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== m! - 1 || day.getUTCDate() !== d) {
    return undefined;
  }
  return ms;
}

/** Canonical form of every stored date: "2025-03-01T10:00:00Z" (UTC, whole seconds). */
export function formatIsoDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The stored form; rows already in it (every file we write) skip re-formatting. */
const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

const isoDateTime = z.string().transform((value, ctx) => {
  const ms = parseIsoDate(value);
  if (ms !== undefined && CANONICAL.test(value)) return value;
  if (ms === undefined) {
    ctx.addIssue({
      code: "custom",
      message: `"${value}" is not an ISO 8601 date (use e.g. 2025-03-01 or 2025-03-01T10:00:00Z)`,
    });
    return z.NEVER;
  }
  return formatIsoDate(ms);
});

function lowerEnum<T extends readonly [string, ...string[]]>(values: T) {
  return z
    .string()
    .transform((v) =>
      v
        .trim()
        .toLowerCase()
        .replace(/[\s-]+/g, "_"),
    )
    .pipe(z.enum(values, { error: () => `must be one of ${values.join(", ")}` }));
}

const id = (max: number) => z.string().trim().min(1, "must not be empty").max(max);

export const TicketSchema = z
  .object({
    ticket_id: id(64),
    user_id: id(64),
    title: z.string().trim().min(1, "must not be empty").max(500),
    description: z.string().trim().max(20_000),
    status: lowerEnum(STATUSES),
    priority: lowerEnum(PRIORITIES),
    category: lowerEnum(CATEGORIES),
    created_date: isoDateTime,
    updated_date: isoDateTime,
    assigned_to: z.string().trim().max(64),
  })
  .refine((t) => t.updated_date >= t.created_date, {
    message: "updated_date is earlier than created_date",
    path: ["updated_date"],
  });

/** A valid, normalised ticket. */
export type Ticket = z.output<typeof TicketSchema>;
/** What a row may look like before validation. */
export type TicketInput = z.input<typeof TicketSchema>;
