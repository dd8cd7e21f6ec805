/**
 * The in-memory store's indexes at scale: 100,000 generated tickets, random queries and
 * stats checked against a plain scan with the reference rules (search.ts), plus the
 * pieces the indexes rest on (the word index, the fast date reader).
 */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { generateTickets } from "../../data/generator.js";
import { KeywordIndex, wordRuns } from "../src/tickets/keywordIndex.js";
import { pino } from "pino";
import { ReloadingStore } from "../src/sources/reloadingStore.js";
import { MemoryStoreBuilder, MemoryTicketStore } from "../src/tickets/memoryStore.js";
import { scopeToUser } from "../src/tickets/scope.js";
import type { TicketStore } from "../src/tickets/store.js";
import {
  GROUP_FIELDS,
  parseFilters,
  parseSearchQuery,
  type SearchInput,
  type SortOrder,
  type TicketFilters,
} from "../src/tickets/query.js";
import { compareKeys, haystackOf, matches, sortKey } from "../src/tickets/search.js";
import { canonicalDateMs, parseIsoDate, type Ticket } from "../src/tickets/ticket.js";

describe("100,000 tickets: the indexes agree with a plain scan", () => {
  let tickets: Ticket[];
  let store: MemoryTicketStore;
  let haystacks: string[];
  let created: number[];
  let updated: number[];
  before(() => {
    tickets = [...generateTickets({ count: 100_000, seed: 5 })];
    // Counting past COUNT_LIMIT, so every total checks the planner's counting paths.
    store = new MemoryTicketStore(tickets, "test", { countLimit: tickets.length + 1 });
    haystacks = tickets.map(haystackOf);
    created = tickets.map((t) => Date.parse(t.created_date));
    updated = tickets.map((t) => Date.parse(t.updated_date));
  });
  const scan = (filters: TicketFilters) =>
    tickets
      .map((_, i) => i)
      .filter((i) => matches(tickets[i]!, filters, haystacks[i], created[i], updated[i]));

  let seed = 99;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const randomInput = (): SearchInput => {
    const words = ["login", "invoice", "vpn", "export", "2fa", "ssl", "e", "in", '"the app"'];
    const input: SearchInput = { sort: pick(["priority", "newest", "oldest", "updated"]) };
    if (rnd() < 0.5) input.status = pick(["open", "closed", ["open", "pending"]]);
    if (rnd() < 0.4) input.priority = pick(["critical", "low", ["high", "medium"]]);
    if (rnd() < 0.4) input.category = pick(["billing", "security", ["feature", "technical"]]);
    if (rnd() < 0.15) input.user_id = pick(tickets).user_id.toUpperCase();
    if (rnd() < 0.2) input.assigned_to = pick(["dev_team", "tech_lead", "nobody"]);
    if (rnd() < 0.5) input.keyword = `${pick(words)}${rnd() < 0.3 ? ` ${pick(words)}` : ""}`;
    if (rnd() < 0.2) input.created_after = pick(["2025-02-01", "2025-06-01"]);
    if (rnd() < 0.2) input.created_before = pick(["2025-07-01T12:00:00Z", "2025-12-01"]);
    if (rnd() < 0.2) input.updated_after = pick(["2025-06-01", "2025-12-30"]);
    return input;
  };

  test("random searches: totals, first and next pages", async () => {
    for (let q = 0; q < 60; q++) {
      const input = { ...randomInput(), limit: pick([1, 10, 50]) };
      const query = parseSearchQuery(input);
      if (rnd() < 0.2) query.filters.scopeUserId = pick(tickets).user_id;
      const keyOf = (sort: SortOrder, i: number) =>
        sortKey(sort, tickets[i]!, created[i]!, updated[i]!);
      const expected = scan(query.filters).sort((a, b) =>
        compareKeys(keyOf(query.sort, a), keyOf(query.sort, b)),
      );
      const ids = (positions: number[]) => positions.map((i) => tickets[i]!.ticket_id);
      const label = JSON.stringify({ ...input, scope: query.filters.scopeUserId });
      const first = await store.search(query);
      assert.equal(first.total, expected.length, label);
      const n = query.limit;
      assert.deepEqual(
        first.tickets.map((t) => t.ticket_id),
        ids(expected.slice(0, n)),
        label,
      );
      assert.equal(first.nextCursor !== undefined, expected.length > n, label);
      if (first.nextCursor) {
        const second = await store.search({ ...query, cursor: first.nextCursor });
        assert.deepEqual(
          second.tickets.map((t) => t.ticket_id),
          ids(expected.slice(n, 2 * n)),
          label,
        );
      }
    }
  });

  test("random stats, every grouping", async () => {
    for (let q = 0; q < 25; q++) {
      const filters = parseFilters(randomInput());
      const groupBy = GROUP_FIELDS[q % GROUP_FIELDS.length]!;
      const { total, groups } = await store.stats(filters, groupBy);
      const matched = scan(filters);
      assert.equal(total, matched.length);
      const counts = new Map<string, number>();
      for (const i of matched) {
        const value = tickets[i]![groupBy];
        counts.set(value, (counts.get(value) ?? 0) + 1);
      }
      for (const { value, count } of groups) assert.equal(count, counts.get(value) ?? 0, value);
      assert.ok(groups.filter((g) => g.count > 0).length === counts.size);
    }
  });
});

describe("the word index", () => {
  test("words are runs of letters, digits and marks, in any script", () => {
    assert.deepEqual(wordRuns("e-mail: 50% off, вход_2fa"), [
      "e",
      "mail",
      "50",
      "off",
      "вход",
      "2fa",
    ]);
    assert.deepEqual(wordRuns("%_\\"), []);
  });

  test("a plain word is matched exactly; other terms are returned for checking", () => {
    const texts = ["prelogin page", "log in", "the login-page", "Вход"].map((t) => t.toLowerCase());
    const index = new KeywordIndex(texts.length, (i) => texts[i]!);
    const lookup = (terms: string[]) => {
      const { ids, verify } = index.lookup(terms);
      return { ids: ids && [...ids], verify };
    };
    assert.deepEqual(lookup(["login"]), { ids: [0, 2], verify: [] });
    assert.deepEqual(lookup(["log"]), { ids: [0, 1, 2], verify: [] });
    // Candidates hold both runs; only the text can tell "prelogin page" is not one.
    assert.deepEqual(lookup(["login-page"]), { ids: [0, 2], verify: ["login-page"] });
    assert.deepEqual(lookup(["log", "page"]), { ids: [0, 2], verify: [] });
    assert.deepEqual(lookup(["вх"]), { ids: [3], verify: [] });
    assert.deepEqual(lookup(["%"]), { ids: undefined, verify: ["%"] });
    assert.deepEqual(lookup(["zzz"]), { ids: [], verify: [] });
  });
});

test("the fast date reader agrees with the general one, and refuses what it should", () => {
  let seed = 1;
  const rnd = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
  const pad = (v: number, w: number) => String(v).padStart(w, "0");
  for (let k = 0; k < 5000; k++) {
    const text =
      `${pad(1900 + rnd(250), 4)}-${pad(1 + rnd(13), 2)}-${pad(rnd(32), 2)}T` +
      `${pad(rnd(25), 2)}:${pad(rnd(61), 2)}:${pad(rnd(61), 2)}Z`;
    const fast = canonicalDateMs(text);
    if (fast !== undefined) assert.equal(fast, Date.parse(text), text);
  }
  assert.equal(canonicalDateMs("2024-02-29T00:00:00Z"), Date.UTC(2024, 1, 29));
  for (const bad of ["2025-02-29T00:00:00Z", "2100-02-29T00:00:00Z", "2025-13-01T00:00:00Z"]) {
    assert.equal(canonicalDateMs(bad), undefined, bad);
    assert.equal(parseIsoDate(bad), undefined, bad);
  }
  // Left to the general path, which keeps its own rules for them.
  assert.equal(canonicalDateMs("0099-01-01T00:00:00Z"), undefined);
  assert.equal(canonicalDateMs("2025-03-01T24:00:00Z"), undefined);
  assert.equal(parseIsoDate(" 2025-03-01T10:00:00Z "), Date.UTC(2025, 2, 1, 10));
});

test("an aborted signal stops a memory search before it starts, through every wrapper", async () => {
  const isAbort = (err: unknown) => err instanceof Error && err.name === "AbortError";
  const memory = new MemoryTicketStore([...generateTickets({ count: 200 })]);
  const reloading = new ReloadingStore(
    memory,
    "none.jsonl",
    async () => memory,
    pino({ level: "silent" }),
  );
  const stores: TicketStore[] = [memory, reloading, scopeToUser(reloading, "user123")];
  const signal = AbortSignal.abort();
  for (const store of stores) {
    await assert.rejects(store.search(parseSearchQuery({}), { signal }), isAbort);
    await assert.rejects(store.stats(parseFilters({}), "status", { signal }), isAbort);
    const live = await store.search(parseSearchQuery({}), { signal: new AbortController().signal });
    assert.ok(live.tickets.length > 0);
  }
  reloading.stop();
});

describe("the compact form gives back exactly the tickets it was given", () => {
  const base = [...generateTickets({ count: 300, seed: 11 })];
  // Strings UTF-8 cannot carry (a lone surrogate) and dates that are not re-made from
  // their ms (hour 24, a two-digit year) are the ones a compact copy could change.
  const odd: Ticket[] = [
    { ...base[0]!, ticket_id: "ODD-1", title: "lone \ud800 surrogate", description: "" },
    { ...base[1]!, ticket_id: "ODD-2", description: "emoji 😀 and Вход, ünïcödé \udc00" },
    { ...base[2]!, ticket_id: "odd-2", created_date: "0050-03-01T10:00:00Z" },
    // Well-formed, multi-byte in every field (1 to 4 bytes a character).
    { ...base[4]!, ticket_id: "ÖDD-😀-3", title: "Ünïcödé 😀 вход", description: "日本語 😀 ok" },
    {
      ...base[3]!,
      ticket_id: "ODD-\ud83d",
      created_date: "2025-03-01T23:00:00Z",
      updated_date: "2025-03-01T24:00:00Z",
    },
  ];
  const tickets = [...base, ...odd];

  test("streamed in batches into many small text chunks, every ticket reads back the same", async () => {
    const builder = new MemoryStoreBuilder({ chunkBytes: 1024 });
    for (let at = 0; at < tickets.length; at += 37) builder.add(tickets.slice(at, at + 37));
    const store = builder.build("test");
    assert.ok(store.parts.columns.chunks.length > 20, "the text spans many chunks");
    const whole = new MemoryTicketStore(tickets, "test");
    for (const ticket of tickets) {
      assert.deepEqual(await store.get(ticket.ticket_id), ticket, ticket.ticket_id);
      assert.deepEqual(await whole.get(ticket.ticket_id), ticket, ticket.ticket_id);
    }
    for (const sort of ["priority", "newest", "oldest", "updated"] as const) {
      const query = parseSearchQuery({ sort, limit: 50 });
      assert.deepEqual(await store.search(query), await whole.search(query));
    }
    const emoji = await store.search(parseSearchQuery({ keyword: "😀 and вход" }));
    assert.deepEqual(
      emoji.tickets.map((t) => t.ticket_id),
      ["ODD-2"],
    );
  });
});
