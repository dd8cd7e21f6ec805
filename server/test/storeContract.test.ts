/**
 * The store contract: one suite, run against every TicketStore (the in-memory index and
 * PostgreSQL), so both give the same answers to the same questions. Expectations are
 * written out by hand for a small set, and checked against the reference rules of
 * search.ts (`matches`, `compareKeys`) for random queries over generated tickets.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { generateTickets } from "../../data/generator.js";
import { ticket } from "../../test/helpers/tickets.js";
import { testDatabase, type TestDatabase } from "../../test/helpers/postgres.js";
import { InvalidQueryError } from "../src/tickets/errors.js";
import { MemoryTicketStore } from "../src/tickets/memoryStore.js";
import {
  COUNT_LIMIT,
  describeFilters,
  parseFilters,
  parseSearchQuery,
  type SearchInput,
  type SortOrder,
} from "../src/tickets/query.js";
import { compareKeys, matches, sortKey } from "../src/tickets/search.js";
import type { TicketStore } from "../src/tickets/store.js";
import type { Ticket } from "../src/tickets/ticket.js";

const at = (day: string) => `2025-${day}T09:00:00Z`;
const t = (id: number, fields: Partial<Ticket>): Ticket =>
  ticket({ ticket_id: `TKT-${String(id).padStart(4, "0")}`, ...fields });

const FIXTURE: Ticket[] = [
  t(1, {
    user_id: "user123",
    title: "Cannot login after password reset",
    description: "The login page says 'invalid token' after the reset email.",
    priority: "critical",
    category: "authentication",
    created_date: at("02-01"),
    updated_date: at("02-03"),
    assigned_to: "security_team",
  }),
  t(2, {
    user_id: "user110",
    title: "Refund for double charge",
    description: "My card was charged twice for the Pro plan; payment failed the first time.",
    priority: "high",
    category: "billing",
    created_date: at("02-05"),
    updated_date: at("02-06"),
    assigned_to: "billing_team",
  }),
  t(3, {
    user_id: "USER123",
    title: "CSV export times out",
    description: "Export of 50k rows fails with a timeout on the dashboard.",
    status: "in_progress",
    created_date: at("01-10"),
    updated_date: at("03-01"),
    assigned_to: "dev_team",
  }),
  t(4, {
    user_id: "user104",
    title: "Ошибка ВХОДА в личный кабинет",
    description: "После обновления не работает вход через SSO.",
    status: "closed",
    priority: "low",
    category: "authentication",
    created_date: at("01-05"),
    updated_date: at("01-06"),
    assigned_to: "support_agent2",
  }),
  t(5, {
    user_id: "user105",
    title: "Suspicious API key usage",
    description: "Someone used our API key from an unknown IP. Payment failed alerts too.",
    priority: "critical",
    category: "security",
    created_date: at("03-01"),
    updated_date: at("03-02"),
    assigned_to: "security_team",
  }),
  t(6, {
    user_id: "user106",
    title: "Dark mode request",
    description: "Please add a dark mode to the dashboard.",
    status: "rejected",
    priority: "low",
    category: "feature",
    created_date: at("01-20"),
    updated_date: at("01-25"),
    assigned_to: "tech_lead",
  }),
  // LIKE's wildcards and escape character must be plain text in a keyword.
  t(7, {
    title: "Refund 50% of the invoice",
    created_date: at("04-01"),
    updated_date: at("04-01"),
  }),
  t(8, { title: "Export 500 rows", created_date: at("04-02"), updated_date: at("04-02") }),
  t(9, { title: "Field user_name is empty", created_date: at("04-03"), updated_date: at("04-03") }),
  t(10, { title: "The user-name field", created_date: at("04-04"), updated_date: at("04-04") }),
  t(11, {
    title: "Files land in C:\\Temp\\new",
    created_date: at("04-05"),
    updated_date: at("04-05"),
  }),
  t(12, { title: "Path c:temp is wrong", created_date: at("04-06"), updated_date: at("04-06") }),
  t(13, { title: "Café menu broken", created_date: at("04-07"), updated_date: at("04-07") }),
];

type Factory = (tickets: Ticket[], options?: { countLimit?: number }) => Promise<TicketStore>;
let database: TestDatabase | undefined;

const STORES: [string, Factory][] = [
  ["memory", async (tickets, options) => new MemoryTicketStore(tickets, "test", options)],
  ["postgres", async (tickets, options) => database!.store(tickets, options)],
];

before(async () => {
  database = await testDatabase();
});
after(async () => {
  await database?.drop();
});

for (const [name, make] of STORES) {
  describe(`${name} store`, () => {
    let store: TicketStore;
    before(async () => {
      store = await make(FIXTURE);
    });
    const ids = async (input: SearchInput) =>
      (await store.search(parseSearchQuery({ limit: 100, ...input }))).tickets.map((x) =>
        Number(x.ticket_id.slice(4)),
      );

    test("no filters: everything, critical first, then the most recently updated", async () => {
      assert.deepEqual(await ids({}), [5, 1, 2, 13, 12, 11, 10, 9, 8, 7, 3, 6, 4]);
    });

    test("status, priority and category combine with AND; lists mean any of", async () => {
      assert.deepEqual(await ids({ status: "open", priority: "critical" }), [5, 1]);
      assert.deepEqual(
        await ids({ status: "open", priority: "critical", category: "security" }),
        [5],
      );
      assert.deepEqual(await ids({ status: ["CLOSED", "Rejected"] }), [6, 4]);
      assert.deepEqual(await ids({ priority: ["high", "low"], category: "authentication" }), [4]);
    });

    test("user_id and assigned_to match exactly, in any case", async () => {
      assert.deepEqual(await ids({ user_id: "user123" }), [1, 3]);
      assert.deepEqual(await ids({ user_id: "User123 " }), [1, 3]);
      assert.deepEqual(await ids({ user_id: "user12" }), []);
      assert.deepEqual(await ids({ assigned_to: "SECURITY_TEAM" }), [5, 1]);
    });

    test("scopeUserId: only that user's tickets, ANDed, any case, never echoed", async () => {
      const scoped = (input: SearchInput, owner: string) => {
        const query = parseSearchQuery({ limit: 100, ...input });
        query.filters.scopeUserId = owner;
        return store.search(query);
      };
      const mine = await scoped({}, "USER123");
      assert.deepEqual(mine.total, 2);
      assert.deepEqual((await scoped({ user_id: "user110" }, "user123")).total, 0);
      assert.deepEqual(
        (await scoped({ keyword: "export" }, "user123")).tickets[0]?.ticket_id,
        "TKT-0003",
      );
      const stats = await store.stats({ ...parseFilters({}), scopeUserId: "user123" }, "user_id");
      assert.deepEqual(stats.groups, [
        { value: "USER123", count: 1 },
        { value: "user123", count: 1 },
      ]);
      assert.deepEqual(describeFilters({ scopeUserId: "user123", statuses: ["open"] }), {
        status: "open",
      });
    });

    test("keyword: every term in title or description, any case; phrases in quotes", async () => {
      assert.deepEqual(await ids({ keyword: "login" }), [1]);
      assert.deepEqual(await ids({ keyword: "EXPORT timeout" }), [3]);
      assert.deepEqual(await ids({ keyword: "export refund" }), []);
      assert.deepEqual(await ids({ keyword: "dashboard" }), [3, 6]);
      assert.deepEqual(await ids({ keyword: '"payment failed"' }), [5, 2]);
      assert.deepEqual(await ids({ keyword: '"failed payment"' }), []);
      assert.deepEqual(await ids({ keyword: '"payment failed" refund' }), [2]);
      assert.deepEqual(await ids({ keyword: "ogi" }), [1]); // inside a word
    });

    test("keyword: Unicode (Cyrillic case, composed and decomposed accents)", async () => {
      assert.deepEqual(await ids({ keyword: "вход" }), [4]);
      assert.deepEqual(await ids({ keyword: "ВХОД sso" }), [4]);
      assert.deepEqual(await ids({ keyword: "CAFE\u0301" }), [13]);
    });

    test("keyword: %, _ and \\ are literal characters, not patterns", async () => {
      assert.deepEqual(await ids({ keyword: "50%" }), [7]);
      assert.deepEqual(await ids({ keyword: "user_name" }), [9]);
      assert.deepEqual(await ids({ keyword: "c:\\temp" }), [11]);
      assert.deepEqual(await ids({ keyword: "%" }), [7]);
      assert.deepEqual(await ids({ keyword: "_" }), [9]);
    });

    test("date ranges: after is inclusive, before exclusive", async () => {
      assert.deepEqual(
        await ids({ created_after: at("02-05"), created_before: at("04-01") }),
        [5, 2],
      );
      assert.deepEqual(await ids({ created_before: at("01-10") }), [4]);
      assert.deepEqual(
        await ids({ updated_after: "2025-03-01", updated_before: "2025-03-02" }),
        [3],
      );
    });

    test("each sort order is total, ties broken by ticket_id", async () => {
      assert.deepEqual(await ids({ sort: "newest", limit: 3 }), [13, 12, 11]);
      assert.deepEqual(await ids({ sort: "oldest", limit: 3 }), [4, 3, 6]);
      assert.deepEqual(await ids({ sort: "updated", limit: 2 }), [13, 12]);
      const twins = await make([
        ticket({ ticket_id: "B-2", created_date: "2025-01-01", updated_date: "2025-01-01" }),
        ticket({ ticket_id: "A-1", created_date: "2025-01-01", updated_date: "2025-01-01" }),
        ticket({ ticket_id: "a-0", created_date: "2025-01-01", updated_date: "2025-01-01" }),
      ]);
      for (const sort of ["priority", "newest", "oldest", "updated"]) {
        const { tickets } = await twins.search(parseSearchQuery({ sort }));
        assert.deepEqual(
          tickets.map((x) => x.ticket_id),
          ["A-1", "B-2", "a-0"],
          sort,
        );
      }
      assert.equal((await twins.get("a-1"))?.ticket_id, "A-1");
      assert.deepEqual(await twins.suggestIds("a", 5), ["a-0", "A-1"]);
    });

    test("paging with next_cursor visits every match once, in order", async () => {
      for (const sort of ["priority", "newest", "oldest", "updated"]) {
        for (const filter of [{}, { status: "open" }, { keyword: "e" }]) {
          const expected = await ids({ sort, ...filter });
          const seen: number[] = [];
          let cursor: string | undefined;
          do {
            const page = await store.search(
              parseSearchQuery({ sort, limit: 2, cursor, ...filter }),
            );
            assert.equal(page.total, expected.length);
            seen.push(...page.tickets.map((x) => Number(x.ticket_id.slice(4))));
            cursor = page.nextCursor;
          } while (cursor);
          assert.deepEqual(seen, expected, `${sort} ${JSON.stringify(filter)}`);
        }
      }
    });

    test("totals are exact below the count limit, 'at least the limit' from it on", async () => {
      const bounded = await make(FIXTURE, { countLimit: 4 });
      const total = async (input: SearchInput) => {
        const { total, totalExact, tickets } = await bounded.search(parseSearchQuery(input));
        return { total, totalExact, page: tickets.length };
      };
      // 13 tickets, 10 of them open, 3 critical, 4 with "e" in a word and a date filter.
      assert.deepEqual(await total({}), { total: 4, totalExact: false, page: 10 });
      assert.deepEqual(await total({ status: "open" }), { total: 4, totalExact: false, page: 10 });
      assert.deepEqual(await total({ priority: "critical" }), {
        total: 2,
        totalExact: true,
        page: 2,
      });
      assert.deepEqual(await total({ keyword: "refund" }), { total: 2, totalExact: true, page: 2 });
      assert.deepEqual(await total({ keyword: "e", limit: 2 }), {
        total: 4,
        totalExact: false,
        page: 2,
      });
      // Exactly the limit: "at least" too (counting stopped there).
      assert.deepEqual(await total({ status: "open", created_after: at("04-03") }), {
        total: 4,
        totalExact: false,
        page: 5,
      });
      assert.deepEqual(await total({ status: "open", created_after: at("04-04") }), {
        total: 4,
        totalExact: false,
        page: 4,
      });
      assert.deepEqual(await total({ status: "open", created_after: at("04-05") }), {
        total: 3,
        totalExact: true,
        page: 3,
      });
      // Paging past the limit still visits every match, and stats count exactly.
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await bounded.search(parseSearchQuery({ limit: 5, cursor }));
        seen.push(...page.tickets.map((x) => x.ticket_id));
        cursor = page.nextCursor;
      } while (cursor);
      assert.equal(new Set(seen).size, FIXTURE.length);
      assert.equal((await bounded.stats(parseFilters({}), "status")).total, FIXTURE.length);
      assert.equal((await store.search(parseSearchQuery({}))).totalExact, true);
    });

    test("a cursor only works with the filters and sort it came from", async () => {
      const { nextCursor } = await store.search(parseSearchQuery({ limit: 1 }));
      assert.ok(nextCursor);
      await assert.rejects(
        store.search(parseSearchQuery({ status: "open", limit: 1, cursor: nextCursor })),
        (err: unknown) => err instanceof InvalidQueryError && err.field === "cursor",
      );
      await assert.rejects(store.search(parseSearchQuery({ cursor: "garbage" })), /Invalid cursor/);
    });

    test("get: exact id in any case, trimmed; undefined when missing", async () => {
      assert.equal((await store.get(" tkt-0003 "))?.title, "CSV export times out");
      assert.deepEqual(await store.get("TKT-0001"), FIXTURE[0]);
      assert.equal(await store.get("TKT-00"), undefined);
      assert.equal(await store.get("%"), undefined);
    });

    test("stats: every enum value (zeros too), largest first; other groups as stored", async () => {
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
      const mine = await store.stats(parseFilters({ user_id: "user123" }), "status");
      assert.deepEqual(
        mine.groups.filter((g) => g.count > 0),
        [
          { value: "in_progress", count: 1 },
          { value: "open", count: 1 },
        ],
      );
      const all = await store.stats({}, "priority");
      assert.equal(all.total, FIXTURE.length);
      assert.deepEqual(all.groups[0], { value: "medium", count: 8 });
    });

    test("suggestIds completes by prefix, in any case; info and ready", async () => {
      assert.deepEqual(await store.suggestIds("tkt-000", 3), ["TKT-0001", "TKT-0002", "TKT-0003"]);
      assert.deepEqual(await store.suggestIds("TKT-0013", 5), ["TKT-0013"]);
      assert.deepEqual(await store.suggestIds("%", 5), []);
      assert.equal((await store.info()).count, FIXTURE.length);
      assert.equal(await store.ready?.(), true);
    });

    test("agrees with the reference rules on random queries over generated tickets", async () => {
      const tickets = [...generateTickets({ count: 3000, seed: 7 })];
      const big = await make(tickets);
      let seed = 11;
      const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
      const words = ["login", "export", "refund", "pass", "vpn", "crash", "a", '"the login"', "é"];
      for (let q = 0; q < 60; q++) {
        const input: SearchInput = {
          limit: 7,
          sort: pick(["priority", "newest", "oldest", "updated"]),
        };
        if (rnd() < 0.4) input.status = pick(["open", "closed", ["pending", "rejected"]]);
        if (rnd() < 0.3) input.priority = pick(["critical", "high", ["medium", "low"]]);
        if (rnd() < 0.3) input.category = pick(["billing", "security", "technical"]);
        if (rnd() < 0.2) input.user_id = pick(tickets).user_id;
        if (rnd() < 0.2) input.assigned_to = pick(["dev_team", "billing_team"]);
        if (rnd() < 0.4) input.keyword = `${pick(words)}${rnd() < 0.3 ? ` ${pick(words)}` : ""}`;
        if (rnd() < 0.2) input.created_after = pick(["2025-03-01", "2025-07-15"]);
        if (rnd() < 0.2) input.updated_before = pick(["2025-06-01", "2025-11-01"]);
        const query = parseSearchQuery(input);
        const keyOf = (sort: SortOrder, x: Ticket) =>
          sortKey(sort, x, Date.parse(x.created_date), Date.parse(x.updated_date));
        const expected = tickets
          .filter((x) => matches(x, query.filters))
          .sort((a, b) => compareKeys(keyOf(query.sort, a), keyOf(query.sort, b)));
        const first = await big.search(query);
        const label = JSON.stringify(input);
        assert.equal(first.total, Math.min(expected.length, COUNT_LIMIT), label);
        assert.equal(first.totalExact, expected.length < COUNT_LIMIT, label);
        assert.deepEqual(
          first.tickets.map((x) => x.ticket_id),
          expected.slice(0, 7).map((x) => x.ticket_id),
          label,
        );
        if (first.nextCursor) {
          const second = await big.search({ ...query, cursor: first.nextCursor });
          assert.deepEqual(
            second.tickets.map((x) => x.ticket_id),
            expected.slice(7, 14).map((x) => x.ticket_id),
            label,
          );
        }
      }
    });
  });
}
