/**
 * Errors meant for the caller. Each says what was wrong, with the bad value, and what is
 * allowed, so a model (or a person) can correct the call. Adapters map these to their
 * own error shapes in one place (MCP: an `isError` tool result); anything else that is
 * thrown is a bug: logged, never shown.
 */
export class TicketError extends Error {
  override readonly name: string = "TicketError";
}

/** A query argument is invalid. `field` names the argument, `value` the bad input. */
export class InvalidQueryError extends TicketError {
  override readonly name = "InvalidQueryError";
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(`Invalid ${field} ${JSON.stringify(value)}: ${expected}.`);
  }
}

export class TicketNotFoundError extends TicketError {
  override readonly name = "TicketNotFoundError";
  constructor(readonly ticketId: string) {
    super(
      `Ticket ${JSON.stringify(ticketId)} not found. Ticket ids look like TKT-0001; use search_tickets to find one.`,
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
