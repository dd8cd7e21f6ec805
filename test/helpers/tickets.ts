/** Hand-made tickets for tests whose expectations must be read off at a glance. */
import { TicketSchema, type Ticket, type TicketInput } from "../../server/src/tickets/ticket.js";

let next = 1;

/** A valid ticket; `overrides` set what the test cares about. */
export function ticket(overrides: Partial<TicketInput> = {}): Ticket {
  const n = next++;
  return TicketSchema.parse({
    ticket_id: `TKT-${String(n).padStart(4, "0")}`,
    user_id: "user101",
    title: `Ticket ${n}`,
    description: "Something is wrong.",
    status: "open",
    priority: "medium",
    category: "technical",
    created_date: "2025-01-01T00:00:00Z",
    updated_date: "2025-01-02T00:00:00Z",
    assigned_to: "support_agent1",
    ...overrides,
  });
}

export function resetIds(): void {
  next = 1;
}
