/**
 * Errors meant for the caller. Each says what was wrong, with the bad value, and what is
 * allowed, so a model (or a person) can correct the call. Adapters map these to their
 * own error shapes in one place (MCP: an `isError` tool result); anything else that is
 * thrown is a bug: logged, never shown.
 */
export class TicketError extends Error {
  override readonly name: string = "TicketError";
}

/** The most characters of a bad value an error message quotes. */
export const QUOTED_CHARS = 80;

/**
 * A value as an error message shows it: JSON (so control characters are visible as
 * escapes), and a long string cut to its first characters with its length said, so a
 * 10 KB argument is never echoed back whole.
 */
export function quoteValue(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  if (json.length <= QUOTED_CHARS) return json;
  if (typeof value !== "string") return `${json.slice(0, QUOTED_CHARS - 20)}…`;
  // Escaped first, then cut, and only between characters: control characters grow six
  // times when escaped, and half an escape would be no escape at all.
  let quoted = '"';
  for (const char of value) {
    const escaped = JSON.stringify(char).slice(1, -1);
    if (quoted.length + escaped.length > QUOTED_CHARS - 20) break;
    quoted += escaped;
  }
  return `${quoted}"… (${value.length} characters)`;
}

/** A query argument is invalid. `field` names the argument, `value` the bad input. */
export class InvalidQueryError extends TicketError {
  override readonly name = "InvalidQueryError";
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(`Invalid ${field} ${quoteValue(value)}: ${expected}.`);
  }
}

export class TicketNotFoundError extends TicketError {
  override readonly name = "TicketNotFoundError";
  constructor(readonly ticketId: string) {
    super(
      `Ticket ${quoteValue(ticketId)} not found. Ticket ids look like TKT-0001; use search_tickets to find one.`,
    );
  }
}

/** The store cannot answer right now (e.g. the database is down); retrying may work. */
export class StoreUnavailableError extends TicketError {
  override readonly name = "StoreUnavailableError";
  constructor(detail = "") {
    super(`Ticket store unavailable${detail ? ` (${detail})` : ""}; retry shortly.`);
  }
}
