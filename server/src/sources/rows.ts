/**
 * From raw rows to tickets, shared by every file format: header -> column mapping, the
 * TicketSchema check with messages that name the field, the bad value and what is
 * allowed, and the unique-id rule.
 */
import {
  TICKET_FIELDS,
  TicketSchema,
  parseIsoDate,
  type Ticket,
  type TicketField,
  type TicketInput,
} from "../tickets/ticket.js";
import { TicketFileError, describePosition, type FilePosition } from "./ticketFileError.js";

/** Cell text per field, trimmed; undefined when the field is absent (a JSON key left out). */
export type RawTicket = Partial<Record<TicketField, string>>;

const DATE_FIELDS: ReadonlySet<string> = new Set<TicketField>(["created_date", "updated_date"]);
const MAX_SHOWN_VALUE = 60;

/** "Ticket ID", "ticket-id" and " TICKET_ID " all name the ticket_id column. */
function normaliseHeader(cell: string): string {
  return cell
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
}

/**
 * For each of TICKET_FIELDS (in order), the index of its column in `header`. Extra
 * columns are ignored; every field must have a column (empty cells are fine).
 */
export function mapColumns(header: readonly string[], file: string): number[] {
  const indexOf = new Map<string, number>();
  header.forEach((cell, index) => {
    const name = normaliseHeader(cell);
    const earlier = indexOf.get(name);
    if (earlier !== undefined && (TICKET_FIELDS as readonly string[]).includes(name)) {
      throw new TicketFileError(
        "duplicate_column",
        file,
        `${file}: column "${name}" appears twice in the header (columns ${earlier + 1} and ${index + 1}); keep one`,
        { field: name },
      );
    }
    if (earlier === undefined) indexOf.set(name, index);
  });
  const missing = TICKET_FIELDS.filter((field) => !indexOf.has(field));
  if (missing.length > 0) {
    const names = missing.map((field) => `"${field}"`).join(", ");
    throw new TicketFileError(
      "missing_column",
      file,
      `${file}: missing column${missing.length > 1 ? "s" : ""} ${names} (the header row must name every field: ${TICKET_FIELDS.join(", ")})`,
      { field: missing[0] },
    );
  }
  return TICKET_FIELDS.map((field) => indexOf.get(field)!);
}

/** Validates and normalises one row through TicketSchema, or throws a TicketFileError. */
export function toTicket(raw: RawTicket, file: string, position: FilePosition): Ticket {
  const input: TicketInput = {
    ticket_id: raw.ticket_id ?? "",
    user_id: raw.user_id ?? "",
    title: raw.title ?? "",
    description: raw.description ?? "",
    status: raw.status ?? "",
    priority: raw.priority ?? "",
    category: raw.category ?? "",
    created_date: raw.created_date ?? "",
    updated_date: raw.updated_date ?? "",
    assigned_to: raw.assigned_to ?? "",
  };
  const result = TicketSchema.safeParse(input);
  if (result.success) return result.data;
  // Issues come in field order, so the first one is the leftmost bad cell.
  const issue = result.error.issues[0]!;
  const field = String(issue.path[0] ?? "row");
  const value = raw[field as TicketField];
  throw new TicketFileError(
    "invalid_value",
    file,
    `${describePosition(file, position)}, field "${field}": ${explainIssue(issue, field, value, raw)}`,
    { ...position, field, value },
  );
}

interface IssueLike {
  code: string;
  message: string;
  values?: readonly unknown[];
  maximum?: unknown;
}

function explainIssue(issue: IssueLike, field: string, value: string | undefined, raw: RawTicket) {
  const allowed =
    issue.code === "invalid_value" && issue.values
      ? ` (must be one of ${issue.values.join(", ")})`
      : "";
  if (value === undefined) return `is missing${allowed || " (a value is required)"}`;
  if (value === "") return `is empty${allowed || " (a value is required)"}`;
  if (allowed) return `${show(value)} is not allowed${allowed}`;
  if (issue.code === "too_big") {
    return `is too long (${value.length} characters; at most ${String(issue.maximum)})`;
  }
  if (DATE_FIELDS.has(field)) {
    if (parseIsoDate(value) !== undefined) {
      return `${show(value)} is earlier than created_date ${show(raw.created_date ?? "")}`;
    }
    return `${show(value)} is not an ISO 8601 date (use e.g. 2025-03-01 or 2025-03-01T10:00:00Z)`;
  }
  return `${show(value)}: ${issue.message}`;
}

/** The value quoted, shortened so a pasted essay does not swamp the message. */
export function show(value: string): string {
  const text = value.length > MAX_SHOWN_VALUE ? `${value.slice(0, MAX_SHOWN_VALUE)}…` : value;
  return JSON.stringify(text);
}

/** Remembers ticket ids already seen in a file; a repeat is an error naming both places. */
export class UniqueIds {
  private readonly firstSeenAt = new Map<string, number>();

  /** `unit` is how the file counts positions: data rows, or lines for JSON lines. */
  constructor(
    private readonly file: string,
    private readonly unit: "row" | "line",
  ) {}

  add(ticket: Ticket, position: FilePosition): void {
    const at = this.unit === "row" ? position.row : position.line;
    const first = this.firstSeenAt.get(ticket.ticket_id);
    if (first === undefined) {
      this.firstSeenAt.set(ticket.ticket_id, at ?? 0);
      return;
    }
    throw new TicketFileError(
      "duplicate_id",
      this.file,
      `${describePosition(this.file, position)}, field "ticket_id": ${show(ticket.ticket_id)} is already used at ${this.unit} ${first} (ticket ids must be unique)`,
      { ...position, field: "ticket_id", value: ticket.ticket_id },
    );
  }
}
