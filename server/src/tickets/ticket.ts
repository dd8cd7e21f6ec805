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
  const fast = canonicalDateMs(value);
  if (fast !== undefined) return fast;
  const text = value.trim();
  if (!ISO_DATE.test(text)) return undefined;
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/.test(text) && text.length > 10;
  const normalised = text.replace(" ", "T") + (text.length > 10 && !hasZone ? "Z" : "");
  const ms = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : normalised);
  if (Number.isNaN(ms)) return undefined;
  // Date.parse rolls 2025-02-30 over to March; reject it instead.
  const [y, m, d] = text.slice(0, 10).split("-").map(Number);
  // setUTCFullYear, not Date.UTC: Date.UTC reads the years 0-99 as 1900-1999.
  const day = new Date(0);
  day.setUTCFullYear(y!, m! - 1, d!);
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== m! - 1 || day.getUTCDate() !== d) {
    return undefined;
  }
  return ms;
}

const DIGIT_AT = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Epoch ms of a date in the stored form "2025-03-01T10:00:00Z", read off its digits;
 * undefined for anything else (parseIsoDate then takes the general path). A million
 * tickets carry two million such dates, and Date.parse plus the regexes above cost
 * seconds of start-up; this costs a fraction. Years before 100 and hour 24 are left to
 * the general path, whose Date.UTC / Date.parse rules they need.
 */
export function canonicalDateMs(text: string): number | undefined {
  if (
    text.length !== 20 ||
    text.charCodeAt(4) !== 0x2d ||
    text.charCodeAt(7) !== 0x2d ||
    text.charCodeAt(10) !== 0x54 ||
    text.charCodeAt(13) !== 0x3a ||
    text.charCodeAt(16) !== 0x3a ||
    text.charCodeAt(19) !== 0x5a
  ) {
    return undefined;
  }
  for (const at of DIGIT_AT) {
    const c = text.charCodeAt(at);
    if (c < 0x30 || c > 0x39) return undefined;
  }
  const y = digits(text, 0, 4);
  const mo = digits(text, 5, 2);
  const d = digits(text, 8, 2);
  const h = digits(text, 11, 2);
  const mi = digits(text, 14, 2);
  const s = digits(text, 17, 2);
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const days = mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo - 1];
  if (y < 100 || days === undefined || d < 1 || d > days || h > 23 || mi > 59 || s > 59) {
    return undefined;
  }
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

/** The number written by `width` ASCII digits from `at` (already checked to be digits). */
function digits(text: string, at: number, width: number): number {
  let value = 0;
  for (let k = at; k < at + width; k++) value = value * 10 + text.charCodeAt(k) - 0x30;
  return value;
}

/** Canonical form of every stored date: "2025-03-01T10:00:00Z" (UTC, whole seconds). */
export function formatIsoDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The stored form; rows already in it (every file we write) skip re-formatting. */
const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

const isoDateTime = z.string().transform((value, ctx) => {
  if (canonicalDateMs(value) !== undefined) return value;
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
