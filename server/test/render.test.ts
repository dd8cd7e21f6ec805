/**
 * The text the model reads: compact, and nothing in it that the model already knows
 * (fields the filters fixed, the default order, a year twice in one line), with the
 * line format said once in the header.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { SEED_QUERIES } from "../../bench/modelRead.js";
import { ticket } from "../../test/helpers/tickets.js";
import { renderSearch } from "../src/mcp/render.js";
import { loadMemoryStore } from "../src/sources/loadStore.js";
import { MemoryTicketStore } from "../src/tickets/memoryStore.js";
import { describeFilters, parseSearchQuery, type SearchInput } from "../src/tickets/query.js";
import type { TicketStore } from "../src/tickets/store.js";

async function page(store: TicketStore, input: SearchInput) {
  const query = parseSearchQuery(input);
  const result = await store.search(query);
  return { result, text: renderSearch(result, describeFilters(query.filters), query.sort) };
}

test("the seed's three questions read at most a third of their tickets as pretty JSON", async () => {
  const store = await loadMemoryStore("data/requests.xls");
  let text = 0;
  let json = 0;
  for (const { args } of SEED_QUERIES) {
    const { result, text: read } = await page(store, args);
    assert.ok(result.tickets.length > 0, JSON.stringify(args));
    text += Buffer.byteLength(read);
    json += Buffer.byteLength(JSON.stringify(result.tickets, null, 2));
  }
  assert.ok(text <= json * 0.33, `text ${text} B vs pretty JSON ${json} B`);
});

test("fields fixed by a filter are said once in the header, not on every line", async () => {
  const store = new MemoryTicketStore([
    ticket({ ticket_id: "T-1", title: "Login fails", user_id: "user123", status: "open" }),
    ticket({ ticket_id: "T-2", title: "Invoice wrong", user_id: "USER123", status: "closed" }),
    ticket({ ticket_id: "T-3", title: "Export slow", user_id: "user123", status: "open" }),
  ]);
  const open = (await page(store, { status: "open" })).text.split("\n");
  assert.match(open[0]!, /^2 tickets match \(open\)\. id \[priority\/category\] title\|user/);
  assert.ok(
    open.slice(1).every((line) => !line.includes("open")),
    open.join("\n"),
  );
  assert.equal(open.length, 3);

  // user_id matches in any case: "USER123" must still be shown as it is stored.
  const mine = (await page(store, { user_id: "user123" })).text;
  assert.match(mine, /\|user>assignee\|/);
  assert.match(mine, /Invoice wrong\|USER123>support_agent1\|/);
  const exact = (await page(store, { user_id: "user123", status: "open" })).text;
  assert.match(
    exact,
    /^2 tickets match \(user_id=user123 open\)\. id \[priority\/category\] title\|assignee\|/,
  );

  // A list of statuses fixes nothing: each line says its own.
  const either = (await page(store, { status: ["open", "closed"] })).text;
  assert.match(either, /\(status=open\|closed\)\. id \[status\/priority\/category\]/);
  assert.match(either, /T-2 \[closed\/medium\/technical\] Invoice wrong/);
});

test("days, not timestamps; a repeated title once; the order only when not the default", async () => {
  const store = new MemoryTicketStore([
    ticket({
      ticket_id: "T-1",
      title: "VPN drops",
      description: "VPN drops. Every hour the tunnel closes and reconnects after a minute.",
      created_date: "2025-03-01T10:00:00Z",
      updated_date: "2025-03-01T18:30:00Z",
    }),
    ticket({
      ticket_id: "T-2",
      title: "VPN drops",
      created_date: "2025-03-02T10:00:00Z",
      updated_date: "2025-03-09T10:00:00Z",
    }),
    ticket({
      ticket_id: "T-3",
      title: "Year end",
      created_date: "2025-12-30T10:00:00Z",
      updated_date: "2026-01-04T10:00:00Z",
    }),
    ticket({
      ticket_id: "T-4",
      title: "Spring",
      created_date: "2025-03-30T10:00:00Z",
      updated_date: "2025-04-02T10:00:00Z",
    }),
  ]);
  const lines = (await page(store, { sort: "oldest" })).text.split("\n");
  assert.match(lines[0]!, /^4 tickets match \(no filters\), oldest first\. /);
  // The description's start without its first sentence when that is the title again.
  assert.match(
    lines[1]!,
    /^T-1 .*VPN drops\|user101>support_agent1\|2025-03-01\|Every hour the tunnel…$/,
  );
  assert.match(lines[2]!, /^T-2 \[open\/medium\/technical\] \(same title\)\|.*\|2025-03-02~09\|/);
  assert.match(lines[3]!, /\|2025-03-30~04-02\|/);
  assert.match(lines[4]!, /\|2025-12-30~2026-01-04\|/);
  assert.doesNotMatch(lines.join("\n"), /T\d\d:\d\d/);
  assert.doesNotMatch((await page(store, {})).text, /first\./);
});

test("a total past the count limit reads 'at least', and paging is offered", async () => {
  const tickets = Array.from({ length: 6 }, (_, i) => ticket({ ticket_id: `T-${i}` }));
  const store = new MemoryTicketStore(tickets, "test", { countLimit: 5 });
  const { text } = await page(store, { limit: 2 });
  assert.match(
    text,
    /^At least 5 tickets match \(ticket_stats counts all\) \(no filters\); 2 shown\./,
  );
  assert.match(text, /\nMore: same arguments with cursor="[^"]+"\.$/);
  const all = await page(new MemoryTicketStore(tickets), { limit: 6 });
  assert.match(all.text, /^6 tickets match \(no filters\)\. id /);
});
