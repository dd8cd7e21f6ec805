import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InvalidQueryError } from "../src/tickets/errors.js";
import { MemoryTicketStore } from "../src/tickets/memoryStore.js";
import { parseFilters, parseSearchQuery, type SearchInput } from "../src/tickets/query.js";
import type { Ticket } from "../src/tickets/ticket.js";
import { ticket } from "../../test/helpers/tickets.js";

const T = {
  loginCritical: ticket({
    ticket_id: "TKT-0001",
    user_id: "user123",
    title: "Cannot login after password reset",
    description: "The login page says 'invalid token' after the reset email.",
    status: "open",
    priority: "critical",
    category: "authentication",
    created_date: "2025-02-01T10:00:00Z",
    updated_date: "2025-02-03T10:00:00Z",
    assigned_to: "security_team",
  }),
  refund: ticket({
    ticket_id: "TKT-0002",
    user_id: "user110",
    title: "Refund for double charge",
    description: "My card was charged twice for the Pro plan; payment failed the first time.",
    status: "open",
    priority: "high",
    category: "billing",
    created_date: "2025-02-05T09:00:00Z",
    updated_date: "2025-02-06T09:00:00Z",
    assigned_to: "billing_team",
  }),
  export: ticket({
    ticket_id: "TKT-0003",
    user_id: "USER123",
    title: "CSV export times out",
    description: "Export of 50k rows fails with a timeout on the dashboard.",
    status: "in_progress",
    priority: "medium",
    category: "technical",
    created_date: "2025-01-10T09:00:00Z",
    updated_date: "2025-03-01T09:00:00Z",
    assigned_to: "dev_team",
  }),
  cyrillic: ticket({
    ticket_id: "TKT-0004",
    user_id: "user104",
    title: "Ошибка ВХОДА в личный кабинет",
    description: "После обновления не работает вход через SSO.",
    status: "closed",
    priority: "low",
    category: "authentication",
    created_date: "2025-01-05T09:00:00Z",
    updated_date: "2025-01-06T09:00:00Z",
    assigned_to: "support_agent2",
  }),
  breach: ticket({
    ticket_id: "TKT-0005",
    user_id: "user105",
    title: "Suspicious API key usage",
    description: "Someone used our API key from an unknown IP. Payment failed alerts too.",
    status: "open",
    priority: "critical",
    category: "security",
    created_date: "2025-03-01T09:00:00Z",
    updated_date: "2025-03-02T09:00:00Z",
    assigned_to: "security_team",
  }),
  feature: ticket({
    ticket_id: "TKT-0006",
    user_id: "user106",
    title: "Dark mode request",
    description: "Please add a dark mode to the dashboard.",
    status: "rejected",
    priority: "low",
    category: "feature",
    created_date: "2025-01-20T09:00:00Z",
    updated_date: "2025-01-25T09:00:00Z",
    assigned_to: "tech_lead",
  }),
};
const ALL: Ticket[] = Object.values(T);
const store = new MemoryTicketStore(ALL, "test");

async function ids(input: SearchInput): Promise<string[]> {
  const { tickets } = await store.search(parseSearchQuery(input));
  return tickets.map((t) => t.ticket_id);
}

function rejects(input: SearchInput, field: string, mentions: string[]): void {
  assert.throws(
    () => parseSearchQuery(input),
    (err: unknown) => {
      assert.ok(err instanceof InvalidQueryError, String(err));
      assert.equal(err.field, field);
      for (const m of mentions)
        assert.ok(err.message.includes(m), `${err.message} should mention ${m}`);
      return true;
    },
  );
}

describe("query rules the stores share (store behaviour: storeContract.test.ts)", () => {
  test("enum filters take a list (any of) and ignore case and separators", async () => {
    assert.deepEqual(await ids({ status: ["CLOSED", "Rejected"] }), ["TKT-0006", "TKT-0004"]);
    assert.deepEqual(await ids({ status: "In Progress" }), ["TKT-0003"]);
    assert.deepEqual(await ids({ status: "in-progress" }), ["TKT-0003"]);
  });

  test("an empty or blank keyword is no keyword filter", async () => {
    assert.equal((await ids({ keyword: "   ", limit: 100 })).length, ALL.length);
    assert.deepEqual(parseFilters({ keyword: "" }), {});
  });
});

describe("bad values name the field, the value and what is allowed", () => {
  test("unknown enum values list the allowed ones", () => {
    rejects({ status: "opened" }, "status", [
      '"opened"',
      "open, in_progress, pending, closed, rejected",
    ]);
    rejects({ priority: ["high", "urgent"] }, "priority", [
      '"urgent"',
      "critical, high, medium, low",
    ]);
    rejects({ category: "payments" }, "category", ["authentication, billing"]);
    rejects({ sort: "random" }, "sort", ["priority, newest, oldest, updated"]);
  });
  test("limit, dates, ranges, lengths", () => {
    rejects({ limit: 0 }, "limit", ["1 to 100"]);
    rejects({ limit: 101 }, "limit", ["101"]);
    rejects({ limit: 2.5 }, "limit", ["2.5"]);
    rejects({ created_after: "yesterday" }, "created_after", ['"yesterday"', "ISO 8601"]);
    rejects({ created_after: "2025-02-30" }, "created_after", ["2025-02-30"]);
    rejects({ created_after: "2025-03-01", created_before: "2025-02-01" }, "created_before", [
      "later than created_after",
    ]);
    rejects({ keyword: "x".repeat(201) }, "keyword", ["at most 200"]);
    rejects({ keyword: "a b c d e f g h i j k" }, "keyword", ["at most 10 terms"]);
    rejects({ status: new Array(11).fill("open") }, "status", ["at most 10"]);
  });
});
