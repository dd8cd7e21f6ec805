import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InvalidQueryError } from "../src/tickets/errors.js";
import { MemoryTicketStore } from "../src/tickets/memoryStore.js";
import {
  parseFilters,
  parseSearchQuery,
  type SearchInput,
  type SortOrder,
} from "../src/tickets/query.js";
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

describe("filters", () => {
  test("no filters returns everything, critical first", async () => {
    assert.deepEqual(await ids({ limit: 100 }), [
      "TKT-0005",
      "TKT-0001",
      "TKT-0002",
      "TKT-0003",
      "TKT-0006",
      "TKT-0004",
    ]);
  });

  test("status, priority and category combine with AND", async () => {
    assert.deepEqual(await ids({ status: "open", priority: "critical" }), ["TKT-0005", "TKT-0001"]);
    assert.deepEqual(await ids({ status: "open", priority: "critical", category: "security" }), [
      "TKT-0005",
    ]);
  });

  test("enum filters take a list (any of) and ignore case and separators", async () => {
    assert.deepEqual(await ids({ status: ["CLOSED", "Rejected"] }), ["TKT-0006", "TKT-0004"]);
    assert.deepEqual(await ids({ status: "In Progress" }), ["TKT-0003"]);
    assert.deepEqual(await ids({ status: "in-progress" }), ["TKT-0003"]);
  });

  test("user_id and assigned_to match exactly, any case", async () => {
    assert.deepEqual(await ids({ user_id: "user123" }), ["TKT-0001", "TKT-0003"]);
    assert.deepEqual(await ids({ user_id: "User123 " }), ["TKT-0001", "TKT-0003"]);
    assert.deepEqual(await ids({ user_id: "user12" }), []);
    assert.deepEqual(await ids({ assigned_to: "SECURITY_TEAM" }), ["TKT-0005", "TKT-0001"]);
  });

  test("keyword: every term must occur in title or description, any case", async () => {
    assert.deepEqual(await ids({ keyword: "login" }), ["TKT-0001"]);
    assert.deepEqual(await ids({ keyword: "EXPORT timeout" }), ["TKT-0003"]);
    assert.deepEqual(await ids({ keyword: "export refund" }), []);
    assert.deepEqual(await ids({ keyword: "dashboard" }), ["TKT-0003", "TKT-0006"]);
  });

  test("keyword: a double-quoted part is one phrase", async () => {
    assert.deepEqual(await ids({ keyword: '"payment failed"' }), ["TKT-0005", "TKT-0002"]);
    assert.deepEqual(await ids({ keyword: '"failed payment"' }), []);
    assert.deepEqual(await ids({ keyword: '"payment failed" refund' }), ["TKT-0002"]);
  });

  test("keyword: Unicode case folding (Cyrillic)", async () => {
    assert.deepEqual(await ids({ keyword: "вход" }), ["TKT-0004"]);
    assert.deepEqual(await ids({ keyword: "ВХОД sso" }), ["TKT-0004"]);
  });

  test("an empty or blank keyword is no keyword filter", async () => {
    assert.equal((await ids({ keyword: "   ", limit: 100 })).length, ALL.length);
    assert.deepEqual(parseFilters({ keyword: "" }), {});
  });

  test("date ranges: after is inclusive, before exclusive", async () => {
    assert.deepEqual(await ids({ created_after: "2025-02-05T09:00:00Z" }), [
      "TKT-0005",
      "TKT-0002",
    ]);
    assert.deepEqual(await ids({ created_before: "2025-01-10T09:00:00Z" }), ["TKT-0004"]);
    assert.deepEqual(await ids({ updated_after: "2025-03-01", updated_before: "2025-03-02" }), [
      "TKT-0003",
    ]);
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

describe("sorting and paging", () => {
  test("each sort order is total and ties break on ticket_id", async () => {
    assert.deepEqual(await ids({ sort: "newest", limit: 3 }), ["TKT-0005", "TKT-0002", "TKT-0001"]);
    assert.deepEqual(await ids({ sort: "oldest", limit: 3 }), ["TKT-0004", "TKT-0003", "TKT-0006"]);
    assert.deepEqual(await ids({ sort: "updated", limit: 2 }), ["TKT-0005", "TKT-0003"]);
    const twins = new MemoryTicketStore([
      ticket({ ticket_id: "B-2", created_date: "2025-01-01", updated_date: "2025-01-01" }),
      ticket({ ticket_id: "A-1", created_date: "2025-01-01", updated_date: "2025-01-01" }),
    ]);
    for (const sort of ["priority", "newest", "oldest", "updated"]) {
      const { tickets } = await twins.search(parseSearchQuery({ sort }));
      assert.deepEqual(
        tickets.map((t) => t.ticket_id),
        ["A-1", "B-2"],
        sort,
      );
    }
  });

  test("paging with the cursor visits every match once, in order", async () => {
    for (const sort of ["priority", "newest", "oldest", "updated"]) {
      const expected = await ids({ sort, limit: 100 });
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const result = await store.search(parseSearchQuery({ sort, limit: 2, cursor }));
        assert.equal(result.total, ALL.length);
        seen.push(...result.tickets.map((t) => t.ticket_id));
        cursor = result.nextCursor;
        pages++;
      } while (cursor);
      assert.deepEqual(seen, expected, sort);
      assert.equal(pages, 3);
    }
  });

  test("the last page has no next_cursor; a filtered search pages too", async () => {
    const first = await store.search(parseSearchQuery({ status: "open", limit: 2 }));
    assert.equal(first.total, 3);
    assert.ok(first.nextCursor);
    const second = await store.search(
      parseSearchQuery({ status: "open", limit: 2, cursor: first.nextCursor }),
    );
    assert.deepEqual(
      second.tickets.map((t) => t.ticket_id),
      ["TKT-0002"],
    );
    assert.equal(second.nextCursor, undefined);
  });

  test("a cursor only works with the filters and sort it came from", async () => {
    const { nextCursor } = await store.search(parseSearchQuery({ limit: 1 }));
    const reuse = parseSearchQuery({ status: "open", limit: 1, cursor: nextCursor });
    await assert.rejects(store.search(reuse), (err: unknown) => {
      assert.ok(err instanceof InvalidQueryError);
      assert.equal(err.field, "cursor");
      assert.match(err.message, /other filters or sort/);
      return true;
    });
    await assert.rejects(
      store.search(parseSearchQuery({ cursor: "not-a-cursor" })),
      /Invalid cursor .*next_cursor/,
    );
  });
});

describe("get, stats and id completion", () => {
  test("get is exact and case-insensitive", async () => {
    assert.equal((await store.get("tkt-0003"))?.title, "CSV export times out");
    assert.equal(await store.get("TKT-00"), undefined);
  });

  test("stats count every enum value under the filters", async () => {
    const byStatus = await store.stats(parseFilters({ category: "authentication" }), "status");
    assert.equal(byStatus.total, 2);
    assert.deepEqual(byStatus.groups, [
      { value: "closed", count: 1 },
      { value: "open", count: 1 },
      { value: "in_progress", count: 0 },
      { value: "pending", count: 0 },
      { value: "rejected", count: 0 },
    ]);
    const byUser = await store.stats(parseFilters({ keyword: "payment" }), "user_id");
    assert.deepEqual(byUser.groups, [
      { value: "user105", count: 1 },
      { value: "user110", count: 1 },
    ]);
  });

  test("suggestIds completes by prefix", async () => {
    assert.deepEqual(await store.suggestIds("tkt-000", 3), ["TKT-0001", "TKT-0002", "TKT-0003"]);
    assert.deepEqual(await store.suggestIds("TKT-0006", 5), ["TKT-0006"]);
    assert.deepEqual(await store.suggestIds("X", 5), []);
  });
});

describe("the indexed store agrees with a plain scan", () => {
  test("random queries over 20k generated tickets", async () => {
    const statuses = ["open", "in_progress", "pending", "closed", "rejected"] as const;
    const priorities = ["critical", "high", "medium", "low"] as const;
    const categories = ["authentication", "billing", "feature", "technical", "security"] as const;
    const words = ["login", "export", "refund", "invoice", "timeout", "vpn", "crash"];
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const big: Ticket[] = [];
    for (let i = 0; i < 20_000; i++) {
      const created = Date.UTC(2025, 0, 1) + Math.floor(rnd() * 300) * 86_400_000;
      big.push(
        ticket({
          ticket_id: `T-${String(i).padStart(6, "0")}`,
          user_id: `user${100 + Math.floor(rnd() * 50)}`,
          title: `${pick(words)} issue`,
          description: `${pick(words)} ${pick(words)}`,
          status: pick(statuses),
          priority: pick(priorities),
          category: pick(categories),
          created_date: new Date(created).toISOString(),
          updated_date: new Date(created + Math.floor(rnd() * 30) * 3_600_000).toISOString(),
          assigned_to: pick(["dev_team", "qa_team", "tech_lead"]),
        }),
      );
    }
    const bigStore = new MemoryTicketStore(big);
    const { matches, sortKey, compareKeys } = await import("../src/tickets/search.js");
    const keyOf = (sort: SortOrder, t: Ticket) =>
      sortKey(sort, t, Date.parse(t.created_date), Date.parse(t.updated_date));
    for (let q = 0; q < 40; q++) {
      const input: SearchInput = {
        limit: 25,
        sort: pick(["priority", "newest", "oldest", "updated"]),
      };
      if (rnd() < 0.5) input.status = pick(statuses);
      if (rnd() < 0.4) input.priority = [pick(priorities), pick(priorities)];
      if (rnd() < 0.4) input.category = pick(categories);
      if (rnd() < 0.3) input.user_id = `user${100 + Math.floor(rnd() * 50)}`;
      if (rnd() < 0.4) input.keyword = pick(words);
      const query = parseSearchQuery(input);
      const result = await bigStore.search(query);
      const expected = big
        .filter((t) => matches(t, query.filters))
        .sort((a, b) => compareKeys(keyOf(query.sort, a), keyOf(query.sort, b)));
      assert.equal(result.total, expected.length, JSON.stringify(input));
      assert.deepEqual(
        result.tickets.map((t) => t.ticket_id),
        expected.slice(0, 25).map((t) => t.ticket_id),
        JSON.stringify(input),
      );
    }
  });
});
